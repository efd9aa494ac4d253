package dev.aide.platform.time;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Dates as a chat message shows them: "Thu 3 Dec 16:00" within the current year, "Sun 31 Dec 1899 23:00" outside it,
 * so a date years away (a reminder written long ago, one due next January) never reads as this year's.
 */
public final class ShortDates {

  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter DAY_TIME_YEAR =
      DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm", Locale.ENGLISH);

  private ShortDates() {}

  /** The day and time of {@code at}, with its year when that is not the year {@code now} falls in, in at's zone. */
  public static String dayTime(ZonedDateTime at, Instant now) {
    return (at.getYear() == now.atZone(at.getZone()).getYear() ? DAY_TIME : DAY_TIME_YEAR).format(at);
  }

  /** As {@link #dayTime(ZonedDateTime, Instant)}, for any date-time with an offset or zone. */
  public static String dayTime(TemporalAccessor at, Instant now) {
    return dayTime(ZonedDateTime.from(at), now);
  }
}
