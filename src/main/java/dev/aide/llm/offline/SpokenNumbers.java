package dev.aide.llm.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Numbers said in words, as a voice transcript writes them, turned into digits so the time parser reads them: "ten
 * am" → "10 am", "five thirty" → "5:30" (after "at", "for", "until" or before am/pm), "six hundred and forty five am"
 * → "6:45 am", "march twenty third" → "march 23rd", "the twenty second of january" → "the 22nd of january", "two
 * thousand and seventeen" → "2017", "o clock" → "o'clock". Other words are left as they are.
 */
final class SpokenNumbers {

  private static final Map<String, Integer> SMALL = Map.ofEntries(Map.entry("zero", 0), Map.entry("one", 1),
      Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
      Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
      Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("thirteen", 13), Map.entry("fourteen", 14),
      Map.entry("fifteen", 15), Map.entry("sixteen", 16), Map.entry("seventeen", 17), Map.entry("eighteen", 18),
      Map.entry("nineteen", 19));
  private static final Map<String, Integer> TENS = Map.of("twenty", 20, "thirty", 30, "forty", 40, "fifty", 50);
  private static final Map<String, Integer> ORDINALS = Map.ofEntries(Map.entry("first", 1), Map.entry("second", 2),
      Map.entry("third", 3), Map.entry("fourth", 4), Map.entry("fifth", 5), Map.entry("sixth", 6),
      Map.entry("seventh", 7), Map.entry("eighth", 8), Map.entry("ninth", 9), Map.entry("tenth", 10),
      Map.entry("eleventh", 11), Map.entry("twelfth", 12), Map.entry("twelveth", 12), Map.entry("thirteenth", 13),
      Map.entry("fourteenth", 14), Map.entry("fifteenth", 15), Map.entry("sixteenth", 16),
      Map.entry("seventeenth", 17), Map.entry("eighteenth", 18), Map.entry("nineteenth", 19),
      Map.entry("twentieth", 20), Map.entry("thirtieth", 30));
  private static final Set<String> MONTHS = Set.of("january", "february", "march", "april", "may", "june", "july",
      "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
      "sep", "sept", "oct", "nov", "dec");
  private static final Set<String> CLOCK_LEAD = Set.of("at", "for", "until", "till", "by", "around", "from", "to");
  private static final Pattern MERIDIEM = Pattern.compile("am|pm|a\\.m\\.|p\\.m\\.|o'clock");

  private SpokenNumbers() {}

  /** The text with spoken numbers as digits ("the six fifteen alarm" → "the 6:15 alarm"). */
  static String digits(String text) {
    List<String> w = new ArrayList<>(List.of(text.replace("o clock", "o'clock").replace("o'clock", " o'clock")
        .replaceAll("\\s+", " ").strip().split(" ")));
    w.removeIf(String::isEmpty);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < w.size(); ) {
      String word = w.get(i).toLowerCase(java.util.Locale.ROOT);
      // "two thousand and seventeen"
      if (word.equals("two") && at(w, i + 1).equals("thousand")) {
        int j = i + 2;
        if (at(w, j).equals("and")) {
          j++;
        }
        Number rest = number(w, j);
        out.add(String.valueOf(2000 + (rest == null ? 0 : rest.value())));
        i = rest == null ? j : rest.next();
        continue;
      }
      Number n = number(w, i);
      if (n == null) {
        out.add(w.get(i));
        i++;
        continue;
      }
      String previous = out.isEmpty() ? "" : out.get(out.size() - 1).toLowerCase(java.util.Locale.ROOT);
      // "six hundred and forty five am", "four hundred am": a time said as a 24-hour clock
      if (!n.ordinal() && n.value() <= 23 && at(w, n.next()).equals("hundred")) {
        int j = n.next() + 1;
        if (at(w, j).equals("and")) {
          j++;
        }
        Number minutes = number(w, j);
        if (minutes != null && !minutes.ordinal() && minutes.value() < 60) {
          out.add(n.value() + ":" + String.format("%02d", minutes.value()));
          i = minutes.next();
        } else {
          out.add(n.value() + ":00");
          i = n.next() + 1;
        }
        continue;
      }
      // "five thirty", "eight ten", "seven o five" as a clock reading where a time is expected
      if (!n.ordinal() && n.value() >= 1 && n.value() <= 12) {
        int j = n.next();
        boolean oh = at(w, j).equals("o") || at(w, j).equals("oh");
        Number minutes = number(w, oh ? j + 1 : j);
        if (minutes != null && !minutes.ordinal() && (oh ? minutes.value() < 10 : minutes.value() >= 10 && minutes.value() < 60)
            && (CLOCK_LEAD.contains(previous) || previous.equals("the") || MERIDIEM.matcher(at(w, minutes.next())).matches()
                || at(w, minutes.next()).matches("alarms?|wake-?up"))) {
          out.add(n.value() + ":" + String.format("%02d", minutes.value()));
          i = minutes.next();
          continue;
        }
      }
      boolean dateContext = MONTHS.contains(previous) || MONTHS.contains(at(w, n.next()))
          || (at(w, n.next()).equals("of") && MONTHS.contains(at(w, n.next() + 1))) || previous.equals("the");
      if (n.ordinal() || (dateContext && MONTHS.contains(previous) && n.value() <= 31)) {
        out.add(n.value() + suffix(n.value()));
      } else {
        out.add(String.valueOf(n.value()));
      }
      i = n.next();
    }
    return String.join(" ", out);
  }

  private record Number(int value, boolean ordinal, int next) {}

  /** A number said in words at position i: "seven", "twenty one", "twenty-first", "thirty", or digits. */
  private static Number number(List<String> w, int i) {
    String word = at(w, i);
    if (word.isEmpty()) {
      return null;
    }
    if (word.contains("-")) {
      String[] parts = word.split("-", 2);
      Integer tens = TENS.get(parts[0]);
      if (tens != null) {
        Integer unit = SMALL.get(parts[1]);
        Integer ord = ORDINALS.get(parts[1]);
        if (unit != null && unit > 0 && unit < 10) {
          return new Number(tens + unit, false, i + 1);
        }
        if (ord != null && ord < 10) {
          return new Number(tens + ord, true, i + 1);
        }
      }
      return null;
    }
    Integer tens = TENS.get(word);
    if (tens != null) {
      String next = at(w, i + 1);
      Integer unit = SMALL.get(next);
      Integer ord = ORDINALS.get(next);
      if (unit != null && unit > 0 && unit < 10) {
        return new Number(tens + unit, false, i + 2);
      }
      if (ord != null && ord < 10) {
        return new Number(tens + ord, true, i + 2);
      }
      return new Number(tens, false, i + 1);
    }
    Integer small = SMALL.get(word);
    if (small != null) {
      return new Number(small, false, i + 1);
    }
    Integer ord = ORDINALS.get(word);
    if (ord != null) {
      return new Number(ord, true, i + 1);
    }
    return null;
  }

  private static String at(List<String> w, int i) {
    return i >= 0 && i < w.size() ? w.get(i).toLowerCase(java.util.Locale.ROOT) : "";
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
