package dev.aide.undo;

import static dev.aide.undo.ToolScript.toolCall;
import static dev.aide.undo.ToolScript.undo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Undo of event changes found in review: attendees, the calendar limits, reminders of deleted events")
class UndoReviewEventTest {

  private static final ToolScript SCRIPT = new ToolScript();

  @RegisterExtension
  static final AideServer aide = AideServer.create().model(SCRIPT.model()).freshEachTest();

  @BeforeEach
  void emptyScript() {
    SCRIPT.clear();
  }

  @Test
  @DisplayName("an event with an attendee renamed in chat: Undo gives back the old title (attendees are rewritten on every update)")
  void eventWithAttendeeChanged() {
    try (Api api = new Api(aide.port())) {
      api.register("pat@example.com", "UTC");
      String id = api.post("/api/v1/events", new JsonObject().put("title", "Dentist")
          .put("start", "2030-03-01T09:00:00Z").put("end", "2030-03-01T10:00:00Z")
          .put("attendees", new JsonArray().add(new JsonObject().put("email", "bob@example.com"))))
          .json().getString("id");
      String event = aide.db().value("select to_jsonb(e)::text from events e where id = ?::uuid", String.class, id);

      SCRIPT.add(FakeOpenAi.toolCall("changeEvent", new JsonObject().put("eventId", id).put("newTitle", "Dentist Dr Who")
          .encode()));
      Api.Response reply = api.post("/api/v1/chat", new JsonObject().put("text", "please rename it"));
      JsonObject call = reply.json().getJsonArray("toolCalls").getJsonObject(0);
      assertThat(call.getBoolean("failed")).as(call.encode()).isFalse();
      assertThat(aide.db().value("select title from events", String.class)).isEqualTo("Dentist Dr Who");

      Api.Response undone = api.post("/api/v1/changes/" + call.getString("undo") + "/undo", new JsonObject());
      assertThat(aide.db().value("select title from events", String.class)).as("409 or 200: never half")
          .isEqualTo(undone.status() == 200 ? "Dentist" : "Dentist Dr Who");
      assertThat(undone.status()).as(undone.body()).isEqualTo(200);
      assertThat(aide.db().value("select to_jsonb(e)::text from events e where id = ?::uuid", String.class, id))
          .isEqualTo(event);
      assertThat(aide.db().number("select count(*) from event_attendees")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("the person's limit of events holds after an Undo brings one back")
  void eventLimitHolds() {
    try (Api api = new Api(aide.port())) {
      api.register("quinn@example.com", "UTC");
      String id = api.post("/api/v1/events", new JsonObject().put("title", "Standup")
          .put("start", "2030-03-04T09:00:00Z").put("end", "2030-03-04T09:15:00Z"))
          .json().getString("id");
      aide.db().update("insert into events (user_id, calendar_id, title, start_at, end_at, timezone, rrule) "
          + "select user_id, calendar_id, 'filler ' || n, start_at, end_at, timezone, rrule "
          + "from events, generate_series(1, 19999) n where id = ?::uuid", id);
      JsonObject weekly = new JsonObject().put("title", "Gym").put("start", "2030-03-05T18:00:00Z")
          .put("end", "2030-03-05T19:00:00Z");
      assertThat(api.post("/api/v1/events", weekly).status()).as("20,000 events: full").isEqualTo(422);

      SCRIPT.add(FakeOpenAi.toolCall("cancelEvent", new JsonObject().put("eventId", id).encode()));
      JsonObject call = api.post("/api/v1/chat", new JsonObject().put("text", "cancel standup")).json()
          .getJsonArray("toolCalls").getJsonObject(0);
      assertThat(call.getString("result")).startsWith("Cancelled");
      assertThat(api.post("/api/v1/events", weekly).status()).as("room for one again").isEqualTo(201);

      Api.Response undone = api.post("/api/v1/changes/" + call.getString("undo") + "/undo", new JsonObject());
      assertThat(aide.db().number("select count(*) from events where deleted_at is null"))
          .as("undo answered " + undone.status() + " " + undone.body()).isLessThanOrEqualTo(20000);
      assertThat(undone.status()).as(undone.body()).isEqualTo(409);
      assertThat(undone.json().getJsonObject("error").getString("message")).isEqualTo("your calendar is full since, so it was left as it is");
      assertThat(aide.db().value("select deleted_at is not null from events where id = ?::uuid", Boolean.class, id))
          .isTrue();

      assertThat(api.delete("/api/v1/events/" + aide.db().value("select id::text from events where title = 'Gym'",
          String.class)).status()).isEqualTo(204);
      Api.Response again = api.post("/api/v1/changes/" + call.getString("undo") + "/undo", new JsonObject());
      assertThat(again.status()).as("room again: " + again.body()).isEqualTo(200);
      assertThat(aide.db().value("select deleted_at is null from events where id = ?::uuid", Boolean.class, id))
          .isTrue();
    }
  }

  @Test
  @DisplayName("a reminder of an event deleted in chat, then the event deleted: Undo does not bring back a live reminder of a gone event")
  void linkedReminderOfGoneEvent() {
    try (Api api = new Api(aide.port())) {
      api.register("rui@example.com", "UTC");
      String event = api.post("/api/v1/events", new JsonObject().put("title", "Flight")
          .put("start", "2030-03-01T09:00:00Z").put("end", "2030-03-01T10:00:00Z")).json().getString("id");
      Api.Response made = api.post("/api/v1/reminders", new JsonObject().put("text", "leave for the airport")
          .put("dueAt", "2030-03-01T06:00:00Z").put("eventId", event));
      assertThat(made.status()).as(made.body()).isEqualTo(201);
      String reminder = made.json().getString("id");

      SCRIPT.add(FakeOpenAi.toolCall("deleteReminders", new JsonObject().put("id", reminder)
          .encode()));
      JsonObject call = api.post("/api/v1/chat", new JsonObject().put("text", "delete it")).json()
          .getJsonArray("toolCalls").getJsonObject(0);
      assertThat(aide.db().number("select count(*) from reminders")).as(call.encode()).isZero();
      assertThat(api.delete("/api/v1/events/" + event).status()).isEqualTo(204);

      Api.Response undone = api.post("/api/v1/changes/" + call.getString("undo") + "/undo", new JsonObject());
      assertThat(undone.status()).as(undone.body()).isEqualTo(409);
      assertThat(undone.json().getJsonObject("error").getString("message"))
          .isEqualTo("the event it belonged to has been deleted since, so it was left as it is");
      assertThat(aide.db().number("select count(*) from reminders")).isZero();
      assertThat(aide.db().number("select count(*) from reminders where status = 'pending'"))
          .as("undo answered " + undone.status() + " " + undone.body()
              + "; the API's own rule cancels a gone event's reminders").isZero();
      assertThat(aide.db().number("select count(*) from scheduled_tasks where status = 'scheduled' and type = 'reminder'"))
          .isZero();
    }
  }
}
