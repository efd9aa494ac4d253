package dev.aide.platform.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Schedule: cron and RRULE read in a timezone; scheduler backoff")
class ScheduleTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  @DisplayName("cron 0 7 * * * in New York is 07:00 local on both sides of the November DST change")
  void cronAcrossDst() {
    Schedule daily = Schedule.cron("0 7 * * *", NEW_YORK);
    Instant before = Instant.parse("2026-10-31T12:00:00Z");
    Instant first = daily.next(before, before).orElseThrow();
    assertThat(first).isEqualTo(Instant.parse("2026-11-01T12:00:00Z")); // 07:00 EST (clocks went back at 02:00)
    assertThat(daily.next(first, first)).contains(Instant.parse("2026-11-02T12:00:00Z"));
    assertThat(daily.next(Instant.parse("2026-10-30T11:00:00Z"), Instant.parse("2026-10-30T10:00:00Z")))
        .contains(Instant.parse("2026-10-30T11:00:00Z")); // 07:00 EDT
  }

  @Test
  @DisplayName("an RRULE continues from its last run, skipping to the first run after 'after'")
  void rrule() {
    Schedule weekly = Schedule.rrule("FREQ=WEEKLY;BYDAY=MO,TH", ZoneId.of("Europe/Paris"));
    Instant monday = Instant.parse("2026-11-23T08:30:00Z"); // 09:30 Paris
    assertThat(weekly.next(monday, monday)).contains(Instant.parse("2026-11-26T08:30:00Z"));
    assertThat(weekly.next(monday, Instant.parse("2026-12-05T00:00:00Z"))).contains(Instant.parse("2026-12-07T08:30:00Z"));
    assertThat(Schedule.rrule("FREQ=DAILY;COUNT=1", NEW_YORK).next(monday, monday)).isEmpty();
  }

  @Test
  @DisplayName("a bad cron expression or a schedule with both rules is refused")
  void invalid() {
    assertThatThrownBy(() -> Schedule.cron("every day", NEW_YORK)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cron");
    assertThatThrownBy(() -> new Schedule("0 7 * * *", "FREQ=DAILY", NEW_YORK)).isInstanceOf(IllegalArgumentException.class);
  }
}
