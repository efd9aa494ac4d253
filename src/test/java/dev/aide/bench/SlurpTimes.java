package dev.aide.bench;

import dev.aide.bench.SlurpBenchmark.Row;
import dev.aide.bench.SlurpBenchmark.Slot;
import dev.aide.llm.offline.TimePhraseParser;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately simple reader of SLURP's annotated time and date slots, used to check what Aide did against them:
 * an hour ("ten am", "5 pm", "eight ten", "six hundred and forty five am", "twelve noon") and a calendar day (today,
 * tomorrow, a weekday, "march seventh", "the twenty second of january"). What it does not read is not checked. Then the
 * comparison of {@link TimePhraseParser} with natty on every annotated date and time slot.
 */
final class SlurpTimes {

  private static final Map<String, Integer> UNITS = Map.ofEntries(Map.entry("zero", 0), Map.entry("one", 1),
      Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
      Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
      Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("thirteen", 13), Map.entry("fourteen", 14),
      Map.entry("fifteen", 15), Map.entry("sixteen", 16), Map.entry("seventeen", 17), Map.entry("eighteen", 18),
      Map.entry("nineteen", 19), Map.entry("twenty", 20), Map.entry("thirty", 30), Map.entry("forty", 40),
      Map.entry("fifty", 50), Map.entry("first", 1), Map.entry("second", 2), Map.entry("third", 3),
      Map.entry("fourth", 4), Map.entry("fifth", 5), Map.entry("sixth", 6), Map.entry("seventh", 7),
      Map.entry("eighth", 8), Map.entry("ninth", 9), Map.entry("tenth", 10), Map.entry("eleventh", 11),
      Map.entry("twelfth", 12), Map.entry("twelveth", 12), Map.entry("thirteenth", 13), Map.entry("fourteenth", 14),
      Map.entry("fifteenth", 15), Map.entry("sixteenth", 16), Map.entry("seventeenth", 17),
      Map.entry("eighteenth", 18), Map.entry("nineteenth", 19), Map.entry("twentieth", 20),
      Map.entry("thirtieth", 30));
  private static final List<String> MONTHS = List.of("january", "february", "march", "april", "may", "june", "july",
      "august", "september", "october", "november", "december");
  private static final Pattern NUMBER = Pattern.compile("\\d+|(?:twenty|thirty|forty|fifty)(?: \\w+)?|\\w+");

  private SlurpTimes() {}

  /** The hour of the row's time slot as {hour 1–12 or 0, meridiem: 0 none, 1 am, 2 pm}, when there is a plain one. */
  static Optional<int[]> hour(Row row) {
    return row.slots().stream().filter(s -> s.type().equals("time")).findFirst().flatMap(s -> hour(s.text()));
  }

  static Optional<int[]> hour(String slot) {
    String t = slot.toLowerCase(Locale.ROOT).replace("o clock", "").replace("o'clock", "").replace("a.m.", "am")
        .replace("p.m.", "pm").strip();
    if (t.matches(".*\\b(minutes?|hours?|from now|week|month|year|day|between|and nine|weekend)\\b.*")) {
      return Optional.empty();
    }
    if (t.equals("noon") || t.equals("twelve noon") || t.equals("midday")) {
      return Optional.of(new int[] {12, 2});
    }
    if (t.equals("midnight")) {
      return Optional.of(new int[] {12, 1});
    }
    int meridiem = t.endsWith(" am") || t.endsWith("am") && t.matches(".*\\dam") ? 1
        : t.endsWith(" pm") || t.matches(".*\\dpm") ? 2 : 0;
    t = t.replaceAll("\\s*[ap]m$", "").strip();
    Matcher digits = Pattern.compile("^(\\d{1,2})(?::(\\d{2}))?$").matcher(t);
    if (digits.matches()) {
      int h = Integer.parseInt(digits.group(1));
      return h <= 23 ? Optional.of(new int[] {h > 12 ? h - 12 : h, h > 12 ? 2 : meridiem}) : Optional.empty();
    }
    String first = t.split(" ")[0];
    Integer h = UNITS.get(first);
    if (h == null || h < 1 || h > 12) {
      return Optional.empty();
    }
    String rest = t.substring(first.length()).strip();
    // "eight ten", "five thirty", "six hundred and forty five", "four hundred": the rest are minutes
    if (!rest.isEmpty() && !rest.matches("(?:hundred(?: and)?)?\\s*(?:\\w+(?: \\w+)?)?")) {
      return Optional.empty();
    }
    return Optional.of(new int[] {h, meridiem});
  }

  static boolean agrees(int[] hour, int hour24) {
    int h = hour[0] % 12;
    return switch (hour[1]) {
      case 1 -> hour24 == h;
      case 2 -> hour24 == h + 12;
      default -> hour24 % 12 == h;
    };
  }

