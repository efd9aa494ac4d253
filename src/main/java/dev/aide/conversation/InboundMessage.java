package dev.aide.conversation;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** A person's message, already persisted, on its way to the conversation verticle. */
public record InboundMessage(UUID userId, UUID conversationId, UUID messageId, String text, String source) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("userId", userId.toString())
        .put("conversationId", conversationId.toString())
        .put("messageId", messageId.toString())
        .put("text", text)
        .put("source", source);
  }

  public static InboundMessage fromJson(JsonObject json) {
    return new InboundMessage(UUID.fromString(json.getString("userId")),
        UUID.fromString(json.getString("conversationId")), UUID.fromString(json.getString("messageId")),
        json.getString("text"), json.getString("source"));
  }
}
