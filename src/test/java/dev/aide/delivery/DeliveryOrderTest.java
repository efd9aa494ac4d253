package dev.aide.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.FakeTelegram;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Delivery sends several batches at once and keeps each recipient's messages in order")
class DeliveryOrderTest {

  private static final FakeTelegram telegram = new FakeTelegram("7000000009:AAH-fake-token-for-delivery-tests_01");

  @RegisterExtension
  static final AideServer aide = AideServer.create().telegram(telegram)
      .env("AIDE_TELEGRAM_MESSAGES_PER_SECOND", "10000")
      .readyWhen(() -> telegram.calls().contains("getUpdates"));

  @Test
  @DisplayName("600 queued messages to 12 chats (several batches of 20 on their way at once) arrive once each, every "
      + "chat's in the order they were queued")
  void inOrder() {
    int chats = 12;
    int each = 50;
    // Queued in one statement, interleaved across the chats, as a burst of reminders queues them.
    aide.db().update("""
        insert into outbox (channel, recipient, body, idempotency_key)
        select 'telegram', (5000 + c)::text, 'message ' || n, 'order-test:' || c || ':' || n
        from generate_series(0, ? - 1) n, generate_series(0, ? - 1) c
        order by n, c
        """, each, chats);

    await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number(
        "select count(*) from outbox where idempotency_key like 'order-test:%' and status <> 'sent'") == 0);

    Map<Long, List<String>> byChat = telegram.sent().stream().filter(m -> m.chatId() >= 5000 && m.chatId() < 5000 + chats)
        .collect(Collectors.groupingBy(FakeTelegram.SentMessage::chatId,
            Collectors.mapping(FakeTelegram.SentMessage::text, Collectors.toList())));
    List<String> expected = IntStream.range(0, each).mapToObj(n -> "message " + n).toList();
    assertThat(byChat).hasSize(chats);
    byChat.forEach((chat, texts) -> assertThat(texts).as("chat %d", chat).containsExactlyElementsOf(expected));
  }
}
