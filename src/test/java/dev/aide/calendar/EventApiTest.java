package dev.aide.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Events are managed through the REST API, recurring ones expanded into occurrences")
class EventApiTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("cal@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @Test
  @DisplayName("an event is created, read, listed in its window, moved, and soft-deleted")
  void lifecycle() {
    Api.Response created = api.post("/api/v1/events", new JsonObject().put("title", "Dentist")
        .put("start", "2026-11-20T08:00:00Z").put("end", "2026-11-20T08:45:00Z").put("location", "Rue Cler")
        .put("description", "check-up")
        .put("attendees", new JsonArray().add(new JsonObject().put("email", "Dr@Example.com").put("name", "Dr Who"))));
    assertThat(created.status()).isEqualTo(201);
    JsonObject event = created.json();
    assertThat(event.fieldNames()).contains("id", "title", "start", "end", "timezone", "allDay", "rrule", "location",
        "description", "status", "calendarId", "attendees", "conflicts");
    assertThat(event.getString("start")).isEqualTo("2026-11-20T09:00:00+01:00");
    assertThat(event.getString("end")).isEqualTo("2026-11-20T09:45:00+01:00");
    assertThat(event.getString("timezone")).isEqualTo("Europe/Paris");
    assertThat(event.getBoolean("allDay")).isFalse();
    assertThat(event.getString("status")).isEqualTo("confirmed");
    assertThat(event.getJsonArray("conflicts")).isEmpty();
    assertThat(event.getJsonArray("attendees").getJsonObject(0).getString("email")).isEqualTo("dr@example.com");
    assertThat(event.getJsonArray("attendees").getJsonObject(0).getString("responseStatus")).isEqualTo("needs-action");
    String path = "/api/v1/events/" + event.getString("id");

    assertThat(api.get(path).json().getString("title")).isEqualTo("Dentist");
    JsonArray items = window("2026-11-20T00:00:00+01:00", "2026-11-21T00:00:00+01:00");
    assertThat(items).hasSize(1);
    assertThat(items.getJsonObject(0).fieldNames()).contains("eventId", "title", "start", "end");
    assertThat(items.getJsonObject(0).getString("eventId")).isEqualTo(event.getString("id"));

    Api.Response moved = api.patch(path, new JsonObject().put("start", "2026-11-20T10:00:00+01:00").put("location", null));
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.json().getString("end")).isEqualTo("2026-11-20T10:45:00+01:00");
    assertThat(moved.json().getString("location")).isNull();
    assertThat(moved.json().getString("description")).isEqualTo("check-up");
    assertThat(moved.json().getJsonArray("attendees")).hasSize(1);

    assertThat(api.delete(path).status()).isEqualTo(204);
    assertThat(api.get(path).status()).isEqualTo(404);
    assertThat(api.delete(path).status()).isEqualTo(404);
    assertThat(window("2026-11-20T00:00:00+01:00", "2026-11-21T00:00:00+01:00")).isEmpty();
    assertThat(aide.db().number("select count(*) from events where deleted_at is not null")).isEqualTo(1);
  }

  @Test
  @DisplayName("a weekly series keeps 9:00 in its timezone across the end of summer time, ordered among other events")
  void recurringAcrossDaylightSaving() {
    String series = api.post("/api/v1/events", new JsonObject().put("title", "Team standup")
        .put("start", "2026-10-19T09:00:00+02:00").put("end", "2026-10-19T09:15:00+02:00")
        .put("timezone", "Europe/Paris").put("rrule", "FREQ=WEEKLY;BYDAY=MO")).json().getString("id");
    api.post("/api/v1/events", new JsonObject().put("title", "Lunch").put("start", "2026-10-27T12:00:00+01:00")
        .put("end", "2026-10-27T13:00:00+01:00"));

    JsonArray items = window("2026-10-19T00:00:00+02:00", "2026-11-03T00:00:00+01:00");
    assertThat(items.stream().map(o -> ((JsonObject) o).getString("start")).toList()).containsExactly(
        "2026-10-19T09:00:00+02:00", "2026-10-26T09:00:00+01:00", "2026-10-27T12:00:00+01:00",
        "2026-11-02T09:00:00+01:00");
    assertThat(items.getJsonObject(1).getString("eventId")).isEqualTo(series);
    assertThat(items.getJsonObject(1).getString("end")).isEqualTo("2026-10-26T09:15:00+01:00");
    assertThat(items.getJsonObject(1).getString("originalStart")).isEqualTo("2026-10-26T09:00:00+01:00");
    assertThat(aide.db().number("select count(*) from events where rrule is not null and recurs_until is null")).isEqualTo(1);
  }

  @Test
  @DisplayName("one occurrence is moved, another cancelled, and the rest of the series stays; then the series goes")
  void singleOccurrences() {
    String series = api.post("/api/v1/events", new JsonObject().put("title", "Standup")
        .put("start", "2026-11-23T09:00:00+01:00").put("end", "2026-11-23T09:15:00+01:00")
        .put("rrule", "FREQ=DAILY;COUNT=5")).json().getString("id");
    String occurrences = "/api/v1/events/" + series + "/occurrences/";

    Api.Response moved = api.patch(occurrences + encode("2026-11-24T09:00:00+01:00"),
        new JsonObject().put("start", "2026-11-24T11:00:00+01:00").put("title", "Standup (late)"));
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.json().getString("seriesId")).isEqualTo(series);
    assertThat(moved.json().getString("end")).isEqualTo("2026-11-24T11:15:00+01:00");
    assertThat(api.delete(occurrences + encode("2026-11-25T08:00:00Z")).status()).isEqualTo(204);

    JsonArray items = window("2026-11-23T00:00:00+01:00", "2026-12-01T00:00:00+01:00");
    assertThat(items.stream().map(o -> ((JsonObject) o).getString("start")).toList()).containsExactly(
        "2026-11-23T09:00:00+01:00", "2026-11-24T11:00:00+01:00", "2026-11-26T09:00:00+01:00",
        "2026-11-27T09:00:00+01:00");
    assertThat(items.getJsonObject(1).getString("title")).isEqualTo("Standup (late)");
    assertThat(items.getJsonObject(1).getString("eventId")).isEqualTo(series);
    assertThat(items.getJsonObject(1).getString("originalStart")).isEqualTo("2026-11-24T09:00:00+01:00");

    // the moved one can be changed again through its original start; deleting the override cancels the occurrence
    assertThat(api.patch(occurrences + encode("2026-11-24T09:00:00+01:00"), new JsonObject().put("title", "Standup!"))
        .json().getString("start")).isEqualTo("2026-11-24T11:00:00+01:00");
    assertThat(api.delete("/api/v1/events/" + moved.json().getString("id")).status()).isEqualTo(204);
    assertThat(window("2026-11-23T00:00:00+01:00", "2026-12-01T00:00:00+01:00")).hasSize(3);
    assertThat(api.delete(occurrences + encode("2026-11-24T09:00:00+01:00")).status()).isEqualTo(404);

    // not an occurrence: 404; already cancelled: 404; not a date-time: 404
    assertThat(api.delete(occurrences + encode("2026-11-26T10:00:00+01:00")).status()).isEqualTo(404);
    assertThat(api.delete(occurrences + encode("2026-11-25T09:00:00+01:00")).status()).isEqualTo(404);
    assertThat(api.delete(occurrences + "yesterday").status()).isEqualTo(404);
    assertThat(api.patch(occurrences + encode("2026-11-28T09:00:00+01:00"), new JsonObject().put("title", "x"))
        .status()).isEqualTo(404);

    assertThat(api.delete("/api/v1/events/" + series).status()).isEqualTo(204);
    assertThat(window("2026-11-23T00:00:00+01:00", "2026-12-01T00:00:00+01:00")).isEmpty();
  }

  @Test
  @DisplayName("moving a whole series changes every occurrence and forgets exceptions that named the old times")
  void moveSeries() {
    String series = api.post("/api/v1/events", new JsonObject().put("title", "Gym")
        .put("start", "2026-11-23T18:00:00+01:00").put("end", "2026-11-23T19:00:00+01:00")
        .put("rrule", "FREQ=DAILY;COUNT=3")).json().getString("id");
    api.delete("/api/v1/events/" + series + "/occurrences/" + encode("2026-11-24T18:00:00+01:00"));
    Api.Response moved = api.patch("/api/v1/events/" + series, new JsonObject().put("start", "2026-11-23T07:00:00+01:00"));
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.json().getJsonArray("exdates")).isEmpty();
    assertThat(window("2026-11-23T00:00:00+01:00", "2026-12-01T00:00:00+01:00").stream()
        .map(o -> ((JsonObject) o).getString("start")).toList()).containsExactly(
        "2026-11-23T07:00:00+01:00", "2026-11-24T07:00:00+01:00", "2026-11-25T07:00:00+01:00");
  }

  @Test
  @DisplayName("a new event that overlaps existing occurrences is created and names them as conflicts")
  void conflicts() {
    api.post("/api/v1/events", new JsonObject().put("title", "Weekly review").put("start", "2026-11-23T14:00:00+01:00")
        .put("end", "2026-11-23T15:00:00+01:00").put("rrule", "FREQ=WEEKLY"));
    api.post("/api/v1/events", new JsonObject().put("title", "Holiday").put("allDay", true).put("start", "2026-11-30"));
    Api.Response created = api.post("/api/v1/events", new JsonObject().put("title", "Call with Ana")
        .put("start", "2026-11-30T14:30:00+01:00").put("end", "2026-11-30T15:30:00+01:00"));
    assertThat(created.status()).isEqualTo(201);
    JsonArray conflicts = created.json().getJsonArray("conflicts");
    assertThat(conflicts).hasSize(1);
    assertThat(conflicts.getJsonObject(0).getString("title")).isEqualTo("Weekly review");
    assertThat(conflicts.getJsonObject(0).getString("start")).isEqualTo("2026-11-30T14:00:00+01:00");
  }

  @Test
  @DisplayName("an all-day event covers its dates in its timezone, the end date exclusive")
  void allDay() {
    Api.Response created = api.post("/api/v1/events", new JsonObject().put("title", "Conference").put("allDay", true)
        .put("start", "2026-12-01").put("end", "2026-12-03"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getString("startDate")).isEqualTo("2026-12-01");
    assertThat(created.json().getString("start")).isEqualTo("2026-12-01T00:00:00+01:00");
    assertThat(created.json().getString("end")).isEqualTo("2026-12-03T00:00:00+01:00");
    JsonArray items = window("2026-12-02T00:00:00+01:00", "2026-12-03T00:00:00+01:00");
    assertThat(items).hasSize(1);
    assertThat(items.getJsonObject(0).getBoolean("allDay")).isTrue();
    assertThat(window("2026-12-03T00:00:00+01:00", "2026-12-04T00:00:00+01:00")).isEmpty();
  }

  @Test
  @DisplayName("bad input is refused with the error JSON and writes nothing")
  void badInput() {
    JsonObject good = new JsonObject().put("title", "x").put("start", "2026-11-20T09:00:00+01:00")
        .put("end", "2026-11-20T10:00:00+01:00");
    for (JsonObject bad : List.of(
        good.copy().put("end", "2026-11-20T08:00:00+01:00"),
        good.copy().put("end", "2026-11-20T09:00:00+01:00"),
        good.copy().put("rrule", "FREQ=SOMETIMES"),
        good.copy().put("rrule", "FREQ=WEEKLY;BYDAY=XX"),
        good.copy().put("rrule", "FREQ=MINUTELY"),
        good.copy().put("timezone", "Mars/Olympus"),
        good.copy().put("timezone", "+01:00"),
        good.copy().put("title", " "),
        withoutTitle(good),
        good.copy().put("start", "tomorrow"),
        good.copy().put("allDay", "yes"),
        good.copy().put("status", "maybe"),
        good.copy().put("calendarId", "00000000-0000-0000-0000-000000000000"),
        good.copy().put("attendees", new JsonArray().add(new JsonObject().put("email", "nobody"))),
        good.copy().put("attendees", new JsonArray().add(new JsonObject().put("email", "a@b.c").put("responseStatus", "meh"))),
        good.copy().put("colour", "red"))) {
      Api.Response response = api.post("/api/v1/events", bad);
      assertThat(response.status()).as(bad.encode()).isEqualTo(422);
      assertThat(response.json().getJsonObject("error").getString("code")).isEqualTo("validation_failed");
    }
    assertThat(api.send(HttpMethod.POST, "/api/v1/events", Buffer.buffer("{nope"), "application/json").status())
        .isEqualTo(400);
    assertThat(api.send(HttpMethod.POST, "/api/v1/events", Buffer.buffer("x"), "text/plain").status()).isEqualTo(415);
    assertThat(aide.db().number("select count(*) from events")).isZero();

    for (String query : List.of("", "?from=2026-11-20T00:00:00Z", "?from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z",
        "?from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z", "?from=yesterday&to=2026-11-20T00:00:00Z")) {
      Api.Response response = api.get("/api/v1/events" + query);
      assertThat(response.status()).as(query).isEqualTo(422);
      assertThat(response.json().getJsonObject("error").getString("code")).isEqualTo("validation_failed");
    }

    String id = api.post("/api/v1/events", good).json().getString("id");
    String path = "/api/v1/events/" + id;
    assertThat(api.patch(path, new JsonObject()).status()).isEqualTo(422);
    assertThat(api.patch(path, new JsonObject().put("title", null)).status()).isEqualTo(422);
    assertThat(api.patch(path, new JsonObject().put("end", "2026-11-20T08:00:00+01:00")).status()).isEqualTo(422);
    assertThat(api.patch(path, new JsonObject().put("rrule", "nonsense")).status()).isEqualTo(422);
    assertThat(api.patch(path + "/occurrences/" + encode("2026-11-20T09:00:00+01:00"), new JsonObject().put("title", "y"))
        .status()).isEqualTo(422);
    JsonObject unchanged = api.get(path).json();
    assertThat(unchanged.getString("title")).isEqualTo("x");
    assertThat(unchanged.getString("end")).isEqualTo("2026-11-20T10:00:00+01:00");
    assertThat(unchanged.getString("rrule")).isNull();
    assertThat(api.get("/api/v1/events/not-a-uuid").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("another person's events and calendars are not found, and stay as they were")
  void othersEvents() {
    String id = api.post("/api/v1/events", new JsonObject().put("title", "Secret").put("start", "2026-11-20T09:00:00+01:00")
        .put("end", "2026-11-20T10:00:00+01:00").put("rrule", "FREQ=DAILY")).json().getString("id");
    String calendar = api.get("/api/v1/calendars").json().getJsonArray("items").getJsonObject(0).getString("id");
    try (Api other = new Api(aide.port())) {
      other.register("other@example.com", "UTC");
      String path = "/api/v1/events/" + id;
      assertThat(other.get(path).status()).isEqualTo(404);
      assertThat(other.patch(path, new JsonObject().put("title", "mine")).status()).isEqualTo(404);
      assertThat(other.delete(path).status()).isEqualTo(404);
      assertThat(other.delete(path + "/occurrences/" + encode("2026-11-21T09:00:00+01:00")).status()).isEqualTo(404);
      assertThat(other.patch(path + "/occurrences/" + encode("2026-11-21T09:00:00+01:00"),
          new JsonObject().put("title", "mine")).status()).isEqualTo(404);
      assertThat(other.get("/api/v1/events?from=2026-11-20T00:00:00Z&to=2026-11-22T00:00:00Z").json()
          .getJsonArray("items")).isEmpty();
      assertThat(other.post("/api/v1/events", new JsonObject().put("title", "x").put("calendarId", calendar)
          .put("start", "2026-11-20T09:00:00Z").put("end", "2026-11-20T10:00:00Z")).status()).isEqualTo(422);
    }
    assertThat(api.get("/api/v1/events/" + id).json().getString("title")).isEqualTo("Secret");
    assertThat(api.get("/api/v1/events/" + id).json().getJsonArray("exdates")).isEmpty();
  }

  @Test
  @DisplayName("a person has one primary calendar, made on demand, and may add others to put events in")
  void calendars() {
    JsonArray calendars = api.get("/api/v1/calendars").json().getJsonArray("items");
    assertThat(calendars).hasSize(1);
    assertThat(calendars.getJsonObject(0).getBoolean("primary")).isTrue();
    assertThat(api.get("/api/v1/calendars").json().getJsonArray("items")).hasSize(1);
    Api.Response work = api.post("/api/v1/calendars", new JsonObject().put("name", "Work").put("color", "#4285f4"));
    assertThat(work.status()).isEqualTo(201);
    assertThat(work.json().getBoolean("primary")).isFalse();
    assertThat(api.post("/api/v1/calendars", new JsonObject().put("name", "Bad").put("color", "red")).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/calendars", new JsonObject()).status()).isEqualTo(422);
    Api.Response event = api.post("/api/v1/events", new JsonObject().put("title", "Review")
        .put("calendarId", work.json().getString("id")).put("start", "2026-11-20T09:00:00Z").put("end", "2026-11-20T10:00:00Z"));
    assertThat(event.json().getString("calendarId")).isEqualTo(work.json().getString("id"));
    assertThat(aide.db().number("select count(*) from calendars where is_primary")).isEqualTo(1);
  }

  @Test
  @DisplayName("the offline model schedules, lists and cancels events through chat")
  void throughChat() {
    Api.Response added = api.post("/api/v1/chat", new JsonObject().put("text", "schedule a meeting with Sam tomorrow at 3pm"));
    assertThat(added.status()).isEqualTo(200);
    assertThat(added.json().getJsonObject("reply").getString("text")).startsWith("Added \"meeting with Sam\" on ")
        .contains("15:00–16:00");
    assertThat(api.post("/api/v1/chat", new JsonObject().put("text", "what's on my calendar tomorrow?")).json()
        .getJsonObject("reply").getString("text")).contains("15:00–16:00 \"meeting with Sam\"");
    assertThat(api.post("/api/v1/chat", new JsonObject().put("text", "cancel the meeting with Sam")).json()
        .getJsonObject("reply").getString("text")).startsWith("Cancelled \"meeting with Sam\"");
    assertThat(aide.db().number("select count(*) from events where deleted_at is null")).isZero();
  }

  @Test
  @DisplayName("cancelling a whole series through chat waits for the person's yes; \"yes\" cancels it")
  void seriesCancelledAfterConfirmation() {
    java.time.ZonedDateTime start = java.time.ZonedDateTime.now(java.time.ZoneId.of("Europe/Paris")).minusDays(3)
        .withHour(9).withMinute(0).withSecond(0).withNano(0);
    api.post("/api/v1/events", new JsonObject().put("title", "Standup").put("start", start.toOffsetDateTime().toString())
        .put("end", start.plusMinutes(15).toOffsetDateTime().toString()).put("rrule", "FREQ=WEEKLY"));
    String asked = api.post("/api/v1/chat", new JsonObject().put("text", "cancel all the standups")).json()
        .getJsonObject("reply").getString("text");
    assertThat(asked).isEqualTo("I'd cancel every upcoming occurrence of Standup (every week, repeating without end). "
        + "Shall I go ahead?");
    assertThat(aide.db().number("select count(*) from events where deleted_at is null")).isEqualTo(1);
    String conversation = api.get("/api/v1/conversations").json().getJsonArray("items").getJsonObject(0).getString("id");
    String done = api.post("/api/v1/chat", new JsonObject().put("text", "yes").put("conversationId", conversation)).json()
        .getJsonObject("reply").getString("text");
    assertThat(done).isEqualTo("Cancelled Standup and all its occurrences.");
    assertThat(aide.db().number("select count(*) from events where deleted_at is null")).isZero();
  }

  private static JsonObject withoutTitle(JsonObject good) {
    JsonObject copy = good.copy();
    copy.remove("title");
    return copy;
  }

  private JsonArray window(String from, String to) {
    Api.Response response = api.get("/api/v1/events?from=" + encode(from) + "&to=" + encode(to));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json().getJsonArray("items");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
