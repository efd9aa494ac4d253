package dev.aide.platform.database;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Text made storable: PostgreSQL's text and jsonb refuse U+0000 (22021, 22P05), and a lone UTF-16 surrogate has no
 * UTF-8 form at all, so each becomes U+FFFD, the replacement character. For text Aide did not check on the way in —
 * what a model writes, what a provider sends — the text is kept with a visible mark where the character was, instead
 * of failing the store after the work it records was done. Text a person gives is refused at the edge instead
 * ({@link dev.aide.platform.input.Texts}).
 */
public final class Storable {

  private static final char REPLACEMENT = '\uFFFD';

  private Storable() {}

  /** The text with every NUL and lone surrogate replaced; null stays null. */
  public static String text(String value) {
    if (value == null || clean(value)) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        out.append(c).append(value.charAt(++i));
      } else {
        out.append(c == 0 || Character.isSurrogate(c) ? REPLACEMENT : c);
      }
    }
    return out.toString();
  }

  /** A copy with every string and field name, at any depth, made storable; null stays null. */
  public static JsonObject json(JsonObject value) {
    return value == null ? null : (JsonObject) any(value);
  }

  /**
   * JSON text whose strings are made storable (a NUL written as the escape {@code \u0000} fails a jsonb cast as surely
   * as a raw one); text that is not JSON is made storable as text.
   */
  public static String jsonText(String json) {
    if (json == null || (clean(json) && !json.contains("\\u"))) {
      return json;
    }
    try {
      return Json.encode(any(Json.decodeValue(json)));
    } catch (DecodeException e) {
      return text(json);
    }
  }

  private static Object any(Object value) {
    if (value instanceof String s) {
      return text(s);
    }
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(e -> copy.put(text(e.getKey()), any(e.getValue())));
      return copy;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(any(item)));
      return copy;
    }
    return value;
  }

  /** No NUL and no lone surrogate (a pair, as in most emoji, is fine). */
  private static boolean clean(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (c == 0 || Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
