package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The time phrase parser resolves English date and time phrases against the user's current time")
class TimePhraseParserTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  /** Wednesday 18 November 2026, 10:15 in Paris. */
  private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 10, 15, 0, 0, PARIS);

  private final TimePhraseParser parser = new TimePhraseParser();

  private static ZonedDateTime paris(String localDateTime) {
    return ZonedDateTime.of(LocalDateTime.parse(localDateTime), PARIS);
  }

  @ParameterizedTest(name = "\"{0}\" is {1}")
  @DisplayName("relative days, weekdays and parts of day resolve from Wednesday 18 November 2026 10:15")
  @CsvSource(delimiter = '|', textBlock = """
      tomorrow                    | 2026-11-19T09:00
      today at 5pm                | 2026-11-18T17:00
      tonight                     | 2026-11-18T20:00
      the day after tomorrow      | 2026-11-20T09:00
      day after tomorrow at 8am   | 2026-11-20T08:00
      on Friday                   | 2026-11-20T09:00
      Friday                      | 2026-11-20T09:00
      by friday                   | 2026-11-20T09:00
      next Monday                 | 2026-11-23T09:00
      this Friday                 | 2026-11-20T09:00
      this Wednesday              | 2026-11-25T09:00
      this Wednesday at 6pm       | 2026-11-18T18:00
      on Wednesday                | 2026-11-25T09:00
      next Wednesday at 6pm       | 2026-11-25T18:00
      this weekend                | 2026-11-21T09:00
      fri                         | 2026-11-20T09:00
      tues                        | 2026-11-24T09:00
      thurs at 3pm                | 2026-11-19T15:00
      next Monday morning         | 2026-11-23T09:00
      tomorrow afternoon          | 2026-11-19T15:00
      Sunday evening              | 2026-11-22T19:00
      friday night at 11          | 2026-11-20T23:00
      tomorrow night              | 2026-11-19T20:00
      this afternoon              | 2026-11-18T15:00
      this morning                | 2026-11-19T09:00
      in the evening              | 2026-11-18T19:00
      at night                    | 2026-11-18T20:00
      """)
  void resolvesDays(String phrase, String expected) {
    assertThat(parser.parse(phrase, NOW)).contains(paris(expected));
  }

  @ParameterizedTest(name = "\"{0}\" is {1}")
  @DisplayName("clock times alone mean today if still ahead, otherwise tomorrow")
  @CsvSource(delimiter = '|', textBlock = """
      5pm                   | 2026-11-18T17:00
      5 pm                  | 2026-11-18T17:00
      5 p.m.                | 2026-11-18T17:00
      5:30pm                | 2026-11-18T17:30
      17:30                 | 2026-11-18T17:30
      at 9                  | 2026-11-19T09:00
      at 9am                | 2026-11-19T09:00
      8am                   | 2026-11-19T08:00
      at 9:30               | 2026-11-19T09:30
      at 10:30              | 2026-11-18T10:30
      at 10                 | 2026-11-19T10:00
      at 11                 | 2026-11-18T11:00
      at 5                  | 2026-11-18T17:00
      at five               | 2026-11-18T17:00
      at 12                 | 2026-11-18T12:00
      noon                  | 2026-11-18T12:00
      at midday             | 2026-11-18T12:00
      midnight              | 2026-11-19T00:00
      12am                  | 2026-11-19T00:00
      12pm                  | 2026-11-18T12:00
      half past 3           | 2026-11-18T15:30
      quarter past 4        | 2026-11-18T16:15
      quarter to 6          | 2026-11-18T17:45
      10 past 7             | 2026-11-19T07:10
      5 o'clock             | 2026-11-18T17:00
      at 7 in the evening   | 2026-11-18T19:00
      at 7 in the morning   | 2026-11-19T07:00
      8 tonight             | 2026-11-18T20:00
      at 3 in the afternoon | 2026-11-18T15:00
      """)
  void resolvesClockTimes(String phrase, String expected) {
    assertThat(parser.parse(phrase, NOW)).contains(paris(expected));
  }

  @ParameterizedTest(name = "\"{0}\" is {1}")
  @DisplayName("offsets are added to the current minute")
  @CsvSource(delimiter = '|', textBlock = """
      in 20 minutes             | 2026-11-18T10:35
      in 2 hours                | 2026-11-18T12:15
      in an hour                | 2026-11-18T11:15
      in half an hour           | 2026-11-18T10:45
      in 3 days                 | 2026-11-21T10:15
      in a week                 | 2026-11-25T10:15
      in 90 mins                | 2026-11-18T11:45
      in 1 hour and 30 minutes  | 2026-11-18T11:45
      in an hour and a half     | 2026-11-18T11:45
      in five minutes           | 2026-11-18T10:20
      20 minutes from now       | 2026-11-18T10:35
      in 3 days at 5pm          | 2026-11-21T17:00
      """)
  void resolvesOffsets(String phrase, String expected) {
    assertThat(parser.parse(phrase, NOW)).contains(paris(expected));
  }

  @Test
  @DisplayName("offsets drop the seconds of the current time")
  void offsetsTruncateSeconds() {
    ZonedDateTime withSeconds = NOW.withSecond(42).withNano(123);
    assertThat(parser.parse("in 20 minutes", withSeconds)).contains(paris("2026-11-18T10:35"));
  }

  @ParameterizedTest(name = "\"{0}\" is {1}")
  @DisplayName("calendar dates without a year mean their next occurrence")
  @CsvSource(delimiter = '|', textBlock = """
      on 3 March        | 2027-03-03T09:00
      3 March           | 2027-03-03T09:00
      March 3           | 2027-03-03T09:00
      March 3rd         | 2027-03-03T09:00
      the 3rd of march  | 2027-03-03T09:00
      December 25       | 2026-12-25T09:00
      on the 5th        | 2026-12-05T09:00
      on the 20th       | 2026-11-20T09:00
      on the 18th       | 2026-12-18T09:00
      3/14              | 2027-03-14T09:00
      11/18             | 2027-11-18T09:00
      12/25/2027        | 2027-12-25T09:00
      2027-01-05        | 2027-01-05T09:00
      Jan 5 2027        | 2027-01-05T09:00
      5 January 2027    | 2027-01-05T09:00
      """)
  void resolvesDates(String phrase, String expected) {
    assertThat(parser.parse(phrase, NOW)).contains(paris(expected));
  }

  @ParameterizedTest(name = "\"{0}\" is {1}")
  @DisplayName("a day and a time combine in either order")
  @CsvSource(delimiter = '|', textBlock = """
      tomorrow at 5pm          | 2026-11-19T17:00
      at 5pm tomorrow          | 2026-11-19T17:00
      Tomorrow   At 5PM.       | 2026-11-19T17:00
      tomorrow, at 5pm         | 2026-11-19T17:00
      on Friday at 9           | 2026-11-20T09:00
      on 3 March at 14:30      | 2027-03-03T14:30
      at noon on Friday        | 2026-11-20T12:00
      tomorrow at midnight     | 2026-11-20T00:00
      on the 5th at 8pm        | 2026-12-05T20:00
      next tuesday at 10:45am  | 2026-11-24T10:45
      """)
  void combinesDayAndTime(String phrase, String expected) {
    assertThat(parser.parse(phrase, NOW)).contains(paris(expected));
  }

  @ParameterizedTest(name = "\"{0}\" is not a time")
  @DisplayName("impossible or non-temporal phrases are rejected")
  @NullAndEmptySource
  @ValueSource(strings = {
    "   ", "on 31 February", "at 25:00", "at 13pm", "0am", "at 9:75", "2027-02-30", "13/14", "the 32nd",
    "soon", "later", "call mom", "5", "5 apples", "tomorrow tomorrow", "at 5pm at 6pm", "friday friday",
    "in 20 minutes tomorrow", "next", "half to 5", "5pm in the morning", "9am in the evening", "in minutes"
  })
  void rejects(String phrase) {
    assertThat(parser.parse(phrase, NOW)).isEmpty();
  }

  @Nested
  @DisplayName("In another time zone and across daylight-saving changes")
  class Zones {

    @Test
    @DisplayName("times are resolved in the zone of the reference time")
    void newYork() {
      ZonedDateTime now = ZonedDateTime.of(2026, 11, 18, 10, 15, 0, 0, NEW_YORK);
      assertThat(parser.parse("tomorrow at 5pm", now))
          .contains(ZonedDateTime.of(2026, 11, 19, 17, 0, 0, 0, NEW_YORK));
      assertThat(parser.parse("in 2 hours", now).map(ZonedDateTime::toInstant))
          .contains(now.plusHours(2).toInstant());
    }

    @Test
    @DisplayName("an explicit today keeps its day")
    void todayEarlyInTheMorning() {
      ZonedDateTime now = ZonedDateTime.of(2026, 11, 18, 7, 0, 0, 0, NEW_YORK);
      assertThat(parser.parse("today", now)).contains(ZonedDateTime.of(2026, 11, 18, 9, 0, 0, 0, NEW_YORK));
    }

    @Test
    @DisplayName("tomorrow at 5pm after the spring change in Paris is in summer time")
    void parisSpringForward() {
      ZonedDateTime now = ZonedDateTime.of(2027, 3, 27, 10, 0, 0, 0, PARIS);
      ZonedDateTime due = parser.parse("tomorrow at 5pm", now).orElseThrow();
      assertThat(due).isEqualTo(ZonedDateTime.parse("2027-03-28T17:00+02:00[Europe/Paris]"));
      assertThat(due.toInstant()).isEqualTo(java.time.Instant.parse("2027-03-28T15:00:00Z"));
    }

    @Test
    @DisplayName("whole days keep the wall-clock time while hours are exact durations")
    void daysVersusHoursAcrossTheChange() {
      ZonedDateTime now = ZonedDateTime.of(2027, 3, 27, 10, 0, 0, 0, PARIS);
      assertThat(parser.parse("in a day", now))
          .contains(ZonedDateTime.parse("2027-03-28T10:00+02:00[Europe/Paris]"));
      assertThat(parser.parse("in 24 hours", now))
          .contains(ZonedDateTime.parse("2027-03-28T11:00+02:00[Europe/Paris]"));
    }

    @Test
    @DisplayName("a time inside the spring gap moves forward")
    void gapTime() {
      ZonedDateTime now = ZonedDateTime.of(2027, 3, 27, 10, 0, 0, 0, PARIS);
      assertThat(parser.parse("tomorrow at 2:30am", now))
          .contains(ZonedDateTime.parse("2027-03-28T03:30+02:00[Europe/Paris]"));
    }

    @Test
    @DisplayName("hours added across the New York spring change are exact")
    void newYorkSpringForward() {
      ZonedDateTime now = ZonedDateTime.of(2027, 3, 13, 20, 0, 0, 0, NEW_YORK);
      assertThat(parser.parse("in 12 hours", now).map(ZonedDateTime::toInstant))
          .contains(java.time.Instant.parse("2027-03-14T13:00:00Z"));
      assertThat(parser.parse("tomorrow morning", now))
          .contains(ZonedDateTime.parse("2027-03-14T09:00-04:00[America/New_York]"));
    }
  }

  @Nested
  @DisplayName("Finding a time expression inside a sentence")
  class FindingTimes {

    @Test
    @DisplayName("the longest trailing expression is taken and the rest is returned")
    void trailing() {
      var found = parser.findTrailing("call mom tomorrow at 5pm", NOW).orElseThrow();
      assertThat(found.dateTime()).isEqualTo(paris("2026-11-19T17:00"));
      assertThat(found.expression()).isEqualTo("tomorrow at 5pm");
      assertThat(found.remainder()).isEqualTo("call mom");
    }

    @Test
    @DisplayName("the longest leading expression is taken and the rest is returned")
    void leading() {
      var found = parser.findLeading("on Friday at 9 to call mom", NOW).orElseThrow();
      assertThat(found.dateTime()).isEqualTo(paris("2026-11-20T09:00"));
      assertThat(found.remainder()).isEqualTo("to call mom");
    }

    @ParameterizedTest(name = "\"{0}\" has no trailing time")
    @DisplayName("task words that look like abbreviations or numbers are not taken for times")
    @ValueSource(strings = {"put on sunscreen in the sun", "feed the cat i sat", "buy 5", "call room 12"})
    void noFalseTimes(String text) {
      assertThat(parser.findTrailing(text, NOW)).isEmpty();
    }
  }
}
