package dev.aide.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.FakeOpenAi;
import dev.aide.support.FakeTelegram;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Telegram allows a bot about one message a second in a chat: the parts of a long reply are paced at
 * AIDE_TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND, while another chat's reply does not wait behind them. (The other test
 * classes run with a fast per-chat pace, so a test that sends several messages to one chat does not wait a second
 * for each; this class sets the pace itself.)
 */
@DisplayName("Messages to one Telegram chat are paced; other chats do not wait behind them")
class TelegramPacingTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);
  private static final String ESSAY = IntStream.rangeClosed(1, 80)
      .mapToObj(i -> "Paragraph " + i + ": " + "lorem ipsum dolor sit amet ".repeat(9).strip() + ".")
      .collect(Collectors.joining("\n\n"));

  private static final FakeTelegram telegram = new FakeTelegram(TelegramWebhookTest.TOKEN);
  private static final FakeOpenAi model = new FakeOpenAi(request -> {
    var messages = request.getJsonArray("messages");
    String text = messages.getJsonObject(messages.size() - 1).getString("content");
    return FakeOpenAi.text(text.contains("essay") ? ESSAY : "Hello!");
  });

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).telegram(telegram).model(model)
      .env("AIDE_TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND", "2")
      .readyWhen(() -> telegram.calls().contains("getUpdates"));

  @Test
  @DisplayName("at 2 a second, the parts of a long reply take half a second each to arrive")
  void paced() {
    long essayChat = 3001;
    long otherChat = 3002;
    telegram.enqueue(FakeTelegram.update("update-text-private.json", 1, essayChat, "write me an essay"));
    await().atMost(Duration.ofSeconds(20)).until(() -> !sentTo(essayChat).isEmpty());
    telegram.enqueue(FakeTelegram.update("update-text-private.json", 2, otherChat, "hi"));

    await().atMost(Duration.ofSeconds(20)).until(() -> aide.db().number(
        "select count(*) from outbox where status <> 'sent'") == 0 && sentTo(otherChat).size() == 1);
    List<FakeTelegram.SentMessage> parts = sentTo(essayChat);
    assertThat(parts).hasSizeGreaterThanOrEqualTo(5);
    // Sends start at least half a second apart; they are seen here when they arrive, so one send slowed on its way
    // narrows one gap and widens the next. The whole run shows the pace: unpaced, it would take a few milliseconds.
    Duration paced = Duration.ofMillis(500L * (parts.size() - 1));
    assertThat(Duration.between(parts.getFirst().at(), parts.getLast().at())).as("%d parts", parts.size())
        .isGreaterThanOrEqualTo(paced.minusMillis(500));
    assertThat(sentTo(otherChat).getFirst().at()).as("the other chat's reply is not queued behind the essay")
        .isBefore(parts.getLast().at());
  }

  private static List<FakeTelegram.SentMessage> sentTo(long chat) {
    return telegram.sent().stream().filter(m -> m.chatId() == chat).toList();
  }
}
