package dev.aide.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTelegram;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A person chats with Aide in Telegram through the webhook")
class TelegramWebhookTest {

  static final String TOKEN = "7000000001:AAH-fake-token-for-tests_0123456789";
  private static final String SECRET = "webhook-secret_123";
  // Wednesday 18 November 2026, 15:15 UTC.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);
  private static final AtomicLong UPDATE_IDS = new AtomicLong(900_000);
  private static final AtomicLong CHAT_IDS = new AtomicLong(5_000_000);

  private static final FakeTelegram telegram = new FakeTelegram(TOKEN);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).telegram(telegram)
      .env("AIDE_PUBLIC_URL", "https://aide.example.org")
      .env("AIDE_TELEGRAM_WEBHOOK_SECRET", SECRET)
      .readyWhen(() -> telegram.webhook() != null);

  private final Api api = aide.api();

  @Test
  @DisplayName("at start-up Aide registers its webhook with the secret and the update types it handles, and its commands")
  void registersWebhook() {
    JsonObject webhook = telegram.webhook();
    assertThat(webhook.getString("url")).isEqualTo("https://aide.example.org/webhooks/telegram");
    assertThat(webhook.getString("secret_token")).isEqualTo(SECRET);
    assertThat(webhook.getJsonArray("allowed_updates")).containsExactly("message");
    assertThat(telegram.commands().stream().map(c -> c.getString("command")))
        .contains("today", "reminders", "forget", "timezone", "stop", "resume", "help");
  }

  @Test
  @DisplayName("a text message is answered in the same chat, for a Telegram-only user created on the spot")
  void textAnswered() {
    long chat = CHAT_IDS.incrementAndGet();

    assertThat(deliver(update(chat, "remind me to call mom tomorrow at 5pm")).status()).isEqualTo(200);

    List<FakeTelegram.SentMessage> replies = awaitReplies(chat, 1);
    assertThat(replies.get(0).text()).contains("call mom").contains("Thu 19 Nov 2026 at 17:00");
    assertThat(replies.get(0).parseMode()).isEqualTo("HTML");
    assertThat(telegram.chatActions()).anyMatch(a -> a.chatId() == chat && a.action().equals("typing"));
    UUID user = aide.db().value("select user_id from channel_identities where channel = 'telegram' and external_id = ?",
        UUID.class, String.valueOf(chat));
    assertThat(user).isNotNull();
    assertThat(aide.db().value("select due_at from reminders where user_id = ?", OffsetDateTime.class, user).toInstant())
        .isEqualTo(Instant.parse("2026-11-19T17:00:00Z"));
    assertThat(aide.db().number("select count(*) from messages where user_id = ? and source = 'telegram'", user)).isEqualTo(2);
  }

  @Test
  @DisplayName("requests said the way people speak are understood as from the voice API: an event said with the time "
      + "in words, an alarm as a reminder")
  void spokenRequests() {
    long chat = CHAT_IDS.incrementAndGet();

    deliver(update(chat, "put meeting with pawel for tomorrow ten am"));
    awaitReplies(chat, 1);
    deliver(update(chat, "wake me up at six"));

    assertThat(awaitReplies(chat, 2).get(1).text()).contains("Wake up").contains("no alarm clock");
    UUID user = aide.db().value("select user_id from channel_identities where channel = 'telegram' and external_id = ?",
        UUID.class, String.valueOf(chat));
    assertThat(aide.db().value("select start_at from events where user_id = ? and title ilike '%pawel%'",
        OffsetDateTime.class, user).toInstant()).isEqualTo(Instant.parse("2026-11-19T10:00:00Z"));
    assertThat(aide.db().value("select due_at from reminders where user_id = ?", OffsetDateTime.class, user).toInstant())
        .isEqualTo(Instant.parse("2026-11-19T06:00:00Z"));
  }

  @Test
  @DisplayName("a request without the exact secret header is refused with 401 and not stored")
  void wrongSecret() {
    long chat = CHAT_IDS.incrementAndGet();
    JsonObject update = update(chat, "remind me to call mom tomorrow at 5pm");

    Api.Response none = api.send(HttpMethod.POST, "/webhooks/telegram", update.toBuffer(), "application/json", Map.of());
    Api.Response wrong = api.send(HttpMethod.POST, "/webhooks/telegram", update.toBuffer(), "application/json",
        Map.of("X-Telegram-Bot-Api-Secret-Token", SECRET + "x"));

    assertThat(none.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.errorCode()).isEqualTo("unauthorized");
    assertThat(aide.db().number("select count(*) from inbox where chat_key = ?", String.valueOf(chat))).isZero();
  }

  @Test
  @DisplayName("a redelivered update is acknowledged and answered only once")
  void duplicateAnsweredOnce() {
    long chat = CHAT_IDS.incrementAndGet();
    JsonObject update = update(chat, "remind me to stretch in 20 minutes");

    assertThat(deliver(update).status()).isEqualTo(200);
    assertThat(deliver(update).status()).isEqualTo(200);
    awaitReplies(chat, 1);
    assertThat(deliver(update).status()).isEqualTo(200);

    awaitOutboxSettled();
    assertThat(sentTo(chat)).hasSize(1);
    assertThat(aide.db().number("select count(*) from inbox where chat_key = ?", String.valueOf(chat))).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from reminders r join channel_identities i on i.user_id = r.user_id "
        + "where i.external_id = ?", String.valueOf(chat))).isEqualTo(1);
  }

  @Test
  @DisplayName("a 429 from Telegram waits retry_after and then delivers the reply once")
  void rateLimited() {
    long chat = CHAT_IDS.incrementAndGet();
    telegram.failNext("sendMessage", chat, 429, FakeTelegram.payload("error-429.json"));

    deliver(update(chat, "/help"));

    assertThat(awaitReplies(chat, 1).get(0).text()).contains("/reminders");
    awaitOutboxSettled();
    assertThat(aide.db().value("select status from outbox where recipient = ?", String.class, String.valueOf(chat)))
        .isEqualTo("sent");
    assertThat(sentTo(chat)).hasSize(1);
  }

  @Test
  @DisplayName("a 403 (the person blocked the bot) marks the chat inactive and dead-letters the message")
  void blocked() {
    long chat = CHAT_IDS.incrementAndGet();
    telegram.failNext("sendMessage", chat, 403, FakeTelegram.payload("error-403.json"));

    deliver(update(chat, "/help"));

    await().atMost(Duration.ofSeconds(10)).until(() -> "dead".equals(
        aide.db().value("select status from outbox where recipient = ?", String.class, String.valueOf(chat))));
    assertThat(aide.db().value("select active from channel_identities where external_id = ?", Boolean.class,
        String.valueOf(chat))).isFalse();
    assertThat(aide.db().value("select last_error from outbox where recipient = ?", String.class, String.valueOf(chat)))
        .contains("403");
    assertThat(sentTo(chat)).isEmpty();
  }

  @Test
  @DisplayName("when Telegram rejects the formatting, the reply is sent again as plain text")
  void badFormattingFallsBackToPlainText() {
    long chat = CHAT_IDS.incrementAndGet();
    telegram.failNext("sendMessage", chat, 400, FakeTelegram.payload("error-400-parse.json"));

    deliver(update(chat, "/help"));

    FakeTelegram.SentMessage reply = awaitReplies(chat, 1).get(0);
    assertThat(reply.parseMode()).isNull();
    assertThat(reply.text()).contains("/timezone Area/City");
  }

  @Test
  @DisplayName("user and model text is escaped for Telegram's HTML")
  void htmlEscaped() {
    long chat = CHAT_IDS.incrementAndGet();

    deliver(update(chat, "remind me to check <b>that</b> & the rest tomorrow at 9am"));

    FakeTelegram.SentMessage reply = awaitReplies(chat, 1).get(0);
    assertThat(reply.parseMode()).isEqualTo("HTML");
    assertThat(reply.text()).contains("check &lt;b&gt;that&lt;/b&gt; &amp; the rest");
  }

  @Test
  @DisplayName("a web user links their Telegram with a one-time deep link, and the chat then acts for them")
  void deepLink() {
    api.register("linker@example.com", "Europe/Paris");
    Api.Response link = api.post("/api/v1/channels/telegram/link", new JsonObject());
    assertThat(link.status()).isEqualTo(200);
    String token = link.json().getString("token");
    assertThat(link.json().getString("url")).isEqualTo("https://t.me/aide_test_bot?start=" + token);
    long chat = CHAT_IDS.incrementAndGet();

    deliver(FakeTelegram.update("update-start-deeplink.json", UPDATE_IDS.incrementAndGet(), chat, "/start " + token));
    assertThat(awaitReplies(chat, 1).get(0).text()).startsWith("Linked!");
    deliver(update(chat, "remind me to water the plants tomorrow at 8am"));
    awaitReplies(chat, 2);

    assertThat(api.get("/api/v1/reminders").json().getJsonArray("items").getJsonObject(0).getString("text"))
        .isEqualTo("water the plants");
    long otherChat = CHAT_IDS.incrementAndGet();
    deliver(FakeTelegram.update("update-start-deeplink.json", UPDATE_IDS.incrementAndGet(), otherChat, "/start " + token));
    assertThat(awaitReplies(otherChat, 1).get(0).text()).contains("expired or was already used");
  }

  @Test
  @DisplayName("in a group, Aide answers only when mentioned (a member without a private chat is told to start one)")
  void groups() {
    long group = -CHAT_IDS.incrementAndGet();

    deliver(FakeTelegram.update("update-text-group-other.json", UPDATE_IDS.incrementAndGet(), group,
        "remind me to buy cake tomorrow at 5pm"));
    deliver(FakeTelegram.update("update-text-group-mention.json", UPDATE_IDS.incrementAndGet(), group,
        "@aide_test_bot remind me to book the room tomorrow at 5pm"));

    assertThat(awaitReplies(group, 1).get(0).text()).contains("private chat").doesNotContain("book the room");
    awaitOutboxSettled();
    assertThat(sentTo(group)).hasSize(1);
    assertThat(aide.db().number("select count(*) from inbox where chat_key = ? and processed_at is not null",
        String.valueOf(group))).isEqualTo(2);
  }

  @Test
  @DisplayName("commands: /timezone changes the person's timezone, /reminders lists, /forget starts over")
  void commands() {
    long chat = CHAT_IDS.incrementAndGet();

    deliver(update(chat, "/timezone Asia/Tokyo"));
    assertThat(awaitReplies(chat, 1).get(0).text()).isEqualTo("Your timezone is now Asia/Tokyo.");
    deliver(update(chat, "/timezone Moon/Base"));
    assertThat(awaitReplies(chat, 2).get(1).text()).contains("I don't know the timezone");
    deliver(update(chat, "/timezone SystemV/AST4"));
    assertThat(awaitReplies(chat, 3).get(2).text()).contains("I don't know the timezone");
    deliver(update(chat, "remind me to call mom tomorrow at 5pm"));
    assertThat(awaitReplies(chat, 4).get(3).text()).contains("at 17:00");
    deliver(update(chat, "/reminders"));
    assertThat(awaitReplies(chat, 5).get(4).text()).contains("call mom");
    deliver(update(chat, "/forget"));
    assertThat(awaitReplies(chat, 6).get(5).text()).contains("forgotten");
    deliver(update(chat, "/stop"));
    assertThat(awaitReplies(chat, 7).get(6).text()).startsWith("Paused");

    UUID user = aide.db().value("select user_id from channel_identities where external_id = ?", UUID.class,
        String.valueOf(chat));
    assertThat(aide.db().value("select timezone from users where id = ?", String.class, user)).isEqualTo("Asia/Tokyo");
    assertThat(aide.db().value("select proactive_paused from users where id = ?", Boolean.class, user)).isTrue();
    assertThat(aide.db().number("select count(*) from conversations where user_id = ?", user)).isEqualTo(2);
  }

  @Test
  @DisplayName("many updates arriving at once from many chats are each handled exactly once")
  void eachUpdateHandledOnce() throws Exception {
    int chats = 25;
    int perChat = 8;
    long firstChat = CHAT_IDS.addAndGet(chats) - chats + 1;
    try (var senders = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      List<java.util.concurrent.Future<Api.Response>> sent = new java.util.ArrayList<>();
      for (int m = 0; m < perChat; m++) {
        for (int c = 0; c < chats; c++) {
          JsonObject update = update(firstChat + c, "remind me to task " + m + "-" + c + " tomorrow at 5pm");
          sent.add(senders.submit(() -> deliver(update)));
        }
      }
      for (var response : sent) {
        assertThat(response.get().status()).isEqualTo(200);
      }
    }
    awaitOutboxSettled();

    String chatRange = "i.external_id::bigint between " + firstChat + " and " + (firstChat + chats - 1);
    assertThat(aide.db().number("select count(*) from reminders r join channel_identities i on i.user_id = r.user_id where "
        + chatRange)).isEqualTo(chats * perChat);
    assertThat(aide.db().number("select count(*) from messages m join channel_identities i on i.user_id = m.user_id "
        + "where m.role = 'user' and " + chatRange)).isEqualTo(chats * perChat);
  }

  @Test
  @DisplayName("/today lists today's calendar and reminders in the person's timezone")
  void today() {
    long chat = CHAT_IDS.incrementAndGet();
    deliver(update(chat, "/today"));
    assertThat(awaitReplies(chat, 1).get(0).text()).isEqualTo("Nothing on today (Wed 18 Nov).");

    deliver(update(chat, "remind me to stretch in 2 hours"));
    deliver(update(chat, "schedule a meeting with Sam today at 6pm"));
    awaitReplies(chat, 3);
    deliver(update(chat, "/today"));

    assertThat(awaitReplies(chat, 4).get(3).text()).isEqualTo(
        "Today, Wed 18 Nov:\nCalendar:\n• 18:00–19:00 meeting with Sam\nReminders:\n• 17:15 stretch");
  }

  @Test
  @DisplayName("without a transcription endpoint, a voice note gets a polite answer")
  void voiceNotEnabled() {
    long chat = CHAT_IDS.incrementAndGet();

    deliver(FakeTelegram.update("update-voice-private.json", UPDATE_IDS.incrementAndGet(), chat, null));

    assertThat(awaitReplies(chat, 1).get(0).text()).contains("Voice notes are not enabled");
  }

  @Test
  @DisplayName("a password-reset link reaches the person's chat but never their deliveries or export: a stolen access "
      + "token cannot read it, and its text is erased from the outbox once sent")
  void resetLinkNotReadableBack() {
    long chat = CHAT_IDS.incrementAndGet();
    UUID user = UUID.fromString(api.register("reset-" + chat + "@example.com", "UTC").getString("id"));
    aide.db().update("insert into channel_identities (user_id, channel, external_id, verified, linked_at) "
        + "values (?, 'telegram', ?, true, now())", user, String.valueOf(chat));

    assertThat(api.post("/api/v1/auth/password-reset", new JsonObject().put("email", "reset-" + chat + "@example.com"))
        .status()).isEqualTo(202);
    String text = awaitReplies(chat, 1).get(0).text();
    String token = text.replaceAll("(?s).*#reset=([A-Za-z0-9_-]+).*", "$1");
    assertThat(token).hasSize(43);
    await().atMost(Duration.ofSeconds(15)).until(() -> aide.db().number(
        "select count(*) from outbox where user_id = ? and status = 'sent'", user) == 1);

    assertThat(aide.db().strings("select body from outbox where user_id = ?", user)).noneMatch(b -> b.contains(token));
    // A message still waiting to go is hidden as well.
    aide.db().update("insert into outbox (user_id, channel, recipient, body, idempotency_key, next_attempt_at, sensitive) "
        + "values (?, 'telegram', ?, 'link #reset=waiting-secret', ?, now() + interval '1 day', true)",
        user, String.valueOf(chat), "test:" + user);
    String deliveries = api.get("/api/v1/deliveries").body();
    String export = api.get("/api/v1/me/export").body();
    aide.db().update("delete from outbox where idempotency_key = ?", "test:" + user);
    assertThat(deliveries).doesNotContain(token).doesNotContain("waiting-secret").contains("hidden");
    assertThat(export).doesNotContain(token).doesNotContain("waiting-secret");

    assertThat(api.post("/api/v1/auth/password-reset/confirm",
        new JsonObject().put("token", token).put("newPassword", "a new and long passphrase")).status()).isEqualTo(204);
  }

  static JsonObject update(long chat, String text) {
    return FakeTelegram.update("update-text-private.json", UPDATE_IDS.incrementAndGet(), chat, text);
  }

  private Api.Response deliver(JsonObject update) {
    return api.send(HttpMethod.POST, "/webhooks/telegram", Buffer.buffer(update.encode()), "application/json",
        Map.of("X-Telegram-Bot-Api-Secret-Token", SECRET));
  }

  private static List<FakeTelegram.SentMessage> sentTo(long chat) {
    return telegram.sent().stream().filter(m -> m.chatId() == chat).toList();
  }

  private static List<FakeTelegram.SentMessage> awaitReplies(long chat, int count) {
    await().atMost(Duration.ofSeconds(15)).until(() -> sentTo(chat).size() >= count);
    return sentTo(chat);
  }

  private static void awaitOutboxSettled() {
    await().atMost(Duration.ofSeconds(15)).until(() -> aide.db().number(
        "select count(*) from outbox where status in ('pending', 'sending')") == 0
        && aide.db().number("select count(*) from inbox where processed_at is null") == 0);
  }
}
