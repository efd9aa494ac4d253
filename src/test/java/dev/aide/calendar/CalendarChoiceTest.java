package dev.aide.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.ToolHarness;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolExecution;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The person says by chat which calendar an event goes to, and which takes new events")
class CalendarChoiceTest {

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
    userId = UUID.fromString(api.register("choice@example.com", "Europe/Paris").getString("id"));
    for (String name : List.of("Work", "Work Travel", "Team A", "Team B")) {
      assertThat(api.post("/api/v1/calendars", new JsonObject().put("name", name)).status()).isEqualTo(201);
    }
  }

  @Test
  @DisplayName("a calendar named in any case, with 'my … calendar' or by a unique part of its name, takes the event")
  void named() {
    ToolExecution work = run("createEvent", event("Planning").put("calendar", "my WORK calendar"));
    assertThat(work.result()).isEqualTo("Added «Planning» on Thu 19 Nov 2026 15:00–16:00 in the calendar «Work».");
    assertThat(calendarOf("Planning")).isEqualTo("Work");

    run("createEvent", event("Flight").put("calendar", "travel"));
    assertThat(calendarOf("Flight")).isEqualTo("Work Travel");

    run("createEvent", event("Lunch"));
    assertThat(calendarOf("Lunch")).isEqualTo("Calendar");
  }

  @Test
  @DisplayName("an unknown or ambiguous calendar is answered with the calendars there are, and nothing is created")
  void unknownOrAmbiguous() {
    ToolExecution unknown = run("createEvent", event("Gym").put("calendar", "Sport"));
    assertThat(unknown.result()).startsWith("Error: no calendar of the user's is called «Sport»; nothing was done.")
        .contains("«Calendar» (primary)", "«Work»", "«Work Travel»", "«Team A»", "«Team B»");
    ToolExecution ambiguous = run("createEvent", event("Retro").put("calendar", "team"));
    assertThat(ambiguous.result()).startsWith("Error: several calendars of the user's match «team»");
    ToolExecution blank = run("createEvent", event("Retro").put("calendar", "  my  "));
    assertThat(blank.result()).startsWith("Error: ");
    assertThat(aide.db().value("select count(*) from events", Long.class)).isZero();
  }

  @Test
  @DisplayName("another person's calendar is never found by its name")
  void otherPerson() {
    Api other = aide.api();
    other.register("other@example.com", "Europe/Paris");
    assertThat(other.post("/api/v1/calendars", new JsonObject().put("name", "Secret")).status()).isEqualTo(201);
    ToolExecution answer = run("createEvent", event("Peek").put("calendar", "Secret"));
    assertThat(answer.result()).startsWith("Error: no calendar of the user's is called «Secret»")
        .doesNotContain("«Secret» (");
    assertThat(run("setDefaultCalendar", new JsonObject().put("calendar", "secret")).result()).startsWith("Error: ");
    assertThat(aide.db().value("select count(*) from events", Long.class)).isZero();
    assertThat(aide.db().value("select count(*) from calendars where takes_new_events", Long.class)).isZero();
  }

  @Test
  @DisplayName("a default calendar takes the events that name none until the person chooses another or the primary")
  void defaultCalendar() {
    ToolExecution chosen = run("setDefaultCalendar", new JsonObject().put("calendar", "work"));
    assertThat(chosen.result()).isEqualTo("New events go to the calendar «Work» from now on, unless you name another.");
    run("createEvent", event("Review"));
    assertThat(calendarOf("Review")).isEqualTo("Work");
    JsonArray listed = api.get("/api/v1/calendars").json().getJsonArray("items");
    assertThat(listed.stream().map(o -> (JsonObject) o).filter(c -> c.getBoolean("default")).map(c -> c.getString("name")))
        .containsExactly("Work");
    // an event the REST API creates without a calendarId goes there too
    assertThat(api.post("/api/v1/events", new JsonObject().put("title", "Posted")
        .put("start", "2026-11-20T10:00:00+01:00").put("end", "2026-11-20T11:00:00+01:00")).status()).isEqualTo(201);
    assertThat(calendarOf("Posted")).isEqualTo("Work");

    run("setDefaultCalendar", new JsonObject().put("calendar", "Team B"));
    run("createEvent", event("Standup").put("calendar", "team a"));
    assertThat(calendarOf("Standup")).isEqualTo("Team A");
    run("createEvent", event("Sync"));
    assertThat(calendarOf("Sync")).isEqualTo("Team B");
    assertThat(aide.db().value("select count(*) from calendars where takes_new_events", Long.class)).isEqualTo(1L);

    run("setDefaultCalendar", new JsonObject().put("calendar", "Calendar"));
    run("createEvent", event("Home"));
    assertThat(calendarOf("Home")).isEqualTo("Calendar");
    assertThat(aide.db().value("select count(*) from calendars where takes_new_events", Long.class)).isZero();
  }

  @Test
  @DisplayName("changeEvent moves a whole event, every occurrence of a series, to another calendar")
  void move() {
    run("createEvent", event("Standup").put("rrule", "FREQ=DAILY"));
    ToolExecution moved = run("changeEvent", new JsonObject().put("title", "standup").put("newCalendar", "team b"));
    assertThat(moved.result()).isEqualTo("Changed «Standup»: it is in the calendar «Team B» now.");
    assertThat(calendarOf("Standup")).isEqualTo("Team B");
    ToolExecution nowhere = run("changeEvent", new JsonObject().put("title", "standup").put("newCalendar", "Nope"));
    assertThat(nowhere.result()).startsWith("Error: no calendar of the user's is called «Nope»");
    assertThat(calendarOf("Standup")).isEqualTo("Team B");
  }

  @Test
  @DisplayName("two calendars of the same name are listed with their ids, and the id the model gives back chooses one")
  void sameName() {
    assertThat(api.post("/api/v1/calendars", new JsonObject().put("name", "work")).status()).isEqualTo(201);
    UUID second = UUID.fromString(aide.db().value("select id::text from calendars where name = 'work'", String.class));
    UUID first = UUID.fromString(aide.db().value("select id::text from calendars where name = 'Work'", String.class));
    ToolExecution ambiguous = run("createEvent", event("Retro").put("calendar", "Work"));
    assertThat(ambiguous.result()).startsWith("Error: several calendars of the user's match «Work»")
        .contains("«Work» [calendarId " + first + "]", "«work» [calendarId " + second + "]", "calendarId as the name")
        .doesNotContain("«Team A» [");
    run("createEvent", event("Retro").put("calendar", second.toString()));
    assertThat(aide.db().value("select calendar_id::text from events where title = 'Retro'", String.class))
        .isEqualTo(second.toString());
    run("changeEvent", new JsonObject().put("title", "retro").put("newCalendar", first.toString()));
    assertThat(aide.db().value("select calendar_id::text from events where title = 'Retro'", String.class))
        .isEqualTo(first.toString());
    run("setDefaultCalendar", new JsonObject().put("calendar", second.toString()));
    assertThat(aide.db().value("select name from calendars where takes_new_events", String.class)).isEqualTo("work");
  }

  @Test
  @DisplayName("another person's calendar is reached neither by a name both have nor by its id, in any tool")
  void otherPersonsSameNameAndId() {
    Api other = aide.client();
    other.register("other2@example.com", "Europe/Paris");
    UUID theirs = UUID.fromString(other.post("/api/v1/calendars", new JsonObject().put("name", "Work")).json()
        .getString("id"));
    UUID mine = UUID.fromString(aide.db().value("select id::text from calendars where name = 'Work' and user_id = '"
        + userId + "'", String.class));
    run("createEvent", event("Mine").put("calendar", "Work"));
    assertThat(aide.db().value("select calendar_id::text from events where title = 'Mine'", String.class))
        .isEqualTo(mine.toString());
    assertThat(run("createEvent", event("Peek").put("calendar", theirs.toString())).result())
        .startsWith("Error: no calendar of the user's is called");
    assertThat(run("changeEvent", new JsonObject().put("title", "mine").put("newCalendar", theirs.toString()))
        .result()).startsWith("Error: no calendar of the user's is called");
    assertThat(run("setDefaultCalendar", new JsonObject().put("calendar", theirs.toString())).result())
        .startsWith("Error: no calendar of the user's is called");
    assertThat(aide.db().value("select count(*) from events where calendar_id = '" + theirs + "'", Long.class))
        .isZero();
    assertThat(aide.db().value("select count(*) from calendars where takes_new_events", Long.class)).isZero();
    assertThat(aide.db().value("select calendar_id::text from events where title = 'Mine'", String.class))
        .isEqualTo(mine.toString());
  }

  @Test
  @DisplayName("moving a changed occurrence moves its whole series, overrides with it; it never splits the series")
  void moveOverriddenOccurrence() {
    run("createEvent", event("Standup").put("rrule", "FREQ=DAILY"));
    run("changeEvent", new JsonObject().put("title", "standup").put("date", "2026-11-21").put("newStart", "11:00"));
    String override = aide.db().value("select id::text from events where series_id is not null", String.class);
    // named by the override's own id (as the REST API shows it)
    ToolExecution moved = run("changeEvent", new JsonObject().put("eventId", override).put("newCalendar", "Team A"));
    assertThat(moved.result()).isEqualTo("Changed «Standup»: it is in the calendar «Team A» now.");
    assertThat(aide.db().value("select count(distinct calendar_id) from events where title = 'Standup'", Long.class))
        .isEqualTo(1L);
    assertThat(calendarOf("Standup")).isEqualTo("Team A");
    // the REST API refuses to move an occurrence's override apart from its series
    UUID work = UUID.fromString(aide.db().value("select id::text from calendars where name = 'Work'", String.class));
    assertThat(api.patch("/api/v1/events/" + override, new JsonObject().put("calendarId", work.toString())).status())
        .isBetween(400, 499);
    assertThat(aide.db().value("select count(distinct calendar_id) from events where title = 'Standup'", Long.class))
        .isEqualTo(1L);
  }

  @Test
  @DisplayName("moving an event to the calendar it is in changes nothing and says so")
  void moveToSameCalendar() {
    run("createEvent", event("Review").put("calendar", "Work"));
    String before = aide.db().value("select updated_at::text from events where title = 'Review'", String.class);
    ToolExecution same = run("changeEvent", new JsonObject().put("title", "review").put("newCalendar", "work"));
    assertThat(same.result()).isEqualTo("«Review» is in the calendar «Work» already; nothing was changed.");
    assertThat(aide.db().value("select updated_at::text from events where title = 'Review'", String.class))
        .isEqualTo(before);
  }

  private static JsonObject event(String title) {
    return new JsonObject().put("title", title).put("start", "2026-11-19T15:00:00+01:00");
  }

  private String calendarOf(String title) {
    return aide.db().value("select c.name from events e join calendars c on c.id = e.calendar_id where e.title = '"
        + title + "' and e.series_id is null", String.class);
  }

  private ToolExecution run(String tool, JsonObject arguments) {
    tools.model().then(tool, arguments);
    Result<String> result = tools.chat(userId, "do it");
    assertThat(result.toolExecutions()).hasSize(1);
    return result.toolExecutions().get(0);
  }
}
