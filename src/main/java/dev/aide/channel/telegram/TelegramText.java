package dev.aide.channel.telegram;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a model's reply into Telegram messages: HTML escaping, light Markdown, and splitting at the length limit. */
public final class TelegramText {

  /** Telegram's limit for one message, in UTF-16 code units after entity parsing. */
  public static final int MAX_MESSAGE = 4096;

  // An optional language word after the opening fence is dropped: Telegram shows plain <pre> well enough.
  private static final Pattern FENCE = Pattern.compile("```[\\w+#.-]*\\n?(.*?)```", Pattern.DOTALL);
  private static final Pattern INLINE_CODE = Pattern.compile("(?<!`)`([^`\\n]+)`(?!`)");
  private static final Pattern BOLD = Pattern.compile("\\*\\*(\\S(?:[^\\n]*?\\S)?)\\*\\*");

  private TelegramText() {}

  /** Escapes text for parse_mode HTML, where a raw {@code <} or {@code &} would be read as markup. */
  public static String escapeHtml(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Escapes the text, then renders the Markdown models commonly write: fenced blocks as {@code <pre>}, inline
   * code as {@code <code>}, {@code **bold**} as {@code <b>}. Each tag comes from a matched pair of markers, so the
   * result is always balanced; an unmatched marker stays as literal text.
   */
  public static String toHtml(String modelText) {
    String escaped = escapeHtml(modelText);
    StringBuilder out = new StringBuilder(escaped.length() + 32);
    Matcher fence = FENCE.matcher(escaped);
    int last = 0;
    while (fence.find()) {
      out.append(inline(escaped.substring(last, fence.start())));
      out.append("<pre>").append(stripTrailingNewline(fence.group(1))).append("</pre>");
      last = fence.end();
    }
    return out.append(inline(escaped.substring(last))).toString();
  }

  /**
   * Splits text into chunks of at most {@code limit} UTF-16 code units, cutting at the last paragraph break that
   * fits, else a line break, else a space, else a hard cut that never separates a surrogate pair. Only the
   * whitespace at a cut is dropped, and no chunk is empty.
   *
   * <p>Split the model's text before {@link #toHtml}: formatting only adds tags and entities, which Telegram does
   * not count, and removes Markdown markers, so each formatted chunk stays within the limit. A marker pair cut in
   * two is left as literal text rather than producing an unbalanced tag.
   */
  public static List<String> split(String text, int limit) {
    if (limit < 2) {
      throw new IllegalArgumentException("limit must be at least 2 to hold a surrogate pair");
    }
    List<String> chunks = new ArrayList<>();
    String rest = text;
    while (rest.length() > limit) {
      int cut = cutPoint(rest, limit);
      addUnlessBlank(chunks, rest.substring(0, cut).stripTrailing());
      rest = rest.substring(cut).stripLeading();
    }
    addUnlessBlank(chunks, rest);
    return chunks;
  }

  private static int cutPoint(String text, int limit) {
    for (String separator : List.of("\n\n", "\n", " ")) {
      int at = text.lastIndexOf(separator, limit);
      // A separator at the very start would give an empty chunk; the next choice does better.
      if (at > 0 && !text.substring(0, at).isBlank()) {
        return at;
      }
    }
    return Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
  }

  private static void addUnlessBlank(List<String> chunks, String chunk) {
    if (!chunk.isBlank()) {
      chunks.add(chunk);
    }
  }

  private static String inline(String escaped) {
    StringBuilder out = new StringBuilder(escaped.length() + 16);
    Matcher code = INLINE_CODE.matcher(escaped);
    int last = 0;
    while (code.find()) {
      out.append(bold(escaped.substring(last, code.start())));
      out.append("<code>").append(code.group(1)).append("</code>");
      last = code.end();
    }
    return out.append(bold(escaped.substring(last))).toString();
  }

  private static String bold(String escaped) {
    return BOLD.matcher(escaped).replaceAll(match -> "<b>" + Matcher.quoteReplacement(match.group(1)) + "</b>");
  }

  private static String stripTrailingNewline(String block) {
    return block.endsWith("\n") ? block.substring(0, block.length() - 1) : block;
  }
}
