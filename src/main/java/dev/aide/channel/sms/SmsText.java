package dev.aide.channel.sms;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's reply as text messages: Markdown taken out (a phone shows it as stray asterisks), split at Twilio's 1,600
 * characters on a paragraph, line, sentence or word boundary; and how many segments a message is billed as.
 */
public final class SmsText {

  /** The longest body Twilio sends as one message (it goes out as up to ten concatenated segments). */
  public static final int MAX_MESSAGE = 1600;

  private static final Pattern FENCE = Pattern.compile("```[\\w+#.-]*\\n?(.*?)```", Pattern.DOTALL);
  private static final Pattern INLINE_CODE = Pattern.compile("`([^`\\n]+)`");
  private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]\\n]*)]\\(([^)\\s]+)\\)");
  private static final Pattern LINK = Pattern.compile("\\[([^\\]\\n]+)]\\(([^)\\s]+)\\)");
  private static final Pattern BOLD = Pattern.compile("(\\*\\*|__)(\\S(?:[^\\n]*?\\S)?)\\1");
  private static final Pattern ITALIC = Pattern.compile("(?<![\\w*])\\*(\\S(?:[^*\\n]*?\\S)?)\\*(?![\\w*])");
  private static final Pattern UNDERSCORE_ITALIC = Pattern.compile("(?<!\\w)_(\\S(?:[^_\\n]*?\\S)?)_(?!\\w)");
  private static final Pattern STRIKE = Pattern.compile("~~(\\S(?:[^\\n]*?\\S)?)~~");
  private static final Pattern HEADING = Pattern.compile("(?m)^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern BULLET = Pattern.compile("(?m)^(\\s*)[*+]\\s+");
  private static final Pattern QUOTE = Pattern.compile("(?m)^\\s*>\\s?");
  private static final Pattern RULE = Pattern.compile("(?m)^\\s*([-*_])(\\s*\\1){2,}\\s*$");
  // Where a text may be cut, best first: a paragraph, a line, a sentence's end, a word.
  private static final List<Pattern> BOUNDARIES = List.of(Pattern.compile("\\n\\s*\\n"), Pattern.compile("\\n"),
      Pattern.compile("(?<=[.!?…])[\"')\\]]*\\s+"), Pattern.compile("\\s+"));

  private SmsText() {}

  /** The reply as plain text: code, emphasis, headings, links (as "text (url)"), quotes and rules unmarked. */
  public static String plain(String markdown) {
    String text = FENCE.matcher(markdown).replaceAll(m -> Matcher.quoteReplacement(m.group(1).stripTrailing()));
    text = INLINE_CODE.matcher(text).replaceAll("$1");
    text = IMAGE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
        m.group(1).isBlank() ? m.group(2) : m.group(1) + " (" + m.group(2) + ")"));
    text = LINK.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1).equals(m.group(2)) ? m.group(2)
        : m.group(1) + " (" + m.group(2) + ")"));
    text = HEADING.matcher(text).replaceAll("$1");
    text = RULE.matcher(text).replaceAll("");
    text = BULLET.matcher(text).replaceAll("$1- ");
    text = QUOTE.matcher(text).replaceAll("");
    text = BOLD.matcher(text).replaceAll("$2");
    text = STRIKE.matcher(text).replaceAll("$1");
    text = ITALIC.matcher(text).replaceAll("$1");
    text = UNDERSCORE_ITALIC.matcher(text).replaceAll("$1");
    return text.replaceAll("\\n{3,}", "\n\n").strip();
  }

  /**
   * The reply as messages of at most {@code limit} characters (code points), in order, each cut at the best
   * boundary that fits: a paragraph, else a line, else a sentence's end, else a word, else anywhere (never inside a
   * character). No message is blank; a blank reply is no message at all.
   */
  public static List<String> split(String text, int limit) {
    List<String> parts = new ArrayList<>();
    String rest = text.strip();
    while (rest.codePointCount(0, rest.length()) > limit) {
      int max = rest.offsetByCodePoints(0, limit);
      int[] cut = cut(rest, max);
      parts.add(rest.substring(0, cut[0]).stripTrailing());
      rest = rest.substring(cut[1]).stripLeading();
    }
    if (!rest.isBlank()) {
      parts.add(rest);
    }
    return parts;
  }

  /** Where to end this part and start the next, at or before {@code max} (a UTF-16 index). */
  private static int[] cut(String text, int max) {
    for (Pattern boundary : BOUNDARIES) {
      Matcher m = boundary.matcher(text).region(0, Math.min(text.length(), max + 1));
      int[] best = null;
      while (m.find()) {
        // The part ends where the boundary's whitespace starts (the sentence's punctuation stays with it).
        if (m.start() > 0 && m.start() <= max && !text.substring(0, m.start()).isBlank()) {
          best = new int[] {m.start(), m.end()};
        }
      }
      if (best != null) {
        return best;
      }
    }
    return new int[] {max, max};
  }

  /** GSM 03.38's default alphabet: one septet each. */
  private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  /** Its extension table: an escape and the character, two septets each, never split across segments. */
  private static final String GSM_EXTENSION = "\f^{}\\[~]|€";

  /** How a message is encoded and how many segments it is billed as. */
  public record Segments(String encoding, int count) {}

  /**
   * GSM-7 when every character is in the GSM default alphabet or its extension: one segment up to 160 septets,
   * otherwise 153 a segment (the rest holds the concatenation header); else UCS-2: 70 UTF-16 units, otherwise 67. A
   * character is never split across two segments (an escape and its character, a surrogate pair).
   */
  public static Segments segments(String body) {
    boolean gsm = body.chars().allMatch(c -> GSM_BASIC.indexOf(c) >= 0 || GSM_EXTENSION.indexOf(c) >= 0);
    if (gsm) {
      int[] costs = body.chars().map(c -> GSM_EXTENSION.indexOf(c) >= 0 ? 2 : 1).toArray();
      return new Segments("GSM-7", pack(costs, 160, 153));
    }
    int[] costs = body.codePoints().map(Character::charCount).toArray();
    return new Segments("UCS-2", pack(costs, 70, 67));
  }

  private static int pack(int[] costs, int single, int perSegment) {
    int total = 0;
    for (int cost : costs) {
      total += cost;
    }
    if (total <= single) {
      return 1;
    }
    int segments = 1;
    int used = 0;
    for (int cost : costs) {
      if (used + cost > perSegment) {
        segments++;
        used = 0;
      }
      used += cost;
    }
    return segments;
  }
}
