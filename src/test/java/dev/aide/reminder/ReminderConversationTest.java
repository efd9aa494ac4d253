package dev.aide.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Reminders are managed in conversation with the offline model")
class ReminderConversationTest {

  // Wednesday 18 November 2026, 16:15 in Paris.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK)
      .freshEachTest()
      .person("mo@example.com", "Europe/Paris");

  private final Api api = aide.api();
  private String conversation;

  @BeforeEach
  void client() {
    conversation = null;
  }

  @Test
  @DisplayName("a reminder is marked done, moved and snoozed by words of its text")
  void doneMovedSnoozed() {
    say("remind me to call mom tomorrow at 5pm");
    say("remind me to water the plants tomorrow at 8am");

    assertThat(say("move the call mom reminder to 6pm")).isEqualTo("Reminder changed: \"call mom\" on Thu 19 Nov 2026 at 18:00.");
    assertThat(say("mark water the plants as done")).isEqualTo("Marked done: \"water the plants\".");
    assertThat(say("snooze call mom for 30 minutes")).isEqualTo("Snoozed \"call mom\" until Wed 18 Nov 2026 at 16:45.");

    assertThat(status("water the plants")).isEqualTo("done");
    assertThat(dueAt("call mom").toInstant()).isEqualTo(CLOCK.instant().plusSeconds(30 * 60));
  }

  @Test
  @DisplayName("deleting several reminders asks first; yes deletes them, no keeps them")
  void deleteAsksFirst() {
    say("remind me to pay the rent on 1 December at 9am");
    say("remind me to pay the phone bill on 2 December at 9am");

    String question = say("delete my reminders about pay");
    assertThat(question).isEqualTo("I'd delete 2 reminders:\n- \"pay the rent\" — Tue 1 Dec 2026 at 09:00\n"
        + "- \"pay the phone bill\" — Wed 2 Dec 2026 at 09:00\nShall I go ahead?");
    assertThat(say("no")).isEqualTo("Okay, I've left everything as it was.");
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(2);

    say("delete my reminders about pay");
    assertThat(say("yes")).isEqualTo("Deleted 2 reminders.");
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
  }

  @Test
  @DisplayName("a single match is deleted at once, and a reminder that does not exist is said so")
  void deleteOne() {
    say("remind me to book the dentist on Friday at 10am");

    assertThat(say("cancel the reminder to book the dentist")).isEqualTo("Deleted the reminder \"book the dentist\".");
    assertThat(say("cancel the reminder to feed the fish")).isEqualTo("No pending reminder matches \"feed the fish\".");
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
  }

  @Test
  @DisplayName("a reminder before an event is due that many minutes before it, moves with it and goes when it is deleted")
  void beforeAnEvent() {
    String eventId = api.post("/api/v1/events", new JsonObject().put("title", "Dentist")
        .put("start", "2026-11-20T09:00:00+01:00").put("end", "2026-11-20T09:45:00+01:00")).json().getString("id");

    assertThat(say("remind me 10 minutes before the dentist"))
        .isEqualTo("Reminder set: Dentist 10 minutes before Dentist, on Fri 20 Nov 2026 at 08:50.");

    JsonObject reminder = api.get("/api/v1/reminders").json().getJsonArray("items").getJsonObject(0);
    assertThat(reminder.getString("dueAt")).isEqualTo("2026-11-20T08:50:00+01:00");
    assertThat(reminder.getString("eventId")).isEqualTo(eventId);
    assertThat(say("remind me 5 minutes before the opera")).isEqualTo("No upcoming event matches opera in your calendar.");

    Api.Response moved = api.patch("/api/v1/events/" + eventId, new JsonObject()
        .put("start", "2026-11-20T11:00:00+01:00").put("end", "2026-11-20T11:45:00+01:00"));
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(api.get("/api/v1/reminders").json().getJsonArray("items").getJsonObject(0).getString("dueAt"))
        .isEqualTo("2026-11-20T10:50:00+01:00");

    assertThat(api.delete("/api/v1/events/" + eventId).status()).isEqualTo(204);
    assertThat(aide.db().value("select status from reminders", String.class)).isEqualTo("cancelled");
  }

  @Test
  @DisplayName("a reminder cannot be linked to another person's event")
  void othersEvent() {
    String eventId = api.post("/api/v1/events", new JsonObject().put("title", "Private")
        .put("start", "2026-11-20T09:00:00+01:00").put("end", "2026-11-20T10:00:00+01:00")).json().getString("id");
    try (Api other = new Api(aide.port())) {
      other.register("eve@example.com", "UTC");
      Api.Response r = other.post("/api/v1/reminders", new JsonObject().put("text", "snoop")
          .put("dueAt", "2026-11-20T08:00:00Z").put("eventId", eventId));
      assertThat(r.status()).isEqualTo(404);
    }
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
  }

  private String say(String text) {
    JsonObject body = new JsonObject().put("text", text);
    if (conversation != null) {
      body.put("conversationId", conversation);
    }
    Api.Response r = api.post("/api/v1/chat", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    conversation = r.json().getString("conversationId");
    return r.json().getJsonObject("reply").getString("text");
  }

  private String status(String text) {
    return aide.db().value("select status from reminders where text = ?", String.class, text);
  }

  private OffsetDateTime dueAt(String text) {
    return aide.db().value("select due_at from reminders where text = ?", OffsetDateTime.class, text);
  }
}
