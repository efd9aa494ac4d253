package dev.aide.notification;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;

/** An in-app notification: what the web channel shows, and the record of what reached the person elsewhere. */
public record Notification(UUID id, String kind, String title, String body, JsonObject data, OffsetDateTime createdAt,
                           OffsetDateTime readAt) {

  public JsonObject toJson(ZoneId zone) {
    return new JsonObject()
        .put("id", id.toString())
        .put("kind", kind)
        .put("title", title)
        .put("body", body)
        .put("data", data)
        .put("createdAt", Times.iso(createdAt.atZoneSameInstant(zone).toOffsetDateTime()))
        .put("readAt", readAt == null ? null : Times.iso(readAt.atZoneSameInstant(zone).toOffsetDateTime()));
  }
}
