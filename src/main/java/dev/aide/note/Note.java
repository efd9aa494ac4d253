package dev.aide.note;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A person's note: free text, an optional title and lower-case tags. */
public record Note(UUID id, UUID userId, String title, String content, List<String> tags, OffsetDateTime createdAt,
                   OffsetDateTime updatedAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("title", title)
        .put("content", content)
        .put("tags", new JsonArray(tags))
        .put("createdAt", Times.iso(createdAt))
        .put("updatedAt", Times.iso(updatedAt));
  }
}
