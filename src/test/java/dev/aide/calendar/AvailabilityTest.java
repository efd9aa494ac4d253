package dev.aide.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.auth.WorkingHours;
import dev.aide.calendar.Availability.Slot;
import dev.aide.calendar.CalendarEvent.Status;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Free slots are the working hours of a window less the events that take up time")
class AvailabilityTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final WorkingHours NINE_TO_FIVE = WorkingHours.DEFAULT;
  private static final WorkingHours EVERY_DAY = new WorkingHours(LocalTime.of(9, 0), LocalTime.of(17, 0),
      Arrays.asList(DayOfWeek.values()));

  private static Occurrence event(String title, String start, String end) {
    return event(title, start, end, Status.CONFIRMED, false);
  }

  private static Occurrence event(String title, String start, String end, Status status, boolean allDay) {
    return new Occurrence(UUID.randomUUID(), title, OffsetDateTime.parse(start), OffsetDateTime.parse(end), null,
        allDay, null, status);
  }

  private static List<String> slots(List<Occurrence> events, String from, String to, WorkingHours hours, int minutes) {
    return Availability.freeSlots(events, OffsetDateTime.parse(from), OffsetDateTime.parse(to), hours, PARIS,
        Duration.ofMinutes(minutes)).stream().map(s -> s.start() + "/" + s.end()).toList();
  }

  @Test
  @DisplayName("overlapping and touching events merge; cancelled and all-day events take no time; tentative ones do")
  void mergesBusyTime() {
    List<Occurrence> day = List.of(
        event("Standup", "2026-11-19T09:30+01:00", "2026-11-19T10:00+01:00"),
        event("Review", "2026-11-19T10:00+01:00", "2026-11-19T11:00+01:00"),
        event("Workshop", "2026-11-19T10:30+01:00", "2026-11-19T12:00+01:00"),
        event("Cancelled lunch", "2026-11-19T13:00+01:00", "2026-11-19T15:00+01:00", Status.CANCELLED, false),
        event("Birthday", "2026-11-19T00:00+01:00", "2026-11-20T00:00+01:00", Status.CONFIRMED, true),
        event("Maybe call", "2026-11-19T15:00+01:00", "2026-11-19T16:00+01:00", Status.TENTATIVE, false));
    assertThat(slots(day, "2026-11-19T00:00+01:00", "2026-11-20T00:00+01:00", NINE_TO_FIVE, 30)).containsExactly(
        "2026-11-19T09:00+01:00/2026-11-19T09:30+01:00",
        "2026-11-19T12:00+01:00/2026-11-19T15:00+01:00",
        "2026-11-19T16:00+01:00/2026-11-19T17:00+01:00");
    assertThat(slots(day, "2026-11-19T00:00+01:00", "2026-11-20T00:00+01:00", NINE_TO_FIVE, 61)).containsExactly(
        "2026-11-19T12:00+01:00/2026-11-19T15:00+01:00");
  }

  @Test
  @DisplayName("a part of the day is clipped to working hours, and a slot shorter than the duration is left out")
  void partOfDay() {
    List<Occurrence> day = List.of(event("Call", "2026-11-19T14:30+01:00", "2026-11-19T15:30+01:00"),
        event("Late", "2026-11-19T16:30+01:00", "2026-11-19T18:00+01:00"));
    // "tomorrow afternoon" is 12:00–17:00
    assertThat(slots(day, "2026-11-19T12:00+01:00", "2026-11-19T17:00+01:00", NINE_TO_FIVE, 60)).containsExactly(
        "2026-11-19T12:00+01:00/2026-11-19T14:30+01:00", "2026-11-19T15:30+01:00/2026-11-19T16:30+01:00");
    assertThat(slots(day, "2026-11-19T12:00+01:00", "2026-11-19T17:00+01:00", NINE_TO_FIVE, 61)).containsExactly(
        "2026-11-19T12:00+01:00/2026-11-19T14:30+01:00");
    // "tomorrow evening" (17:00–21:00) lies outside working hours
    assertThat(slots(day, "2026-11-19T17:00+01:00", "2026-11-19T21:00+01:00", NINE_TO_FIVE, 30)).isEmpty();
    // a window that starts mid-morning, and an event that started before it
    assertThat(slots(List.of(event("Early", "2026-11-19T08:00+01:00", "2026-11-19T10:45+01:00")),
        "2026-11-19T10:15+01:00", "2026-11-19T12:00+01:00", NINE_TO_FIVE, 30)).containsExactly(
        "2026-11-19T10:45+01:00/2026-11-19T12:00+01:00");
  }

  @Test
  @DisplayName("days that are not working days give no slots, and a slot never spans two days")
  void workingDays() {
    assertThat(slots(List.of(), "2026-11-20T00:00+01:00", "2026-11-24T00:00+01:00", NINE_TO_FIVE, 60)).containsExactly(
        "2026-11-20T09:00+01:00/2026-11-20T17:00+01:00",
        "2026-11-23T09:00+01:00/2026-11-23T17:00+01:00");
    WorkingHours fourDays = new WorkingHours(LocalTime.of(8, 30), LocalTime.of(16, 30),
        List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY));
    assertThat(slots(List.of(), "2026-11-19T00:00+01:00", "2026-11-21T00:00+01:00", fourDays, 30)).containsExactly(
        "2026-11-19T08:30+01:00/2026-11-19T16:30+01:00");
  }

  @Test
  @DisplayName("working hours stay wall-clock times across daylight-saving changes in the person's zone")
  void daylightSaving() {
    // Paris leaves summer time on Sunday 25 October 2026 at 03:00 (+02:00 → +01:00).
    assertThat(slots(List.of(event("Brunch", "2026-10-25T10:00Z", "2026-10-25T11:00Z")),
        "2026-10-24T00:00+02:00", "2026-10-27T00:00+01:00", EVERY_DAY, 60)).containsExactly(
        "2026-10-24T09:00+02:00/2026-10-24T17:00+02:00",
        "2026-10-25T09:00+01:00/2026-10-25T11:00+01:00",
        "2026-10-25T12:00+01:00/2026-10-25T17:00+01:00",
        "2026-10-26T09:00+01:00/2026-10-26T17:00+01:00");
    // Spring forward on Sunday 29 March 2026: working 01:00–05:00 is only three hours long that day.
    WorkingHours night = new WorkingHours(LocalTime.of(1, 0), LocalTime.of(5, 0), Arrays.asList(DayOfWeek.values()));
    List<Slot> spring = Availability.freeSlots(List.of(), OffsetDateTime.parse("2026-03-29T00:00+01:00"),
        OffsetDateTime.parse("2026-03-30T00:00+02:00"), night, PARIS, Duration.ofHours(3));
    assertThat(spring).hasSize(1);
    assertThat(spring.get(0).length()).isEqualTo(Duration.ofHours(3));
    assertThat(spring.get(0).end()).isEqualTo(OffsetDateTime.parse("2026-03-29T05:00+02:00"));
  }

  @Test
  @DisplayName("a time's conflicts are the events that take it up; working hours are checked in the person's zone")
  void conflicts() {
    List<Occurrence> day = List.of(event("Dentist", "2026-11-20T14:30+01:00", "2026-11-20T15:15+01:00"),
        event("Gone", "2026-11-20T15:00+01:00", "2026-11-20T16:00+01:00", Status.CANCELLED, false),
        event("After", "2026-11-20T16:00+01:00", "2026-11-20T17:00+01:00"));
    OffsetDateTime three = OffsetDateTime.parse("2026-11-20T15:00+01:00");
    assertThat(Availability.conflicts(day, three, three.plusHours(1))).extracting(Occurrence::title)
        .containsExactly("Dentist");
    assertThat(Availability.conflicts(day, three.plusMinutes(15), three.plusHours(1))).isEmpty();
    assertThat(Availability.withinWorkingHours(three, three.plusHours(1), NINE_TO_FIVE, PARIS)).isTrue();
    assertThat(Availability.withinWorkingHours(three.plusHours(2), three.plusHours(3), NINE_TO_FIVE, PARIS)).isFalse();
    assertThat(Availability.withinWorkingHours(three.plusDays(1), three.plusDays(1).plusHours(1), NINE_TO_FIVE, PARIS))
        .isFalse();
  }
}
