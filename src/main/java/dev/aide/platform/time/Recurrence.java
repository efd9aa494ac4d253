package dev.aide.platform.time;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.Freq;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 5545 RRULE checking and expansion with lib-recur. The rule is iterated in the event's own timezone from its
 * local start, so occurrences keep their wall-clock time across daylight-saving changes ("every Monday at 9" stays
 * 09:00).
 *
 * <p>Expansion is bounded two ways. lib-recur itself gives up (throws) after a few thousand periods of its FREQ in a
 * row without an occurrence ("every minute, but only on Mondays" asks it to walk six days minute by minute); here
 * that ends the series as far as anyone can see, it never fails a listing. And skipping from a series' start to a far
 * instant walks every period in between, so a skip of more than {@link #MAX_SKIPPED_PERIODS} periods (a minutely
 * series anchored in 1700) is refused instead of spinning for minutes.
 */
public final class Recurrence {

  private static final Logger LOG = LoggerFactory.getLogger(Recurrence.class);

  /** The shortest gap between an event's occurrences. */
  public static final Duration HOURLY = Duration.ofHours(1);
  /** The shortest gap between a reminder's occurrences. */
  public static final Duration MINUTELY = Duration.ofMinutes(1);

  // Past this many occurrences a finite rule is treated as endless for the index (it only widens the candidates),
  // which bounds the work done when an event is written.
  private static final int MAX_FINITE = 5_000;
  // About a tenth of a second of lib-recur's fast-forward (measured at ~2 ns a period for FREQ=MINUTELY).
  private static final long MAX_SKIPPED_PERIODS = 50_000_000L;
  // A new rule is expanded this far (whichever comes first) to see that lib-recur can follow it: a week and a day
  // holds every weekly pattern, and stays a few milliseconds even minute by minute.
  private static final int SAMPLE_OCCURRENCES = 500;
  private static final Duration SAMPLE_SPAN = Duration.ofDays(8);

  private static final Map<Freq, Duration> PERIOD = Map.of(Freq.SECONDLY, Duration.ofSeconds(1),
      Freq.MINUTELY, Duration.ofMinutes(1), Freq.HOURLY, Duration.ofHours(1), Freq.DAILY, Duration.ofDays(1),
      Freq.WEEKLY, Duration.ofDays(7), Freq.MONTHLY, Duration.ofDays(28), Freq.YEARLY, Duration.ofDays(365));

  /** The BY parts that pick times within a day: the part, the unit of its values, and how many units make a turn. */
  private record TimePart(RecurrenceRule.Part part, Freq unit, int turn) {}


  private Recurrence() {}

  /**
   * The rule in its canonical form (no "RRULE:" prefix, upper case), or an IllegalArgumentException saying why it is
   * not a valid RRULE. Rules that may repeat more often than hourly are refused: an event every second is a mistake.
   */
  public static String normalize(String rrule) {
    return normalize(rrule, HOURLY);
  }

  /**
   * The rule in its canonical form, parsed strictly (unknown parts or values, INTERVAL=0, COUNT=abc and garbage
   * UNTIL are refused), and refused when two of its occurrences could come closer than {@code shortestGap}.
   */
  public static String normalize(String rrule, Duration shortestGap) {
    String value = rrule.strip().toUpperCase(Locale.ROOT);
    if (value.startsWith("RRULE:")) {
      value = value.substring(6);
    }
    RecurrenceRule rule = parse(value);
    if (shortestGap(rule).compareTo(shortestGap) < 0) {
      throw new IllegalArgumentException("rrule must not repeat more often than " + every(shortestGap));
    }
    return value;
  }

