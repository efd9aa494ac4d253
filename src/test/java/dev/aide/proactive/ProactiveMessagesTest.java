package dev.aide.proactive;

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
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proactive messages through the real server: scheduled through the API or the assistant, listed, cancelled, and
 * delivered at their time exactly once, in-app and on Telegram; and GET /scheduled, the person's view of what Aide
 * will send. The clock runs at the real pace and jumps to just before each due time.
 */
@DisplayName("Proactive messages: scheduled, listed, cancelled, delivered once at their time")
class ProactiveMessagesTest {

  private static final String TOKEN = "7000000006:AAH-fake-token-for-proactive-tests_34";
  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-11-25T10:00:00Z"));
  @RegisterExtension
  static final ProactiveServer server = ProactiveServer.create(TOKEN, CLOCK);
  private static final FakeTelegram telegram = server.telegram();
  private static final AideServer aide = server.aide();

  @Test
  @DisplayName("a message created through the API is listed, read, shown in /scheduled, and once cancelled never sent")
  void createListCancel() {
    CLOCK.jumpTo(Instant.parse("2026-12-02T09:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("cancel@example.com", "Europe/Paris");
      Api.Response created = api.post("/api/v1/proactive-messages", new JsonObject()
          .put("content", "  stand up and stretch  ").put("scheduledFor", "2026-12-02T09:05:00Z"));
      assertThat(created.status()).isEqualTo(201);
      JsonObject message = created.json();
      String id = message.getString("id");
      assertThat(message.getString("content")).isEqualTo("stand up and stretch");
      assertThat(message.getString("scheduledFor")).isEqualTo("2026-12-02T10:05:00+01:00");
      assertThat(message.getString("status")).isEqualTo("pending");
      assertThat(message.getBoolean("urgent")).isFalse();
      assertThat(message.getString("sentAt")).isNull();
      String later = api.post("/api/v1/proactive-messages", new JsonObject().put("content", "water the plants")
          .put("scheduledFor", "2026-12-03T08:00:00+01:00").put("urgent", true)).json().getString("id");
      String soonest = api.post("/api/v1/proactive-messages", new JsonObject().put("content", "coffee")
          .put("scheduledFor", "2026-12-02T10:01:00+01:00")).json().getString("id");

      assertThat(ids(api.get("/api/v1/proactive-messages").json())).containsExactly(soonest, id, later);
      assertThat(api.get("/api/v1/proactive-messages/" + later).json().getBoolean("urgent")).isTrue();
      JsonArray scheduled = api.get("/api/v1/scheduled").json().getJsonArray("items");
      assertThat(scheduled.stream().map(o -> ((JsonObject) o).getString("proactiveMessageId")))
          .containsExactly(soonest, id, later);
      JsonObject entry = scheduled.getJsonObject(1);
      assertThat(entry.getString("type")).isEqualTo("proactive");
      assertThat(entry.getString("title")).isEqualTo("stand up and stretch");
      assertThat(entry.getString("dueAt")).isEqualTo("2026-12-02T10:05:00+01:00");
      assertThat(entry.getBoolean("recurring")).isFalse();

      Api.Response cancelled = api.post("/api/v1/proactive-messages/" + id + "/cancel", new JsonObject());
      assertThat(cancelled.status()).isEqualTo(200);
      assertThat(cancelled.json().getString("status")).isEqualTo("cancelled");
      assertThat(api.post("/api/v1/proactive-messages/" + id + "/cancel", new JsonObject()).status())
          .as("cancelling twice is harmless").isEqualTo(200);
      assertThat(api.delete("/api/v1/proactive-messages/" + soonest).status()).isEqualTo(204);
      assertThat(api.get("/api/v1/proactive-messages/" + soonest).json().getString("status")).isEqualTo("cancelled");
      assertThat(ids(api.get("/api/v1/proactive-messages?status=pending").json())).containsExactly(later);
      assertThat(ids(api.get("/api/v1/proactive-messages?status=cancelled").json())).containsExactly(soonest, id);
      assertThat(api.get("/api/v1/scheduled").json().getJsonArray("items").stream()
          .map(o -> ((JsonObject) o).getString("proactiveMessageId"))).containsExactly(later);

      // Past both due times, the urgent one of tomorrow aside: nothing arrives.
      CLOCK.jumpTo(Instant.parse("2026-12-02T09:06:00Z"));
      await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
      assertThat(ProactiveServer.notifications(api)).isEmpty();
      assertThat(api.get("/api/v1/proactive-messages/" + id).json().getString("status")).isEqualTo("cancelled");
    }
  }

  @Test
  @DisplayName("a scheduled message reaches a Telegram-linked person at its time, once, and is then sent; cancelling it is a 409")
  void deliveredOnTelegram() {
    CLOCK.jumpTo(Instant.parse("2026-12-05T15:00:00Z"));
    long chat = 8101;
    try (Api api = new Api(aide.port())) {
      api.register("telegram-proactive@example.com", "Europe/Berlin");
      server.link(api, chat);
      int before = server.texts(chat).size();
      String id = api.post("/api/v1/proactive-messages", new JsonObject().put("content", "Leave for the station")
          .put("scheduledFor", "2026-12-05T16:02:00+01:00")).json().getString("id");

      CLOCK.jumpTo(Instant.parse("2026-12-05T15:01:58.500Z"));
      await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(1)).until(() -> true);
      assertThat(server.texts(chat)).as("not before its time").hasSize(before);
      await().atMost(Duration.ofSeconds(4)).until(() -> server.texts(chat).size() == before + 1);
      FakeTelegram.SentMessage sent = server.sent(chat).get(before);
      assertThat(sent.text()).isEqualTo("Leave for the station");
      assertThat(server.clockTime(sent.at())).isAfterOrEqualTo(Instant.parse("2026-12-05T15:02:00Z"))
          .isBefore(Instant.parse("2026-12-05T15:02:02Z"));

      JsonObject message = api.get("/api/v1/proactive-messages/" + id).json();
      assertThat(message.getString("status")).isEqualTo("sent");
      assertThat(message.getString("sentAt")).startsWith("2026-12-05T16:02:0").endsWith("+01:00");
      JsonObject notification = ProactiveServer.notifications(api).getJsonObject(0);
      assertThat(notification.getString("kind")).isEqualTo("proactive");
      assertThat(notification.getString("title")).isEqualTo("Message from Aide");
      assertThat(notification.getString("body")).isEqualTo("Leave for the station");

      Api.Response again = api.post("/api/v1/proactive-messages/" + id + "/cancel", new JsonObject());
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.errorCode()).isEqualTo("conflict");
      assertThat(api.delete("/api/v1/proactive-messages/" + id).status()).isEqualTo(409);

      // The task runs again for the same instant, as after a crash before its outcome was recorded: nothing is sent.
      aide.db().execute("update scheduled_tasks set status = 'scheduled', next_run_at = '2026-12-05T15:02:00Z'"
          + " where task_key = 'proactive:" + id + "'");
      await().atMost(Duration.ofSeconds(4)).until(() -> aide.db().value(
          "select status from scheduled_tasks where task_key = 'proactive:" + id + "'", String.class).equals("done"));
      await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
      assertThat(server.texts(chat)).as("sent once").hasSize(before + 1);
      assertThat(ProactiveServer.notifications(api)).hasSize(1);
    }
  }

  @Test
  @DisplayName("\"message me in 5 minutes: …\" in the web chat schedules the message and it arrives in-app at its time")
  void throughChat() {
    CLOCK.jumpTo(Instant.parse("2026-12-08T17:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("chat-proactive@example.com", "America/New_York");
      Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "message me in 5 minutes: check the oven"));
      assertThat(chat.status()).isEqualTo(200);
      JsonObject call = chat.json().getJsonArray("toolCalls").getJsonObject(0);
      assertThat(call.getString("name")).isEqualTo("scheduleMessage");
      assertThat(chat.json().getJsonObject("reply").getString("text"))
          .isEqualTo("Message scheduled for Tue 8 Dec 2026 at 12:05: \"check the oven\".");
      Api.Response milk = api.post("/api/v1/chat", new JsonObject().put("text", "text me tomorrow at 9 saying buy milk"));
      assertThat(milk.json().getJsonObject("reply").getString("text"))
          .isEqualTo("Message scheduled for Wed 9 Dec 2026 at 09:00: \"buy milk\".");
      Api.Response cancel = api.post("/api/v1/chat", new JsonObject().put("text", "cancel the message about milk"));
      assertThat(cancel.json().getJsonObject("reply").getString("text"))
          .isEqualTo("Cancelled the message \"buy milk\" of Wed 9 Dec 2026 at 09:00.");
      assertThat(api.get("/api/v1/proactive-messages?status=cancelled").json().getJsonArray("items")).hasSize(1);
      JsonArray items = api.get("/api/v1/proactive-messages?status=pending").json().getJsonArray("items");
      assertThat(items).hasSize(1);
      assertThat(items.getJsonObject(0).getString("scheduledFor")).isEqualTo("2026-12-08T12:05:00-05:00");
      assertThat(ProactiveServer.notifications(api)).isEmpty();

      CLOCK.jumpTo(Instant.parse("2026-12-08T17:04:59Z"));
      await().atMost(Duration.ofSeconds(4)).until(() -> ProactiveServer.notifications(api).size() == 1);
      JsonObject notification = ProactiveServer.notifications(api).getJsonObject(0);
      assertThat(notification.getString("title")).isEqualTo("Message from Aide");
      assertThat(notification.getString("body")).isEqualTo("check the oven");
      assertThat(notification.getString("createdAt")).startsWith("2026-12-08T12:05:0").endsWith("-05:00");
      assertThat(api.get("/api/v1/proactive-messages").json().getJsonArray("items").getJsonObject(0)
          .getString("status")).isEqualTo("sent");

      Api.Response listed = api.post("/api/v1/chat", new JsonObject().put("text", "what messages have I scheduled?"));
      assertThat(listed.json().getJsonObject("reply").getString("text")).isEqualTo("You have no scheduled messages.");
    }
  }

  @Test
  @DisplayName("a message for a person whose account was deactivated meanwhile is marked failed, not left pending")
  void unreachable() {
    CLOCK.jumpTo(Instant.parse("2026-12-12T07:00:00Z"));
    try (Api api = new Api(aide.port())) {
      String userId = api.register("gone-proactive@example.com", "UTC").getString("id");
      String id = api.post("/api/v1/proactive-messages", new JsonObject().put("content", "are you there?")
          .put("scheduledFor", "2026-12-12T07:00:30Z")).json().getString("id");
      aide.db().execute("update users set active = false where id = '" + userId + "'");

      CLOCK.jumpTo(Instant.parse("2026-12-12T07:00:29Z"));
      await().atMost(Duration.ofSeconds(4)).until(() -> aide.db().value(
          "select status from proactive_messages where id = '" + id + "'", String.class).equals("failed"));
      assertThat(aide.db().value("select error from proactive_messages where id = '" + id + "'", String.class))
          .isEqualTo("the person can no longer be reached");
      assertThat(aide.db().number("select count(*) from notifications where source_key = 'proactive:" + id + "'"))
          .isZero();
    }
  }

  @Test
  @DisplayName("bad input is a 422 and writes nothing; another person's message is a 404")
  void validation() {
    CLOCK.jumpTo(Instant.parse("2026-12-10T12:00:00Z"));
    try (Api api = new Api(aide.port()); Api other = new Api(aide.port())) {
      api.register("validation-proactive@example.com", "UTC");
      String ok = "2026-12-10T13:00:00Z";
      assertInvalid(api, new JsonObject().put("scheduledFor", ok), "content is required");
      assertInvalid(api, new JsonObject().put("content", "   ").put("scheduledFor", ok), "content is required");
      assertInvalid(api, new JsonObject().put("content", "x".repeat(4001)).put("scheduledFor", ok), "at most 4000");
      assertInvalid(api, new JsonObject().put("content", "hi"), "scheduledFor is required");
      assertInvalid(api, new JsonObject().put("content", "hi").put("scheduledFor", "tomorrow"), "ISO-8601");
      assertInvalid(api, new JsonObject().put("content", "hi").put("scheduledFor", "2026-12-10T13:00:00"), "ISO-8601");
      assertInvalid(api, new JsonObject().put("content", "hi").put("scheduledFor", "2026-12-10T11:58:30Z"), "in the past");
      assertInvalid(api, new JsonObject().put("content", "hi").put("scheduledFor", "2032-01-01T00:00:00Z"), "within 5 years");
      assertInvalid(api, new JsonObject().put("content", "hi").put("scheduledFor", ok).put("urgent", "yes"), "true or false");
      assertInvalid(api, new JsonObject().put("content", "hi").put("scheduledFor", ok).put("channel", "sms"), "unknown field");
      assertThat(api.send(HttpMethod.POST, "/api/v1/proactive-messages", Buffer.buffer("{"), "application/json").status())
          .isEqualTo(400);
      assertThat(api.get("/api/v1/proactive-messages?status=lost").status()).isEqualTo(422);
      assertThat(api.get("/api/v1/scheduled?until=soon").status()).isEqualTo(422);
      assertThat(api.get("/api/v1/scheduled?limit=0").status()).isEqualTo(422);
      assertThat(api.get("/api/v1/proactive-messages").json().getJsonArray("items")).isEmpty();
      assertThat(api.get("/api/v1/scheduled").json().getJsonArray("items")).isEmpty();

      Api.Response slightlyLate = api.post("/api/v1/proactive-messages", new JsonObject().put("content", "hi")
          .put("scheduledFor", Instant.parse("2026-12-10T12:00:00Z").toString()));
      assertThat(slightlyLate.status()).as("up to a minute in the past goes out at once").isEqualTo(201);
      String mine = api.post("/api/v1/proactive-messages", new JsonObject().put("content", "mine")
          .put("scheduledFor", ok)).json().getString("id");

      other.register("other-proactive@example.com", "UTC");
      assertThat(other.get("/api/v1/proactive-messages/" + mine).status()).isEqualTo(404);
      assertThat(other.post("/api/v1/proactive-messages/" + mine + "/cancel", new JsonObject()).status()).isEqualTo(404);
      assertThat(other.delete("/api/v1/proactive-messages/" + mine).status()).isEqualTo(404);
      assertThat(other.get("/api/v1/proactive-messages/" + UUID.randomUUID()).status()).isEqualTo(404);
      assertThat(other.get("/api/v1/proactive-messages/not-an-id").status()).isEqualTo(404);
      assertThat(other.get("/api/v1/proactive-messages").json().getJsonArray("items")).isEmpty();
      assertThat(other.get("/api/v1/scheduled").json().getJsonArray("items")).isEmpty();
      assertThat(api.get("/api/v1/proactive-messages/" + mine).json().getString("status")).isEqualTo("pending");
    }
  }

  @Test
  @DisplayName("/scheduled lists reminders and messages soonest first, with their text, rule and id, up to until and limit")
  void scheduledView() {
    CLOCK.jumpTo(Instant.parse("2027-01-04T08:00:00Z"));
    try (Api api = new Api(aide.port())) {
      api.register("scheduled-view@example.com", "Europe/Paris");
      String daily = api.post("/api/v1/reminders", new JsonObject().put("text", "take the pills")
          .put("dueAt", "2027-01-04T20:00:00+01:00").put("rrule", "FREQ=DAILY")).json().getString("id");
      String message = api.post("/api/v1/proactive-messages", new JsonObject().put("content", "call John")
          .put("scheduledFor", "2027-01-04T18:00:00+01:00")).json().getString("id");
      String farAway = api.post("/api/v1/reminders", new JsonObject().put("text", "renew the passport")
          .put("dueAt", "2027-02-01T09:00:00+01:00")).json().getString("id");

      JsonArray items = api.get("/api/v1/scheduled").json().getJsonArray("items");
      assertThat(items).hasSize(2);
      assertThat(items.getJsonObject(0)).isEqualTo(new JsonObject().put("type", "proactive")
          .put("dueAt", "2027-01-04T18:00:00+01:00").put("title", "call John").put("recurring", false)
          .putNull("rrule").putNull("cron").put("proactiveMessageId", message));
      assertThat(items.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "reminder")
          .put("dueAt", "2027-01-04T20:00:00+01:00").put("title", "take the pills").put("recurring", true)
          .put("rrule", "FREQ=DAILY").putNull("cron").put("reminderId", daily));

      // The reminder's new text shows at once; its time is untouched.
      assertThat(api.patch("/api/v1/reminders/" + daily, new JsonObject().put("text", "take the vitamins")).status())
          .isEqualTo(200);
      assertThat(api.get("/api/v1/scheduled").json().getJsonArray("items").getJsonObject(1).getString("title"))
          .isEqualTo("take the vitamins");

      JsonArray month = api.get("/api/v1/scheduled?until=2027-02-04T00:00:00%2B01:00").json().getJsonArray("items");
      assertThat(month.stream().map(o -> ((JsonObject) o).getString("type"))).containsExactly("proactive", "reminder", "reminder");
      assertThat(month.getJsonObject(2).getString("reminderId")).isEqualTo(farAway);
      assertThat(api.get("/api/v1/scheduled?until=2027-02-04T00:00:00%2B01:00&limit=1").json().getJsonArray("items"))
          .hasSize(1);
      assertThat(api.get("/api/v1/scheduled?until=2027-01-04T17:00:00Z").json().getJsonArray("items")).hasSize(1);

      // A reminder marked done leaves the view.
      api.patch("/api/v1/reminders/" + daily, new JsonObject().put("status", "done"));
      assertThat(api.get("/api/v1/scheduled").json().getJsonArray("items").stream()
          .map(o -> ((JsonObject) o).getString("type"))).containsExactly("proactive");
    }
  }

  private static void assertInvalid(Api api, JsonObject body, String message) {
    Api.Response response = api.post("/api/v1/proactive-messages", body);
    assertThat(response.status()).as(body.encode()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo("validation_failed");
    assertThat(response.json().getJsonObject("error").getString("message")).contains(message);
  }

  private static List<String> ids(JsonObject list) {
    return list.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

}
