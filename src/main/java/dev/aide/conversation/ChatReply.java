package dev.aide.conversation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** Aide's answer to one message, with the tools it ran: the body of /chat and /voice/transcripts. */
public record ChatReply(UUID conversationId, UUID messageId, String text, List<ToolCall> toolCalls) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("conversationId", conversationId.toString())
        .put("messageId", messageId.toString())
        .put("reply", new JsonObject().put("text", text))
        .put("toolCalls", new JsonArray(toolCalls.stream().map(ToolCall::toJson).toList()));
  }

  public static ChatReply fromJson(JsonObject json) {
    List<ToolCall> calls = json.getJsonArray("toolCalls").stream()
        .map(o -> ToolCall.fromJson((JsonObject) o)).toList();
    return new ChatReply(UUID.fromString(json.getString("conversationId")),
        UUID.fromString(json.getString("messageId")), json.getJsonObject("reply").getString("text"), calls);
  }
}