  /**
   * {@link #normalize(String, Duration)}, and the rule must occur from the start: at least one occurrence at or after
   * it (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 or an UNTIL before the start never does), and each next one found
   * within lib-recur's bound over the first occurrences (FREQ=MINUTELY;BYDAY=MO stops after its first Monday).
   */
  public static String check(String rrule, ZonedDateTime start, Duration shortestGap) {
    String value = normalize(rrule, shortestGap);
    long until = start.toInstant().plus(SAMPLE_SPAN).toEpochMilli();
    int found = 0;
    try {
      RecurrenceRuleIterator it = iterator(value, start);
      while (found < SAMPLE_OCCURRENCES && it.hasNext()) {
        found++;
        if (it.nextMillis() > until) {
          break;
        }
      }
    } catch (RuntimeException e) {
      // lib-recur gave up: too many periods of the FREQ in a row without an occurrence.
      throw new IllegalArgumentException((found == 0 ? "rrule never occurs from its start, or its" : "rrule's")
          + " occurrences are too far apart for FREQ=" + parse(value).getFreq() + " to follow; use a longer FREQ"
          + " with BY parts (e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=9 rather than FREQ=MINUTELY;BYDAY=MO;BYHOUR=9)");
    }
    if (found == 0) {
      throw new IllegalArgumentException("rrule never occurs from its start");
    }
    return value;
  }

  /**
   * The earliest start from which following the rule up to {@code now} passes at most {@code periods} periods of its
   * FREQ (times its INTERVAL): where a series may begin if reaching today from it is to stay cheap.
   */
  public static Instant earliestStart(String rrule, Instant now, long periods) {
    RecurrenceRule rule = parse(rrule);
    return now.minus(PERIOD.get(rule.getFreq()).multipliedBy(rule.getInterval()).multipliedBy(periods));
  }

  /** FREQ=MINUTELY, or FREQ=WEEKLY;INTERVAL=2: the rule's step, as a person can recognise it. */
  public static String step(String rrule) {
    RecurrenceRule rule = parse(rrule);
    return "FREQ=" + rule.getFreq() + (rule.getInterval() == 1 ? "" : ";INTERVAL=" + rule.getInterval());
  }

  /**
   * The least time two occurrences can be apart: the FREQ period times INTERVAL, or less when a BYSECOND, BYMINUTE or
   * BYHOUR finer than the FREQ lists several values (FREQ=HOURLY;BYMINUTE=0,30 is every half hour). Parts that only
   * filter (as coarse as the FREQ or coarser) can only take occurrences away, so they never bring two closer.
   */
  private static Duration shortestGap(RecurrenceRule rule) {
    Duration gap = PERIOD.get(rule.getFreq()).multipliedBy(rule.getInterval());
    // Built here, not in a static field: touching RecurrenceRule.Part before RecurrenceRule is initialised breaks
    // lib-recur's own static initialisation.
    List<TimePart> timeParts = List.of(new TimePart(RecurrenceRule.Part.BYSECOND, Freq.SECONDLY, 60),
        new TimePart(RecurrenceRule.Part.BYMINUTE, Freq.MINUTELY, 60),
        new TimePart(RecurrenceRule.Part.BYHOUR, Freq.HOURLY, 24));
    for (TimePart p : timeParts) {
      List<Integer> values = rule.getByPart(p.part());
      if (values == null || values.size() < 2 || p.unit().ordinal() <= rule.getFreq().ordinal()) {
        continue; // absent, a single value, or a filter
      }
      TreeSet<Integer> sorted = new TreeSet<>(values);
      int least = sorted.first() + p.turn() - sorted.last(); // across the turn: 10:59 to 11:00
      Integer previous = null;
      for (int v : sorted) {
        if (previous != null) {
          least = Math.min(least, v - previous);
        }
        previous = v;
      }
      Duration within = PERIOD.get(p.unit()).multipliedBy(least);
      if (within.compareTo(gap) < 0) {
        gap = within;
      }
    }
    return gap;
  }

  private static String every(Duration gap) {
    return gap.equals(HOURLY) ? "hourly" : gap.equals(MINUTELY) ? "once a minute" : "once every " + gap;
  }

