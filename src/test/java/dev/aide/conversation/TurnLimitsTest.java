package dev.aide.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTelegram;
import dev.aide.support.ManualClock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The per-person limits of issue 9 item 6: chat turns a minute on every channel, reminders an hour and a day. */
@DisplayName("A person cannot flood the assistant with turns or create reminders without end")
class TurnLimitsTest {

  private static final String TOKEN = "7000000002:AAH-fake-token-for-limit-tests_01234567";
  private static final String SECRET = "limits-secret_123";
  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
  private static final AtomicLong UPDATE_IDS = new AtomicLong(700_000);

  private static final FakeTelegram telegram = new FakeTelegram(TOKEN);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).telegram(telegram)
      .env("AIDE_PUBLIC_URL", "https://aide.example.org")
      .env("AIDE_TELEGRAM_WEBHOOK_SECRET", SECRET)
      .env("AIDE_LIMITS_CHAT_TURNS_PER_MINUTE", "3")
      .env("AIDE_LIMITS_REMINDERS_PER_HOUR", "3")
      .env("AIDE_LIMITS_REMINDERS_PER_DAY", "5")
      .readyWhen(() -> telegram.webhook() != null)
      .freshEachTest();

  private final Api api = aide.api();

  @Test
  @DisplayName("web chat and voice share 3 turns a minute: the 4th is a 429 with Retry-After that stores nothing, "
      + "not even a conversation; a minute later the person is heard again")
  void webAndVoiceTurns() {
    UUID user = UUID.fromString(api.register("talker@example.com", "UTC").getString("id"));
    assertThat(chat("what's on today?").status()).isEqualTo(200);
    assertThat(chat("what are my reminders?").status()).isEqualTo(200);
    assertThat(api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "what's on tomorrow?")).status())
        .isEqualTo(200);
    long messages = aide.db().number("select count(*) from messages where user_id = ?", user);
    long conversations = aide.db().number("select count(*) from conversations where user_id = ?", user);

    Api.Response refused = chat("what are my lists?");
    Api.Response voice = api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "what's on today?"));

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.errorCode()).isEqualTo("too_many_requests");
    assertThat(Long.parseLong(refused.header("retry-after"))).isBetween(1L, 60L);
    assertThat(voice.status()).isEqualTo(429);
    assertThat(aide.db().number("select count(*) from messages where user_id = ?", user)).isEqualTo(messages);
    assertThat(aide.db().number("select count(*) from conversations where user_id = ?", user)).isEqualTo(conversations);

    CLOCK.advance(Duration.ofMinutes(1));
    assertThat(chat("what are my lists?").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("in Telegram the 4th message in a minute gets a polite answer saying when to send it again; the "
      + "update is kept in the inbox and the assistant did not act on it")
  void telegramTurns() {
    long chat = 9_100_001;
    for (int i = 0; i < 3; i++) {
      deliver(chat, "what's on today?");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> sentTo(chat).size() >= 3);
    deliver(chat, "remind me to water the plants tomorrow at 9am");

    await().atMost(Duration.ofSeconds(30)).until(() -> sentTo(chat).size() >= 4);
    String reply = sentTo(chat).get(3).text();
    assertThat(reply).contains("faster than I can keep up").contains("send it again in").contains("seconds");
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
    assertThat(aide.db().number("select count(*) from inbox where chat_key = ? and processed_at is not null",
        String.valueOf(chat))).isEqualTo(4);
    assertThat(aide.db().strings("select payload::text from inbox where chat_key = ?", String.valueOf(chat)))
        .anyMatch(p -> p.contains("water the plants"));
  }

  @Test
  @DisplayName("reminders: 3 an hour and 5 a day per person, through the API and through the assistant's tools; "
      + "the refused one is a 429 and is not stored")
  void reminders() {
    api.register("planner@example.com", "UTC");
    for (int i = 0; i < 3; i++) {
      assertThat(reminder("task " + i).status()).isEqualTo(201);
    }
    Api.Response refused = reminder("one too many");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("retry-after")).isNotBlank();
    assertThat(chat("remind me to call mom tomorrow at 5pm").status()).isEqualTo(200);
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(3);

    CLOCK.advance(Duration.ofHours(1));
    assertThat(reminder("next hour 1").status()).isEqualTo(201);
    assertThat(reminder("next hour 2").status()).isEqualTo(201);
    Api.Response daily = reminder("sixth today");
    assertThat(daily.status()).isEqualTo(429);
    assertThat(daily.json().getJsonObject("error").getString("message")).contains("today");
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(5);
  }

  private Api.Response chat(String text) {
    return api.post("/api/v1/chat", new JsonObject().put("text", text));
  }

  private Api.Response reminder(String text) {
    return api.post("/api/v1/reminders", new JsonObject().put("text", text).put("dueAt", "2026-12-05T09:00:00Z"));
  }

  private void deliver(long chat, String text) {
    JsonObject update = FakeTelegram.update("update-text-private.json", UPDATE_IDS.incrementAndGet(), chat, text);
    Api.Response r = api.send(HttpMethod.POST, "/webhooks/telegram", Buffer.buffer(update.encode()),
        "application/json", Map.of("X-Telegram-Bot-Api-Secret-Token", SECRET));
    assertThat(r.status()).isEqualTo(200);
  }

  private static List<FakeTelegram.SentMessage> sentTo(long chat) {
    return telegram.sent().stream().filter(m -> m.chatId() == chat).toList();
  }
}
