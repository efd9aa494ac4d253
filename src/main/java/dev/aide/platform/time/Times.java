package dev.aide.platform.time;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** How the API writes instants: RFC 3339 / ISO-8601 with offset and whole seconds, e.g. 2026-11-23T17:00:00+01:00. */
public final class Times {

  private Times() {}

  public static String iso(OffsetDateTime time) {
    return time == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.truncatedTo(ChronoUnit.SECONDS));
  }

  /** The instant as the person reads it: in their timezone. */
  public static String iso(OffsetDateTime time, java.time.ZoneId zone) {
    return time == null ? null : iso(time.atZoneSameInstant(zone).toOffsetDateTime());
  }
}
