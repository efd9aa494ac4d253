package dev.aide.conversation;

import dev.aide.platform.database.Storable;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** A tool the model ran during a turn: its name, arguments, result and how it went. */
public record ToolCall(String name, JsonObject arguments, String result, boolean failed, long durationMs) {

  /** A model can call a tool without a name; the record keeps that visible rather than failing to store the turn. */
  public static String name(String modelWritten) {
    return modelWritten == null || modelWritten.isBlank() ? "(no name)" : modelWritten;
  }

  /** Model-written arguments that are not a JSON object are kept verbatim rather than lost. */
  public static JsonObject parseArguments(String raw) {
    try {
      return raw == null || raw.isBlank() ? new JsonObject() : new JsonObject(raw);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject().put("raw", raw);
    }
  }

  /** The call as it can be stored: the model wrote its name and arguments, and results can echo them. */
  public ToolCall storable() {
    return new ToolCall(Storable.text(name), Storable.json(arguments), Storable.text(result), failed, durationMs);
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("arguments", arguments).put("result", result)
        .put("failed", failed).put("durationMs", durationMs);
  }

  public static ToolCall fromJson(JsonObject json) {
    return new ToolCall(json.getString("name"), json.getJsonObject("arguments"), json.getString("result"),
        json.getBoolean("failed", false), json.getLong("durationMs", 0L));
  }
}
