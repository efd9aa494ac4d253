package dev.aide.conversation;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A conversation of one person on one channel. */
public record Conversation(UUID id, String title, String channel, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("title", title)
        .put("channel", channel)
        .put("createdAt", Times.iso(createdAt))
        .put("updatedAt", Times.iso(updatedAt));
  }
}
