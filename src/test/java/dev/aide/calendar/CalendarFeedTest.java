package dev.aide.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.List;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.ExDate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The private iCalendar feed carries a person's events and parses with ical4j")
class CalendarFeedTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("feed@example.com", "Europe/Paris");

  private final Api api = aide.api();

  /** A single event, an all-day event, and a weekly series with a cancelled occurrence and a moved one. */
  static String[] createSampleEvents(Api api) {
    String single = api.post("/api/v1/events", new JsonObject().put("title", "Dentist, check-up")
        .put("start", "2026-11-20T09:00:00+01:00").put("end", "2026-11-20T09:45:00+01:00")
        .put("location", "Rue Cler").put("description", "bring the card; line two")
        .put("attendees", new JsonArray().add(new JsonObject().put("email", "dr@example.com").put("name", "Dr Who")
            .put("responseStatus", "accepted")))).json().getString("id");
    String allDay = api.post("/api/v1/events", new JsonObject().put("title", "Christmas Eve")
        .put("start", "2026-12-24").put("allDay", true)).json().getString("id");
    String series = api.post("/api/v1/events", new JsonObject().put("title", "Standup")
        .put("start", "2026-11-16T09:00:00+01:00").put("end", "2026-11-16T09:15:00+01:00")
        .put("timezone", "Europe/Paris").put("rrule", "FREQ=WEEKLY;BYDAY=MO;COUNT=8")).json().getString("id");
    assertThat(api.delete("/api/v1/events/" + series + "/occurrences/2026-11-23T09:00:00%2B01:00").status())
        .isEqualTo(204);
    assertThat(api.patch("/api/v1/events/" + series + "/occurrences/2026-11-30T09:00:00%2B01:00",
        new JsonObject().put("start", "2026-11-30T10:00:00+01:00").put("title", "Standup (late)")).status())
        .isEqualTo(200);
    return new String[] {single, allDay, series};
  }

  static String feedPath(Api api) {
    Api.Response created = api.post("/api/v1/calendar/feed", new JsonObject());
    assertThat(created.status()).isEqualTo(201);
    return URI.create(created.json().getString("url")).getPath();
  }

  static Calendar parse(String ics) throws Exception {
    return new CalendarBuilder().build(new StringReader(ics));
  }

  private static List<VEvent> withUid(Calendar calendar, String id) {
    return calendar.<VEvent>getComponents(Component.VEVENT).stream()
        .filter(v -> v.getProperty(Property.UID).map(Property::getValue).orElse("").equals(id + "@aide")).toList();
  }

  private static String value(VEvent v, String property) {
    return v.getProperty(property).map(Property::getValue).orElse(null);
  }

  private static Temporal date(VEvent v, String property) {
    return v.<DateProperty<Temporal>>getProperty(property).orElseThrow().getDate();
  }

  @Test
  @DisplayName("the feed holds every event with TZID times, all-day dates, RRULE, EXDATE and a RECURRENCE-ID override")
  void feedContents() throws Exception {
    String[] ids = createSampleEvents(api);
    String path = feedPath(api);
    assertThat(path).matches("/calendar/feed/[A-Za-z0-9_-]{43}\\.ics");

    Api.Response feed = new Api(aide.port()).get(path);
    assertThat(feed.status()).isEqualTo(200);
    assertThat(feed.body()).startsWith("BEGIN:VCALENDAR").contains("\r\n");
    Calendar calendar = parse(feed.body());
    assertThat(calendar.validate().hasErrors()).as(calendar.validate().toString()).isFalse();
    assertThat(calendar.getProperty(Property.PRODID).orElseThrow().getValue()).isEqualTo("-//Aide//EN");
    assertThat(calendar.getProperty(Property.VERSION).orElseThrow().getValue()).isEqualTo("2.0");
    assertThat(calendar.getProperty(Property.CALSCALE).orElseThrow().getValue()).isEqualTo("GREGORIAN");
    assertThat(calendar.getProperty("X-WR-CALNAME")).isPresent();
    assertThat(calendar.getComponents(Component.VTIMEZONE)).hasSize(1);
    assertThat(calendar.getComponents(Component.VTIMEZONE).getFirst().getProperty(Property.TZID).orElseThrow()
        .getValue()).isEqualTo("Europe/Paris");
    assertThat(calendar.getComponents(Component.VEVENT)).hasSize(4);

    VEvent single = withUid(calendar, ids[0]).getFirst();
    assertThat(value(single, Property.SUMMARY)).isEqualTo("Dentist, check-up");
    assertThat(value(single, Property.DESCRIPTION)).isEqualTo("bring the card; line two");
    assertThat(value(single, Property.LOCATION)).isEqualTo("Rue Cler");
    assertThat(value(single, Property.STATUS)).isEqualTo("CONFIRMED");
    assertThat(single.getProperty(Property.DTSTAMP)).isPresent();
    assertThat(single.getProperty(Property.DTSTART).orElseThrow().getParameter(Parameter.TZID).orElseThrow()
        .getValue()).isEqualTo("Europe/Paris");
    assertThat(((ZonedDateTime) date(single, Property.DTSTART)).toInstant())
        .isEqualTo(ZonedDateTime.parse("2026-11-20T08:00:00Z").toInstant());
    assertThat(((ZonedDateTime) date(single, Property.DTEND)).toInstant())
        .isEqualTo(ZonedDateTime.parse("2026-11-20T08:45:00Z").toInstant());
    Property attendee = single.getProperty(Property.ATTENDEE).orElseThrow();
    assertThat(attendee.getValue()).isEqualTo("mailto:dr@example.com");
    assertThat(attendee.getParameter(Parameter.CN).orElseThrow().getValue()).isEqualTo("Dr Who");
    assertThat(attendee.getParameter(Parameter.PARTSTAT).orElseThrow().getValue()).isEqualTo("ACCEPTED");

    VEvent allDay = withUid(calendar, ids[1]).getFirst();
    assertThat(date(allDay, Property.DTSTART)).isEqualTo(LocalDate.of(2026, 12, 24));
    assertThat(date(allDay, Property.DTEND)).isEqualTo(LocalDate.of(2026, 12, 25));
    assertThat(feed.body()).contains("DTSTART;VALUE=DATE:20261224");

    List<VEvent> series = withUid(calendar, ids[2]);
    assertThat(series).hasSize(2);
    VEvent master = series.stream().filter(v -> v.getProperty(Property.RECURRENCE_ID).isEmpty()).findFirst()
        .orElseThrow();
    assertThat(value(master, Property.RRULE).split(";")).containsExactlyInAnyOrder("FREQ=WEEKLY", "BYDAY=MO", "COUNT=8");
    assertThat(date(master, Property.DTSTART).toString()).startsWith("2026-11-16T09:00+01:00");
    ExDate<Temporal> exdate = master.<ExDate<Temporal>>getProperty(Property.EXDATE).orElseThrow();
    assertThat(exdate.getParameter(Parameter.TZID).orElseThrow().getValue()).isEqualTo("Europe/Paris");
    assertThat(exdate.getDates()).map(t -> ((ZonedDateTime) t).toInstant())
        .containsExactly(ZonedDateTime.parse("2026-11-23T08:00:00Z").toInstant());
    VEvent override = series.stream().filter(v -> v.getProperty(Property.RECURRENCE_ID).isPresent()).findFirst()
        .orElseThrow();
    assertThat(((ZonedDateTime) date(override, Property.RECURRENCE_ID)).toInstant())
        .isEqualTo(ZonedDateTime.parse("2026-11-30T08:00:00Z").toInstant());
    assertThat(((ZonedDateTime) date(override, Property.DTSTART)).toInstant())
        .isEqualTo(ZonedDateTime.parse("2026-11-30T09:00:00Z").toInstant());
    assertThat(value(override, Property.SUMMARY)).isEqualTo("Standup (late)");
  }

  @Test
  @DisplayName("the feed answers text/calendar without a bearer token, and only holds its owner's events")
  void publicAndPrivate() throws Exception {
    createSampleEvents(api);
    Api other = aide.signUp("other@example.com", "America/New_York");
    other.post("/api/v1/events", new JsonObject().put("title", "Secret meeting")
        .put("start", "2026-11-20T09:00:00-05:00").put("end", "2026-11-20T10:00:00-05:00"));
    String mine = feedPath(api);
    String theirs = feedPath(other);

    Api anonymous = new Api(aide.port());
    Api.Response response = anonymous.send(io.vertx.core.http.HttpMethod.GET, mine, null, null);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).doesNotContain("Secret meeting").contains("Standup");
    Calendar theirCalendar = parse(anonymous.get(theirs).body());
    assertThat(theirCalendar.getComponents(Component.VEVENT)).hasSize(1);
    assertThat(theirCalendar.getComponents(Component.VTIMEZONE).getFirst().getProperty(Property.TZID)
        .orElseThrow().getValue()).isEqualTo("America/New_York");
    other.close();
    anonymous.close();
  }

  @Test
  @DisplayName("the content type is text/calendar; charset=utf-8")
  void contentType() {
    String path = feedPath(api);
    io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(io.vertx.core.Vertx.vertx());
    var response = client.get(aide.port(), "127.0.0.1", path).send().toCompletionStage().toCompletableFuture().join();
    assertThat(response.getHeader("content-type")).isEqualTo("text/calendar; charset=utf-8");
    client.close();
  }

  @Test
  @DisplayName("posting again rotates the URL (the old one is a 404), deleting revokes it, unknown tokens are 404")
  void rotationAndRevocation() {
    String first = feedPath(api);
    assertThat(api.get(first).status()).isEqualTo(200);
    String second = feedPath(api);
    assertThat(second).isNotEqualTo(first);
    Api.Response old = api.get(first);
    assertThat(old.status()).isEqualTo(404);
    assertThat(old.errorCode()).isEqualTo("not_found");
    assertThat(api.get(second).status()).isEqualTo(200);
    assertThat(aide.db().number("select count(*) from calendar_feeds")).isEqualTo(1);
    String token = second.substring("/calendar/feed/".length(), second.length() - 4);
    assertThat(aide.db().value("select token_hash from calendar_feeds", String.class))
        .isEqualTo(CalendarFeed.hash(token)).doesNotContain(token);

    assertThat(api.delete("/api/v1/calendar/feed").status()).isEqualTo(204);
    assertThat(api.get(second).status()).isEqualTo(404);
    assertThat(api.get(second).errorCode()).isEqualTo("not_found");
    assertThat(api.get("/calendar/feed/not-a-token.ics").status()).isEqualTo(404);
    assertThat(api.get("/calendar/feed/" + token).status()).isEqualTo(404);
    assertThat(aide.db().number("select count(*) from calendar_feeds")).isZero();
  }

  @Test
  @DisplayName("creating or revoking a feed needs a bearer token")
  void needsAuthentication() {
    Api anonymous = new Api(aide.port());
    assertThat(anonymous.post("/api/v1/calendar/feed", new JsonObject()).status()).isEqualTo(401);
    assertThat(anonymous.delete("/api/v1/calendar/feed").status()).isEqualTo(401);
    anonymous.close();
    assertThat(aide.db().number("select count(*) from calendar_feeds")).isZero();
  }

  @Test
  @DisplayName("a person in UTC gets UTC times and no VTIMEZONE, and the feed still validates")
  void utcPerson() throws Exception {
    Api utc = aide.signUp("utc@example.com", "UTC");
    utc.post("/api/v1/events", new JsonObject().put("title", "Call").put("start", "2026-11-20T09:00:00Z")
        .put("end", "2026-11-20T10:00:00Z").put("rrule", "FREQ=DAILY;COUNT=3")
        .put("exdates", new JsonArray().add("2026-11-21T09:00:00Z")));
    String body = utc.get(feedPath(utc)).body();
    utc.close();
    Calendar calendar = parse(body);
    assertThat(calendar.validate().hasErrors()).isFalse();
    assertThat(calendar.getComponents(Component.VTIMEZONE)).isEmpty();
    assertThat(body).contains("DTSTART:20261120T090000Z").contains("EXDATE:20261121T090000Z");
  }

  @Test
  @DisplayName("deleted events leave the feed")
  void deletedEventsLeave() throws Exception {
    String[] ids = createSampleEvents(api);
    assertThat(api.delete("/api/v1/events/" + ids[2]).status()).isEqualTo(204);
    Calendar calendar = parse(api.get(feedPath(api)).body());
    assertThat(calendar.getComponents(Component.VEVENT)).hasSize(2);
    assertThat(withUid(calendar, ids[2])).isEmpty();
  }
}
