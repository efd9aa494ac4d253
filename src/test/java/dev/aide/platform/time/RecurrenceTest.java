package dev.aide.platform.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Recurrence expands the RRULE examples of RFC 5545 section 3.8.5.3 to their published instants")
class RecurrenceTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final Instant FROM = Instant.parse("1997-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2002-01-01T00:00:00Z");

  static Stream<Arguments> examples() {
    return Stream.of(
        Arguments.of("Daily for 10 occurrences", "19970902", "FREQ=DAILY;COUNT=10",
            days(1997, 9, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)),
        Arguments.of("Daily until December 24, 1997", "19970902", "FREQ=DAILY;UNTIL=19971224T000000Z",
            concat(range(1997, 9, 2, 30), range(1997, 10, 1, 31), range(1997, 11, 1, 30), range(1997, 12, 1, 23))),
        Arguments.of("Every 10 days, 5 occurrences", "19970902", "FREQ=DAILY;INTERVAL=10;COUNT=5",
            concat(days(1997, 9, 2, 12, 22), days(1997, 10, 2, 12))),
        Arguments.of("Weekly for 10 occurrences", "19970902", "FREQ=WEEKLY;COUNT=10",
            concat(days(1997, 9, 2, 9, 16, 23, 30), days(1997, 10, 7, 14, 21, 28), days(1997, 11, 4))),
        Arguments.of("Weekly until December 24, 1997", "19970902", "FREQ=WEEKLY;UNTIL=19971224T000000Z",
            concat(days(1997, 9, 2, 9, 16, 23, 30), days(1997, 10, 7, 14, 21, 28), days(1997, 11, 4, 11, 18, 25),
                days(1997, 12, 2, 9, 16, 23))),
        Arguments.of("Weekly on Tuesday and Thursday for five weeks", "19970902",
            "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
            concat(days(1997, 9, 2, 4, 9, 11, 16, 18, 23, 25, 30), days(1997, 10, 2))),
        Arguments.of("Every other week on Monday, Wednesday and Friday until December 24, 1997", "19970901",
            "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
            concat(days(1997, 9, 1, 3, 5, 15, 17, 19, 29), days(1997, 10, 1, 3, 13, 15, 17, 27, 29, 31),
                days(1997, 11, 10, 12, 14, 24, 26, 28), days(1997, 12, 8, 10, 12, 22))),
        Arguments.of("Monthly on the first Friday for 10 occurrences", "19970905", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
            concat(days(1997, 9, 5), days(1997, 10, 3), days(1997, 11, 7), days(1997, 12, 5), days(1998, 1, 2),
                days(1998, 2, 6), days(1998, 3, 6), days(1998, 4, 3), days(1998, 5, 1), days(1998, 6, 5))),
        Arguments.of("Monthly on the second-to-last Monday of the month for 6 months", "19970922",
            "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
            concat(days(1997, 9, 22), days(1997, 10, 20), days(1997, 11, 17), days(1997, 12, 22), days(1998, 1, 19),
                days(1998, 2, 16))),
        Arguments.of("Yearly in June and July for 10 occurrences", "19970610", "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
            concat(days(1997, 6, 10), days(1997, 7, 10), days(1998, 6, 10), days(1998, 7, 10), days(1999, 6, 10),
                days(1999, 7, 10), days(2000, 6, 10), days(2000, 7, 10), days(2001, 6, 10), days(2001, 7, 10))),
        Arguments.of("Every day in January, for 3 years", "19980101",
            "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
            concat(range(1998, 1, 1, 31), range(1999, 1, 1, 31), range(2000, 1, 1, 31))),
        Arguments.of("Every Thursday in March, forever (first three years)", "19970313", "FREQ=YEARLY;BYMONTH=3;BYDAY=TH",
            concat(days(1997, 3, 13, 20, 27), days(1998, 3, 5, 12, 19, 26), days(1999, 3, 4, 11, 18, 25),
                days(2000, 3, 2, 9, 16, 23, 30), days(2001, 3, 1, 8, 15, 22, 29))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  @DisplayName("an RFC 5545 example gives exactly its published occurrences, as instants")
  void rfcExample(String name, String start, String rrule, List<Instant> expected) {
    ZonedDateTime dtstart = LocalDateTime.parse(start.substring(0, 4) + "-" + start.substring(4, 6) + "-"
        + start.substring(6) + "T09:00").atZone(NEW_YORK);
    assertThat(Recurrence.starts(rrule, dtstart, 3_600_000, FROM, TO, Set.of(), 10_000)).containsExactlyElementsOf(expected);
  }

  @Test
  @DisplayName("every other day, forever, crosses the October 1997 change to standard time at 9:00 local")
  void everyOtherDayAcrossDaylightSaving() {
    ZonedDateTime dtstart = ZonedDateTime.of(1997, 9, 2, 9, 0, 0, 0, NEW_YORK);
    List<Instant> found = Recurrence.starts("FREQ=DAILY;INTERVAL=2", dtstart, 3_600_000,
        Instant.parse("1997-10-20T00:00:00Z"), Instant.parse("1997-11-02T00:00:00Z"), Set.of(), 100);
    assertThat(found).containsExactly(
        Instant.parse("1997-10-20T13:00:00Z"), Instant.parse("1997-10-22T13:00:00Z"),
        Instant.parse("1997-10-24T13:00:00Z"), Instant.parse("1997-10-26T14:00:00Z"),
        Instant.parse("1997-10-28T14:00:00Z"), Instant.parse("1997-10-30T14:00:00Z"),
        Instant.parse("1997-11-01T14:00:00Z"));
  }

  @Test
  @DisplayName("every Friday the 13th, with DTSTART excluded by EXDATE, gives the published five")
  void fridayThe13thWithExdate() {
    ZonedDateTime dtstart = ZonedDateTime.of(1997, 9, 2, 9, 0, 0, 0, NEW_YORK);
    List<Instant> found = Recurrence.starts("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", dtstart, 3_600_000,
        FROM, Instant.parse("2000-12-31T00:00:00Z"), Set.of(dtstart.toInstant()), 100);
    assertThat(found).containsExactlyElementsOf(concat(days(1998, 2, 13), days(1998, 3, 13), days(1998, 11, 13),
        days(1999, 8, 13), days(2000, 10, 13)));
  }

  @Test
  @DisplayName("an occurrence that started before the window but is still going on is part of it")
  void overlapFromBefore() {
    ZonedDateTime dtstart = ZonedDateTime.of(1997, 9, 2, 9, 0, 0, 0, NEW_YORK);
    List<Instant> found = Recurrence.starts("FREQ=DAILY", dtstart, 2 * 3_600_000,
        Instant.parse("1997-09-05T14:30:00Z"), Instant.parse("1997-09-05T15:00:00Z"), Set.of(), 100);
    assertThat(found).containsExactly(Instant.parse("1997-09-05T13:00:00Z"));
  }

  @Test
  @DisplayName("a finite rule knows its last start; an endless one has none")
  void lastStart() {
    ZonedDateTime dtstart = ZonedDateTime.of(1997, 9, 2, 9, 0, 0, 0, NEW_YORK);
    assertThat(Recurrence.lastStart("FREQ=WEEKLY;COUNT=10", dtstart)).contains(Instant.parse("1997-11-04T14:00:00Z"));
    assertThat(Recurrence.lastStart("FREQ=WEEKLY;BYDAY=MO", dtstart)).isEmpty();
    assertThat(Recurrence.occursAt("FREQ=WEEKLY", dtstart, Instant.parse("1997-10-28T14:00:00Z"))).isTrue();
    assertThat(Recurrence.occursAt("FREQ=WEEKLY", dtstart, Instant.parse("1997-10-28T13:00:00Z"))).isFalse();
  }

  @Test
  @DisplayName("invalid rules are refused with a reason; an RRULE: prefix and lower case are accepted")
  void validation() {
    assertThat(Recurrence.normalize("rrule:freq=weekly;byday=mo")).isEqualTo("FREQ=WEEKLY;BYDAY=MO");
    assertThatThrownBy(() -> Recurrence.normalize("FREQ=SOMETIMES")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Recurrence.normalize("BYDAY=MO")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Recurrence.normalize("FREQ=WEEKLY;BYDAY=XX")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Recurrence.normalize("FREQ=MINUTELY")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Recurrence.normalize("hello")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the shortest gap counts BY parts that expand a FREQ: hourly events may not list two minutes, reminders "
      + "may not list two seconds, and a filter coarser than the FREQ never counts")
  void shortestGap() {
    assertThat(Recurrence.normalize("FREQ=DAILY;BYHOUR=9,10", Recurrence.HOURLY)).isEqualTo("FREQ=DAILY;BYHOUR=9,10");
    assertThatThrownBy(() -> Recurrence.normalize("FREQ=HOURLY;BYMINUTE=0,30", Recurrence.HOURLY))
        .hasMessageContaining("more often than hourly");
    assertThatThrownBy(() -> Recurrence.normalize("FREQ=DAILY;BYHOUR=23,0", Recurrence.MINUTELY.multipliedBy(120)))
        .hasMessageContaining("more often than");
    assertThat(Recurrence.normalize("FREQ=HOURLY;BYMINUTE=0,30", Recurrence.MINUTELY)).isNotNull();
    assertThat(Recurrence.normalize("FREQ=MINUTELY;BYSECOND=5", Recurrence.MINUTELY)).isNotNull();
    assertThatThrownBy(() -> Recurrence.normalize("FREQ=MINUTELY;BYSECOND=0,59", Recurrence.MINUTELY))
        .hasMessageContaining("more often than once a minute");
    assertThatThrownBy(() -> Recurrence.normalize("FREQ=SECONDLY;INTERVAL=59", Recurrence.MINUTELY))
        .hasMessageContaining("more often than once a minute");
    assertThat(Recurrence.normalize("FREQ=SECONDLY;INTERVAL=60", Recurrence.MINUTELY)).isNotNull();
    assertThat(Recurrence.normalize("FREQ=MINUTELY;BYHOUR=9,17", Recurrence.MINUTELY)).isNotNull();
  }

  @Test
  @DisplayName("expansion is bounded: a minutely series from year 1 is refused at once instead of walked minute by "
      + "minute, a listing of it is empty, and a series lib-recur cannot follow ends instead of failing")
  void boundedExpansion() {
    ZonedDateTime yearOne = ZonedDateTime.of(1, 1, 1, 9, 0, 0, 0, ZoneId.of("UTC"));
    Instant now = Instant.parse("2026-11-25T10:00:00Z");
    long started = System.nanoTime();
    assertThatThrownBy(() -> Recurrence.nextAfter("FREQ=MINUTELY", yearOne, now))
        .hasMessageContaining("starts too long before");
    assertThat(Recurrence.starts("FREQ=MINUTELY", yearOne, 60_000, now, now.plusSeconds(3600), Set.of(), 100)).isEmpty();
    assertThat(Recurrence.occursAt("FREQ=MINUTELY", yearOne, now)).isFalse();
    System.out.printf("refusing three walks of 1 billion minutes took %d ms%n", (System.nanoTime() - started) / 1_000_000);
    // A daily series from the same year is walked: 740,000 days is cheap.
    assertThat(Recurrence.nextAfter("FREQ=DAILY", yearOne, now)).contains(Instant.parse("2026-11-26T09:00:00Z"));

    // Every minute on Mondays: from a Monday lib-recur finds that day's minutes, then gives up on the six days after.
    ZonedDateTime monday = ZonedDateTime.of(2026, 11, 30, 23, 50, 0, 0, ZoneId.of("UTC"));
    Instant tuesday = Instant.parse("2026-12-01T00:00:00Z");
    assertThat(Recurrence.nextAfter("FREQ=MINUTELY;BYDAY=MO", monday, monday.toInstant()))
        .contains(monday.plusMinutes(1).toInstant());
    assertThat(Recurrence.nextAfter("FREQ=MINUTELY;BYDAY=MO", monday, tuesday)).isEmpty();
    assertThat(Recurrence.starts("FREQ=MINUTELY;BYDAY=MO", monday, 60_000, monday.toInstant(),
        monday.plusDays(14).toInstant(), Set.of(), 100)).isNotEmpty().allMatch(start -> start.isBefore(tuesday));
    assertThatThrownBy(() -> Recurrence.check("FREQ=MINUTELY;BYDAY=MO", monday, Recurrence.MINUTELY))
        .hasMessageContaining("too far apart for FREQ=MINUTELY");
  }

  @Test
  @DisplayName("past a thousand skipped starts of an hourly series anchored in 1900 (the alert attack of issue 9), the "
      + "next occurrence is found in one fast-forward from 1900 and one step per occurrence, not a walk from 1900 per "
      + "skipped start")
  void oneWalkPastSkippedStarts() {
    ZonedDateTime from1900 = ZonedDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneId.of("UTC"));
    Instant now = Instant.parse("2026-12-03T16:20:00Z");
    Instant firstHour = Instant.parse("2026-12-03T17:00:00Z");
    Set<Instant> skipped = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      skipped.add(firstHour.plus(i, ChronoUnit.HOURS));
    }
    skipped.add(Instant.parse("1950-06-01T12:00:00Z")); // behind the instant: never met

    Recurrence.Found found = Recurrence.firstAfter("FREQ=HOURLY", from1900, now, skipped);
    assertThat(found.start()).contains(firstHour.plus(1000, ChronoUnit.HOURS));
    assertThat(found.forwarded()).as("periods fast-forwarded: once from 1900 to now")
        .isEqualTo(Duration.between(from1900.toInstant(), now).toHours());
    assertThat(found.steps()).as("one step per skipped start, and the one found").isEqualTo(1001);
    assertThat(Recurrence.nextAfter("FREQ=HOURLY", from1900, now)).contains(firstHour);

    // A series whose every remaining start is skipped ends after stepping through them, with nothing.
    Recurrence.Found none = Recurrence.firstAfter("FREQ=HOURLY;UNTIL=20270113T160000Z", from1900, now, skipped);
    assertThat(none.start()).isEmpty();
    assertThat(none.steps()).as("the hours from the first to UNTIL, both included")
        .isEqualTo(Duration.between(firstHour, Instant.parse("2027-01-13T16:00:00Z")).toHours() + 1);
  }

  private static List<Instant> days(int year, int month, int... days) {
    List<Instant> out = new ArrayList<>();
    for (int day : days) {
      out.add(ZonedDateTime.of(year, month, day, 9, 0, 0, 0, NEW_YORK).toInstant());
    }
    return out;
  }

  private static List<Instant> range(int year, int month, int first, int last) {
    List<Instant> out = new ArrayList<>();
    for (int day = first; day <= last; day++) {
      out.add(ZonedDateTime.of(year, month, day, 9, 0, 0, 0, NEW_YORK).toInstant());
    }
    return out;
  }

  @SafeVarargs
  private static List<Instant> concat(List<Instant>... lists) {
    List<Instant> out = new ArrayList<>();
    for (List<Instant> list : lists) {
      out.addAll(list);
    }
    return out;
  }
}
