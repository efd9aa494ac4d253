package dev.aide.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.calendar.CalendarEvent.Status;
import dev.aide.calendar.EventAlerts.Alert;
import dev.aide.calendar.EventRepository.Alerting;
import dev.aide.notification.Notice;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("When an event's alerts go, and what they say")
class EventAlertsTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final UUID SERIES = UUID.randomUUID();

  private static CalendarEvent event(String title, String start, String end, String rrule, Integer alert) {
    OffsetDateTime from = OffsetDateTime.parse(start);
    return new CalendarEvent(SERIES, UUID.randomUUID(), UUID.randomUUID(), null, null, title, null, null, from,
        OffsetDateTime.parse(end), PARIS, false, null, null, Status.CONFIRMED, rrule, List.of(), alert, List.of(),
        from, from);
  }

  private static CalendarEvent allDay(String title, LocalDate day, Integer alert) {
    OffsetDateTime from = day.atStartOfDay(PARIS).toOffsetDateTime();
    return new CalendarEvent(SERIES, UUID.randomUUID(), UUID.randomUUID(), null, null, title, null, null, from,
        from.plusDays(1), PARIS, true, day, day.plusDays(1), Status.CONFIRMED, null, List.of(), alert, List.of(),
        from, from);
  }

  /** An override of the series' occurrence at {@code original}, moved to {@code start}, or cancelled. */
  private static CalendarEvent override(String original, String start, String end, Status status) {
    OffsetDateTime from = OffsetDateTime.parse(start);
    return new CalendarEvent(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), SERIES,
        OffsetDateTime.parse(original), "Standup (moved)", null, "Room 2", from, OffsetDateTime.parse(end), PARIS,
        false, null, null, status, null, List.of(), null, List.of(), from, from);
  }

  private static Alerting alerting(CalendarEvent event, CalendarEvent... overrides) {
    return new Alerting(event, List.of(overrides), PARIS);
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  @Test
  @DisplayName("an all-day event alerts relative to midnight at its start, in the event's timezone")
  void allDayEvents() {
    Alerting sameDay = alerting(allDay("Holiday", LocalDate.of(2026, 12, 24), 0));
    assertThat(EventAlerts.next(sameDay, at("2026-12-01T00:00:00Z")).map(Alert::at))
        .contains(at("2026-12-23T23:00:00Z"));
    Alert dayBefore = EventAlerts.next(alerting(allDay("Holiday", LocalDate.of(2026, 12, 24), 1440)),
        at("2026-12-01T00:00:00Z")).orElseThrow();
    assertThat(dayBefore.at()).isEqualTo(at("2026-12-22T23:00:00Z"));
    assertThat(dayBefore.date()).isEqualTo(LocalDate.of(2026, 12, 24));

    Notice notice = EventAlertHandler.notice(UUID.randomUUID(), SERIES, PARIS, dayBefore, dayBefore.at());
    assertThat(notice.title()).isEqualTo("Holiday tomorrow (all day)");
    assertThat(notice.message()).isEqualTo("🔔 Holiday tomorrow (all day)");
    assertThat(notice.urgent()).isFalse();
  }

  @Test
  @DisplayName("a weekly series keeps its wall-clock alert across the switch to summer time")
  void acrossDst() {
    Alerting weekly = alerting(event("Review", "2027-03-22T10:00:00+01:00", "2027-03-22T11:00:00+01:00",
        "FREQ=WEEKLY", 15));
    assertThat(EventAlerts.next(weekly, at("2027-03-20T00:00:00Z")).map(Alert::at))
        .contains(at("2027-03-22T08:45:00Z"));
    assertThat(EventAlerts.next(weekly, at("2027-03-22T08:45:00Z")).map(Alert::at))
        .contains(at("2027-03-29T07:45:00Z"));
    assertThat(EventAlerts.dueAt(weekly, at("2027-03-29T07:45:00Z"))).extracting(Alert::start)
        .containsExactly(at("2027-03-29T08:00:00Z"));
    assertThat(EventAlerts.dueAt(weekly, at("2027-03-29T08:45:00Z"))).as("the winter-time instant").isEmpty();
  }

  @Test
  @DisplayName("exception dates and cancelled occurrences have no alert; a moved one alerts before its new start")
  void overrides() {
    CalendarEvent daily = event("Standup", "2026-12-07T10:00:00+01:00", "2026-12-07T10:15:00+01:00",
        "FREQ=DAILY;COUNT=5", 10);
    daily = new CalendarEvent(daily.id(), daily.userId(), daily.calendarId(), null, null, daily.title(), null, null,
        daily.start(), daily.end(), PARIS, false, null, null, Status.CONFIRMED, daily.rrule(),
        List.of(OffsetDateTime.parse("2026-12-08T10:00:00+01:00")), 10, List.of(), daily.start(), daily.start());
    // The 10th is cancelled; the 11th is moved before the 9th's occurrence.
    Alerting a = alerting(daily,
        override("2026-12-10T10:00:00+01:00", "2026-12-10T10:00:00+01:00", "2026-12-10T10:15:00+01:00",
            Status.CANCELLED),
        override("2026-12-11T10:00:00+01:00", "2026-12-09T08:00:00+01:00", "2026-12-09T08:30:00+01:00",
            Status.CONFIRMED));
    Instant after = at("2026-12-07T09:50:00Z");
    Alert moved = EventAlerts.next(a, after).orElseThrow();
    assertThat(moved.at()).isEqualTo(at("2026-12-09T06:50:00Z"));
    assertThat(moved.title()).isEqualTo("Standup (moved)");
    assertThat(moved.location()).isEqualTo("Room 2");
    assertThat(EventAlerts.next(a, moved.at()).map(Alert::at)).contains(at("2026-12-09T08:50:00Z"));
    assertThat(EventAlerts.next(a, at("2026-12-09T08:50:00Z"))).as("10th cancelled, 11th moved, COUNT=5 ends")
        .isEmpty();
    assertThat(EventAlerts.dueAt(a, at("2026-12-08T08:50:00Z"))).as("an exception date").isEmpty();
    assertThat(EventAlerts.dueAt(a, at("2026-12-10T08:50:00Z"))).as("a cancelled occurrence").isEmpty();
    assertThat(EventAlerts.dueAt(a, at("2026-12-11T08:50:00Z"))).as("a moved occurrence's old time").isEmpty();
  }

  @Test
  @DisplayName("an hourly series from 1900 whose next thousand hours are exception dates and the thousand after "
      + "them overrides (as many as a series may carry) alerts before the first hour none of them replaces, and before "
      + "the one occurrence moved among them")
  void thousandsSkipped() {
    ZoneId utc = ZoneId.of("UTC");
    Instant firstHour = at("2026-12-03T17:00:00Z");
    List<OffsetDateTime> exdates = new ArrayList<>();
    for (int i = 0; i < EventService.MAX_EXDATES; i++) {
      exdates.add(firstHour.plus(i, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC));
    }
    OffsetDateTime start = OffsetDateTime.parse("1900-01-01T00:00:00Z");
    CalendarEvent hourly = new CalendarEvent(SERIES, UUID.randomUUID(), UUID.randomUUID(), null, null, "Hourly", null,
        null, start, start.plusMinutes(30), utc, false, null, null, Status.CONFIRMED, "FREQ=HOURLY", exdates, 10,
        List.of(), start, start);
    List<CalendarEvent> overrides = new ArrayList<>();
    Instant movedFrom = firstHour.plus(1500, ChronoUnit.HOURS);
    Instant movedTo = firstHour.plus(2000, ChronoUnit.HOURS).plus(20, ChronoUnit.MINUTES);
    for (int i = 1000; i < 1000 + EventService.MAX_OVERRIDES; i++) {
      String original = firstHour.plus(i, ChronoUnit.HOURS).toString();
      overrides.add(firstHour.plus(i, ChronoUnit.HOURS).equals(movedFrom)
          ? override(original, movedTo.toString(), movedTo.plus(30, ChronoUnit.MINUTES).toString(), Status.CONFIRMED)
          : override(original, original, original, Status.CANCELLED));
    }
    Alerting a = new Alerting(hourly, overrides, utc);

    Instant now = at("2026-12-03T16:20:00Z");
    Alert first = EventAlerts.next(a, now).orElseThrow();
    assertThat(first.start()).isEqualTo(firstHour.plus(2000, ChronoUnit.HOURS));
    assertThat(first.at()).isEqualTo(firstHour.plus(2000, ChronoUnit.HOURS).minus(10, ChronoUnit.MINUTES));
    assertThat(first.title()).isEqualTo("Hourly");
    Alert moved = EventAlerts.next(a, first.at()).orElseThrow();
    assertThat(moved.start()).isEqualTo(movedTo);
    assertThat(moved.title()).isEqualTo("Standup (moved)");
    assertThat(EventAlerts.next(a, moved.at()).map(Alert::start)).contains(firstHour.plus(2001, ChronoUnit.HOURS));
    assertThat(EventAlerts.dueAt(a, firstHour.plus(999, ChronoUnit.HOURS).minus(10, ChronoUnit.MINUTES)))
        .as("an exception date").isEmpty();
    assertThat(EventAlerts.dueAt(a, first.at())).extracting(Alert::start).containsExactly(first.start());
  }

  @Test
  @DisplayName("a single event alerts once, only while the alert is ahead; none without alertMinutes or when cancelled")
  void singleEvents() {
    CalendarEvent dentist = event("Dentist", "2026-12-02T15:00:00+01:00", "2026-12-02T15:45:00+01:00", null, 10);
    assertThat(EventAlerts.next(alerting(dentist), at("2026-12-02T13:49:59Z")).map(Alert::at))
        .contains(at("2026-12-02T13:50:00Z"));
    assertThat(EventAlerts.next(alerting(dentist), at("2026-12-02T13:50:00Z"))).isEmpty();
    assertThat(EventAlerts.next(alerting(event("Dentist", "2026-12-02T15:00:00+01:00", "2026-12-02T15:45:00+01:00",
        null, null)), at("2026-12-01T00:00:00Z"))).isEmpty();
    CalendarEvent cancelled = new CalendarEvent(dentist.id(), dentist.userId(), dentist.calendarId(), null, null,
        "Dentist", null, null, dentist.start(), dentist.end(), PARIS, false, null, null, Status.CANCELLED, null,
        List.of(), 10, List.of(), dentist.start(), dentist.start());
    assertThat(EventAlerts.next(alerting(cancelled), at("2026-12-01T00:00:00Z"))).isEmpty();
    assertThat(EventAlerts.dueAt(alerting(cancelled), at("2026-12-02T13:50:00Z"))).isEmpty();
  }

  @Test
  @DisplayName("the time left reads as people say it")
  void timeLeft() {
    assertThat(EventAlertHandler.in(Duration.ofSeconds(599))).isEqualTo("in 10 minutes");
    assertThat(EventAlertHandler.in(Duration.ofMinutes(1))).isEqualTo("in 1 minute");
    assertThat(EventAlertHandler.in(Duration.ofMinutes(90))).isEqualTo("in 1 hour 30 minutes");
    assertThat(EventAlertHandler.in(Duration.ofDays(2))).isEqualTo("in 2 days");
    assertThat(EventAlertHandler.in(Duration.ofMinutes(1440 + 120))).isEqualTo("in 1 day 2 hours");
    assertThat(EventAlertHandler.in(Duration.ofSeconds(10))).isEqualTo("now");
  }
}
