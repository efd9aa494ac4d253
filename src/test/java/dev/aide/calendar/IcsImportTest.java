package dev.aide.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("An uploaded .ics file is imported into the person's calendar")
class IcsImportTest {

  private static final String WINDOW = "/api/v1/events?from=2026-11-01T00:00:00%2B01:00&to=2027-02-01T00:00:00%2B01:00";

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("importer@example.com", "Europe/Paris");

  private final Api api = aide.api();

  private static Api.Response upload(Api api, String ics) {
    return api.send(HttpMethod.POST, "/api/v1/calendar/import", Buffer.buffer(ics), "text/calendar; charset=utf-8");
  }

  /** Each occurrence as title, start instant, end instant and all-day flag. */
  private static List<String> occurrences(Api api) {
    Api.Response r = api.get(WINDOW);
    assertThat(r.status()).isEqualTo(200);
    return r.json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .map(o -> o.getString("title") + " " + OffsetDateTime.parse(o.getString("start")).toInstant() + " "
            + OffsetDateTime.parse(o.getString("end")).toInstant() + " " + o.getBoolean("allDay"))
        .toList();
  }

  private static String ics(String... events) {
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" + String.join("", events) + "END:VCALENDAR\r\n";
  }

  private static String vevent(String uid, String... lines) {
    return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20261101T000000Z\r\n" + String.join("\r\n", lines)
        + "\r\nEND:VEVENT\r\n";
  }

  @Test
  @DisplayName("a feed exported by one person and imported by another gives the same occurrences; re-import adds nothing")
  void roundTrip() {
    Api exporter = aide.signUp("exporter@example.com", "Europe/Paris");
    CalendarFeedTest.createSampleEvents(exporter);
    List<String> expected = occurrences(exporter);
    assertThat(expected).hasSize(9);
    String feed = exporter.get(CalendarFeedTest.feedPath(exporter)).body();
    exporter.close();

    Api.Response imported = upload(api, feed);
    assertThat(imported.status()).isEqualTo(200);
    assertThat(imported.json()).isEqualTo(new JsonObject().put("imported", 3).put("skipped", 0)
        .put("errors", new JsonArray()));
    assertThat(occurrences(api)).containsExactlyElementsOf(expected);
    long events = aide.db().number("select count(*) from events where deleted_at is null");

    Api.Response again = upload(api, feed);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(new JsonObject().put("imported", 0).put("skipped", 3)
        .put("errors", new JsonArray()));
    assertThat(aide.db().number("select count(*) from events where deleted_at is null")).isEqualTo(events);
    assertThat(occurrences(api)).containsExactlyElementsOf(expected);

    JsonObject dentist = api.get(WINDOW).json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(o -> o.getString("title").startsWith("Dentist")).findFirst().orElseThrow();
    JsonObject event = api.get("/api/v1/events/" + dentist.getString("eventId")).json();
    assertThat(event.getString("location")).isEqualTo("Rue Cler");
    assertThat(event.getString("description")).isEqualTo("bring the card; line two");
    assertThat(event.getJsonArray("attendees").getJsonObject(0)).isEqualTo(new JsonObject()
        .put("email", "dr@example.com").put("name", "Dr Who").put("responseStatus", "accepted"));
  }