  /**
   * Start instants of the occurrences that overlap [from, to) for events lasting {@code durationMillis}, in order,
   * skipping the excluded starts, at most {@code max} of them. A series lib-recur cannot follow further, or one
   * starting too long before the window, yields what was found (possibly nothing) rather than an error.
   */
  public static List<Instant> starts(String rrule, ZonedDateTime start, long durationMillis, Instant from, Instant to,
                                     Collection<Instant> excluded, int max) {
    List<Instant> out = new ArrayList<>();
    try {
      long first = from.toEpochMilli() - durationMillis + 1;
      RecurrenceRuleIterator it = iterator(rrule, start, first);
      long end = to.toEpochMilli();
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
    } catch (RuntimeException e) {
      LOG.debug("Expansion of {} from {} stopped: {}", rrule, start, e.getMessage());
    }
    return out;
  }

  /** Whether the rule, from this start, has an occurrence starting exactly at the instant. */
  public static boolean occursAt(String rrule, ZonedDateTime start, Instant instant) {
    try {
      long target = instant.toEpochMilli();
      RecurrenceRuleIterator it = iterator(rrule, start, target);
      return it.hasNext() && it.nextMillis() == target;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The first occurrence strictly after the instant, for a series that starts at {@code start} (wall-clock times in
   * the start's zone, so 09:00 stays 09:00 across daylight-saving changes); empty when the series has ended, or when
   * lib-recur cannot find another occurrence. An IllegalArgumentException when the rule is not valid, or when the
   * instant lies too many periods after the start to walk there.
   */
  public static Optional<Instant> nextAfter(String rrule, ZonedDateTime start, Instant after) {
    return firstAfter(rrule, start, after, Set.of()).start();
  }

  /**
   * What {@link #firstAfter} found, and what finding it took: the periods of the rule's FREQ lib-recur fast-forwarded
   * over (once, from the series' start), and the occurrences it then stepped through one by one.
   */
  public record Found(Optional<Instant> start, long forwarded, int steps) {}

  /**
   * The first occurrence strictly after the instant whose start is not one of {@code skipped} (a series' exception
   * dates and the occurrences its overrides replace). The rule is fast-forwarded to the instant once and then walked
   * one occurrence at a time, so passing n skipped occurrences costs n steps, never n walks from the series' start
   * (an hourly series anchored in 1900 is a million periods away from today). Occurrences come in order, so at most
   * {@code skipped.size()} of them can be passed before one is found or the series ends. Empty and
   * IllegalArgumentException as {@link #nextAfter}.
   */
  public static Found firstAfter(String rrule, ZonedDateTime start, Instant after, Set<Instant> skipped) {
    RecurrenceRule rule = parse(rrule);
    long target = after.toEpochMilli() + 1;
    long forwarded = checkSkip(rule, rrule, start, target);
    int steps = 0;
    int passed = 0;
    try {
      RecurrenceRuleIterator it = iterator(rule, start);
      if (target > start.toInstant().toEpochMilli()) {
        it.fastForward(target);
      }
      while (it.hasNext()) {
        steps++;
        long millis = it.nextMillis();
        if (millis <= after.toEpochMilli()) {
          continue; // lib-recur fast-forwards to the second: an occurrence at the instant itself comes first
        }
        Instant instant = Instant.ofEpochMilli(millis);
        if (!skipped.contains(instant)) {
          return new Found(Optional.of(instant), forwarded, steps);
        }
        if (++passed > skipped.size()) {
          break; // only if lib-recur repeated an instant: each distinct one passed is one of the skipped
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("No occurrence of {} found after {}: {}", rrule, after, e.getMessage());
    }
    return new Found(Optional.empty(), forwarded, steps);
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
    try {
      while (it.hasNext()) {
        last = it.nextMillis();
        if (++n > MAX_FINITE) {
          return Optional.empty();
        }
      }
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochMilli(last));
  }

  /**
   * How many periods of the FREQ lie between the start and the target (0 when the target is not after the start), or
   * an IllegalArgumentException when walking there would take too many.
   */
  private static long checkSkip(RecurrenceRule rule, String rrule, ZonedDateTime start, long target) {
    long from = start.toInstant().toEpochMilli();
    long period = PERIOD.get(rule.getFreq()).toMillis() * rule.getInterval();
    long periods = target > from ? (target - from) / period : 0;
    if (periods > MAX_SKIPPED_PERIODS) {
      throw new IllegalArgumentException("rrule " + rrule + " starts too long before " + Instant.ofEpochMilli(target)
          + " to follow it there");
    }
    return periods;
  }

  /** An iterator at the rule's first occurrence at or after {@code target} (checked not to be too far to walk). */
  private static RecurrenceRuleIterator iterator(String rrule, ZonedDateTime start, long target) {
    RecurrenceRule rule = parse(rrule);
    checkSkip(rule, rrule, start, target);
    RecurrenceRuleIterator it = iterator(rule, start);
    if (target > start.toInstant().toEpochMilli()) {
      it.fastForward(target);
    }
    return it;
  }

  private static RecurrenceRuleIterator iterator(String rrule, ZonedDateTime start) {
    return iterator(parse(rrule), start);
  }

  private static RecurrenceRuleIterator iterator(RecurrenceRule rule, ZonedDateTime start) {
    DateTime dtstart = new DateTime(TimeZone.getTimeZone(start.getZone()), start.getYear(), start.getMonthValue() - 1,
        start.getDayOfMonth(), start.getHour(), start.getMinute(), start.getSecond());
    return rule.iterator(dtstart);
  }

  private static RecurrenceRule parse(String rrule) {
    try {
      return new RecurrenceRule(rrule, RecurrenceRule.RfcMode.RFC5545_STRICT);
    } catch (InvalidRecurrenceRuleException | RuntimeException e) {
      throw new IllegalArgumentException("rrule is not a valid RFC 5545 RRULE: "
          + (e.getMessage() == null ? rrule : e.getMessage()));
    }
  }

  /**
   * A rule as a person reads it: "every week", "every 2 weeks on Tuesday", "every month on the 1st", "every day";
   * parts it does not describe are left out rather than shown as rule syntax.
   */
  private static final Map<String, String> DAY_NAMES = Map.of("MO", "Monday", "TU", "Tuesday", "WE", "Wednesday",
      "TH", "Thursday", "FR", "Friday", "SA", "Saturday", "SU", "Sunday");

  public static String spoken(String rrule) {
    RecurrenceRule rule;
    try {
      rule = new RecurrenceRule(rrule);
    } catch (InvalidRecurrenceRuleException e) {
      return "on a schedule";
    }
    String unit = switch (rule.getFreq()) {
      case YEARLY -> "year";
      case MONTHLY -> "month";
      case WEEKLY -> "week";
      case DAILY -> "day";
      case HOURLY -> "hour";
      case MINUTELY -> "minute";
      case SECONDLY -> "second";
    };
    int interval = rule.getInterval();
    StringBuilder out = new StringBuilder("every ").append(interval > 1 ? interval + " " + unit + "s" : unit);
    List<RecurrenceRule.WeekdayNum> days = rule.getByDayPart();
    if (days != null && !days.isEmpty()) {
      List<String> names = days.stream().map(d -> DAY_NAMES.getOrDefault(d.weekday.name(), d.weekday.name())).toList();
      out.append(" on ").append(String.join(", ", names));
    }
    List<Integer> monthDays = rule.getByPart(RecurrenceRule.Part.BYMONTHDAY);
    if (monthDays != null && !monthDays.isEmpty()) {
      out.append(" on the ").append(String.join(", ", monthDays.stream().map(Recurrence::ordinal).toList()));
    }
    if (rule.getCount() != null) {
      out.append(", ").append(rule.getCount()).append(" times");
    }
    return out.toString();
  }

  private static String ordinal(int n) {
    int tens = Math.abs(n) % 100;
    String suffix = tens >= 11 && tens <= 13 ? "th" : switch (Math.abs(n) % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }
}
