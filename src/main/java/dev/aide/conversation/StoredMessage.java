package dev.aide.conversation;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A message of a conversation as stored: the person's (role user) or Aide's (role assistant, with its tool calls). */
public record StoredMessage(UUID id, String role, String content, String source, List<ToolCall> toolCalls,
                            OffsetDateTime createdAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("role", role)
        .put("content", content)
        .put("source", source)
        .put("toolCalls", new JsonArray(toolCalls.stream().map(ToolCall::toJson).toList()))
        .put("createdAt", Times.iso(createdAt));
  }
}
