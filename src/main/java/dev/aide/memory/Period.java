package dev.aide.memory;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The days a search names by a date written out — "on 3 May 2023", "May 3, 2023", "in December 2023", "during 2022" —
 * from {@code from} to before {@code until}, in the person's time zone. Search then also ranks what was said in that
 * period by meaning ("what did I tell you on 3 May 2023?" finds that day's words even when they share none with the
 * question). A month or a day without its year, and relative dates ("last week"), are not read: the year they mean
 * depends on when they were said.
 */
public record Period(LocalDate from, LocalDate until) {

  private static final String MONTH = "(january|february|march|april|may|june|july|august|september|october"
      + "|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\\.?";
  private static final String YEAR = "(\\d{4})";
  private static final String DAY = "(\\d{1,2})(?:st|nd|rd|th)?";
  private static final Pattern MONTH_DAY_YEAR = Pattern.compile("(?i)\\b" + MONTH + " " + DAY + ",? " + YEAR + "\\b");
  private static final Pattern DAY_MONTH_YEAR = Pattern.compile("(?i)\\b" + DAY + " (?:of )?" + MONTH + ",? " + YEAR
      + "\\b");
  private static final Pattern ISO_DAY = Pattern.compile("\\b" + YEAR + "-(\\d{2})-(\\d{2})\\b");
  private static final Pattern MONTH_YEAR = Pattern.compile("(?i)\\b" + MONTH + ",? (?:of )?" + YEAR + "\\b");
  private static final Pattern IN_YEAR = Pattern.compile("(?i)\\b(?:in|during|of|throughout) " + YEAR + "\\b");

  /** The period the text names first, or null when it names none (or names an impossible date). */
  public static Period in(String text) {
    try {
      Matcher m = MONTH_DAY_YEAR.matcher(text);
      if (m.find()) {
        return day(LocalDate.of(year(m.group(3)), month(m.group(1)), Integer.parseInt(m.group(2))));
      }
      m = DAY_MONTH_YEAR.matcher(text);
      if (m.find()) {
        return day(LocalDate.of(year(m.group(3)), month(m.group(2)), Integer.parseInt(m.group(1))));
      }
      m = ISO_DAY.matcher(text);
      if (m.find()) {
        return day(LocalDate.of(year(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
      }
      m = MONTH_YEAR.matcher(text);
      if (m.find()) {
        LocalDate first = LocalDate.of(year(m.group(2)), month(m.group(1)), 1);
        return new Period(first, first.plusMonths(1));
      }
      m = IN_YEAR.matcher(text);
      if (m.find()) {
        LocalDate first = LocalDate.of(year(m.group(1)), 1, 1);
        return new Period(first, first.plusYears(1));
      }
    } catch (DateTimeException e) {
      return null;
    }
    return null;
  }

  private static Period day(LocalDate day) {
    return new Period(day, day.plusDays(1));
  }

  private static int year(String digits) {
    int year = Integer.parseInt(digits);
    if (year < 1900 || year > 2200) {
      throw new DateTimeException("not a year Aide keeps: " + year);
    }
    return year;
  }

  private static Month month(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace(".", "");
    n = n.equals("sept") ? "sep" : n;
    for (Month month : Month.values()) {
      if (month.name().toLowerCase(Locale.ROOT).startsWith(n)) {
        return month;
      }
    }
    throw new DateTimeException("not a month: " + name);
  }
}
