package dev.aide.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.ToolHarness;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolExecution;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The calendar tools act through the AI service for the conversation's user")
class CalendarToolsTest {

  // Wednesday 18 November 2026, 10:15 in Paris.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T09:15:00Z"), ZoneOffset.UTC);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).freshEachTest();

  private static ToolHarness tools;

  private final Api api = aide.api();
  private UUID userId;

  @BeforeAll
  static void start() {
    tools = new ToolHarness(aide.db(), CLOCK, (pool, confirmations) ->
        List.of(new CalendarTools(new EventService(new EventRepository(pool)), confirmations, CLOCK)));
  }

  @AfterAll
  static void stop() {
    tools.close();
  }

  @BeforeEach
  void user() {
    userId = UUID.fromString(api.register("tools@example.com", "Europe/Paris").getString("id"));
  }

  @Test
  @DisplayName("createEvent stores the event for one hour by default and names the events it overlaps")
  void createEvent() {
    ToolExecution first = run("createEvent", new JsonObject().put("title", "Meeting with Sam")
        .put("start", "2026-11-19T15:00:00+01:00"));
    assertThat(first.result()).isEqualTo("Added «Meeting with Sam» on Thu 19 Nov 2026 15:00–16:00.");
    assertThat(aide.db().value("select end_at from events where title = 'Meeting with Sam'", OffsetDateTime.class)
        .toInstant()).isEqualTo(Instant.parse("2026-11-19T15:00:00Z"));

    ToolExecution second = run("createEvent", new JsonObject().put("title", "Dentist")
        .put("start", "2026-11-19T15:30:00").put("durationMinutes", 45).put("location", "Rue Cler"));
    assertThat(second.result()).isEqualTo("Added «Dentist» on Thu 19 Nov 2026 15:30–16:15 at «Rue Cler»."
        + " It overlaps «Meeting with Sam» Thu 19 Nov 2026 15:00–16:00.");

    ToolExecution weekly = run("createEvent", new JsonObject().put("title", "Team standup")
        .put("start", "2026-11-23T09:00:00+01:00").put("rrule", "FREQ=WEEKLY;BYDAY=MO"));
    assertThat(weekly.result()).endsWith("repeating every week on Monday.");
    assertThat(aide.db().value("select timezone from events where title = 'Team standup'", String.class))
        .isEqualTo("Europe/Paris");

    ToolExecution allDay = run("createEvent", new JsonObject().put("title", "Holiday").put("start", "2026-12-24")
        .put("allDay", true));
    assertThat(allDay.result()).isEqualTo("Added «Holiday» on Thu 24 Dec 2026 (all day).");
  }

  @Test
  @DisplayName("bad arguments come back as text the model can explain, and write nothing")
  void badArguments() {
    assertThat(run("createEvent", new JsonObject().put("title", "x").put("start", "tomorrow")).result())
        .startsWith("Error: ");
    assertThat(run("createEvent", new JsonObject().put("title", "x").put("start", "2026-11-19T15:00:00+01:00")
        .put("rrule", "FREQ=OFTEN")).result()).startsWith("Error: rrule is not a valid RFC 5545 RRULE");
    assertThat(run("createEvent", new JsonObject().put("title", "x").put("start", "2026-11-19T15:00:00+01:00")
        .put("end", "2026-11-19T14:00:00+01:00")).result()).isEqualTo("Error: end must be after start.");
    assertThat(run("findEvents", new JsonObject().put("from", "2026-11-20T00:00:00+01:00")
        .put("to", "2026-11-19T00:00:00+01:00")).result()).isEqualTo("Error: to must be after from.");
    assertThat(aide.db().number("select count(*) from events")).isZero();
  }

