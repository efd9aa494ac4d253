package dev.aide.platform.http;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import dev.aide.platform.time.DateRange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Reads and validates JSON request bodies: malformed JSON is a 400, a missing or mistyped field a 422. */
public final class JsonBody {

  private final JsonObject json;
  /** Where this object sits in the request, for error messages: "" for the body, "items[2]." for an item. */
  private final String path;

  private JsonBody(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  /** A JSON object read with the same rules (a body another edge has parsed), its strings checked here too. */
  public static JsonBody of(JsonObject json) {
    checkStrings(json, "");
    return new JsonBody(json, "");
  }

  public static JsonBody of(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("content-type");
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      throw new DomainException(DomainException.Kind.UNSUPPORTED, "The request body must be application/json");
    }
    // No body at all leaves the buffer null (length -1), not empty: both are the same mistake.
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      throw new DomainException(DomainException.Kind.MALFORMED, "invalid_json", "The request body is empty; a JSON object is expected");
    }
    Object value;
    try {
      value = io.vertx.core.json.Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw new DomainException(DomainException.Kind.MALFORMED, "invalid_json", "The request body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw new DomainException(DomainException.Kind.MALFORMED, "invalid_json", "The request body must be a JSON object");
    }
    checkStrings(object, "");
    return new JsonBody(object, "");
  }

  /**
   * Every string of the body, at any depth, field names included, holds only characters Aide accepts (no NUL, no
   * control characters but tab and line breaks): 422 naming the field, e.g. {@code items[2].text}. Checked before any
   * handler reads a field, so a NUL deep in a nested object cannot reach the database half-way through a write.
   */
  private static void checkStrings(Object value, String path) {
    if (value instanceof String s) {
      Texts.checkCharacters(s, path.isEmpty() ? "the body" : path);
    } else if (value instanceof JsonObject object) {
      for (var entry : object) {
        String name = entry.getKey();
        String field = path.isEmpty() ? printable(name) : path + "." + printable(name);
        if (!Texts.acceptable(name)) {
          throw DomainException.invalid("the field name " + field + " must not contain control characters");
        }
        checkStrings(entry.getValue(), field);
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        checkStrings(array.getValue(i), path + "[" + i + "]");
      }
    }
  }

  /** A field name fit for an error message: control characters shown as '?', at most 100 characters. */
  private static String printable(String name) {
    String shown = name.codePoints().map(c -> c < 0x20 ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return shown.length() > 100 ? shown.substring(0, 100) + "…" : shown;
  }

  public boolean has(String field) {
    return json.containsKey(field);
  }

  /** A field's value as parsed (null when absent), for a field with a reader of its own. */
  public Object value(String field) {
    return json.getValue(field);
  }

  public String requiredString(String field, int maxLength) {
    String value = optionalString(field, maxLength);
    if (value == null || value.isBlank()) {
      throw DomainException.invalid(path + field + " is required");
    }
    return value;
  }

  public String optionalString(String field, int maxLength) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw DomainException.invalid(path + field + " must be a string");
    }
    if (s.length() > maxLength) {
      throw DomainException.invalid(path + field + " must be at most " + maxLength + " characters");
    }
    return s;
  }

  public Integer optionalInteger(String field, int min, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      throw DomainException.invalid(path + field + " must be a whole number from " + min + " to " + max);
    }
    return ((Number) value).intValue();
  }

  public Boolean optionalBoolean(String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw DomainException.invalid(path + field + " must be true or false");
    }
    return (Boolean) value;
  }

  /** A required nested object, read with the same rules; errors name it ("imap.port"). */
  public JsonBody requiredObject(String field) {
    JsonObject value = optionalObject(field);
    if (value == null) {
      throw DomainException.invalid(path + field + " is required");
    }
    return new JsonBody(value, path + field + ".");
  }

  public JsonObject optionalObject(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      throw DomainException.invalid(path + field + " must be an object");
    }
    return object;
  }

  public UUID optionalUuid(String field) {
    String value = optionalString(field, 64);
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid(path + field + " must be a UUID");
    }
  }

  public OffsetDateTime optionalInstant(String field) {
    String value = optionalString(field, 64);
    if (value == null) {
      return null;
    }
    OffsetDateTime parsed;
    try {
      parsed = OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw DomainException.invalid(path + field + " must be an ISO-8601 date-time with offset, e.g. 2026-11-23T17:00:00+01:00");
    }
    return DateRange.check(parsed, path + field);
  }

  public OffsetDateTime requiredInstant(String field) {
    OffsetDateTime value = optionalInstant(field);
    if (value == null) {
      throw DomainException.invalid(path + field + " is required");
    }
    return value;
  }

  /** A number from min to max (a whole one is fine too), or null. */
  public Double optionalNumber(String field, double min, double max) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < min
        || n.doubleValue() > max) {
      throw DomainException.invalid(path + field + " must be a number from " + min + " to " + max);
    }
    return n.doubleValue();
  }

  /** An array of strings, or null when absent. */
  public java.util.List<String> optionalStrings(String field, int maxItems) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.size() > maxItems
        || !array.stream().allMatch(item -> item instanceof String)) {
      throw DomainException.invalid(path + field + " must be an array of at most " + maxItems + " strings");
    }
    return array.stream().map(String.class::cast).toList();
  }

  /** A required array of objects (1 to maxItems), each read like a body; errors name the item, e.g. items[3].at. */
  public java.util.List<JsonBody> objects(String field, int maxItems) {
    Object value = json.getValue(field);
    if (!(value instanceof JsonArray array)) {
      throw DomainException.invalid(path + field + " must be an array of objects");
    }
    if (array.isEmpty() || array.size() > maxItems) {
      throw DomainException.invalid(path + field + " must hold 1 to " + maxItems + " items");
    }
    java.util.List<JsonBody> items = new java.util.ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw DomainException.invalid(path + field + "[" + i + "] must be an object");
      }
      items.add(new JsonBody(item, path + field + "[" + i + "]."));
    }
    return items;
  }

  /** For a partial update: at least one field, and none of these set to null (they cannot be emptied). */
  public JsonBody changes(String... notNullable) {
    if (json.isEmpty()) {
      throw DomainException.invalid("nothing to change: give at least one field");
    }
    for (String field : notNullable) {
      if (json.containsKey(field) && json.getValue(field) == null) {
        throw DomainException.invalid(path + field + " cannot be null");
      }
    }
    return this;
  }

  /** Rejects fields the endpoint does not know, so a typo is not silently ignored. */
  public JsonBody allowOnly(String... fields) {
    for (String name : json.fieldNames()) {
      if (!java.util.Arrays.asList(fields).contains(name)) {
        throw DomainException.invalid("unknown field " + path + name);
      }
    }
    return this;
  }
}
