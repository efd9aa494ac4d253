package dev.aide.conversation;

import dev.aide.platform.database.Storable;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * A tool the model ran during a turn: its name, arguments, result and how it went; {@code undo}: the opaque handle of
 * what it changed (POST /api/v1/changes/{undo}/undo), or null when it changed nothing that can be undone.
 */
public record ToolCall(String name, JsonObject arguments, String result, boolean failed, long durationMs, UUID undo) {

  public ToolCall(String name, JsonObject arguments, String result, boolean failed, long durationMs) {
    this(name, arguments, result, failed, durationMs, null);
  }

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
    return new ToolCall(Storable.text(name), Storable.json(arguments), Storable.text(result), failed, durationMs, undo);
  }

  /** The same call offering Undo only if its handle is among those still undoable. */
  public ToolCall undoableIf(Set<UUID> undoable) {
    return undo == null || undoable.contains(undo) ? this
        : new ToolCall(name, arguments, result, failed, durationMs, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("arguments", arguments).put("result", result)
        .put("failed", failed).put("durationMs", durationMs);
    return undo == null ? json : json.put("undo", undo.toString());
  }

  public static ToolCall fromJson(JsonObject json) {
    String undo = json.getString("undo");
    return new ToolCall(json.getString("name"), json.getJsonObject("arguments"), json.getString("result"),
        json.getBoolean("failed", false), json.getLong("durationMs", 0L), undo == null ? null : UUID.fromString(undo));
  }
}
