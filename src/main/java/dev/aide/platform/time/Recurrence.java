package dev.aide.platform.time;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.Freq;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

/**
 * RFC 5545 RRULE expansion with lib-recur. The rule is iterated in the event's own timezone from its local start, so
 * occurrences keep their wall-clock time across daylight-saving changes ("every Monday at 9" stays 09:00).
 */
public final class Recurrence {

  /** More occurrences than this in one finite rule are treated as endless when computing where a series ends. */
  // Past this many occurrences a finite rule is treated as endless for the index (it only widens the candidates),
  // which bounds the work done when an event is written.
  private static final int MAX_FINITE = 5_000;

  private Recurrence() {}

  /**
   * The rule in its canonical form (no "RRULE:" prefix, upper case), or an IllegalArgumentException saying why it is
   * not a valid RRULE. Rules that repeat more often than hourly are refused: an event every second is a mistake.
   */
  public static String normalize(String rrule) {
    String value = rrule.strip().toUpperCase(Locale.ROOT);
    if (value.startsWith("RRULE:")) {
      value = value.substring(6);
    }
    RecurrenceRule rule = parse(value);
    if (rule.getFreq() == Freq.SECONDLY || rule.getFreq() == Freq.MINUTELY) {
      throw new IllegalArgumentException("rrule must not repeat more often than hourly");
    }
    return value;
  }

  /**
   * Start instants of the occurrences that overlap [from, to) for events lasting {@code durationMillis}, in order,
   * skipping the excluded starts, at most {@code max} of them.
   */
  public static List<Instant> starts(String rrule, ZonedDateTime start, long durationMillis, Instant from, Instant to,
                                     Collection<Instant> excluded, int max) {
    RecurrenceRuleIterator it = iterator(rrule, start);
    long first = from.toEpochMilli() - durationMillis + 1;
    if (first > start.toInstant().toEpochMilli()) {
      it.fastForward(first);
    }
    long end = to.toEpochMilli();
    List<Instant> out = new ArrayList<>();
    while (it.hasNext() && out.size() < max) {
      long millis = it.nextMillis();
      if (millis >= end) {
        break;
      }
      if (millis < first) {
        continue;
      }
      Instant instant = Instant.ofEpochMilli(millis);
      if (!excluded.contains(instant)) {
        out.add(instant);
      }
    }
    return out;
  }

  /** Whether the rule, from this start, has an occurrence starting exactly at the instant. */
  public static boolean occursAt(String rrule, ZonedDateTime start, Instant instant) {
    RecurrenceRuleIterator it = iterator(rrule, start);
    long target = instant.toEpochMilli();
    if (target > start.toInstant().toEpochMilli()) {
      it.fastForward(target);
    }
    return it.hasNext() && it.nextMillis() == target;
  }

  /**
   * The first occurrence strictly after the instant, for a series that starts at {@code start} (wall-clock times in
   * the start's zone, so 09:00 stays 09:00 across daylight-saving changes); empty when the series has ended.
   */
  public static Optional<Instant> nextAfter(String rrule, ZonedDateTime start, Instant after) {
    RecurrenceRuleIterator it = iterator(rrule, start);
    long target = after.toEpochMilli() + 1;
    if (target > start.toInstant().toEpochMilli()) {
      it.fastForward(target);
    }
    while (it.hasNext()) {
      long millis = it.nextMillis();
      if (millis > after.toEpochMilli()) {
        return Optional.of(Instant.ofEpochMilli(millis));
      }
    }
    return Optional.empty();
  }

  /** The start of the last occurrence, or empty when the rule is endless (or longer than anyone will look). */
  public static Optional<Instant> lastStart(String rrule, ZonedDateTime start) {
    RecurrenceRule rule = parse(rrule);
    if (rule.isInfinite()) {
      return Optional.empty();
    }
    RecurrenceRuleIterator it = iterator(rrule, start);
    long last = start.toInstant().toEpochMilli();
    int n = 0;
    while (it.hasNext()) {
      last = it.nextMillis();
      if (++n > MAX_FINITE) {
        return Optional.empty();
      }
    }
    return Optional.of(Instant.ofEpochMilli(last));
  }

  private static RecurrenceRuleIterator iterator(String rrule, ZonedDateTime start) {
    DateTime dtstart = new DateTime(TimeZone.getTimeZone(start.getZone()), start.getYear(), start.getMonthValue() - 1,
        start.getDayOfMonth(), start.getHour(), start.getMinute(), start.getSecond());
    return parse(rrule).iterator(dtstart);
  }

  private static RecurrenceRule parse(String rrule) {
    try {
      return new RecurrenceRule(rrule, RecurrenceRule.RfcMode.RFC5545_STRICT);
    } catch (InvalidRecurrenceRuleException | RuntimeException e) {
      throw new IllegalArgumentException("rrule is not a valid RFC 5545 RRULE: "
          + (e.getMessage() == null ? rrule : e.getMessage()));
    }
  }
}
