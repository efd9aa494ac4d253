package dev.aide.http;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Bad input gets a clear error and changes nothing")
class InputRulesTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(TestClock.at(Instant.parse("2026-11-20T12:00:00Z")))
      .freshEachTest();

  private final Api api = aide.api();
  private UUID userId;

  @BeforeEach
  void client() {
    userId = UUID.fromString(api.register("ida@example.com", "Europe/Paris").getString("id"));
  }

  @Test
  @DisplayName("a reminder due in 1700 or in year -999999999 is a 422 naming dueAt, nothing is stored, and the list still reads")
  void reminderOutOfRange() {
    for (String dueAt : new String[] {"1700-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
        "9999-12-31T23:59:59Z", "1899-12-31T23:59:59+00:00", "2201-01-01T00:00:00Z"}) {
      Api.Response r = api.post("/api/v1/reminders", new JsonObject().put("text", "x").put("dueAt", dueAt));
      assertThat(r.status()).as(dueAt).isEqualTo(422);
      assertThat(r.errorCode()).isEqualTo("validation_failed");
      assertThat(message(r)).isEqualTo("dueAt must be a date between 1900-01-01 and 2200-12-31");
    }
    assertThat(count("reminders")).isZero();
    assertThat(aide.db().number("select count(*) from scheduled_tasks where type = 'reminder'")).isZero();
    assertThat(api.get("/api/v1/reminders").status()).isEqualTo(200);
    assertThat(api.get("/api/v1/scheduled").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("snoozing a reminder until 1700 is a 422 and leaves it due when it was")
  void snoozeOutOfRange() {
    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "call mom")
        .put("dueAt", "2026-12-01T09:00:00+01:00")).json().getString("id");

    Api.Response r = api.post("/api/v1/reminders/" + id + "/snooze", new JsonObject().put("until", "1700-01-01T00:00:00Z"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(message(r)).startsWith("until must be a date between");
    assertThat(api.get("/api/v1/reminders/" + id).json().getString("dueAt")).isEqualTo("2026-12-01T09:00:00+01:00");
  }

  @Test
  @DisplayName("the range is 1900-01-01 to 2200-12-31 inclusive, for events, expenses and the dates of queries alike")
  void rangeEdges() {
    assertThat(allDay("1900-01-01").status()).isEqualTo(201);
    assertThat(allDay("2200-12-30").status()).isEqualTo(201);
    assertThat(allDay("1899-12-31").status()).isEqualTo(422);
    assertThat(allDay("2201-01-01").status()).isEqualTo(422);
    assertThat(api.post("/api/v1/events", new JsonObject().put("title", "x").put("start", "-999999999-01-01T00:00:00Z")
        .put("end", "2026-01-01T00:00:00Z")).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/expenses", new JsonObject().put("amount", "3").put("spentOn", "1899-12-31")).status())
        .isEqualTo(422);
    assertThat(api.post("/api/v1/expenses", new JsonObject().put("amount", "3").put("spentOn", "1900-01-01")).status())
        .isEqualTo(201);
    assertThat(api.post("/api/v1/proactive-messages", new JsonObject().put("content", "x")
        .put("scheduledFor", "-999999999-01-01T00:00:00Z")).status()).isEqualTo(422);
    for (String query : new String[] {"/api/v1/events?from=-999999999-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
        "/api/v1/reminders?from=1700-01-01T00:00:00Z", "/api/v1/expenses?from=%2B999999999-12-31",
        "/api/v1/expenses/summary?to=1700-01-01", "/api/v1/budgets?month=%2B999999999-12",
        "/api/v1/availability?from=1700-01-01T00:00:00Z&to=1700-01-02T00:00:00Z",
        "/api/v1/scheduled?until=%2B999999999-12-31T23:59:59Z"}) {
      Api.Response r = api.get(query);
      assertThat(r.status()).as(query).isEqualTo(422);
      assertThat(message(r)).as(query).contains("must be a date between 1900-01-01 and 2200-12-31");
    }
    assertThat(count("events")).isEqualTo(2);
    assertThat(count("expenses")).isEqualTo(1);
    assertThat(count("proactive_messages")).isZero();
  }

  @Test
  @DisplayName("PATCH /me with a NUL in goals is a 422 naming goals, and the name sent with it is not saved")
  void nulInProfile() {
    Api.Response r = api.patch("/api/v1/me", new JsonObject().put("name", "Changed").put("goals", "x\u0000"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(message(r)).startsWith("goals must not contain control characters such as U+0000 (NUL)");
    assertThat(api.get("/api/v1/me").json().getString("name")).isEqualTo("Test Person");
  }

  @Test
  @DisplayName("a PATCH /me whose last write fails keeps none of its earlier writes (one transaction)")
  void profileChangeIsOneTransaction() {
    // The database refuses the context row, as a failing disk or a constraint would: the profile's own row was
    // written first in the same request.
    aide.db().execute("""
        create function refuse_goals() returns trigger language plpgsql as $$
        begin if new.goals = 'refused' then raise exception 'refused by the test'; end if; return new; end $$;
        create trigger refuse_goals before insert or update on user_context for each row execute function refuse_goals();
        """);
    try {
      Api.Response r = api.patch("/api/v1/me", new JsonObject().put("name", "Changed").put("timezone", "Asia/Tokyo")
          .put("goals", "refused").put("quietHours", new JsonObject().put("start", "22:00").put("end", "07:00")));

      assertThat(r.status()).isEqualTo(500);
      JsonObject me = api.get("/api/v1/me").json();
      assertThat(me.getString("name")).isEqualTo("Test Person");
      assertThat(me.getString("timezone")).isEqualTo("Europe/Paris");
      assertThat(me.getValue("quietHours")).isNull();
    } finally {
      aide.db().execute("drop trigger refuse_goals on user_context; drop function refuse_goals()");
    }
  }

  @Test
  @DisplayName("a NUL or another control character anywhere in a body, nested objects and arrays too, is a 422 naming the field")
  void controlCharactersNamed() {
    Api.Response attendee = api.post("/api/v1/events", new JsonObject().put("title", "x")
        .put("start", "2026-12-01T09:00:00Z").put("end", "2026-12-01T10:00:00Z")
        .put("attendees", new JsonArray().add(new JsonObject().put("email", "sam@example.com").put("name", "S\u0000m"))));
    Api.Response hours = api.patch("/api/v1/me", new JsonObject().put("workingHours",
        new JsonObject().put("start", "09:00\u0000").put("end", "17:00")));
    Api.Response bell = api.post("/api/v1/notes", new JsonObject().put("content", "ring \u0007 the bell"));
    Api.Response key = api.send(HttpMethod.POST, "/api/v1/notes", Buffer.buffer("{\"content\":\"x\",\"a\\u0000\":1}"),
        "application/json");

    assertThat(attendee.status()).isEqualTo(422);
    assertThat(message(attendee)).startsWith("attendees[0].name must not contain control characters");
    assertThat(hours.status()).isEqualTo(422);
    assertThat(message(hours)).startsWith("workingHours.start must not contain");
    assertThat(bell.status()).isEqualTo(422);
    assertThat(message(bell)).startsWith("content must not contain control characters such as U+0007");
    assertThat(key.status()).isEqualTo(422);
    assertThat(message(key)).isEqualTo("the field name a? must not contain control characters");
    assertThat(count("events") + count("notes")).isZero();
  }

  @Test
  @DisplayName("tabs and line breaks are text like any other")
  void tabsAndLineBreaksAllowed() {
    Api.Response note = api.post("/api/v1/notes", new JsonObject().put("content", "line one\n\tline two\r\nthree"));

    assertThat(note.status()).isEqualTo(201);
    assertThat(note.json().getString("content")).isEqualTo("line one\n\tline two\r\nthree");
  }

  @Test
  @DisplayName("a NUL in a query parameter is a 422 naming it, before any query runs")
  void nulInQuery() {
    Api.Response r = api.get("/api/v1/notes?q=wifi%00");

    assertThat(r.status()).isEqualTo(422);
    assertThat(message(r)).startsWith("q must not contain control characters");
    assertThat(api.get("/api/v1/notes?q=%zz").status()).isEqualTo(400);
  }

  @Test
  @DisplayName("a missing body, an empty one, null, an array, a string or a number is a 400, on every kind of write")
  void bodiesThatAreNotObjects() {
    for (String path : new String[] {"/api/v1/notes", "/api/v1/reminders", "/api/v1/auth/login", "/api/v1/chat",
        "/api/v1/events", "/api/v1/lists"}) {
      for (String body : new String[] {null, "", "null", "[]", "[{\"text\":\"x\"}]", "\"x\"", "42"}) {
        Api.Response r = api.send(HttpMethod.POST, path, body == null ? null : Buffer.buffer(body), "application/json");
        assertThat(r.status()).as(path + " " + body).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("invalid_json");
      }
    }
    Api.Response put = api.send(HttpMethod.PUT, "/api/v1/budgets/food", null, "application/json");
    assertThat(put.status()).isEqualTo(400);
    assertThat(count("notes") + count("reminders") + count("events") + count("lists") + count("budgets")).isZero();
  }

  @Test
  @DisplayName("a form body on a GET is ignored rather than failing the request")
  void formBodyOnGet() {
    Api.Response r = api.send(HttpMethod.GET, "/api/v1/notes", Buffer.buffer("a=1"), "application/x-www-form-urlencoded");

    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  @DisplayName("numbers too large for any field (1e309, 2^63, 9999999999999999999) and nesting 1500 deep are clear 4xx")
  void hugeNumbersAndDepth() {
    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "call mom")
        .put("dueAt", "2026-12-01T09:00:00+01:00")).json().getString("id");
    String list = api.post("/api/v1/lists", new JsonObject().put("name", "groceries")).json().getString("id");

    assertThat(raw(HttpMethod.POST, "/api/v1/reminders/" + id + "/snooze", "{\"minutes\":1e309}").status()).isEqualTo(422);
    assertThat(raw(HttpMethod.POST, "/api/v1/reminders/" + id + "/snooze", "{\"minutes\":9223372036854775808}").status())
        .isEqualTo(422);
    assertThat(raw(HttpMethod.POST, "/api/v1/lists/" + list + "/items", "{\"text\":\"milk\",\"quantity\":9999999999999999999}")
        .status()).isEqualTo(422);
    assertThat(raw(HttpMethod.POST, "/api/v1/lists/" + list + "/items", "{\"text\":\"milk\",\"quantity\":1e309}").status())
        .isEqualTo(422);
    assertThat(raw(HttpMethod.POST, "/api/v1/expenses", "{\"amount\":1e309}").status()).isEqualTo(422);
    assertThat(raw(HttpMethod.POST, "/api/v1/notes", "{\"content\":" + "[".repeat(1500) + "]".repeat(1500) + "}").status())
        .isEqualTo(400);
    assertThat(count("list_items") + count("expenses") + count("notes")).isZero();
  }

  @Test
  @DisplayName("an event lasting more than 400 days is a 422 and is not stored")
  void eventTooLong() {
    Api.Response r = api.post("/api/v1/events", new JsonObject().put("title", "sabbatical")
        .put("start", "2026-12-01T09:00:00Z").put("end", "2028-01-10T09:00:00Z"));
    Api.Response allDay = api.post("/api/v1/events", new JsonObject().put("title", "sabbatical").put("allDay", true)
        .put("start", "2026-12-01").put("end", "2028-01-10"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(message(r)).isEqualTo("an event may last at most 400 days");
    assertThat(allDay.status()).isEqualTo(422);
    assertThat(count("events") + count("calendars")).isZero();
  }

  @Test
  @DisplayName("moving an event's end more than 400 days past its start is a 422 and leaves the event as it was")
  void eventChangedTooLong() {
    String id = api.post("/api/v1/events", new JsonObject().put("title", "trip").put("start", "2026-12-01T09:00:00Z")
        .put("end", "2026-12-03T09:00:00Z")).json().getString("id");

    Api.Response r = api.patch("/api/v1/events/" + id, new JsonObject().put("end", "2150-01-01T00:00:00Z"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(api.get("/api/v1/events/" + id).json().getString("end")).isEqualTo("2026-12-03T10:00:00+01:00");
  }

  @Test
  @DisplayName("an .ics file's event in 1700 is reported in errors and not imported; the file's other events are")
  void icsOutOfRange() {
    String ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + "BEGIN:VEVENT\r\nUID:old@test\r\nDTSTAMP:20261120T120000Z\r\nDTSTART:17000101T090000Z\r\n"
        + "DTEND:17000101T100000Z\r\nSUMMARY:Old\r\nEND:VEVENT\r\n"
        + "BEGIN:VEVENT\r\nUID:nul@test\r\nDTSTAMP:20261120T120000Z\r\nDTSTART:20261201T090000Z\r\n"
        + "DTEND:20261201T100000Z\r\nSUMMARY:Nul \u0000 here\r\nEND:VEVENT\r\n"
        + "BEGIN:VEVENT\r\nUID:fine@test\r\nDTSTAMP:20261120T120000Z\r\nDTSTART:20261202T090000Z\r\n"
        + "DTEND:20261202T100000Z\r\nSUMMARY:Fine\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    Api.Response r = api.send(HttpMethod.POST, "/api/v1/calendar/import", Buffer.buffer(ics), "text/calendar");

    // ical4j drops the NUL as it reads the file; whatever a parser lets through, the event's own rules stop it.
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getInteger("imported")).isEqualTo(2);
    assertThat(r.json().getJsonArray("errors").encode()).contains("old@test: start must be a date between 1900-01-01");
    assertThat(aide.db().strings("select title from events where user_id = ? and deleted_at is null order by start_at",
        userId)).containsExactly("Nul  here", "Fine");
  }

  private Api.Response allDay(String date) {
    return api.post("/api/v1/events", new JsonObject().put("title", "day " + date).put("allDay", true).put("start", date));
  }

  private Api.Response raw(HttpMethod method, String path, String body) {
    return api.send(method, path, Buffer.buffer(body), "application/json");
  }

  private long count(String table) {
    return aide.db().number("select count(*) from " + table + " where user_id = ?", userId);
  }

  private static String message(Api.Response r) {
    return r.json().getJsonObject("error").getString("message");
  }
}
