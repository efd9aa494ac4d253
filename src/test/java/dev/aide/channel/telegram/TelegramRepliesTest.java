package dev.aide.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.FakeOpenAi;
import dev.aide.support.FakeTelegram;
import dev.aide.support.FakeTranscriptionServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Telegram replies: long answers arrive whole and in order, voice notes are transcribed")
class TelegramRepliesTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);
  // About 10,000 characters in numbered paragraphs, as a model writes a long answer.
  private static final String ESSAY = IntStream.rangeClosed(1, 40)
      .mapToObj(i -> "Paragraph " + i + ": " + "lorem ipsum dolor sit amet ".repeat(9).strip() + ".")
      .collect(Collectors.joining("\n\n"));

  // Telegram forgets updates below the offset Aide confirms, so ids only grow, whatever order the tests run in.
  private static final java.util.concurrent.atomic.AtomicLong UPDATE_IDS = new java.util.concurrent.atomic.AtomicLong();

  private static final FakeTelegram telegram = new FakeTelegram(TelegramWebhookTest.TOKEN);
  private static final FakeOpenAi model = new FakeOpenAi(request -> {
    if (FakeOpenAi.lastRole(request).equals("tool")) {
      return new FakeOpenAi.Reply(200, FakeOpenAi.payload("chat-completion-text.json"));
    }
    var messages = request.getJsonArray("messages");
    String text = messages.getJsonObject(messages.size() - 1).getString("content");
    return text.contains("essay")
        ? FakeOpenAi.text(ESSAY)
        : new FakeOpenAi.Reply(200, FakeOpenAi.payload("chat-completion-tool-call.json"));
  });
  private static final FakeTranscriptionServer stt = new FakeTranscriptionServer().transcribing("Remind me to call mom tomorrow at 5pm.");

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).telegram(telegram).model(model).transcription(stt)
      .readyWhen(() -> telegram.calls().contains("getUpdates"));

  @Test
  @DisplayName("a 10,000-character reply arrives as several messages within Telegram's limit, in order")
  void longReply() {
    long chat = 1001;
    telegram.enqueue(FakeTelegram.update("update-text-private.json", UPDATE_IDS.incrementAndGet(), chat, "write me an essay"));

    await().atMost(Duration.ofSeconds(20)).until(() -> aide.db().number(
        "select count(*) from outbox where recipient = ? and status = 'sent'", String.valueOf(chat)) >= 3
        && aide.db().number("select count(*) from outbox where recipient = ? and status <> 'sent'", String.valueOf(chat)) == 0);
    List<FakeTelegram.SentMessage> parts = telegram.sent().stream().filter(m -> m.chatId() == chat).toList();

    assertThat(ESSAY.length()).isGreaterThan(10_000);
    assertThat(parts).hasSizeGreaterThanOrEqualTo(3);
    assertThat(parts).allMatch(p -> p.text().length() <= TelegramText.MAX_MESSAGE);
    assertThat(parts.stream().map(FakeTelegram.SentMessage::text).collect(Collectors.joining("\n\n"))).isEqualTo(ESSAY);
    for (int i = 1; i < parts.size(); i++) {
      assertThat(parts.get(i).at()).isAfterOrEqualTo(parts.get(i - 1).at());
    }
  }

  @Test
  @DisplayName("a voice note is downloaded, transcribed and handled as a message from source voice")
  void voiceNote() {
    long chat = 1002;
    JsonObject update = FakeTelegram.update("update-voice-private.json", UPDATE_IDS.incrementAndGet(), chat, null);
    String fileId = update.getJsonObject("message").getJsonObject("voice").getString("file_id");
    telegram.addFile(fileId, Buffer.buffer(new byte[] {0x4f, 0x67, 0x67, 0x53, 1, 2, 3}));

    telegram.enqueue(update);

    await().atMost(Duration.ofSeconds(15)).until(() -> telegram.sent().stream().anyMatch(m -> m.chatId() == chat));
    assertThat(stt.requests()).hasSize(1);
    assertThat(stt.requests().get(0).model()).isEqualTo("whisper-1");
    assertThat(stt.requests().get(0).authorization()).isEqualTo("Bearer stt-key");
    assertThat(stt.requests().get(0).bytes().length()).isEqualTo(7);
    assertThat(aide.db().number("select count(*) from messages where source = 'voice' and role = 'user' "
        + "and content = 'Remind me to call mom tomorrow at 5pm.'")).isEqualTo(1);
    assertThat(aide.db().value("select due_at from reminders where text = 'call mom'", OffsetDateTime.class)).isNotNull();
  }
}
