package dev.aide.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Parses text the way Telegram's parse_mode HTML does, for FakeTelegram: answers the plain text Telegram would show,
 * or throws with a "can't parse entities" reason for the markup Telegram rejects.
 */
final class TelegramHtmlParser {

  /** The tags the Bot API documents for HTML style. */
  private static final Set<String> TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
      "tg-spoiler", "a", "tg-emoji", "code", "pre", "blockquote");

  /** Why Telegram would refuse the text; the message follows Telegram's own wording. */
  static final class Rejected extends RuntimeException {
    Rejected(String reason) {
      super(reason, null, false, false);
    }
  }

  private TelegramHtmlParser() {}

  static String plainText(String html) {
    StringBuilder text = new StringBuilder(html.length());
    Deque<String> open = new ArrayDeque<>();
    int i = 0;
    while (i < html.length()) {
      char c = html.charAt(i);
      if (c == '<') {
        int end = html.indexOf('>', i);
        if (end < 0) {
          throw new Rejected("Unclosed start tag at byte offset " + byteOffset(html, i));
        }
        tag(html.substring(i + 1, end), open, byteOffset(html, i));
        i = end + 1;
      } else if (c == '&') {
        int end = html.indexOf(';', i);
        String entity = end < 0 ? null : html.substring(i + 1, end);
        String decoded = entity == null ? null : decode(entity);
        if (decoded == null) {
          throw new Rejected("Character entity expected at byte offset " + byteOffset(html, i));
        }
        text.append(decoded);
        i = end + 1;
      } else {
        text.append(c);
        i++;
      }
    }
    if (!open.isEmpty()) {
      throw new Rejected("Can't find end tag corresponding to start tag \"" + open.peek() + "\"");
    }
    return text.toString();
  }

  private static void tag(String inside, Deque<String> open, int offset) {
    boolean closing = inside.startsWith("/");
    String name = (closing ? inside.substring(1) : inside).strip().split("[\\s/]", 2)[0].toLowerCase();
    if (!TAGS.contains(name)) {
      throw new Rejected("Unsupported " + (closing ? "end" : "start") + " tag \"" + name + "\" at byte offset " + offset);
    }
    if (!closing) {
      open.push(name);
    } else if (!name.equals(open.peek())) {
      throw new Rejected("Unexpected end tag at byte offset " + offset);
    } else {
      open.pop();
    }
  }

  private static String decode(String entity) {
    try {
      if (entity.startsWith("#x") || entity.startsWith("#X")) {
        return Character.toString(Integer.parseInt(entity.substring(2), 16));
      }
      if (entity.startsWith("#")) {
        return Character.toString(Integer.parseInt(entity.substring(1)));
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return switch (entity) {
      case "lt" -> "<";
      case "gt" -> ">";
      case "amp" -> "&";
      case "quot" -> "\"";
      default -> null;
    };
  }

  private static int byteOffset(String text, int index) {
    return text.substring(0, index).getBytes(StandardCharsets.UTF_8).length;
  }
}
