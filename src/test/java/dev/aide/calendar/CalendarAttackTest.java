package dev.aide.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.ProactiveServer;
import dev.aide.support.TestClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The calendar alert attack of issue 9: hourly series anchored on 1900-01-01 with alerts, each carrying a thousand
 * exception dates over the hours ahead (and overrides), created through the API. Each alert is found by one walk of
 * the rule (the walk's work is asserted in RecurrenceTest and EventAlertsTest, not timed here); what one series and
 * one person may carry is capped with a 422 that changes nothing; other people are served and alerted as before.
 */
@DisplayName("Hourly series from 1900 with a thousand exception dates stall nobody; what a series or a person may "
    + "hold is capped")
class CalendarAttackTest {

  private static final String TOKEN = "7000000009:AAH-fake-token-for-calendar-attack_01";
  // A Monday morning; the clock runs at the real pace and jumps to just before the alert a test waits for.
  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-12-14T08:20:00Z"));
  private static final Instant FIRST_HOUR = Instant.parse("2026-12-14T09:00:00Z");
  @RegisterExtension
  static final ProactiveServer server = ProactiveServer.create(TOKEN, CLOCK);
  private static final AideServer aide = server.aide();

  @Test
  @DisplayName("five attack series are created, each alert due after its thousand exception dates (and before its "
      + "moved occurrence); the 1001st exception date or override is a 422 that changes nothing; meanwhile another "
      + "person's weekly series with an exception date and a moved occurrence alerts on time")
  void attackSeries() {
    try (Api attacker = new Api(aide.port()); Api other = new Api(aide.port())) {
      attacker.register("attacker@example.com", "UTC");
      other.register("bystander@example.com", "Europe/Paris");
      JsonArray exdates = new JsonArray();
      for (int i = 0; i < EventService.MAX_EXDATES; i++) {
        exdates.add(hour(i).toString());
      }
      Instant afterSkips = hour(EventService.MAX_EXDATES);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Api.Response created = attacker.post("/api/v1/events", attack(i).put("exdates", exdates));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ids.add(created.json().getString("id"));
        assertThat(nextRun(created.json().getString("id"))).isEqualTo(afterSkips.minus(10, ChronoUnit.MINUTES));
        assertThat(other.get("/health").json().getString("status")).isEqualTo("ok");
      }
      String id = ids.get(0);
      String occurrences = "/api/v1/events/" + id + "/occurrences/";

      // The first hour after the exception dates is moved half an hour later: its alert follows it.
      Api.Response moved = attacker.patch(occurrences + afterSkips,
          new JsonObject().put("start", afterSkips.plus(30, ChronoUnit.MINUTES).toString()));
      assertThat(moved.status()).as(moved.body()).isEqualTo(200);
      Instant alert = afterSkips.plus(20, ChronoUnit.MINUTES);
      assertThat(nextRun(id)).isEqualTo(alert);

      // One more exception date than a series may carry: refused, nothing changed.
      Api.Response cancelled = attacker.delete(occurrences + hour(EventService.MAX_EXDATES + 1));
      assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(422);
      assertThat(cancelled.json().getJsonObject("error").getString("message"))
          .isEqualTo("this repeating event has 1000 cancelled occurrences (exdates), as many as it may; end the "
              + "series and start a new one instead");
      assertThat(aide.db().number("select cardinality(exdates) from events where id = ?::uuid", id)).isEqualTo(1000);
      assertThat(nextRun(id)).isEqualTo(alert);
      Api.Response tooMany = attacker.post("/api/v1/events", attack(9).put("exdates", exdates.copy()
          .add(hour(EventService.MAX_EXDATES + 5).toString())));
      assertThat(tooMany.status()).isEqualTo(422);
      assertThat(tooMany.json().getJsonObject("error").getString("message")).contains("at most 1000");

      // As many overrides as a series may carry (one moved above, 999 more written straight into the table): a new
      // one is refused, nothing changed; the existing ones can still be changed.
      aide.db().update("""
          insert into events (user_id, calendar_id, series_id, original_start, title, start_at, end_at, timezone)
          select user_id, calendar_id, id, t, 'Moved', t + interval '30 minutes', t + interval '1 hour', 'UTC'
          from events, generate_series(?::timestamptz, ?::timestamptz, interval '1 hour') t
          where id = ?::uuid""", hour(1001).toString(), hour(1999).toString(), id);
      assertThat(aide.db().number("select count(*) from events where series_id = ?::uuid", id)).isEqualTo(1000);
      Api.Response overridden = attacker.patch(occurrences + hour(2000), new JsonObject().put("title", "One more"));
      assertThat(overridden.status()).as(overridden.body()).isEqualTo(422);
      assertThat(overridden.json().getJsonObject("error").getString("message"))
          .isEqualTo("this repeating event has 1000 changed occurrences, as many as it may; change the whole series,"
              + " or end it and start a new one");
      assertThat(aide.db().number("select count(*) from events where series_id = ?::uuid", id)).isEqualTo(1000);
      assertThat(attacker.patch(occurrences + afterSkips, new JsonObject().put("title", "Renamed")).status())
          .isEqualTo(200);
      assertThat(nextRun(id)).isEqualTo(alert);

      // Another person's weekly series: this evening's occurrence cancelled, next week's moved an hour later.
      String choir = other.post("/api/v1/events", new JsonObject().put("title", "Choir")
          .put("start", "2026-12-14T18:00:00+01:00").put("end", "2026-12-14T20:00:00+01:00")
          .put("rrule", "FREQ=WEEKLY").put("alertMinutes", 15)).json().getString("id");
      assertThat(other.delete("/api/v1/events/" + choir + "/occurrences/2026-12-14T18:00:00+01:00").status())
          .isEqualTo(204);
      assertThat(other.patch("/api/v1/events/" + choir + "/occurrences/2026-12-21T18:00:00+01:00",
          new JsonObject().put("start", "2026-12-21T19:00:00+01:00")).status()).isEqualTo(200);
      assertThat(nextRun(choir)).isEqualTo(Instant.parse("2026-12-21T17:45:00Z"));

      CLOCK.jumpTo(Instant.parse("2026-12-21T17:44:58.500Z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ProactiveServer.notifications(other).size() == 1);
      assertThat(ProactiveServer.notifications(other).getJsonObject(0).getString("title")).isEqualTo("Choir at 19:00");
      await().atMost(Duration.ofSeconds(10)).until(() -> Instant.parse("2026-12-28T16:45:00Z").equals(nextRun(choir)));
      assertThat(ProactiveServer.notifications(attacker)).isEmpty();
      assertThat(nextRun(id)).isEqualTo(alert);
    }
  }

  @Test
  @DisplayName("a calendar holding 20,000 events, or 1,000 repeating ones, takes no more (422, nothing written); "
      + "the next person's calendar is untouched by it")
  void perPersonLimits() {
    try (Api full = new Api(aide.port()); Api series = new Api(aide.port()); Api other = new Api(aide.port())) {
      String fullId = full.register("full@example.com", "UTC").getString("id");
      String seriesId = series.register("series@example.com", "UTC").getString("id");
      other.register("untouched@example.com", "UTC");
      fill(full, fullId, EventService.MAX_EVENTS, null);
      fill(series, seriesId, EventService.MAX_SERIES, "FREQ=WEEKLY");

      Api.Response refused = full.post("/api/v1/events", single("One too many"));
      assertThat(refused.status()).as(refused.body()).isEqualTo(422);
      assertThat(refused.json().getJsonObject("error").getString("message"))
          .isEqualTo("your calendar holds 20000 events, as many as it may; delete some first");
      assertThat(count(fullId)).isEqualTo(EventService.MAX_EVENTS);

      Api.Response weekly = series.post("/api/v1/events", single("Weekly").put("rrule", "FREQ=WEEKLY"));
      assertThat(weekly.status()).as(weekly.body()).isEqualTo(422);
      assertThat(weekly.json().getJsonObject("error").getString("message"))
          .isEqualTo("your calendar holds 1000 repeating events, as many as it may; delete some first");
      Api.Response once = series.post("/api/v1/events", single("Once"));
      assertThat(once.status()).as("a single event still fits").isEqualTo(201);
      Api.Response repeated = series.patch("/api/v1/events/" + once.json().getString("id"),
          new JsonObject().put("rrule", "FREQ=DAILY"));
      assertThat(repeated.status()).as("nor may a single event become a series").isEqualTo(422);
      assertThat(aide.db().value("select rrule from events where id = ?::uuid", String.class,
          once.json().getString("id"))).isNull();
      String oneSeries = aide.db().value("select id::text from events where user_id = ?::uuid and rrule is not null"
          + " limit 1", String.class, seriesId);
      assertThat(series.patch("/api/v1/events/" + oneSeries, new JsonObject().put("title", "Still mine")).status())
          .as("a series already there can change").isEqualTo(200);
      assertThat(series.delete("/api/v1/events/" + oneSeries).status()).isEqualTo(204);
      assertThat(series.post("/api/v1/events", single("Weekly").put("rrule", "FREQ=WEEKLY")).status())
          .as("room again once one is deleted").isEqualTo(201);

      assertThat(other.post("/api/v1/events", single("Mine").put("rrule", "FREQ=WEEKLY")).status()).isEqualTo(201);
    }
  }

  /** The attack's event: every hour since 1900, with an alert ten minutes before. */
  private static JsonObject attack(int n) {
    return new JsonObject().put("title", "Attack " + n).put("start", "1900-01-01T00:00:00Z")
        .put("end", "1900-01-01T00:30:00Z").put("timezone", "UTC").put("rrule", "FREQ=HOURLY")
        .put("alertMinutes", 10);
  }

  private static JsonObject single(String title) {
    return new JsonObject().put("title", title).put("start", "2027-01-04T10:00:00Z").put("end", "2027-01-04T11:00:00Z");
  }

  /** Writes {@code n} events (series when rrule is given) into the person's primary calendar, straight into the table. */
  private static void fill(Api api, String userId, int n, String rrule) {
    assertThat(api.get("/api/v1/calendars").status()).isEqualTo(200); // makes the primary calendar
    aide.db().update("""
        insert into events (user_id, calendar_id, title, start_at, end_at, timezone, rrule)
        select u, c.id, 'Filler ' || i, timestamptz '2026-01-05 09:00Z' + i * interval '1 hour',
               timestamptz '2026-01-05 10:00Z' + i * interval '1 hour', 'UTC', ?::text
        from (select ?::uuid as u) p join calendars c on c.user_id = p.u and c.is_primary,
             generate_series(1, ?) i""", rrule, userId, n);
    assertThat(count(userId)).isEqualTo(n);
  }

  private static long count(String userId) {
    return aide.db().number("select count(*) from events where user_id = ?::uuid and deleted_at is null", userId);
  }

  private static Instant hour(int n) {
    return FIRST_HOUR.plus(n, ChronoUnit.HOURS);
  }

  private static Instant nextRun(String eventId) {
    OffsetDateTime next = aide.db().value("select next_run_at from scheduled_tasks where task_key = ?"
        + " and status = 'scheduled'", OffsetDateTime.class, "event-alert:" + UUID.fromString(eventId));
    return next == null ? null : next.toInstant();
  }
}
