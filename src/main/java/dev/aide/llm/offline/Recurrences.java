package dev.aide.llm.offline;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recurrence said in a request ("every Friday", "every other tuesday", "weekdays at nine", "every day", "each
 * morning", "on the first of every month", "every june 3rd", "every year") as an RFC 5545 RRULE, with the words that
 * still say when the first time is ("friday", "morning", "the 1st", "june 3rd") left in the text for the time parser.
 */
final class Recurrences {

  /** The rule, the text with the recurrence replaced by its anchor, and whether only weekdays may be first. */
  record Found(String rrule, String text, boolean weekdaysOnly) {}

  private static final String WEEKDAY = "(?<day>mon|tues|wednes|thurs|fri|satur|sun)day";
  private static final Map<String, String> BYDAY = Map.of("mon", "MO", "tues", "TU", "wednes", "WE", "thurs", "TH",
      "fri", "FR", "satur", "SA", "sun", "SU");
  private static final String MONTH = "(?<month>january|february|march|april|may|june|july|august|september|october|"
      + "november|december)";
  private static final Pattern EVERY_OTHER = Pattern.compile("\\b(?:every|each) other " + WEEKDAY + "\\b");
  private static final Pattern EVERY_WEEKDAY_NAME = Pattern.compile(
      "\\b(?:(?:every|each) " + WEEKDAY + "s?|on " + WEEKDAY.replace("<day>", "<day2>") + "s|"
          + WEEKDAY.replace("<day>", "<day3>") + "s)\\b");
  private static final Pattern WEEKDAYS = Pattern.compile("\\b(?:(?:every|each|on) (?:weekday|workday|working day)s?|"
      + "weekdays|workdays|(?:every|each) day of the week)\\b");
  private static final Pattern DAILY = Pattern.compile(
      "\\b(?:(?:every|each)(?: single)? day|daily|(?:every|each)(?: single)? (?<part>morning|afternoon|evening|night))\\b");
  private static final Pattern MONTH_DAY = Pattern.compile(
      "\\b(?:(?:on )?the (?<d1>\\d{1,2})(?:st|nd|rd|th)? of (?:every|each) month|(?:every|each) month on the "
          + "(?<d2>\\d{1,2})(?:st|nd|rd|th)?|(?:on )?the (?<d3>\\d{1,2})(?:st|nd|rd|th)? (?:every|each) month|"
          + "(?:every|each) (?<d4>\\d{1,2})(?:st|nd|rd|th)? of the month)\\b");
  private static final Pattern YEARLY_DATE = Pattern.compile(
      "\\b(?:every|each) " + MONTH + " (?<d>\\d{1,2})(?:st|nd|rd|th)?\\b");
  private static final Pattern PLAIN = Pattern.compile(
      "\\b(?:(?:every|each) (?<unit>week|month|year)|(?<adverb>weekly|monthly|yearly|annually)|repeat(?:ing)? every "
          + "(?<unit2>week|month|year))\\b");

  private Recurrences() {}

  static Optional<Found> find(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    Matcher m;
    if ((m = EVERY_OTHER.matcher(t)).find()) {
      return found(t, m, "FREQ=WEEKLY;INTERVAL=2;BYDAY=" + BYDAY.get(m.group("day")), m.group("day") + "day", false);
    }
    if ((m = MONTH_DAY.matcher(t)).find()) {
      String d = first(m, "d1", "d2", "d3", "d4");
      return found(t, m, "FREQ=MONTHLY;BYMONTHDAY=" + Integer.parseInt(d), "the " + d + suffix(Integer.parseInt(d)), false);
    }
    if ((m = YEARLY_DATE.matcher(t)).find()) {
      String month = m.group("month");
      int monthNumber = java.time.Month.valueOf(month.toUpperCase(Locale.ROOT)).getValue();
      int d = Integer.parseInt(m.group("d"));
      return found(t, m, "FREQ=YEARLY;BYMONTH=" + monthNumber + ";BYMONTHDAY=" + d, month + " " + d, false);
    }
    if ((m = WEEKDAYS.matcher(t)).find()) {
      return found(t, m, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "", true);
    }
    if ((m = EVERY_WEEKDAY_NAME.matcher(t)).find()) {
      String day = first(m, "day", "day2", "day3");
      return found(t, m, "FREQ=WEEKLY;BYDAY=" + BYDAY.get(day), "on " + day + "day", false);
    }
    if ((m = DAILY.matcher(t)).find()) {
      return found(t, m, "FREQ=DAILY", m.group("part") == null ? "" : m.group("part"), false);
    }
    if ((m = PLAIN.matcher(t)).find()) {
      String unit = first(m, "unit", "adverb", "unit2");
      String freq = switch (unit) {
        case "week", "weekly" -> "WEEKLY";
        case "month", "monthly" -> "MONTHLY";
        default -> "YEARLY";
      };
      return found(t, m, "FREQ=" + freq, "", false);
    }
    return Optional.empty();
  }

  /** The first time of a weekdays-only rule: moved on to Monday when the time read falls on a weekend. */
  static ZonedDateTime firstWeekday(ZonedDateTime time) {
    ZonedDateTime t = time;
    while (t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY) {
      t = t.plusDays(1);
    }
    return t;
  }

  private static Optional<Found> found(String text, Matcher m, String rrule, String anchor, boolean weekdaysOnly) {
    String rest = (text.substring(0, m.start()) + " " + anchor + " " + text.substring(m.end())).replaceAll("\\s+", " ").strip();
    return Optional.of(new Found(rrule, rest, weekdaysOnly));
  }

  private static String first(Matcher m, String... groups) {
    for (String g : groups) {
      if (m.group(g) != null) {
        return m.group(g);
      }
    }
    return null;
  }

  private static String suffix(int n) {
    if (n % 100 >= 11 && n % 100 <= 13) {
      return "th";
    }
    return switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
  }
}