  @Test
  @DisplayName("findEvents lists a day's occurrences, recurring ones included, and can filter by text")
  void findEvents() {
    create("Team standup", "2026-11-16T09:00:00+01:00", "2026-11-16T09:15:00+01:00", "FREQ=DAILY");
    create("Dentist", "2026-11-19T15:00:00+01:00", "2026-11-19T15:45:00+01:00", null);
    String day = run("findEvents", new JsonObject().put("from", "2026-11-19T00:00:00+01:00")
        .put("to", "2026-11-20T00:00:00+01:00")).result();
    assertThat(day).isEqualTo("On your calendar on Thu 19 Nov 2026:\n- Thu 19 Nov 2026 09:00–09:15 «Team standup» (repeats)"
        + "\n- Thu 19 Nov 2026 15:00–15:45 «Dentist»");
    assertThat(run("findEvents", new JsonObject().put("from", "2026-11-19T00:00:00+01:00")
        .put("to", "2026-11-20T00:00:00+01:00").put("text", "dentist")).result()).doesNotContain("standup");
    assertThat(run("findEvents", new JsonObject().put("from", "2026-11-21T00:00:00+01:00")
        .put("to", "2026-11-22T00:00:00+01:00").put("text", "dentist")).result())
        .isEqualTo("Nothing on your calendar on Sat 21 Nov 2026 matching «dentist».");
  }