  /** The calendar day a date slot names, after now, when it is a plain one. */
  static Optional<LocalDate> day(String slot, ZonedDateTime now) {
    Row row = new Row(0, slot, "", List.of(new Slot("date", slot)));
    Optional<LocalDate> plain = SlurpBenchmark.plainDay(row);
    if (plain.isPresent()) {
      return plain;
    }
    String t = slot.toLowerCase(Locale.ROOT).replaceFirst("^the ", "").replaceAll("\\btwo thousand and \\w+|\\btwenty seventeen\\b", "")
        .replaceAll("\\s+", " ").strip();
    Integer month = null;
    String dayWords = null;
    for (int i = 0; i < MONTHS.size(); i++) {
      String m = MONTHS.get(i);
      if (t.startsWith(m + " ")) {
        month = i + 1;
        dayWords = t.substring(m.length()).strip();
      } else if (t.endsWith(" " + m)) {
        month = i + 1;
        dayWords = t.substring(0, t.length() - m.length()).replaceFirst("\\s+of$", "").strip();
      }
    }
    if (month == null) {
      return Optional.empty();
    }
    Optional<Integer> d = number(dayWords);
    if (d.isEmpty() || d.get() < 1 || d.get() > 31) {
      return Optional.empty();
    }
    MonthDay md = MonthDay.of(month, Math.min(d.get(), java.time.Month.of(month).maxLength()));
    LocalDate date = md.atYear(now.getYear());
    return Optional.of(date.isBefore(now.toLocalDate()) ? md.atYear(now.getYear() + 1) : date);
  }

  private static Optional<Integer> number(String words) {
    Matcher m = NUMBER.matcher(words.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    if (words.matches("\\d+")) {
      return Optional.of(Integer.parseInt(words));
    }
    String[] parts = words.strip().split(" ");
    Integer first = UNITS.get(parts[0]);
    if (first == null) {
      return Optional.empty();
    }
    if (parts.length == 1) {
      return Optional.of(first);
    }
    Integer second = UNITS.get(parts[1]);
    return second == null || first < 20 || second > 9 ? Optional.empty() : Optional.of(first + second);
  }

  /** Reads every annotated date and time slot with both parsers and prints how many each reads as the oracle does. */
  static void compare(List<Row> rows) {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.joestelmach"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    TimePhraseParser ours = new TimePhraseParser();
    Object natty = natty();
    int slots = 0;
    int checkable = 0;
    int[] read = new int[2];
    int[] correct = new int[2];
    for (Row row : rows) {
      for (Slot s : row.slots()) {
        if (!s.type().equals("date") && !s.type().equals("time")) {
          continue;
        }
        slots++;
        Optional<LocalDate> expectedDay = s.type().equals("date") ? day(s.text(), SlurpBenchmark.NOW) : Optional.empty();
        Optional<int[]> expectedHour = s.type().equals("time") ? hour(s.text()) : Optional.empty();
        boolean known = expectedDay.isPresent() || expectedHour.isPresent();
        if (known) {
          checkable++;
        }
        List<Optional<ZonedDateTime>> readings = List.of(ours.parse(s.text(), SlurpBenchmark.NOW),
            nattyParse(natty, s.text()));
        for (int i = 0; i < 2; i++) {
          Optional<ZonedDateTime> r = readings.get(i);
          if (r.isEmpty()) {
            continue;
          }
          read[i]++;
          boolean ok = expectedDay.map(d -> r.get().toLocalDate().equals(d)).orElse(false)
              || expectedHour.map(h -> agrees(h, r.get().getHour())).orElse(false);
          if (ok) {
            correct[i]++;
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "date and time slots: %d (%d a simple reader can check)%n", slots, checkable);
    System.out.printf(Locale.ROOT, "  TimePhraseParser: read %d, of the checkable read correctly %d%n", read[0], correct[0]);
    System.out.printf(Locale.ROOT, "  natty 0.13:       read %d, of the checkable read correctly %d%s%n", read[1], correct[1],
        natty == null ? " (not on the class path)" : "");
  }

  private static Object natty() {
    try {
      return Class.forName("com.joestelmach.natty.Parser").getConstructor(TimeZone.class)
          .newInstance(TimeZone.getTimeZone(SlurpBenchmark.NOW.getZone()));
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /** natty's first date for the text, in Paris, or empty (also when it throws on a phrase). */
  @SuppressWarnings("unchecked")
  private static Optional<ZonedDateTime> nattyParse(Object parser, String text) {
    if (parser == null) {
      return Optional.empty();
    }
    try {
      List<Object> groups = (List<Object>) parser.getClass().getMethod("parse", String.class, Date.class)
          .invoke(parser, text, Date.from(SlurpBenchmark.NOW.toInstant()));
      for (Object group : groups) {
        List<Date> dates = (List<Date>) group.getClass().getMethod("getDates").invoke(group);
        if (!dates.isEmpty()) {
          return Optional.of(dates.get(0).toInstant().atZone(SlurpBenchmark.NOW.getZone()));
        }
      }
      return Optional.empty();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }
}
