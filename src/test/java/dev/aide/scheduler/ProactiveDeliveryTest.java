package dev.aide.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTelegram;
import dev.aide.support.ProactiveServer;
import dev.aide.support.TestClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Aide writes first: reminders reach the person's channel at their due time, recurring ones keep their wall-clock
 * time across a daylight-saving change, quiet hours hold messages and then release them. The clock is a test clock
 * that runs at the real pace and jumps to just before each due time, so nothing sleeps for long.
 */
@DisplayName("Proactive delivery: reminders arrive on time, across DST, and wait out quiet hours")
class ProactiveDeliveryTest {

  static final String TOKEN = "7000000005:AAH-fake-token-for-scheduler-tests_012";

  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-11-25T10:00:00Z"));
  @RegisterExtension
  static final ProactiveServer server = ProactiveServer.create(TOKEN, CLOCK);
  private static final FakeTelegram telegram = server.telegram();
  private static final AideServer aide = server.aide();

  @Test
  @DisplayName("a reminder asked for in a Telegram chat arrives in that chat at its due time, once")
  void reminderThroughChat() {
    CLOCK.jumpTo(Instant.parse("2026-11-25T10:00:00Z"));
    long chat = 7101;
    server.command(chat, "remind me to stretch in 2 minutes");
    assertThat(server.texts(chat).get(0)).containsIgnoringCase("stretch");

    // 10:02:00 is the due time; stand 1.5 s before it.
    CLOCK.jumpTo(Instant.parse("2026-11-25T10:01:58.500Z"));
    await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(1)).until(() -> true);
    assertThat(server.texts(chat)).as("not before the due time").hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.texts(chat).size() == 2);
    FakeTelegram.SentMessage reminder = server.sent(chat).get(1);
    assertThat(reminder.text()).contains("Reminder").contains("stretch");
    assertThat(server.clockTime(reminder.at())).isAfterOrEqualTo(Instant.parse("2026-11-25T10:02:00Z"));
    await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(server.texts(chat)).as("sent once").hasSize(2);

    try (Api api = new Api(aide.port())) {
      String metrics = api.get("/metrics").body();
      assertThat(metrics).containsPattern("aide_scheduler_tasks_total\\{[^}]*outcome=\"ok\"[^}]*type=\"reminder\"")
          .containsPattern("aide_outbox_messages_total\\{channel=\"telegram\",[^}]*outcome=\"sent\"")
          .contains("aide_scheduler_lag_seconds");
    }
  }

  @Test
  @DisplayName("a web user with no messaging channel finds a due reminder in their notifications, and marks it read")
  void webNotification() {
    CLOCK.jumpTo(Instant.parse("2026-11-26T09:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("web-reminders@example.com", "Europe/Paris");
      Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "remind me to water the plants in 5 minutes"));
      assertThat(chat.status()).isEqualTo(200);
      assertThat(ProactiveServer.notifications(api)).isEmpty();

      CLOCK.jumpTo(Instant.parse("2026-11-26T09:04:59Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 1);
      JsonObject notification = ProactiveServer.notifications(api).getJsonObject(0);
      assertThat(notification.getString("title")).isEqualTo("Reminder");
      assertThat(notification.getString("body")).isEqualTo("water the plants");
      assertThat(notification.getString("readAt")).isNull();
      assertThat(notification.getString("createdAt")).startsWith("2026-11-26T10:05:0").endsWith("+01:00");
      assertThat(api.get("/api/v1/notifications").json().getLong("unread")).isEqualTo(1);

      Api.Response read = api.post("/api/v1/notifications/" + notification.getString("id") + "/read", new JsonObject());
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.json().getString("readAt")).isNotNull();
      assertThat(api.get("/api/v1/notifications?unread=true").json().getJsonArray("items")).isEmpty();
      assertThat(api.post("/api/v1/notifications/" + java.util.UUID.randomUUID() + "/read", new JsonObject()).status())
          .isEqualTo(404);
    }
  }

  @Test
  @DisplayName("a daily 09:00 reminder fires at 09:00 Berlin time before and after the switch to summer time")
  void recurringAcrossDst() {
    CLOCK.jumpTo(Instant.parse("2027-03-27T07:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("dst@example.com", "Europe/Berlin");
      Api.Response created = api.post("/api/v1/reminders", new JsonObject().put("text", "take the pills")
          .put("dueAt", "2027-03-27T09:00:00+01:00").put("rrule", "FREQ=DAILY"));
      assertThat(created.status()).isEqualTo(201);
      String id = created.json().getString("id");

      CLOCK.jumpTo(Instant.parse("2027-03-27T07:59:58.500Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 1);
      // The next occurrence is 09:00 local on the day clocks go forward: 07:00 UTC, not 08:00.
      await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/reminders/" + id).json().getString("dueAt")
          .equals("2027-03-28T09:00:00+02:00"));

      CLOCK.jumpTo(Instant.parse("2027-03-28T06:59:58.500Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 2);
      assertThat(api.get("/api/v1/reminders/" + id).json().getString("dueAt")).isEqualTo("2027-03-29T09:00:00+02:00");
      List<String> created2 = ProactiveServer.notifications(api).stream().map(n -> ((JsonObject) n).getString("createdAt")).toList();
      assertThat(created2.get(0)).startsWith("2027-03-28T09:00:0").endsWith("+02:00");
      assertThat(created2.get(1)).startsWith("2027-03-27T09:00:0").endsWith("+01:00");
    }
  }

  @Test
  @DisplayName("during quiet hours a reminder waits (in-app at once, on Telegram when they end); an urgent one does not")
  void quietHours() {
    CLOCK.jumpTo(Instant.parse("2026-12-01T21:00:00Z"));
    long chat = 7301;
    try (Api api = new Api(aide.port())) {
      api.register("quiet@example.com", "Europe/Berlin");
      server.link(api, chat);
      Api.Response patched = api.patch("/api/v1/me", new JsonObject()
          .put("quietHours", new JsonObject().put("start", "22:00").put("end", "23:00"))
          .put("preferredChannel", "telegram"));
      assertThat(patched.status()).isEqualTo(200);
      assertThat(patched.json().getJsonObject("quietHours")).isEqualTo(new JsonObject().put("start", "22:00").put("end", "23:00"));
      int before = server.texts(chat).size();

      // 22:59:49 in Berlin (21:59:49 UTC): a reminder and an urgent one, both due at 22:59:50, ten seconds before
      // the quiet hours end.
      assertThat(api.post("/api/v1/reminders", new JsonObject().put("text", "lock the door")
          .put("dueAt", "2026-12-01T22:59:50+01:00")).status()).isEqualTo(201);
      Api.Response urgent = api.post("/api/v1/reminders", new JsonObject().put("text", "take the cake out")
          .put("dueAt", "2026-12-01T22:59:50+01:00").put("urgent", true));
      assertThat(urgent.json().getBoolean("urgent")).isTrue();
      CLOCK.jumpTo(Instant.parse("2026-12-01T21:59:49Z"));

      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> server.texts(chat).size() == before + 1);
      assertThat(server.texts(chat).get(before)).contains("take the cake out");
      assertThat(server.texts(chat)).noneMatch(t -> t.contains("lock the door"));

      await().atMost(Duration.ofSeconds(25)).until(() -> server.texts(chat).size() == before + 2);
      FakeTelegram.SentMessage held = server.sent(chat).get(before + 1);
      assertThat(held.text()).contains("lock the door");
      assertThat(server.clockTime(held.at())).isAfterOrEqualTo(Instant.parse("2026-12-01T22:00:00Z"));
    }
  }

  @Test
  @DisplayName("after /stop a due reminder is only in the in-app list; after /resume it reaches Telegram again")
  void stopAndResume() {
    CLOCK.jumpTo(Instant.parse("2026-12-05T08:00:00Z"));
    long chat = 7401;
    try (Api api = new Api(aide.port())) {
      api.register("pause@example.com", "UTC");
      server.link(api, chat);
      server.command(chat, "/stop");
      assertThat(api.get("/api/v1/me").json().getBoolean("paused")).isTrue();
      int before = server.texts(chat).size();
      api.post("/api/v1/reminders", new JsonObject().put("text", "paused reminder").put("dueAt", "2026-12-05T08:00:03Z"));
      CLOCK.jumpTo(Instant.parse("2026-12-05T08:00:02Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 1);
      await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
      assertThat(server.texts(chat)).hasSize(before);

      server.command(chat, "/resume");
      api.post("/api/v1/reminders", new JsonObject().put("text", "resumed reminder").put("dueAt", "2026-12-05T09:00:03Z"));
      CLOCK.jumpTo(Instant.parse("2026-12-05T09:00:02Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> server.texts(chat).stream().anyMatch(t -> t.contains("resumed reminder")));
      assertThat(server.texts(chat)).noneMatch(t -> t.contains("paused reminder"));
    }
  }

  @Test
  @DisplayName("a reminder Telegram refuses for good (the person blocked the bot) is a dead letter in the API and /health")
  void deadLetter() {
    CLOCK.jumpTo(Instant.parse("2026-12-06T08:00:00Z"));
    long chat = 7501;
    try (Api api = new Api(aide.port())) {
      api.register("blocked@example.com", "UTC");
      server.link(api, chat);
      long deadBefore = api.get("/health").json().getJsonObject("outbox").getLong("deadLetters");
      telegram.failNext("sendMessage", chat, 403, new JsonObject().put("ok", false).put("error_code", 403)
          .put("description", "Forbidden: bot was blocked by the user"));
      api.post("/api/v1/reminders", new JsonObject().put("text", "never arrives").put("dueAt", "2026-12-06T08:00:03Z"));
      CLOCK.jumpTo(Instant.parse("2026-12-06T08:00:02Z"));

      await().atMost(Duration.ofSeconds(10)).until(() ->
          api.get("/api/v1/deliveries?status=dead").json().getJsonArray("items").size() == 1);
      JsonObject dead = api.get("/api/v1/deliveries?status=dead").json().getJsonArray("items").getJsonObject(0);
      assertThat(dead.getString("channel")).isEqualTo("telegram");
      assertThat(dead.getString("body")).contains("never arrives");
      assertThat(dead.getString("lastError")).contains("403");
      assertThat(ProactiveServer.notifications(api)).hasSize(1);
      assertThat(api.get("/health").json().getJsonObject("outbox").getLong("deadLetters")).isEqualTo(deadBefore + 1);
      assertThat(api.get("/api/v1/deliveries?status=lost").status()).isEqualTo(422);
    }
  }

}
