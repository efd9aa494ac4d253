package dev.aide.speech;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A written reply rewritten to be read aloud by a text-to-speech voice (a smart speaker, a watch, a phone call): no
 * Markdown, no links or ids nobody can say, a list read as sentences (its first few items, then how many more), and
 * short. The one place this is done, for every channel that speaks.
 */
public final class Speakable {

  /** About half a minute of speech. */
  static final int MAX_CHARS = 500;
  /** A list read aloud stops after this many items and says how many more there are. */
  static final int MAX_ITEMS = 5;
  static final String CUT = "The full answer is in the written reply.";

  private static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
  private static final Pattern CODE_BLOCK = Pattern.compile("```.*?(```|$)", Pattern.DOTALL);
  private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\([^)]*\\)");
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\([^)]*\\)");
  private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s<>()]+[^\\s<>().,;:!?'\"]"
      + "|<(?:https?://|mailto:)[^>]*>");
  private static final Pattern ID_ASIDE = Pattern.compile("\\s*[(\\[][^()\\[\\]]*" + UUID + "[^()\\[\\]]*[)\\]]");
  private static final Pattern ID = Pattern.compile("(?i)(?:\\bid\\b\\s*[:=#]?\\s*)?" + UUID);
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern ITEM = Pattern.compile("^\\s*(?:[-*+•]|\\d{1,3}[.)]|\\[[ xX]\\])\\s+(?:\\[[ xX]\\]\\s+)?(.*)$");
  private static final Pattern RULE = Pattern.compile("^\\s*(?:[-*_]\\s*){3,}$|^\\s*\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?\\s*$");
  private static final Pattern QUOTE = Pattern.compile("^\\s*>+\\s?");
  private static final Pattern EMPHASIS = Pattern.compile("(\\*\\*|__|~~)(.+?)\\1|(?<![\\w*])\\*(?!\\s)(.+?)(?<!\\s)\\*(?![\\w*])"
      + "|(?<![\\w_])_(?!\\s)(.+?)(?<!\\s)_(?![\\w_])");
  private static final Pattern INLINE_CODE = Pattern.compile("`+([^`]*)`+");
  private static final Pattern EMOJI = Pattern.compile("[\\x{1F000}-\\x{1FAFF}\\x{2600}-\\x{27BF}\\x{2B00}-\\x{2BFF}"
      + "\\x{FE0F}\\x{200D}\\x{20E3}]");

  private Speakable() {}

  /** The text as it should be said; empty for a text with nothing to say. */
  public static String of(String text) {
    if (text == null || text.isBlank()) {
      return "";
    }
    String t = text.replace("\r\n", "\n").replace('\r', '\n');
    t = CODE_BLOCK.matcher(t).replaceAll(" ");
    t = IMAGE.matcher(t).replaceAll("$1");
    t = LINK.matcher(t).replaceAll("$1");
    t = URL.matcher(t).replaceAll("");
    t = ID_ASIDE.matcher(t).replaceAll("");
    t = ID.matcher(t).replaceAll("");
    List<String> sentences = new ArrayList<>();
    List<String> items = new ArrayList<>();
    for (String raw : t.split("\n")) {
      String line = QUOTE.matcher(raw).replaceFirst("");
      if (RULE.matcher(line).matches()) {
        continue;
      }
      Matcher item = ITEM.matcher(line);
      if (item.matches()) {
        items.add(item.group(1));
        continue;
      }
      flush(items, sentences);
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        line = heading.group(1);
      }
      line = line.replace("|", ", ");
      if (!line.isBlank()) {
        sentences.add(inline(line));
      }
    }
    flush(items, sentences);
    StringBuilder out = new StringBuilder();
    for (String sentence : sentences) {
      String s = tidy(sentence);
      if (s.isEmpty()) {
        continue;
      }
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(endsSentence(s) ? s : s + ".");
    }
    String said = tidy(out.toString());
    // A colon that introduced what was taken out (a link, an id, a code block) ends nothing.
    if (said.endsWith(":")) {
      said = said.substring(0, said.length() - 1) + ".";
    }
    return shorten(said);
  }

  /** A list's items as sentences, the first few only, then how many more there are. */
  private static void flush(List<String> items, List<String> sentences) {
    if (items.isEmpty()) {
      return;
    }
    int said = 0;
    for (String item : items) {
      String s = tidy(inline(item));
      if (s.isEmpty()) {
        continue;
      }
      if (said == MAX_ITEMS) {
        break;
      }
      sentences.add(Character.toUpperCase(s.charAt(0)) + s.substring(1));
      said++;
    }
    long left = items.stream().filter(i -> !tidy(inline(i)).isEmpty()).count() - said;
    if (left > 0) {
      sentences.add("And " + left + " more");
    }
    items.clear();
  }

  private static String inline(String line) {
    String s = INLINE_CODE.matcher(line).replaceAll("$1");
    String before;
    do {
      before = s;
      s = EMPHASIS.matcher(s).replaceAll(m -> Matcher.quoteReplacement(
          m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4)));
    } while (!s.equals(before));
    return EMOJI.matcher(s).replaceAll("");
  }

  /** Spaces collapsed, none before punctuation, no empty brackets or dangling separators left by what was removed. */
  private static String tidy(String s) {
    String t = s.replaceAll("[\\s\\u00A0]+", " ");
    t = t.replaceAll("\\(\\s*\\)|\\[\\s*\\]", "");
    t = t.replaceAll("\\s+([.,;:!?])", "$1");
    t = t.replaceAll("([,;:])(?:\\s*[,;:])+", "$1");
    t = t.replaceAll("(?:\\s*,)+\\s*([.!?])", "$1");
    t = t.strip();
    t = t.replaceAll("^[,;:.\\s]+", "").replaceAll("[,;\\s]+$", "");
    return t.strip();
  }

  private static boolean endsSentence(String s) {
    char last = s.charAt(s.length() - 1);
    return last == '.' || last == '!' || last == '?' || last == ':' || last == '…';
  }

  /** At most {@link #MAX_CHARS}, cut after a whole sentence where there is one, saying it was cut. */
  private static String shorten(String s) {
    if (s.length() <= MAX_CHARS) {
      return s;
    }
    int room = MAX_CHARS - CUT.length() - 1;
    int end = -1;
    for (int i = 0; i < room; i++) {
      char c = s.charAt(i);
      if ((c == '.' || c == '!' || c == '?') && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
        end = i + 1;
      }
    }
    String kept;
    if (end > 0) {
      kept = s.substring(0, end);
    } else {
      int space = s.lastIndexOf(' ', room - 1);
      kept = s.substring(0, space > 0 ? space : room - 1).replaceAll("[,;:\\s]+$", "") + "…";
    }
    return kept + " " + CUT;
  }
}