  @Test
  @DisplayName("a series with more exception dates, or more changed occurrences, than one series may carry is refused "
      + "whole and says why; the file's other events are imported")
  void seriesOverLimits() {
    java.time.LocalDate first = java.time.LocalDate.of(2026, 12, 1);
    java.time.format.DateTimeFormatter basic = java.time.format.DateTimeFormatter.BASIC_ISO_DATE;
    List<String> exdates = new java.util.ArrayList<>();
    StringBuilder overrides = new StringBuilder();
    for (int i = 0; i <= EventService.MAX_EXDATES; i++) {
      String day = basic.format(first.plusDays(i));
      exdates.add(day + "T090000Z");
      overrides.append(vevent("many-overrides@test", "RECURRENCE-ID:" + day + "T090000Z",
          "DTSTART:" + day + "T100000Z", "DTEND:" + day + "T103000Z", "SUMMARY:Moved"));
    }
    String file = ics(
        vevent("many-exdates@test", "DTSTART:20261201T090000Z", "DTEND:20261201T093000Z", "SUMMARY:Daily",
            "RRULE:FREQ=DAILY", "EXDATE:" + String.join(",", exdates)),
        vevent("many-overrides@test", "DTSTART:20261201T090000Z", "DTEND:20261201T093000Z", "SUMMARY:Daily too",
            "RRULE:FREQ=DAILY"),
        overrides.toString(),
        vevent("fine@test", "DTSTART:20261203T100000Z", "DTEND:20261203T110000Z", "SUMMARY:Fine"));
    Api.Response r = upload(api, file);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json()).isEqualTo(new JsonObject().put("imported", 1).put("skipped", 0).put("errors", new JsonArray()
        .add("many-exdates@test: a repeating event may have at most 1000 cancelled occurrences (EXDATE and cancelled"
            + " RECURRENCE-IDs); this one has 1001")
        .add("many-overrides@test: a repeating event may have at most 1000 changed occurrences; this one has 1001")));
    assertThat(aide.db().strings("select title from events where deleted_at is null")).containsExactly("Fine");
  }

  @Test
  @DisplayName("TZID is honoured, floating times are in the person's timezone, UTC and dates are understood")
  void timezones() {
    String file = ics(
        "BEGIN:VTIMEZONE\r\nTZID:America/Los_Angeles\r\nBEGIN:STANDARD\r\nDTSTART:19701101T020000\r\n"
            + "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0800\r\nEND:STANDARD\r\n"
            + "BEGIN:DAYLIGHT\r\nDTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"
            + "TZOFFSETFROM:-0800\r\nTZOFFSETTO:-0700\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n",
        vevent("la@test", "DTSTART;TZID=America/Los_Angeles:20261120T090000",
            "DTEND;TZID=America/Los_Angeles:20261120T100000", "SUMMARY:LA call",
            "RRULE:FREQ=WEEKLY;COUNT=3", "EXDATE;TZID=America/Los_Angeles:20261127T090000"),
        vevent("floating@test", "DTSTART:20261121T100000", "DURATION:PT30M", "SUMMARY:Floating"),
        vevent("utc@test", "DTSTART:20261122T100000Z", "DTEND:20261122T110000Z", "SUMMARY:UTC",
            "STATUS:TENTATIVE"),
        vevent("date@test", "DTSTART;VALUE=DATE:20261225", "SUMMARY:Christmas"));
    Api.Response r = upload(api, file);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getInteger("imported")).isEqualTo(4);
    assertThat(occurrences(api)).containsExactly(
        "LA call 2026-11-20T17:00:00Z 2026-11-20T18:00:00Z false",
        "Floating 2026-11-21T09:00:00Z 2026-11-21T09:30:00Z false",
        "UTC 2026-11-22T10:00:00Z 2026-11-22T11:00:00Z false",
        "LA call 2026-12-04T17:00:00Z 2026-12-04T18:00:00Z false",
        "Christmas 2026-12-24T23:00:00Z 2026-12-25T23:00:00Z true");
    assertThat(aide.db().value("select timezone from events where ical_uid = 'la@test'", String.class))
        .isEqualTo("America/Los_Angeles");
    assertThat(aide.db().value("select rrule from events where ical_uid = 'la@test'", String.class))
        .contains("FREQ=WEEKLY").contains("COUNT=3");
    assertThat(aide.db().value("select status from events where ical_uid = 'utc@test'", String.class))
        .isEqualTo("tentative");
    assertThat(aide.db().value("select timezone from events where ical_uid = 'floating@test'", String.class))
        .isEqualTo("Europe/Paris");
  }

  @Test
  @DisplayName("an all-day weekly series with a cancelled day and a moved day comes through export and import")
  void allDaySeriesRoundTrip() {
    Api exporter = aide.signUp("days@example.com", "Europe/Paris");
    String id = exporter.post("/api/v1/events", new JsonObject().put("title", "Gym day").put("start", "2026-11-17")
        .put("allDay", true).put("rrule", "FREQ=WEEKLY;COUNT=4")).json().getString("id");
    assertThat(exporter.delete("/api/v1/events/" + id + "/occurrences/2026-11-24T00:00:00%2B01:00").status())
        .isEqualTo(204);
    assertThat(exporter.patch("/api/v1/events/" + id + "/occurrences/2026-12-01T00:00:00%2B01:00",
        new JsonObject().put("start", "2026-12-02").put("end", "2026-12-03")).status()).isEqualTo(200);
    List<String> expected = occurrences(exporter);
    assertThat(expected).containsExactly(
        "Gym day 2026-11-16T23:00:00Z 2026-11-17T23:00:00Z true",
        "Gym day 2026-12-01T23:00:00Z 2026-12-02T23:00:00Z true",
        "Gym day 2026-12-07T23:00:00Z 2026-12-08T23:00:00Z true");
    String feed = exporter.get(CalendarFeedTest.feedPath(exporter)).body();
    exporter.close();
    assertThat(feed).contains("EXDATE;VALUE=DATE:20261124").contains("RECURRENCE-ID;VALUE=DATE:20261201");

    Api.Response r = upload(api, feed);
    assertThat(r.json()).isEqualTo(new JsonObject().put("imported", 1).put("skipped", 0).put("errors", new JsonArray()));
    assertThat(occurrences(api)).containsExactlyElementsOf(expected);
  }

  @Test
  @DisplayName("an occurrence whose series is not in the file is reported, not imported")
  void orphanOverride() {
    String file = ics(vevent("orphan@test", "RECURRENCE-ID:20261120T090000Z", "DTSTART:20261120T100000Z",
        "DTEND:20261120T110000Z", "SUMMARY:Moved"));
    Api.Response r = upload(api, file);
    assertThat(r.json().getInteger("imported")).isZero();
    assertThat(r.json().getJsonArray("errors").getString(0)).startsWith("orphan@test: ");
    assertThat(aide.db().number("select count(*) from events")).isZero();
  }

  @Test
  @DisplayName("an event the calendar refuses is reported and the others are imported")
  void partialErrors() {
    String file = ics(
        vevent("bad-rule@test", "DTSTART:20261120T090000Z", "DTEND:20261120T100000Z", "SUMMARY:Bad",
            "RRULE:FREQ=SECONDLY"),
        vevent("no-end@test", "DTSTART:20261120T090000Z", "SUMMARY:No end"),
        vevent("good@test", "DTSTART:20261120T090000Z", "DTEND:20261120T100000Z", "SUMMARY:Good"));
    Api.Response r = upload(api, file);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getInteger("imported")).isEqualTo(1);
    assertThat(r.json().getJsonArray("errors")).hasSize(2);
    assertThat(r.json().getJsonArray("errors").getString(0)).startsWith("bad-rule@test: ").contains("hourly");
    assertThat(r.json().getJsonArray("errors").getString(1)).startsWith("no-end@test: ");
    assertThat(aide.db().number("select count(*) from events")).isEqualTo(1);
  }

  @Test
  @DisplayName("a malformed file is a 422 with the parser's message and nothing is written")
  void malformed() {
    String broken = ics(vevent("one@test", "DTSTART:20261120T090000Z", "DTEND:20261120T100000Z", "SUMMARY:One"),
        vevent("two@test", "DTSTART:not-a-date", "SUMMARY:Two"));
    Api.Response r = upload(api, broken);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("validation_failed");
    assertThat(r.json().getJsonObject("error").getString("message")).contains("not-a-date");
    assertThat(upload(api, "hello").status()).isEqualTo(422);
    assertThat(upload(api, "").status()).isEqualTo(422);
    assertThat(aide.db().number("select count(*) from events")).isZero();
  }

  @Test
  @DisplayName("a body that is not text/calendar is a 415 and an anonymous upload a 401")
  void wrongContentTypeAndAnonymous() {
    String file = ics(vevent("x@test", "DTSTART:20261120T090000Z", "DTEND:20261120T100000Z", "SUMMARY:X"));
    Api.Response json = api.send(HttpMethod.POST, "/api/v1/calendar/import", Buffer.buffer(file), "application/json");
    assertThat(json.status()).isEqualTo(415);
    assertThat(json.errorCode()).isEqualTo("unsupported_media_type");
    assertThat(api.send(HttpMethod.POST, "/api/v1/calendar/import", Buffer.buffer(file), null).status())
        .isEqualTo(415);
    Api anonymous = new Api(aide.port());
    assertThat(upload(anonymous, file).status()).isEqualTo(401);
    anonymous.close();
    assertThat(aide.db().number("select count(*) from events")).isZero();
  }

  @Test
  @DisplayName("the same UID imported by two people gives each their own event")
  void uidsArePerPerson() {
    String file = ics(vevent("shared@test", "DTSTART:20261120T090000Z", "DTEND:20261120T100000Z", "SUMMARY:Shared"));
    assertThat(upload(api, file).json().getInteger("imported")).isEqualTo(1);
    Api other = aide.signUp("second@example.com", "Europe/Paris");
    assertThat(upload(other, file).json().getInteger("imported")).isEqualTo(1);
    other.close();
    assertThat(aide.db().number("select count(*) from events where ical_uid = 'shared@test'")).isEqualTo(2);
  }
}
