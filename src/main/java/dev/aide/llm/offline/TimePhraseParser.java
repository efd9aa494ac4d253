package dev.aide.llm.offline;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Resolves a natural-English date/time phrase ("tomorrow at 5pm", "next Monday morning", "in 20 minutes")
 * against a reference time, in the reference time's zone.
 *
 * <p>The parser never guesses: {@link #parse} succeeds only when the whole phrase is a time expression, and
 * impossible values ("31 February", "25:00", "13pm") make it fail. Conventions:
 * <ul>
 *   <li>Parts of day: morning 09:00, afternoon 15:00, evening 19:00, night/tonight 20:00, noon/midday 12:00,
 *       midnight 00:00 of the following day. A day without a time ("tomorrow", "on Friday") means 09:00.</li>
 *   <li>A bare hour without am/pm: 1..6 means pm (people say "at 5" for 17:00), 7..11 means am, 12 means noon,
 *       0 and 13..23 are read as 24-hour clock. With a part of day the hour takes that part ("at 7 in the
 *       evening" is 19:00, "8 tonight" is 20:00). A bare number without "at" is only a time next to a part of
 *       day ("8 tonight"), so a stray number in a sentence is never taken for an hour.</li>
 *   <li>A time (or part of day) with no day means today if still ahead of now, otherwise tomorrow; so "this
 *       morning" said at 10:00 means tomorrow morning. An explicit "today" is kept even if the time has passed.</li>
 *   <li>A weekday ("Friday", "on Friday") is the next such day strictly after today. "next Friday" means the
 *       same (the coming one, not the one a week later), because people use both for the coming day and a
 *       reminder a week late is worse than one a week early. "this Friday" may be today when the time is still
 *       ahead. "this weekend" is the coming Saturday (today if it is Saturday and the time is ahead).</li>
 *   <li>Dates without a year that have passed this year mean next year; "the 5th" is the next 5th of a month;
 *       "3/14" is month/day (US order).</li>
 *   <li>Offsets ("in 20 minutes", "in 1 hour and 30 minutes", "in 3 days") are added to now truncated to the
 *       minute; whole days keep the wall-clock time across daylight-saving changes.</li>
 *   <li>Results are built with {@code ZonedDateTime.of(date, time, zone)}, so a time inside a daylight-saving
 *       gap moves forward as java.time does.</li>
 * </ul>
 */
public final class TimePhraseParser {

  /** A time expression found at one end of a longer text, with the words that were not part of it. */
  public record Extraction(ZonedDateTime dateTime, String expression, String remainder) {}

  private static final LocalTime DEFAULT_TIME = LocalTime.of(9, 0);
  private static final int MAX_YEARS_AHEAD = 8;
  private static final int MAX_MONTHS_AHEAD = 24;
  /** No time expression is longer; the cap keeps the search linear on long messages. */
  private static final int MAX_EXPRESSION_WORDS = 16;
  /** findAnywhere looks no further: a spoken request is short, and the search grows with the words times 16. */
  private static final int MAX_SCANNED_WORDS = 40;

  private static final String END = "(?=\\s|$)";
  private static final String AT = "(?:(?<at>at|by|around|@) ?)?";
  private static final String ON = "(?:(?:on|by) )?";
  private static final String ORDINAL_SUFFIX = "(?:st|nd|rd|th)?";

  private static final Map<String, Integer> HOUR_WORDS = Map.ofEntries(
      Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4),
      Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8),
      Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12));

  private static final Map<String, Integer> AMOUNT_WORDS = Map.ofEntries(
      Map.entry("a", 1), Map.entry("an", 1), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
      Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
      Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11),
      Map.entry("twelve", 12), Map.entry("fifteen", 15), Map.entry("twenty", 20),
      Map.entry("twenty-five", 25), Map.entry("twenty five", 25), Map.entry("thirty", 30),
      Map.entry("forty", 40), Map.entry("forty-five", 45), Map.entry("forty five", 45),
      Map.entry("fifty", 50), Map.entry("sixty", 60), Map.entry("ninety", 90));

  private static final Map<String, Integer> MONTHS = Map.ofEntries(
      Map.entry("january", 1), Map.entry("jan", 1), Map.entry("february", 2), Map.entry("feb", 2),
      Map.entry("march", 3), Map.entry("mar", 3), Map.entry("april", 4), Map.entry("apr", 4),
      Map.entry("may", 5), Map.entry("june", 6), Map.entry("jun", 6), Map.entry("july", 7),
      Map.entry("jul", 7), Map.entry("august", 8), Map.entry("aug", 8), Map.entry("september", 9),
      Map.entry("sept", 9), Map.entry("sep", 9), Map.entry("october", 10), Map.entry("oct", 10),
      Map.entry("november", 11), Map.entry("nov", 11), Map.entry("december", 12), Map.entry("dec", 12));

  private static final Map<String, DayOfWeek> WEEKDAYS = Map.ofEntries(
      Map.entry("monday", DayOfWeek.MONDAY), Map.entry("mon", DayOfWeek.MONDAY),
      Map.entry("tuesday", DayOfWeek.TUESDAY), Map.entry("tues", DayOfWeek.TUESDAY),
      Map.entry("tue", DayOfWeek.TUESDAY), Map.entry("wednesday", DayOfWeek.WEDNESDAY),
      Map.entry("weds", DayOfWeek.WEDNESDAY), Map.entry("wed", DayOfWeek.WEDNESDAY),
      Map.entry("thursday", DayOfWeek.THURSDAY), Map.entry("thurs", DayOfWeek.THURSDAY),
      Map.entry("thur", DayOfWeek.THURSDAY), Map.entry("thu", DayOfWeek.THURSDAY),
      Map.entry("friday", DayOfWeek.FRIDAY), Map.entry("fri", DayOfWeek.FRIDAY),
      Map.entry("saturday", DayOfWeek.SATURDAY), Map.entry("sat", DayOfWeek.SATURDAY),
      Map.entry("sunday", DayOfWeek.SUNDAY), Map.entry("sun", DayOfWeek.SUNDAY));

  private static final String HOUR = "(?<hour>\\d{1,2}|" + alternation(HOUR_WORDS) + ")";
  private static final String MONTH = "(?<month>" + alternation(MONTHS) + ")";
  private static final String YEAR = "(?: (?<year>\\d{4}))?";
  private static final String AMOUNT = "(?:\\d+|half an?|" + alternation(AMOUNT_WORDS) + ")";
  private static final String UNIT = "(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)";
  private static final String AMOUNTS =
      "(?<body>" + AMOUNT + " " + UNIT + "(?: (?:and )?" + AMOUNT + " " + UNIT + ")*(?: and a half)?)";
  private static final Pattern AMOUNT_PART =
      Pattern.compile("(?<amount>" + AMOUNT + ") (?<unit>min|hour|hr|day|week|month)[a-z]*");

  /** Tried in order at each position; earlier rules win, so longer or more specific forms come first. */
  private static final List<Rule> RULES = List.of(
      new Rule("(?:in|within) " + AMOUNTS, TimePhraseParser::offset),
      new Rule(AMOUNTS + " from now", TimePhraseParser::offset),
      new Rule("(?<rel>(?:the )?day after (?:tomorrow|tmrw)|tomorrow|tmrw|tmr|today)", TimePhraseParser::relativeDay),
      new Rule(ON + "(?<year>\\d{4})-(?<month>\\d{1,2})-(?<day>\\d{1,2})", TimePhraseParser::numericDate),
      new Rule(ON + "(?<month>\\d{1,2})/(?<day>\\d{1,2})(?:/(?<year>\\d{4}|\\d{2}))?", TimePhraseParser::numericDate),
      new Rule(ON + "(?:the )?(?<day>\\d{1,2})" + ORDINAL_SUFFIX + "(?: of)? " + MONTH + YEAR, TimePhraseParser::namedMonthDate),
      new Rule(ON + MONTH + " (?:the )?(?<day>\\d{1,2})" + ORDINAL_SUFFIX + YEAR, TimePhraseParser::namedMonthDate),
      new Rule(ON + "the (?<day>\\d{1,2})(?:st|nd|rd|th)", TimePhraseParser::dayOfMonth),
      new Rule("(?:(?<on>on|by) )?(?:(?<qualifier>this coming|the coming|coming|this|next) )?(?<weekday>"
          + alternation(WEEKDAYS) + ")", TimePhraseParser::weekday),
      new Rule("(?:(?:on|at|over|by) )?(?:(?:this coming|the coming|coming|this|next|the) )?weekend",
          m -> Optional.of(new Weekend())),
      new Rule(AT + "(?:12 )?(?<word>noon|midday|midnight)", TimePhraseParser::namedClock),
      new Rule(AT + "(?:(?<fraction>half|a quarter|quarter)|(?<minutes>\\d{1,2}|five|ten|twenty|twenty-five|twenty five)"
          + "(?: minutes?)?) (?<direction>past|after|to|till|til|before) " + HOUR + "(?: ?(?<meridiem>am|pm))?",
          TimePhraseParser::relativeClock),
      new Rule(AT + "(?<hour>\\d{1,2})[:.](?<minute>\\d{2})(?: ?(?<meridiem>am|pm))?", TimePhraseParser::colonClock),
      new Rule(AT + HOUR + " ?(?<meridiem>am|pm)", m -> hourClock(m, m.group("meridiem"), true)),
      new Rule(AT + HOUR + " o'?clock", m -> hourClock(m, null, true)),
      new Rule("(?:(?:in the|this|at|during the) )?(?<part>morning|afternoon|evening|night|tonight|tonite)",
          TimePhraseParser::partOfDay),
      new Rule(AT + HOUR, m -> hourClock(m, null, false)));

  /**
   * Parses a phrase that must consist entirely of a time expression.
   *
   * @return the resolved date-time in {@code now}'s zone, or empty if the phrase is not (only) a valid time expression
   */
  public Optional<ZonedDateTime> parse(String phrase, ZonedDateTime now) {
    return parse(phrase, now, false);
  }

  /**
   * Finds the longest time expression that ends the text ("call mom tomorrow at 5pm" gives "tomorrow at 5pm"
   * and the remainder "call mom"). Abbreviated weekdays need a lead-in here ("on sat"), so task words such as
   * "sun" or "sat" are not mistaken for days.
   */
  public Optional<Extraction> findTrailing(String text, ZonedDateTime now) {
    List<String> words = words(text);
    for (int start = Math.max(0, words.size() - MAX_EXPRESSION_WORDS); start < words.size(); start++) {
      String candidate = String.join(" ", words.subList(start, words.size()));
      Optional<ZonedDateTime> found = parse(candidate, now, true);
      if (found.isPresent()) {
        return Optional.of(new Extraction(found.get(), candidate, String.join(" ", words.subList(0, start))));
      }
    }
    return Optional.empty();
  }

  /** Finds the longest time expression that starts the text ("at 5pm to call mom" gives "at 5pm" and "to call mom"). */
  public Optional<Extraction> findLeading(String text, ZonedDateTime now) {
    List<String> words = words(text);
    for (int end = Math.min(words.size(), MAX_EXPRESSION_WORDS); end > 0; end--) {
      String candidate = String.join(" ", words.subList(0, end));
      Optional<ZonedDateTime> found = parse(candidate, now, true);
      if (found.isPresent()) {
        return Optional.of(new Extraction(found.get(), candidate, String.join(" ", words.subList(end, words.size()))));
      }
    }
    return Optional.empty();
  }

  /**
   * Finds the longest time expression anywhere in the text, the leftmost of equal length ("put meeting with pawel for
   * tomorrow 10 am about the budget" gives "tomorrow 10 am" and the remainder "put meeting with pawel for about the
   * budget"). Only the first {@value #MAX_SCANNED_WORDS} words are searched.
   */
  public Optional<Extraction> findAnywhere(String text, ZonedDateTime now) {
    List<String> words = words(text);
    int n = Math.min(words.size(), MAX_SCANNED_WORDS);
    for (int length = Math.min(n, MAX_EXPRESSION_WORDS); length > 0; length--) {
      for (int start = 0; start + length <= n; start++) {
        String candidate = String.join(" ", words.subList(start, start + length));
        Optional<ZonedDateTime> found = parse(candidate, now, true);
        if (found.isPresent()) {
          List<String> rest = new ArrayList<>(words.subList(0, start));
          rest.addAll(words.subList(start + length, words.size()));
          return Optional.of(new Extraction(found.get(), candidate, String.join(" ", rest)));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Like {@link #findAnywhere}, but a day and a time said apart ("the 6 am alarm for wednesday", "at 3 pm in goshen on
   * may 5") are read together as one moment, the remainder without either; a lone number is never taken as the second.
   */
  public Optional<Extraction> findSpread(String text, ZonedDateTime now) {
    Optional<Extraction> first = findAnywhere(text, now);
    if (first.isEmpty()) {
      return first;
    }
    Optional<Extraction> second = findAnywhere(first.get().remainder(), now)
        .filter(e -> !e.expression().matches("[\\d\\s:]+"));
    if (second.isEmpty()) {
      return first;
    }
    String a = first.get().expression();
    String b = second.get().expression();
    return parse(a + " " + b, now, true).map(t -> new Extraction(t, a + " " + b, second.get().remainder()))
        .or(() -> parse(b + " " + a, now, true).map(t -> new Extraction(t, b + " " + a, second.get().remainder())))
        .or(() -> first);
  }

  private Optional<ZonedDateTime> parse(String phrase, ZonedDateTime now, boolean embedded) {
    if (phrase == null || now == null) {
      return Optional.empty();
    }
    String text = normalize(phrase);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    return tokenize(text)
        .flatMap(components -> Reading.of(components, embedded))
        .flatMap(reading -> reading.resolve(now));
  }

  private static String normalize(String phrase) {
    return phrase.toLowerCase(Locale.ROOT)
        .replace('\u2019', '\'')
        .replace("a.m.", "am")
        .replace("p.m.", "pm")
        .replaceAll("[,;]|:(?=\\s|$)", " ")
        .replaceAll("[.!?]+\\s*$", "")
        .replaceAll("\\s+", " ")
        .strip();
  }

  private static List<String> words(String text) {
    String stripped = text == null ? "" : text.strip();
    return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("\\s+"));
  }

  private static Optional<List<Component>> tokenize(String text) {
    List<Component> components = new ArrayList<>();
    int position = 0;
    while (position < text.length()) {
      if (text.charAt(position) == ' ') {
        position++;
        continue;
      }
      Optional<Match> match = matchAt(text, position);
      if (match.isEmpty() || match.get().component().isEmpty()) {
        return Optional.empty();
      }
      components.add(match.get().component().get());
      position = match.get().end();
    }
    return Optional.of(components);
  }

  private static Optional<Match> matchAt(String text, int position) {
    for (Rule rule : RULES) {
      Matcher matcher = rule.pattern().matcher(text).region(position, text.length());
      if (matcher.lookingAt()) {
        // A matched but impossible value ("13pm") fails the whole phrase rather than trying other rules.
        return Optional.of(new Match(rule.builder().apply(matcher), matcher.end()));
      }
    }
    return Optional.empty();
  }

  // ---- component builders -------------------------------------------------------------------------------

  private static Optional<Component> offset(Matcher m) {
    String body = m.group("body");
    int months = 0;
    int days = 0;
    long minutes = 0;
    String lastUnit = "";
    Matcher part = AMOUNT_PART.matcher(body);
    while (part.find()) {
      String amountText = part.group("amount");
      lastUnit = part.group("unit");
      boolean half = amountText.startsWith("half");
      int amount = half ? 0 : amount(amountText);
      switch (lastUnit) {
        case "min" -> {
          if (half) {
            return Optional.empty();
          }
          minutes += amount;
        }
        case "hour", "hr" -> minutes += half ? 30 : amount * 60L;
        case "day" -> {
          if (half) {
            minutes += 12 * 60;
          } else {
            days += amount;
          }
        }
        case "week" -> {
          if (half) {
            return Optional.empty();
          }
          days += amount * 7;
        }
        default -> {
          if (half) {
            return Optional.empty();
          }
          months += amount;
        }
      }
    }
    if (body.endsWith(" and a half")) {
      switch (lastUnit) {
        case "hour", "hr" -> minutes += 30;
        case "day" -> minutes += 12 * 60;
        default -> {
          return Optional.empty();
        }
      }
    }
    if (months == 0 && days == 0 && minutes == 0) {
      return Optional.empty();
    }
    return Optional.of(new Offset(months, days, minutes));
  }

  private static int amount(String text) {
    Integer word = AMOUNT_WORDS.get(text);
    return word != null ? word : Integer.parseInt(text);
  }

  private static Optional<Component> relativeDay(Matcher m) {
    String rel = m.group("rel");
    int days = rel.contains("after") ? 2 : rel.equals("today") ? 0 : 1;
    return Optional.of(new RelativeDay(days));
  }

  private static Optional<Component> numericDate(Matcher m) {
    String yearText = m.group("year");
    Integer year = yearText == null ? null : Integer.parseInt(yearText);
    if (year != null && yearText.length() == 2) {
      year += 2000;
    }
    return calendarDate(year, Integer.parseInt(m.group("month")), Integer.parseInt(m.group("day")));
  }

  private static Optional<Component> namedMonthDate(Matcher m) {
    String yearText = m.group("year");
    Integer year = yearText == null ? null : Integer.parseInt(yearText);
    return calendarDate(year, MONTHS.get(m.group("month")), Integer.parseInt(m.group("day")));
  }

  private static Optional<Component> calendarDate(Integer year, int month, int day) {
    if (month < 1 || month > 12 || day < 1 || day > java.time.Month.of(month).maxLength()) {
      return Optional.empty();
    }
    return Optional.of(new CalendarDate(year, month, day));
  }

  private static Optional<Component> dayOfMonth(Matcher m) {
    int day = Integer.parseInt(m.group("day"));
    return day >= 1 && day <= 31 ? Optional.of(new CalendarDate(null, null, day)) : Optional.empty();
  }

  private static Optional<Component> weekday(Matcher m) {
    String name = m.group("weekday");
    String qualifier = m.group("qualifier");
    boolean introduced = m.group("on") != null || qualifier != null;
    boolean abbreviated = !name.endsWith("day");
    return Optional.of(new Weekday(WEEKDAYS.get(name), "this".equals(qualifier), introduced, abbreviated));
  }

  private static Optional<Component> namedClock(Matcher m) {
    return Optional.of(m.group("word").equals("midnight") ? Clock.MIDNIGHT : new Clock(12, 0, HourStyle.EXACT, false));
  }

  private static Optional<Component> relativeClock(Matcher m) {
    String fraction = m.group("fraction");
    String direction = m.group("direction");
    boolean before = direction.equals("to") || direction.startsWith("til") || direction.equals("before");
    int minutes = fraction == null ? amount(m.group("minutes")) : fraction.equals("half") ? 30 : 15;
    if (minutes < 1 || minutes > 30 || (before && minutes == 30)) {
      return Optional.empty();
    }
    return clock(hour(m.group("hour")), before ? -minutes : minutes, style(m.group("meridiem")), false);
  }

  private static Optional<Component> colonClock(Matcher m) {
    String hourText = m.group("hour");
    int hour = Integer.parseInt(hourText);
    int minute = Integer.parseInt(m.group("minute"));
    if (minute > 59) {
      return Optional.empty();
    }
    String meridiem = m.group("meridiem");
    // "09:30" or "17:30" is a 24-hour clock reading; "5:30" follows the bare-hour rule.
    boolean twentyFourHour = meridiem == null && (hour == 0 || hour > 12 || hourText.startsWith("0"));
    return clock(hour, minute, twentyFourHour ? HourStyle.EXACT : style(meridiem), false);
  }

  /** An hour alone is only a time when marked as one: by "at", "am"/"pm", "o'clock", or a part of day. */
  private static Optional<Component> hourClock(Matcher m, String meridiem, boolean marked) {
    boolean introduced = m.group("at") != null;
    return clock(hour(m.group("hour")), 0, style(meridiem), !introduced && !marked);
  }

  private static Optional<Component> clock(int hour, int minute, HourStyle style, boolean needsPartOfDay) {
    boolean valid = switch (style) {
      case AM, PM -> hour >= 1 && hour <= 12;
      case EXACT, UNSPECIFIED -> hour >= 0 && hour <= 23;
    };
    if (!valid) {
      return Optional.empty();
    }
    // Hours past noon or zero can only be 24-hour clock readings, whatever the wording.
    HourStyle effective = style == HourStyle.UNSPECIFIED && (hour == 0 || hour > 12) ? HourStyle.EXACT : style;
    return Optional.of(new Clock(hour, minute, effective, needsPartOfDay));
  }

  private static int hour(String text) {
    Integer word = HOUR_WORDS.get(text);
    return word != null ? word : Integer.parseInt(text);
  }

  private static HourStyle style(String meridiem) {
    if (meridiem == null) {
      return HourStyle.UNSPECIFIED;
    }
    return meridiem.equals("am") ? HourStyle.AM : HourStyle.PM;
  }

  private static Optional<Component> partOfDay(Matcher m) {
    return Optional.of(switch (m.group("part")) {
      case "morning" -> PartOfDay.MORNING;
      case "afternoon" -> PartOfDay.AFTERNOON;
      case "evening" -> PartOfDay.EVENING;
      default -> PartOfDay.NIGHT;
    });
  }

  private static String alternation(Map<String, ?> words) {
    // Longest first so that "march" is preferred to "mar" when both could match.
    return words.keySet().stream()
        .sorted((a, b) -> b.length() - a.length())
        .map(Pattern::quote)
        .collect(Collectors.joining("|"));
  }

  // ---- model ----------------------------------------------------------------------------------------------

  private record Rule(Pattern pattern, Function<Matcher, Optional<Component>> builder) {
    Rule(String regex, Function<Matcher, Optional<Component>> builder) {
      this(Pattern.compile(regex + END), builder);
    }
  }

  private record Match(Optional<Component> component, int end) {}

  private sealed interface Component permits DaySpec, Clock, PartOfDay, Offset {}

  private sealed interface DaySpec extends Component permits RelativeDay, Weekday, Weekend, CalendarDate {}

  private record RelativeDay(int days) implements DaySpec {}

  private record Weekday(DayOfWeek day, boolean thisWeek, boolean introduced, boolean abbreviated) implements DaySpec {}

  private record Weekend() implements DaySpec {}

  /** A calendar date; a null year means the next occurrence, a null month the next month having that day. */
  private record CalendarDate(Integer year, Integer month, int day) implements DaySpec {}

  private record Offset(int months, int days, long minutes) implements Component {
    boolean wholeDays() {
      return minutes == 0;
    }
  }

  private enum HourStyle { AM, PM, EXACT, UNSPECIFIED }

  private record Clock(int hour, int minute, HourStyle style, boolean needsPartOfDay) implements Component {
    static final Clock MIDNIGHT = new Clock(24, 0, HourStyle.EXACT, false);

    boolean midnight() {
      return hour == 24;
    }
  }

  private enum PartOfDay implements Component {
    MORNING(9), AFTERNOON(15), EVENING(19), NIGHT(20);

    final LocalTime time;

    PartOfDay(int hour) {
      this.time = LocalTime.of(hour, 0);
    }
  }

  /** A wall-clock time, possibly on the day after the one named (midnight). */
  private record TimeOfDay(LocalTime time, boolean nextDay) {}

  /** The components of one phrase, at most one of each kind, ready to be resolved against now. */
  private record Reading(DaySpec day, Clock clock, PartOfDay part, Offset offset) {

    static Optional<Reading> of(List<Component> components, boolean embedded) {
      DaySpec day = null;
      Clock clock = null;
      PartOfDay part = null;
      Offset offset = null;
      for (Component component : components) {
        switch (component) {
          case DaySpec d -> {
            if (day != null) {
              return Optional.empty();
            }
            day = d;
          }
          case Clock c -> {
            if (clock != null) {
              return Optional.empty();
            }
            clock = c;
          }
          case PartOfDay p -> {
            if (part != null) {
              return Optional.empty();
            }
            part = p;
          }
          case Offset o -> {
            if (offset != null) {
              return Optional.empty();
            }
            offset = o;
          }
        }
      }
      Reading reading = new Reading(day, clock, part, offset);
      return reading.isCoherent(embedded) ? Optional.of(reading) : Optional.empty();
    }

    private boolean isCoherent(boolean embedded) {
      if (clock != null && clock.needsPartOfDay() && part == null) {
        return false;
      }
      if (embedded && day instanceof Weekday w && w.abbreviated() && !w.introduced()) {
        return false;
      }
      if (offset != null) {
        boolean timed = clock != null || part != null;
        return day == null && (!timed || offset.wholeDays());
      }
      return true;
    }

    Optional<ZonedDateTime> resolve(ZonedDateTime now) {
      if (offset != null && clock == null && part == null) {
        return Optional.of(now.truncatedTo(ChronoUnit.MINUTES)
            .plusMonths(offset.months()).plusDays(offset.days()).plusMinutes(offset.minutes()));
      }
      return timeOfDay().flatMap(time -> resolveDate(time, now));
    }

    private Optional<TimeOfDay> timeOfDay() {
      if (clock == null) {
        return Optional.of(new TimeOfDay(part == null ? DEFAULT_TIME : part.time, false));
      }
      if (clock.midnight()) {
        return Optional.of(new TimeOfDay(LocalTime.MIDNIGHT, true));
      }
      return hourOfDay().map(hour -> hour == 24
          ? new TimeOfDay(LocalTime.MIDNIGHT.plusMinutes(clock.minute()), true)
          : new TimeOfDay(LocalTime.of(hour, 0).plusMinutes(clock.minute()), false));
    }

    /** The 0..23 hour meant by the clock and part of day, 24 for "12 tonight", empty when they contradict. */
    private Optional<Integer> hourOfDay() {
      int hour = clock.hour();
      boolean later = part == PartOfDay.AFTERNOON || part == PartOfDay.EVENING;
      return switch (clock.style()) {
        case EXACT -> Optional.of(hour);
        case AM -> later ? Optional.empty() : Optional.of(hour % 12);
        case PM -> part == PartOfDay.MORNING ? Optional.empty() : Optional.of(hour % 12 + 12);
        case UNSPECIFIED -> {
          if (part == PartOfDay.MORNING) {
            yield Optional.of(hour % 12);
          }
          if (part == PartOfDay.NIGHT || later) {
            yield Optional.of(hour == 12 ? (part == PartOfDay.AFTERNOON ? 12 : 24) : hour + 12);
          }
          yield Optional.of(hour <= 6 ? hour + 12 : hour);
        }
      };
    }

    private Optional<ZonedDateTime> resolveDate(TimeOfDay time, ZonedDateTime now) {
      LocalDate today = now.toLocalDate();
      if (offset != null) {
        return Optional.of(at(today.plusMonths(offset.months()).plusDays(offset.days()), time, now));
      }
      return switch (day) {
        case null -> Optional.of(firstAhead(today, today.plusDays(1), time, now));
        case RelativeDay r -> Optional.of(at(today.plusDays(r.days()), time, now));
        case Weekday w -> {
          LocalDate next = today.with(TemporalAdjusters.next(w.day()));
          boolean todayAllowed = w.thisWeek() && today.getDayOfWeek() == w.day();
          yield Optional.of(todayAllowed ? firstAhead(today, next, time, now) : at(next, time, now));
        }
        case Weekend ignored -> {
          LocalDate next = today.with(TemporalAdjusters.next(DayOfWeek.SATURDAY));
          boolean todayAllowed = today.getDayOfWeek() == DayOfWeek.SATURDAY;
          yield Optional.of(todayAllowed ? firstAhead(today, next, time, now) : at(next, time, now));
        }
        case CalendarDate d -> calendarDate(d, time, now);
      };
    }

    private static Optional<ZonedDateTime> calendarDate(CalendarDate date, TimeOfDay time, ZonedDateTime now) {
      if (date.year() != null) {
        try {
          return Optional.of(at(LocalDate.of(date.year(), date.month(), date.day()), time, now));
        } catch (DateTimeException impossible) {
          return Optional.empty();
        }
      }
      if (date.month() != null) {
        // Looping over years rather than adding one copes with 29 February.
        for (int year = now.getYear(); year <= now.getYear() + MAX_YEARS_AHEAD; year++) {
          YearMonth month = YearMonth.of(year, date.month());
          if (month.isValidDay(date.day())) {
            ZonedDateTime candidate = at(month.atDay(date.day()), time, now);
            if (candidate.isAfter(now)) {
              return Optional.of(candidate);
            }
          }
        }
        return Optional.empty();
      }
      YearMonth month = YearMonth.from(now);
      for (int i = 0; i <= MAX_MONTHS_AHEAD; i++, month = month.plusMonths(1)) {
        if (month.isValidDay(date.day())) {
          ZonedDateTime candidate = at(month.atDay(date.day()), time, now);
          if (candidate.isAfter(now)) {
            return Optional.of(candidate);
          }
        }
      }
      return Optional.empty();
    }

    private static ZonedDateTime firstAhead(LocalDate preferred, LocalDate fallback, TimeOfDay time, ZonedDateTime now) {
      ZonedDateTime candidate = at(preferred, time, now);
      return candidate.isAfter(now) ? candidate : at(fallback, time, now);
    }

    private static ZonedDateTime at(LocalDate date, TimeOfDay time, ZonedDateTime now) {
      return ZonedDateTime.of(time.nextDay() ? date.plusDays(1) : date, time.time(), now.getZone());
    }
  }
}
