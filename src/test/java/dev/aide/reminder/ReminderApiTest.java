package dev.aide.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.TestClock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Reminders are managed through the REST API")
class ReminderApiTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(TestClock.at(Instant.parse("2026-11-20T12:00:00Z")))
      .freshEachTest()
      .person("rae@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @BeforeAll
  static void startServer() {
    // Aide's clock stands before the reminders these tests write, so none comes due (and moves on) while they run.
  }

  @Test
  @DisplayName("a reminder is created, read, listed, changed and deleted, its times shown in the user's timezone")
  void lifecycle() {
    Api.Response created = api.post("/api/v1/reminders", new JsonObject().put("text", "pay rent")
        .put("dueAt", "2026-12-01T08:00:00Z").put("rrule", "FREQ=MONTHLY;BYMONTHDAY=1"));
    assertThat(created.status()).isEqualTo(201);
    JsonObject reminder = created.json();
    assertThat(reminder.fieldNames()).contains("id", "text", "dueAt", "rrule", "status");
    assertThat(reminder.getString("dueAt")).isEqualTo("2026-12-01T09:00:00+01:00");
    assertThat(reminder.getString("rrule")).isEqualTo("FREQ=MONTHLY;BYMONTHDAY=1");
    assertThat(reminder.getString("status")).isEqualTo("pending");
    String path = "/api/v1/reminders/" + reminder.getString("id");

    assertThat(api.get(path).json().getString("text")).isEqualTo("pay rent");
    assertThat(api.get("/api/v1/reminders").json().getJsonArray("items")).hasSize(1);
    assertThat(api.get("/api/v1/reminders?status=done").json().getJsonArray("items")).isEmpty();
    assertThat(api.get("/api/v1/reminders?from=2026-12-02T00:00:00Z").json().getJsonArray("items")).isEmpty();

    Api.Response changed = api.patch(path, new JsonObject().put("status", "done").put("rrule", null));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().getString("status")).isEqualTo("done");
    assertThat(changed.json().getString("rrule")).isNull();
    assertThat(changed.json().getString("text")).isEqualTo("pay rent");

    assertThat(api.delete(path).status()).isEqualTo(204);
    assertThat(api.get(path).status()).isEqualTo(404);
    assertThat(api.delete(path).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a reminder is snoozed by minutes or until an instant, and is pending again")
  void snooze() {
    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "stretch").put("dueAt", "2026-12-01T08:00:00Z"))
        .json().getString("id");
    api.patch("/api/v1/reminders/" + id, new JsonObject().put("status", "done"));

    Api.Response until = api.post("/api/v1/reminders/" + id + "/snooze", new JsonObject().put("until", "2026-12-01T10:30:00+01:00"));
    assertThat(until.status()).isEqualTo(200);
    assertThat(until.json().getString("dueAt")).isEqualTo("2026-12-01T10:30:00+01:00");
    assertThat(until.json().getString("status")).isEqualTo("pending");
    Api.Response minutes = api.post("/api/v1/reminders/" + id + "/snooze", new JsonObject().put("minutes", 15));
    assertThat(minutes.status()).isEqualTo(200);

    assertThat(api.post("/api/v1/reminders/" + id + "/snooze", new JsonObject()).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/reminders/" + id + "/snooze", new JsonObject().put("minutes", 0)).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/reminders/" + id + "/snooze", new JsonObject().put("minutes", 1.5)).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/reminders/" + UUID.randomUUID() + "/snooze", new JsonObject().put("minutes", 5)).status())
        .isEqualTo(404);
  }

  @Test
  @DisplayName("a one-off reminder that was sent says fired (it waits for Done or a snooze); snoozed, it is upcoming again")
  void firedReminder() {
    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "stretch").put("dueAt", "2026-12-01T08:00:00Z"))
        .json().getString("id");
    JsonObject before = api.get("/api/v1/reminders/" + id).json();
    assertThat(before.getBoolean("fired")).isFalse();
    assertThat(before.getString("firedAt")).isNull();

    // As the scheduler leaves a one-off reminder it has sent: still pending, fired at its due time.
    aide.db().update("update reminders set fired_at = due_at + interval '2 seconds' where id = ?::uuid", id);
    JsonObject sent = api.get("/api/v1/reminders?status=pending").json().getJsonArray("items").getJsonObject(0);
    assertThat(sent.getBoolean("fired")).isTrue();
    assertThat(sent.getString("firedAt")).isEqualTo("2026-12-01T09:00:02+01:00");

    JsonObject snoozed = api.post("/api/v1/reminders/" + id + "/snooze", new JsonObject().put("until", "2026-12-01T10:30:00+01:00")).json();
    assertThat(snoozed.getBoolean("fired")).isFalse();
    assertThat(api.patch("/api/v1/reminders/" + id, new JsonObject().put("status", "done")).json().getBoolean("fired")).isFalse();
  }

  @Test
  @DisplayName("another person's reminder is not found, and they cannot change or delete it")
  void othersReminders() {
    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "secret").put("dueAt", "2026-12-01T08:00:00Z"))
        .json().getString("id");
    Api other = aide.signUp("sam@example.com", "UTC");

    assertThat(other.get("/api/v1/reminders/" + id).status()).isEqualTo(404);
    assertThat(other.patch("/api/v1/reminders/" + id, new JsonObject().put("text", "mine now")).status()).isEqualTo(404);
    assertThat(other.delete("/api/v1/reminders/" + id).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/reminders").json().getJsonArray("items")).isEmpty();
    assertThat(aide.db().value("select text from reminders", String.class)).isEqualTo("secret");
    other.close();
  }

  @Test
  @DisplayName("bad reminder input gets the right status and error JSON, and nothing is written")
  void badInput() {
    expect(api.post("/api/v1/reminders", new JsonObject().put("dueAt", "2026-12-01T08:00:00Z")), 422);
    expect(api.post("/api/v1/reminders", new JsonObject().put("text", "x").put("dueAt", "tomorrow")), 422);
    expect(api.post("/api/v1/reminders", new JsonObject().put("text", "x").put("dueAt", "2026-12-01T08:00:00")), 422);
    expect(api.post("/api/v1/reminders", new JsonObject().put("text", new JsonArray()).put("dueAt", "2026-12-01T08:00:00Z")), 422);
    expect(api.post("/api/v1/reminders", new JsonObject().put("text", "x").put("dueAt", "2026-12-01T08:00:00Z")
        .put("rrule", "every tuesday")), 422);
    expect(api.post("/api/v1/reminders", new JsonObject().put("text", "   ").put("dueAt", "2026-12-01T08:00:00Z")), 422);
    expect(api.send(HttpMethod.POST, "/api/v1/reminders", Buffer.buffer("{not json"), "application/json"), 400);
    expect(api.send(HttpMethod.POST, "/api/v1/reminders", Buffer.buffer("text"), "text/plain"), 415);
    expect(api.get("/api/v1/reminders?status=maybe"), 422);
    expect(api.get("/api/v1/reminders?from=yesterday"), 422);
    expect(api.get("/api/v1/reminders/not-a-uuid"), 404);
    expect(api.patch("/api/v1/reminders/" + UUID.randomUUID(), new JsonObject().put("text", "x")), 404);
    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "keep me").put("dueAt", "2026-12-01T08:00:00Z"))
        .json().getString("id");
    expect(api.patch("/api/v1/reminders/" + id, new JsonObject().putNull("text")), 422);
    expect(api.patch("/api/v1/reminders/" + id, new JsonObject().putNull("status")), 422);
    expect(api.patch("/api/v1/reminders/" + id, new JsonObject().put("status", "finished")), 422);
    expect(api.patch("/api/v1/reminders/" + id, new JsonObject()), 422);
    assertThat(api.get("/api/v1/reminders/" + id).json().getString("text")).isEqualTo("keep me");
    assertThat(api.delete("/api/v1/reminders/" + id).status()).isEqualTo(204);

    assertThat(aide.db().number("select count(*) from reminders")).isZero();
  }

  @Test
  @DisplayName("a body over 1 MiB is refused with 413 and nothing is written")
  void oversizedBody() {
    String huge = "x".repeat(1_100_000);
    Api.Response r = api.send(HttpMethod.POST, "/api/v1/chat",
        Buffer.buffer(new JsonObject().put("text", huge).encode()), "application/json");

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.errorCode()).isEqualTo("payload_too_large");
    assertThat(aide.db().number("select count(*) from messages")).isZero();
  }

  private static void expect(Api.Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().getJsonObject("error").getString("code")).isNotBlank();
    assertThat(response.json().getJsonObject("error").getString("message")).isNotBlank();
  }

  @Test
  @DisplayName("a reminder's task follows it, and a reminder set before an event follows the event: moved with it, "
      + "retitled, cancelled with it, gone with a deleted reminder")
  void tasksFollow() {
    String event = api.post("/api/v1/events", new JsonObject().put("title", "Dentist")
        .put("start", "2026-12-02T09:00:00Z").put("end", "2026-12-02T09:30:00Z")).json().getString("id");
    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "leave for the dentist")
        .put("dueAt", "2026-12-02T08:30:00Z").put("eventId", event)).json().getString("id");
    assertThat(task(id)).isEqualTo("scheduled 2026-12-02T08:30:00Z leave for the dentist");

    api.patch("/api/v1/reminders/" + id, new JsonObject().put("text", "leave early for the dentist"));
    assertThat(task(id)).isEqualTo("scheduled 2026-12-02T08:30:00Z leave early for the dentist");
    assertThat(api.patch("/api/v1/events/" + event, new JsonObject().put("start", "2026-12-02T11:00:00Z")
        .put("end", "2026-12-02T11:30:00Z")).status()).isEqualTo(200);
    assertThat(task(id)).isEqualTo("scheduled 2026-12-02T10:30:00Z leave early for the dentist");
    assertThat(api.delete("/api/v1/events/" + event).status()).isEqualTo(204);
    assertThat(task(id)).startsWith("cancelled");

    String other = api.post("/api/v1/reminders", new JsonObject().put("text", "water plants")
        .put("dueAt", "2026-12-03T08:00:00Z")).json().getString("id");
    api.patch("/api/v1/reminders/" + other, new JsonObject().put("status", "done"));
    assertThat(task(other)).startsWith("cancelled");
    api.patch("/api/v1/reminders/" + other, new JsonObject().put("status", "pending"));
    assertThat(task(other)).isEqualTo("scheduled 2026-12-03T08:00:00Z water plants");
    assertThat(api.delete("/api/v1/reminders/" + other).status()).isEqualTo(204);
    assertThat(aide.db().number("select count(*) from scheduled_tasks where task_key = ?", "reminder:" + other))
        .isZero();
  }

  /** "status next-run title" of a reminder's task. */
  private static String task(String reminderId) {
    return aide.db().value("select status || ' ' || coalesce(to_char(next_run_at at time zone 'UTC', "
        + "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-') || ' ' || (payload->>'title') from scheduled_tasks where task_key = ?",
        String.class, "reminder:" + reminderId);
  }
}
