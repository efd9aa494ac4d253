package dev.aide.platform.database;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants at the ends of PostgreSQL's timestamptz range (4714-11-24 BC to 294276-12-31, and ±infinity), as rows
 * written before dates were checked may hold. The client reads the very ends (and -infinity, depending on the query)
 * as OffsetDateTime.MIN or MAX, which no Java date arithmetic survives; these helpers keep such values a day inside
 * the range, where every conversion works and a value written back reads back as itself.
 */
public final class PgTimes {

  public static final Instant EARLIEST = Instant.parse("-4713-11-25T00:00:00Z");
  public static final Instant LATEST = Instant.parse("+294276-12-30T00:00:00Z");

  private PgTimes() {}

  /** The instant, moved inside PostgreSQL's range if it lies beyond it. */
  public static Instant clamp(Instant instant) {
    return instant.isBefore(EARLIEST) ? EARLIEST : instant.isAfter(LATEST) ? LATEST : instant;
  }

  /** A timestamptz as read, moved inside PostgreSQL's range (null stays null). */
  public static OffsetDateTime read(OffsetDateTime value) {
    if (value == null) {
      return null;
    }
    Instant instant = value.toInstant();
    Instant clamped = clamp(instant);
    return clamped.equals(instant) ? value : clamped.atOffset(ZoneOffset.UTC);
  }
}
