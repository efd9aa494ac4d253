package dev.aide.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.calendar.CalendarTools;
import dev.aide.calendar.EventRepository;
import dev.aide.calendar.EventService;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.aide.scheduler.TaskRepository;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.TestClock;
import dev.aide.support.ToolHarness;
import dev.langchain4j.service.tool.ToolExecution;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recurrence rules are checked where they enter (the reminder and event APIs, the assistant's tools): parsed strictly,
 * occurring at least once from their start, no more often than once a minute for a reminder or hourly for an event.
 * A refused rule is a 422 (or the tool's error text) and nothing is stored.
 */
@DisplayName("Recurrence rules that flood, never occur or do not parse are refused where they enter, nothing stored")
class RecurrenceRuleInputTest {

  private static final String DUE = "2026-12-01T08:00:00Z";
  // Aide's clock stands a day before DUE, so nothing comes due while the tests run, even if it were stored.
  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-11-30T08:00:00Z"));

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).freshEachTest();

  private static ToolHarness tools;

  private final Api api = aide.api();
  private UUID userId;

  @BeforeAll
  static void start() {
    tools = new ToolHarness(aide.db(), (pool, confirmations) -> {
      EventService events = new EventService(new EventRepository(pool));
      return List.of(new ReminderTools(new ReminderService(new ReminderRepository(pool, new TaskRepository(pool, CLOCK)), RateLimiter.Gate.OPEN, CLOCK),
              events, confirmations, CLOCK),
          new CalendarTools(events, confirmations, CLOCK));
    });
  }

  @AfterAll
  static void stop() {
    tools.close();
  }

  @BeforeEach
  void client() {
    userId = UUID.fromString(api.register("rules@example.com", "Europe/Paris").getString("id"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "FREQ=SECONDLY",
      "FREQ=SECONDLY;INTERVAL=30",
      "FREQ=MINUTELY;BYSECOND=0,30",
      "FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0,1",
      "FREQ=WEEKLY;BYDAY=XX",
      "FREQ=DAILY;INTERVAL=0",
      "FREQ=DAILY;COUNT=abc",
      "FREQ=DAILY;UNTIL=soon",
      "FREQ=DAILY;FOO=BAR",
      "FREQ=FORTNIGHTLY",
      "every tuesday",
      "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
      "FREQ=DAILY;UNTIL=20261101T000000Z",
      "FREQ=MINUTELY;BYDAY=MO"})
  @DisplayName("a reminder with a bad rule is 422 with a message naming the rule, and not stored")
  void badReminderRules(String rrule) {
    Api.Response r = api.post("/api/v1/reminders", new JsonObject().put("text", "x").put("dueAt", DUE).put("rrule", rrule));

    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().getJsonObject("error").getString("message")).contains("rrule");
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
    assertThat(aide.db().number("select count(*) from scheduled_tasks")).isZero();
  }

  @Test
  @DisplayName("the refusals say why: more often than once a minute, never occurring, not parsing")
  void messages() {
    assertThat(message("FREQ=SECONDLY")).contains("more often than once a minute");
    assertThat(message("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")).contains("never occurs");
    assertThat(message("FREQ=DAILY;UNTIL=20261101T000000Z")).contains("never occurs");
    assertThat(message("FREQ=WEEKLY;BYDAY=XX")).contains("not a valid RFC 5545 RRULE");
    assertThat(message("FREQ=MINUTELY;BYDAY=MO")).contains("too far apart for FREQ=MINUTELY");
  }

  @Test
  @DisplayName("rules within the limits are stored in canonical form: once a minute, every half hour, weekdays at 9")
  void goodReminderRules() {
    for (String rrule : List.of("FREQ=MINUTELY", "rrule:freq=hourly;byminute=0,30", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "FREQ=HOURLY;BYDAY=MO,TU,WE,TH,FR", "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=DAILY;COUNT=1")) {
      Api.Response r = api.post("/api/v1/reminders", new JsonObject().put("text", "x").put("dueAt", DUE).put("rrule", rrule));
      assertThat(r.status()).as(rrule + ": " + r.body()).isEqualTo(201);
    }
    assertThat(aide.db().strings("select rrule from reminders order by created_at")).containsExactly("FREQ=MINUTELY",
        "FREQ=HOURLY;BYMINUTE=0,30", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "FREQ=HOURLY;BYDAY=MO,TU,WE,TH,FR",
        "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=DAILY;COUNT=1");
  }

  @Test
  @DisplayName("a change that leaves a reminder's rule without an occurrence (a new rule, or a due time after its "
      + "UNTIL) is 422 and the reminder stays as it was")
  void badChanges() {
    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "x").put("dueAt", DUE)
        .put("rrule", "FREQ=DAILY;UNTIL=20261210T000000Z")).json().getString("id");

    assertThat(api.patch("/api/v1/reminders/" + id, new JsonObject().put("rrule", "FREQ=SECONDLY")).status())
        .isEqualTo(422);
    assertThat(api.patch("/api/v1/reminders/" + id, new JsonObject().put("dueAt", "2026-12-20T08:00:00Z")).status())
        .isEqualTo(422);
    assertThat(api.post("/api/v1/reminders/" + id + "/snooze", new JsonObject().put("until", "2026-12-20T08:00:00Z"))
        .status()).isEqualTo(422);
    JsonObject kept = api.get("/api/v1/reminders/" + id).json();
    assertThat(kept.getString("rrule")).isEqualTo("FREQ=DAILY;UNTIL=20261210T000000Z");
    assertThat(kept.getString("dueAt")).isEqualTo("2026-12-01T09:00:00+01:00");
    assertThat(api.patch("/api/v1/reminders/" + id, new JsonObject().put("dueAt", "2026-12-05T08:00:00Z")).status())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("a flood attempt, 100 reminders repeating every second, is refused 100 times: nothing stored, nothing told")
  void flood() {
    for (int i = 0; i < 100; i++) {
      Api.Response r = api.post("/api/v1/reminders", new JsonObject().put("text", "flood " + i)
          .put("dueAt", CLOCK.instant().plusSeconds(1).toString()).put("rrule", "FREQ=SECONDLY"));
      assertThat(r.status()).isEqualTo(422);
    }
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
    assertThat(aide.db().number("select count(*) from scheduled_tasks")).isZero();
    assertThat(aide.db().number("select count(*) from notifications")).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FREQ=MINUTELY", "FREQ=HOURLY;BYMINUTE=0,30", "FREQ=WEEKLY;BYDAY=XX", "FREQ=DAILY;INTERVAL=0",
      "FREQ=DAILY;COUNT=abc", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;UNTIL=20261101T000000Z"})
  @DisplayName("an event with a bad rule (or one repeating more often than hourly) is 422 and not stored")
  void badEventRules(String rrule) {
    Api.Response r = api.post("/api/v1/events", new JsonObject().put("title", "standup").put("start", DUE)
        .put("end", "2026-12-01T08:15:00Z").put("rrule", rrule));

    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(aide.db().number("select count(*) from events")).isZero();
  }

  @Test
  @DisplayName("the createReminder and createEvent tools refuse the same rules with an error the model reads, "
      + "storing nothing")
  void tools() {
    tools.model()
        .then("createReminder", new JsonObject().put("text", "ping").put("dueAt", "2026-12-01T09:00:00+01:00")
            .put("rrule", "FREQ=SECONDLY"))
        .then("createReminder", new JsonObject().put("text", "ping").put("dueAt", "2026-12-01T09:00:00+01:00")
            .put("rrule", "FREQ=WEEKLY;BYDAY=XX"))
        .then("createReminder", new JsonObject().put("text", "ping").put("dueAt", "2026-12-01T09:00:00+01:00")
            .put("rrule", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"))
        .then("createEvent", new JsonObject().put("title", "standup").put("start", "2026-12-01T09:00:00+01:00")
            .put("rrule", "FREQ=DAILY;INTERVAL=0"));

    List<ToolExecution> ran = tools.turn(userId, "remind me every second to ping");

    assertThat(ran).extracting(e -> e.request().name())
        .containsExactly("createReminder", "createReminder", "createReminder", "createEvent");
    assertThat(ran).allSatisfy(e -> assertThat(e.result()).startsWith("Error").contains("rrule"));
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
    assertThat(aide.db().number("select count(*) from events")).isZero();
  }

  @Test
  @DisplayName("a repeating reminder first due far in the past (every minute since 1900: 66 million steps to today) "
      + "is 422 through the API, POST and PATCH alike, and nothing changes; one a year since 1980 is fine")
  void farPastRepeating() {
    Api.Response r = api.post("/api/v1/reminders", new JsonObject().put("text", "x")
        .put("dueAt", "1900-01-01T00:00:00Z").put("rrule", "FREQ=MINUTELY"));
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().getJsonObject("error").getString("message"))
        .startsWith("dueAt of a repeating reminder may lie at most 100000 repetitions in the past (FREQ=MINUTELY: "
            + "not before 2026-09-21T21:2")
        .endsWith("); give the next time it is due");
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
    assertThat(aide.db().number("select count(*) from scheduled_tasks")).isZero();

    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "stretch").put("dueAt", DUE)
        .put("rrule", "FREQ=MINUTELY")).json().getString("id");
    assertThat(api.patch("/api/v1/reminders/" + id, new JsonObject().put("dueAt", "1900-01-01T00:00:00Z")).status())
        .isEqualTo(422);
    assertThat(api.patch("/api/v1/reminders/" + id, new JsonObject().put("dueAt", "2026-06-01T00:00:00Z")
        .put("rrule", "FREQ=MINUTELY;INTERVAL=2")).status()).as("six months back is 130,000 repetitions of every other minute")
        .isEqualTo(422);
    JsonObject kept = api.get("/api/v1/reminders/" + id).json();
    assertThat(kept.getString("dueAt")).isEqualTo("2026-12-01T09:00:00+01:00");
    assertThat(kept.getString("rrule")).isEqualTo("FREQ=MINUTELY");

    Api.Response birthday = api.post("/api/v1/reminders", new JsonObject().put("text", "Sam's birthday")
        .put("dueAt", "1980-05-05T08:00:00Z").put("rrule", "FREQ=YEARLY"));
    assertThat(birthday.status()).as(birthday.body()).isEqualTo(201);
  }

  @Test
  @DisplayName("createReminder and changeReminder refuse the same far-past first due time, storing and changing nothing")
  void farPastRepeatingTools() {
    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "stretch").put("dueAt", DUE)
        .put("rrule", "FREQ=MINUTELY")).json().getString("id");
    tools.model()
        .then("createReminder", new JsonObject().put("text", "x").put("dueAt", "1900-01-01T00:00:00Z")
            .put("rrule", "FREQ=MINUTELY"))
        .then("changeReminder", new JsonObject().put("id", id).put("newDueAt", "1900-01-01T00:00:00Z"));

    List<ToolExecution> ran = tools.turn(userId, "remind me every minute since 1900");

    assertThat(ran).extracting(e -> e.request().name()).containsExactly("createReminder", "changeReminder");
    assertThat(ran).allSatisfy(e -> assertThat(e.result())
        .startsWith("Error: dueAt of a repeating reminder may lie at most 100000 repetitions in the past"));
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(1);
    assertThat(api.get("/api/v1/reminders/" + id).json().getString("dueAt")).isEqualTo("2026-12-01T09:00:00+01:00");
  }

  private String message(String rrule) {
    return api.post("/api/v1/reminders", new JsonObject().put("text", "x").put("dueAt", DUE).put("rrule", rrule))
        .json().getJsonObject("error").getString("message");
  }
}