  @Test
  @DisplayName("changeEvent's newRrule makes the whole event repeat, said in words; a bad rule or one finer than hourly "
      + "changes nothing; 'none' stops it")
  void changeRepetition() {
    String id = create("Book club", "2026-11-19T19:00:00+01:00", "2026-11-19T20:00:00+01:00", null);

    assertThat(run("changeEvent", new JsonObject().put("title", "book club").put("newRrule", "FREQ=OFTEN")).result())
        .startsWith("Error: ");
    assertThat(run("changeEvent", new JsonObject().put("title", "book club").put("newRrule", "FREQ=MINUTELY")).result())
        .startsWith("Error: ");
    assertThat(run("changeEvent", new JsonObject().put("title", "book club").put("newRrule", "FREQ=WEEKLY\u0000"))
        .result()).startsWith("Error: ");
    assertThat(aide.db().value("select rrule from events where id = ?", String.class, UUID.fromString(id))).isNull();

    assertThat(run("changeEvent", new JsonObject().put("title", "book club").put("newRrule", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"))
        .result()).isEqualTo("Changed «Book club»: it repeats every 2 weeks on Thursday.");
    assertThat(aide.db().value("select rrule from events where id = ?", String.class, UUID.fromString(id)))
        .isEqualTo("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH");
    assertThat(run("changeEvent", new JsonObject().put("title", "book club").put("wholeSeries", true)
        .put("newRrule", "none")).result()).isEqualTo("Changed «Book club»: it no longer repeats.");
    assertThat(aide.db().value("select rrule from events where id = ?", String.class, UUID.fromString(id))).isNull();
  }

  @Test
  @DisplayName("changeEvent moves an event found by title to a new time of the same day, keeping its length")
  void changeEvent() {
    String id = create("Meeting with Sam", "2026-11-19T15:00:00+01:00", "2026-11-19T15:30:00+01:00", null);
    ToolExecution moved = run("changeEvent", new JsonObject().put("title", "meeting with sam").put("newStart", "16:00"));
    assertThat(moved.result()).isEqualTo("Changed «Meeting with Sam»: now on Thu 19 Nov 2026 16:00–16:30.");
    assertThat(aide.db().value("select start_at from events where id = ?", OffsetDateTime.class, UUID.fromString(id))
        .toInstant()).isEqualTo(Instant.parse("2026-11-19T15:00:00Z"));
  }

  @Test
  @DisplayName("createEvent and changeEvent set, change and remove an alert; one occurrence's change alerts the series")
  void alerts() {
    ToolExecution created = run("createEvent", new JsonObject().put("title", "Dentist")
        .put("start", "2026-11-19T15:00:00+01:00").put("alertMinutes", 15));
    assertThat(created.result())
        .isEqualTo("Added «Dentist» on Thu 19 Nov 2026 15:00–16:00. I'll alert you 15 minutes before.");
    String id = aide.db().value("select id::text from events where title = 'Dentist'", String.class);
    assertThat(api.get("/api/v1/events/" + id).json().getInteger("alertMinutes")).isEqualTo(15);

    assertThat(run("changeEvent", new JsonObject().put("title", "dentist").put("alertMinutes", 60)).result())
        .isEqualTo("Changed «Dentist». I'll alert you 1 hour before.");
    assertThat(api.get("/api/v1/events/" + id).json().getInteger("alertMinutes")).isEqualTo(60);
    assertThat(run("changeEvent", new JsonObject().put("title", "dentist").put("alertMinutes", 50000)).result())
        .isEqualTo("Error: alertMinutes must be between 0 and 40320.");
    assertThat(run("changeEvent", new JsonObject().put("title", "dentist").put("removeAlert", true)).result())
        .isEqualTo("Changed «Dentist». No alert any more.");
    assertThat(api.get("/api/v1/events/" + id).json().getValue("alertMinutes")).isNull();

    String series = create("Team standup", "2026-11-16T09:00:00+01:00", "2026-11-16T09:15:00+01:00", "FREQ=DAILY");
    assertThat(run("changeEvent", new JsonObject().put("title", "standup").put("date", "2026-11-20")
        .put("newStart", "09:30").put("alertMinutes", 10)).result())
        .isEqualTo("Changed «Team standup»: now on Fri 20 Nov 2026 09:30–09:45 (this occurrence only)."
            + " I'll alert you 10 minutes before each time.");
    assertThat(api.get("/api/v1/events/" + series).json().getInteger("alertMinutes")).isEqualTo(10);
    assertThat(run("createEvent", new JsonObject().put("title", "x").put("start", "2026-11-19T15:00:00+01:00")
        .put("alertMinutes", -1)).result()).isEqualTo("Error: alertMinutes must be a whole number from 0 to 40320.");
  }

  @Test
  @DisplayName("changeEvent on a repeating event changes only the occurrence of the given day")
  void changeOccurrence() {
    String id = create("Standup", "2026-11-16T09:00:00+01:00", "2026-11-16T09:15:00+01:00", "FREQ=DAILY");
    ToolExecution moved = run("changeEvent", new JsonObject().put("title", "standup").put("date", "2026-11-20")
        .put("newStart", "10:00"));
    assertThat(moved.result()).isEqualTo("Changed «Standup»: now on Fri 20 Nov 2026 10:00–10:15 (this occurrence only).");
    assertThat(aide.db().number("select count(*) from events where series_id = ?", UUID.fromString(id))).isEqualTo(1);
    assertThat(aide.db().value("select start_at from events where id = ?", OffsetDateTime.class, UUID.fromString(id))
        .toInstant()).isEqualTo(Instant.parse("2026-11-16T08:00:00Z"));
  }

  @Test
  @DisplayName("cancelEvent cancels a single event, or one occurrence, found by title and day")
  void cancelEvent() {
    create("Dentist", "2026-11-20T09:00:00+01:00", "2026-11-20T09:45:00+01:00", null);
    String standup = create("Standup", "2026-11-16T09:00:00+01:00", "2026-11-16T09:15:00+01:00", "FREQ=DAILY");
    assertThat(run("cancelEvent", new JsonObject().put("title", "dentist").put("date", "2026-11-20")).result())
        .isEqualTo("Cancelled «Dentist» on Fri 20 Nov 2026 09:00–09:45.");
    assertThat(aide.db().number("select count(*) from events where title = 'Dentist' and deleted_at is not null"))
        .isEqualTo(1);
    assertThat(run("cancelEvent", new JsonObject().put("title", "standup").put("date", "2026-11-20")).result())
        .isEqualTo("Cancelled «Standup» on Fri 20 Nov 2026 at 09:00; the other occurrences stay.");
    assertThat(aide.db().number("select cardinality(exdates) from events where id = ?", UUID.fromString(standup)))
        .isEqualTo(1);
    assertThat(run("cancelEvent", new JsonObject().put("title", "dentist").put("date", "2026-11-20")).result())
        .isEqualTo("Error: I found no event matching «dentist» on Fri 20 Nov 2026.");
  }

  @Test
  @DisplayName("cancelEvent and changeEvent on one more occurrence of a series that carries as many cancelled and "
      + "changed occurrences as it may say why, and change nothing")
  void seriesCarriesAtMost() {
    String id = create("Standup", "2026-11-16T09:00:00+01:00", "2026-11-16T09:15:00+01:00", "FREQ=DAILY");
    aide.db().update("""
        update events set exdates = array(select timestamptz '2020-01-06 08:00Z' + i * interval '1 day'
                                          from generate_series(1, 1000) i)
        where id = ?""", UUID.fromString(id));
    aide.db().update("""
        insert into events (user_id, calendar_id, series_id, original_start, title, start_at, end_at, timezone)
        select user_id, calendar_id, id, t, 'Moved', t + interval '1 hour', t + interval '75 minutes', timezone
        from events, generate_series(timestamptz '2026-11-30 08:00Z', timestamptz '2029-08-25 08:00Z',
                                     interval '1 day') t
        where id = ?""", UUID.fromString(id));
    assertThat(aide.db().number("select count(*) from events where series_id = ?", UUID.fromString(id)))
        .isEqualTo(1000);

    assertThat(run("cancelEvent", new JsonObject().put("title", "standup").put("date", "2026-11-20")).result())
        .isEqualTo("Error: this repeating event has 1000 cancelled occurrences (exdates), as many as it may; end the"
            + " series and start a new one instead.");
    assertThat(run("changeEvent", new JsonObject().put("title", "standup").put("date", "2026-11-20")
        .put("newStart", "10:00")).result())
        .isEqualTo("Error: this repeating event has 1000 changed occurrences, as many as it may; change the whole"
            + " series, or end it and start a new one.");
    assertThat(aide.db().number("select cardinality(exdates) from events where id = ?", UUID.fromString(id)))
        .isEqualTo(1000);
    assertThat(aide.db().number("select count(*) from events where series_id = ?", UUID.fromString(id)))
        .isEqualTo(1000);
  }

  @Test
  @DisplayName("cancelling a whole series with upcoming occurrences waits for the person's yes, even when the model says confirm=true")
  void cancelSeriesNeedsConfirmation() {
    String id = create("Standup", "2026-11-16T09:00:00+01:00", "2026-11-16T09:15:00+01:00", "FREQ=DAILY;COUNT=10");
    String asked = run("cancelEvent", new JsonObject().put("eventId", id).put("wholeSeries", true).put("confirm", true))
        .result();
    assertThat(asked).isEqualTo("This needs the person's confirmation; it has been asked: cancel 7 upcoming "
        + "occurrences of «Standup» (every day, 10 times).");
    assertThat(aide.db().number("select count(*) from events where deleted_at is null")).isEqualTo(1);
    assertThat(tools.answer(userId, "sure").orElseThrow().reply()).isEqualTo("Cancelled Standup and all its occurrences.");
    assertThat(aide.db().number("select count(*) from events where deleted_at is null")).isZero();
  }

  @Test
  @DisplayName("several matching events are listed for the model to choose from, and nothing changes")
  void ambiguous() {
    create("Call Ana", "2026-11-19T10:00:00+01:00", "2026-11-19T10:30:00+01:00", null);
    create("Call Ana's bank", "2026-11-19T11:00:00+01:00", "2026-11-19T11:30:00+01:00", null);
    String result = run("cancelEvent", new JsonObject().put("title", "call ana")).result();
    assertThat(result).startsWith("Several events match «call ana»").contains("[eventId ")
        .endsWith("Which one? Call again with its eventId.");
    assertThat(aide.db().number("select count(*) from events where deleted_at is null")).isEqualTo(2);
  }

  @Test
  @DisplayName("another person's event id is not found, and their event stays")
  void othersEvent() {
    String id = create("Mine", "2026-11-19T10:00:00+01:00", "2026-11-19T10:30:00+01:00", null);
    try (Api other = new Api(aide.port())) {
      UUID otherId = UUID.fromString(other.register("other@example.com", "UTC").getString("id"));
      userId = otherId;
      assertThat(run("cancelEvent", new JsonObject().put("eventId", id)).result()).isEqualTo("Error: event not found.");
      assertThat(run("changeEvent", new JsonObject().put("eventId", id).put("newTitle", "x")).result())
          .isEqualTo("Error: event not found.");
    }
    assertThat(aide.db().number("select count(*) from events where title = 'Mine' and deleted_at is null")).isEqualTo(1);
  }

  private String create(String title, String start, String end, String rrule) {
    JsonObject body = new JsonObject().put("title", title).put("start", start).put("end", end);
    if (rrule != null) {
      body.put("rrule", rrule);
    }
    return api.post("/api/v1/events", body).json().getString("id");
  }

  /** One turn in which the scripted model calls the tool; tools run on a virtual thread, as in Aide. */
  private ToolExecution run(String tool, JsonObject arguments) {
    tools.model().then(tool, arguments);
    Result<String> result = tools.chat(userId, "do it");
    assertThat(result.toolExecutions()).hasSize(1);
    ToolExecution execution = result.toolExecutions().get(0);
    assertThat(execution.request().name()).isEqualTo(tool);
    assertThat(result.content()).isEqualTo(execution.result());
    return execution;
  }
}
