package dev.aide.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTelegram;
import dev.aide.support.ProactiveServer;
import dev.aide.support.TestClock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Event alerts: an event that asks for an alert N minutes before tells the person then, in the app and on their
 * messaging channel, once per occurrence; the alert follows the event when it moves, stops when it is cancelled or
 * its alert removed, and skips a cancelled occurrence. The clock is a test clock that runs at the real pace and
 * jumps to just before each alert, so nothing sleeps for long. Every test has its own person and its own days.
 */
@DisplayName("Event alerts arrive N minutes before each occurrence and follow the event's changes")
class EventAlertTest {

  private static final String TOKEN = "7000000006:AAH-fake-token-for-event-alerts_0123";
  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-12-01T08:00:00Z"));
  @RegisterExtension
  static final ProactiveServer server = ProactiveServer.create(TOKEN, CLOCK);
  private static final FakeTelegram telegram = server.telegram();
  private static final AideServer aide = server.aide();

  @Test
  @DisplayName("a one-off event with alertMinutes 10 alerts at start−10 min, once, in the app and on Telegram")
  void oneOff() {
    CLOCK.jumpTo(Instant.parse("2026-12-02T09:00:00Z"));
    long chat = 8101;
    try (Api api = new Api(aide.port())) {
      api.register("one-off@example.com", "Europe/Berlin");
      server.link(api, chat);
      int before = server.texts(chat).size();
      Api.Response created = api.post("/api/v1/events", new JsonObject().put("title", "Dentist")
          .put("start", "2026-12-02T15:00:00+01:00").put("end", "2026-12-02T15:45:00+01:00")
          .put("location", "Main St 5").put("alertMinutes", 10));
      assertThat(created.status()).isEqualTo(201);
      assertThat(created.json().getInteger("alertMinutes")).isEqualTo(10);
      String id = created.json().getString("id");
      assertThat(api.get("/api/v1/events/" + id).json().getInteger("alertMinutes")).isEqualTo(10);

      // 14:50 Berlin is 13:50 UTC; stand 1.5 s before it.
      CLOCK.jumpTo(Instant.parse("2026-12-02T13:49:58.500Z"));
      await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(1)).until(() -> true);
      assertThat(ProactiveServer.notifications(api)).as("not before the alert time").isEmpty();
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 1);
      JsonObject notification = ProactiveServer.notifications(api).getJsonObject(0);
      assertThat(notification.getString("title")).isEqualTo("Dentist at 15:00");
      assertThat(notification.getString("body")).isEqualTo("Wed 2 Dec 15:00–15:45 (in 10 minutes) — Main St 5");
      assertThat(notification.getString("createdAt")).startsWith("2026-12-02T14:50:").endsWith("+01:00");

      await().atMost(Duration.ofSeconds(10)).until(() -> server.texts(chat).size() == before + 1);
      FakeTelegram.SentMessage alert = server.sent(chat).get(before);
      assertThat(alert.text()).isEqualTo("🔔 Dentist at 15:00 (in 10 minutes) — Main St 5");
      assertThat(server.clockTime(alert.at())).isAfterOrEqualTo(Instant.parse("2026-12-02T13:50:00Z"));

