package dev.aide.platform.time;

import dev.aide.platform.error.DomainException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The dates Aide accepts from anyone, person or model: 1900-01-01 to 2200-12-31 (the date as written, in its own
 * offset). Outside it a date is a typo or an attack, and Java's, PostgreSQL's and the scheduler's arithmetic stop
 * agreeing (year -999999999 is stored as -infinity; durations from year 1700 overflow). The HTTP edge
 * ({@code JsonBody}, {@code Params}) and the domain services the assistant's tools call both apply this one rule.
 */
public final class DateRange {

  public static final LocalDate MIN = LocalDate.of(1900, 1, 1);
  public static final LocalDate MAX = LocalDate.of(2200, 12, 31);

  private DateRange() {}

  public static boolean contains(LocalDate date) {
    return !date.isBefore(MIN) && !date.isAfter(MAX);
  }

  /** The date itself (null passes), or invalid, naming the field. */
  public static LocalDate check(LocalDate date, String field) {
    if (date != null && !contains(date)) {
      throw outside(field);
    }
    return date;
  }

  /** The instant itself (null passes), or invalid, naming the field; judged by its date in its own offset. */
  public static OffsetDateTime check(OffsetDateTime time, String field) {
    if (time != null && !contains(time.toLocalDate())) {
      throw outside(field);
    }
    return time;
  }

  /** An instant judged by its date in UTC. */
  public static Instant check(Instant instant, String field) {
    if (instant != null && (instant.isBefore(MIN.atStartOfDay(ZoneOffset.UTC).toInstant())
        || !instant.isBefore(MAX.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))) {
      throw outside(field);
    }
    return instant;
  }

  public static YearMonth check(YearMonth month, String field) {
    if (month != null && (month.isBefore(YearMonth.from(MIN)) || month.isAfter(YearMonth.from(MAX)))) {
      throw outside(field);
    }
    return month;
  }

  private static DomainException outside(String field) {
    return DomainException.invalid(field + " must be a date between " + MIN + " and " + MAX);
  }
}