      await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
      assertThat(ProactiveServer.notifications(api)).as("told once").hasSize(1);
      assertThat(server.texts(chat)).as("sent once").hasSize(before + 1);
      assertThat(taskStatus(id)).isEqualTo("done");
    }
  }

  @Test
  @DisplayName("a weekly event alerts before two consecutive occurrences, each in its own notification")
  void weekly() {
    CLOCK.jumpTo(Instant.parse("2026-12-03T08:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("weekly@example.com", "Europe/Paris");
      Api.Response created = api.post("/api/v1/events", new JsonObject().put("title", "Choir")
          .put("start", "2026-12-03T18:00:00+01:00").put("end", "2026-12-03T20:00:00+01:00")
          .put("rrule", "FREQ=WEEKLY").put("alertMinutes", 15));
      assertThat(created.status()).isEqualTo(201);
      String id = created.json().getString("id");
      assertThat(nextRun(id)).isEqualTo(Instant.parse("2026-12-03T16:45:00Z"));
      JsonObject scheduled = api.get("/api/v1/scheduled").json().getJsonArray("items").getJsonObject(0);
      assertThat(scheduled.getString("type")).isEqualTo("event-alert");
      assertThat(scheduled.getString("title")).isEqualTo("Choir");
      assertThat(scheduled.getString("eventId")).isEqualTo(id);
      assertThat(scheduled.getString("dueAt")).isEqualTo("2026-12-03T17:45:00+01:00");
      assertThat(scheduled.getBoolean("recurring")).isTrue();

      CLOCK.jumpTo(Instant.parse("2026-12-03T16:44:58.500Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 1);
      assertThat(ProactiveServer.notifications(api).getJsonObject(0).getString("title")).isEqualTo("Choir at 18:00");
      await().atMost(Duration.ofSeconds(10)).until(() -> Instant.parse("2026-12-10T16:45:00Z").equals(nextRun(id)));

      CLOCK.jumpTo(Instant.parse("2026-12-10T16:44:58.500Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 2);
      JsonObject second = ProactiveServer.notifications(api).getJsonObject(0);
      assertThat(second.getString("title")).isEqualTo("Choir at 18:00");
      assertThat(second.getString("body")).startsWith("Thu 10 Dec 18:00–20:00");
      assertThat(second.getString("createdAt")).startsWith("2026-12-10T17:45:");
      await().atMost(Duration.ofSeconds(10)).until(() -> Instant.parse("2026-12-17T16:45:00Z").equals(nextRun(id)));
    }
  }

  @Test
  @DisplayName("moving an event moves its alert: nothing at the old alert time, an alert at the new one")
  void moved() {
    CLOCK.jumpTo(Instant.parse("2026-12-04T08:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("moved@example.com", "Europe/Paris");
      String id = api.post("/api/v1/events", new JsonObject().put("title", "Call with Sam")
          .put("start", "2026-12-04T12:00:00+01:00").put("end", "2026-12-04T12:30:00+01:00")
          .put("alertMinutes", 10)).json().getString("id");
      Api.Response moved = api.patch("/api/v1/events/" + id, new JsonObject().put("start", "2026-12-04T14:00:00+01:00"));
      assertThat(moved.status()).isEqualTo(200);
      assertThat(moved.json().getInteger("alertMinutes")).isEqualTo(10);
      assertThat(nextRun(id)).isEqualTo(Instant.parse("2026-12-04T12:50:00Z"));

      CLOCK.jumpTo(Instant.parse("2026-12-04T10:49:58.500Z"));
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      assertThat(ProactiveServer.notifications(api)).as("nothing at the old alert time").isEmpty();

      CLOCK.jumpTo(Instant.parse("2026-12-04T12:49:58.500Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 1);
      assertThat(ProactiveServer.notifications(api).getJsonObject(0).getString("title")).isEqualTo("Call with Sam at 14:00");
    }
  }

  @Test
  @DisplayName("an event cancelled, deleted or with its alert set to null alerts no more; one left alone still does")
  void stopped() {
    CLOCK.jumpTo(Instant.parse("2026-12-05T08:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("stopped@example.com", "Europe/Paris");
      List<String> ids = List.of("Kept", "No alert", "Cancelled", "Deleted", "Series").stream()
          .map(title -> api.post("/api/v1/events", new JsonObject().put("title", title)
              .put("start", "2026-12-05T11:00:00+01:00").put("end", "2026-12-05T12:00:00+01:00")
              .put("rrule", title.equals("Series") ? "FREQ=DAILY" : null)
              .put("alertMinutes", 5)).json().getString("id"))
          .toList();
      ids.forEach(id -> assertThat(nextRun(id)).isEqualTo(Instant.parse("2026-12-05T09:55:00Z")));
      assertThat(api.patch("/api/v1/events/" + ids.get(1), new JsonObject().putNull("alertMinutes")).json()
          .getValue("alertMinutes")).isNull();
      assertThat(api.patch("/api/v1/events/" + ids.get(2), new JsonObject().put("status", "cancelled")).status())
          .isEqualTo(200);
      assertThat(api.delete("/api/v1/events/" + ids.get(3)).status()).isEqualTo(204);
      assertThat(api.delete("/api/v1/events/" + ids.get(4)).status()).isEqualTo(204);
      for (String id : ids.subList(1, 5)) {
        assertThat(taskStatus(id)).as("the task of " + id).isEqualTo("cancelled");
      }

      CLOCK.jumpTo(Instant.parse("2026-12-05T09:54:58.500Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 1);
      await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
      assertThat(ProactiveServer.notifications(api).stream().map(n -> ((JsonObject) n).getString("title")))
          .containsExactly("Kept at 11:00");
    }
  }

  @Test
  @DisplayName("a cancelled occurrence of a series is skipped and a moved one alerts before its new time")
  void overrides() {
    CLOCK.jumpTo(Instant.parse("2026-12-07T06:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("overrides@example.com", "Europe/Paris");
      String id = api.post("/api/v1/events", new JsonObject().put("title", "Standup")
          .put("start", "2026-12-07T10:00:00+01:00").put("end", "2026-12-07T10:15:00+01:00")
          .put("rrule", "FREQ=DAILY;COUNT=3").put("alertMinutes", 10)).json().getString("id");
      String path = "/api/v1/events/" + id + "/occurrences/";
      assertThat(api.delete(path + "2026-12-08T10:00:00+01:00").status()).isEqualTo(204);
      Api.Response moved = api.patch(path + "2026-12-09T10:00:00+01:00",
          new JsonObject().put("start", "2026-12-09T11:00:00+01:00"));
      assertThat(moved.status()).isEqualTo(200);
      assertThat(moved.json().getInteger("alertMinutes")).as("an override shows its series' alert").isEqualTo(10);
      Api.Response overrideAlert = api.patch("/api/v1/events/" + moved.json().getString("id"),
          new JsonObject().put("alertMinutes", 5));
      assertThat(overrideAlert.status()).isEqualTo(422);

      CLOCK.jumpTo(Instant.parse("2026-12-07T08:49:58.500Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> Instant.parse("2026-12-09T09:50:00Z").equals(nextRun(id)));

      // The cancelled occurrence's alert time passes in silence.
      CLOCK.jumpTo(Instant.parse("2026-12-08T08:49:58.500Z"));
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      assertThat(ProactiveServer.notifications(api)).hasSize(1);

      CLOCK.jumpTo(Instant.parse("2026-12-09T09:49:58.500Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 2);
      assertThat(ProactiveServer.notifications(api).getJsonObject(0).getString("title")).isEqualTo("Standup at 11:00");
      await().atMost(Duration.ofSeconds(10)).until(() -> "done".equals(taskStatus(id)));
      assertThat(ProactiveServer.notifications(api)).hasSize(2);
    }
  }

  @Test
  @DisplayName("\"… and alert me 15 minutes before\" in a chat gives an event whose alert arrives 15 minutes before")
  void throughChat() {
    CLOCK.jumpTo(Instant.parse("2026-12-13T09:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("chat@example.com", "Europe/Paris");
      Api.Response chat = api.post("/api/v1/chat", new JsonObject()
          .put("text", "schedule dentist tomorrow at 3pm and alert me 15 minutes before"));
      assertThat(chat.status()).isEqualTo(200);
      assertThat(chat.json().getJsonObject("reply").getString("text")).contains("alert you 15 minutes before");
      String id = aide.db().value("select e.id::text from events e join users u on u.id = e.user_id"
          + " where u.email = 'chat@example.com'", String.class);
      assertThat(nextRun(id)).isEqualTo(Instant.parse("2026-12-14T13:45:00Z"));

      CLOCK.jumpTo(Instant.parse("2026-12-14T13:44:58.500Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(api).size() == 1);
      assertThat(ProactiveServer.notifications(api).getJsonObject(0).getString("title")).isEqualTo("dentist at 15:00");
    }
  }

  @Test
  @DisplayName("an imported VALARM becomes the event's alert")
  void imported() {
    CLOCK.jumpTo(Instant.parse("2026-12-11T08:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("imported@example.com", "Europe/Paris");
      String ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:alarm-1\r\n"
          + "DTSTAMP:20261101T000000Z\r\nDTSTART:20261211T140000Z\r\nDTEND:20261211T150000Z\r\nSUMMARY:Review\r\n"
          + "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Review\r\nTRIGGER:-PT30M\r\nEND:VALARM\r\n"
          + "END:VEVENT\r\nEND:VCALENDAR\r\n";
      Api.Response imported = api.send(HttpMethod.POST, "/api/v1/calendar/import", Buffer.buffer(ics),
          "text/calendar; charset=utf-8");
      assertThat(imported.status()).isEqualTo(200);
      String id = aide.db().value("select id::text from events where ical_uid = 'alarm-1'", String.class);
      assertThat(api.get("/api/v1/events/" + id).json().getInteger("alertMinutes")).isEqualTo(30);
      assertThat(nextRun(id)).isEqualTo(Instant.parse("2026-12-11T13:30:00Z"));
    }
  }

  @Test
  @DisplayName("alertMinutes must be a whole number from 0 to 40320 or null: anything else is a 422 that changes nothing")
  void validation() {
    CLOCK.jumpTo(Instant.parse("2026-12-12T08:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("validation@example.com", "Europe/Paris");
      JsonObject event = new JsonObject().put("title", "Lunch").put("start", "2026-12-12T12:00:00+01:00")
          .put("end", "2026-12-12T13:00:00+01:00");
      for (Object bad : new Object[] {-1, 40321, 1.5, "15", true, new JsonArray()}) {
        Api.Response r = api.post("/api/v1/events", event.copy().put("alertMinutes", bad));
        assertThat(r.status()).as("alertMinutes " + bad).isEqualTo(422);
        assertThat(r.json().getJsonObject("error").getString("message"))
            .isEqualTo("alertMinutes must be a whole number from 0 to 40320");
      }
      assertThat(aide.db().number("select count(*) from events e join users u on u.id = e.user_id"
          + " where u.email = 'validation@example.com'")).isZero();

      Api.Response none = api.post("/api/v1/events", event.copy().putNull("alertMinutes"));
      assertThat(none.status()).isEqualTo(201);
      assertThat(none.json().containsKey("alertMinutes")).isTrue();
      assertThat(none.json().getValue("alertMinutes")).isNull();
      String id = none.json().getString("id");
      assertThat(taskStatus(id)).isNull();
      assertThat(api.post("/api/v1/events", event.copy().put("alertMinutes", 40320)).status()).isEqualTo(201);
      assertThat(api.post("/api/v1/events", event.copy().put("alertMinutes", 0)).status()).isEqualTo(201);

      assertThat(api.patch("/api/v1/events/" + id, new JsonObject().put("alertMinutes", -5)).status()).isEqualTo(422);
      assertThat(api.get("/api/v1/events/" + id).json().getValue("alertMinutes")).isNull();
      assertThat(taskStatus(id)).isNull();
    }
  }

  private static String taskStatus(String eventId) {
    return aide.db().value("select status from scheduled_tasks where task_key = ?", String.class,
        "event-alert:" + eventId);
  }

  private static Instant nextRun(String eventId) {
    java.time.OffsetDateTime next = aide.db().value("select next_run_at from scheduled_tasks where task_key = ?"
        + " and status = 'scheduled'", java.time.OffsetDateTime.class, "event-alert:" + eventId);
    return next == null ? null : next.toInstant();
  }

}
