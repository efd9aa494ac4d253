package dev.aide.reminder;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Something to remind a person of at an instant, optionally repeating by an RFC 5545 RRULE; an urgent one is sent
 * during quiet hours too.
 */
public record Reminder(UUID id, UUID userId, String text, OffsetDateTime dueAt, String rrule, Status status,
                       boolean urgent, UUID eventId, OffsetDateTime createdAt) {

  /** Where a reminder is in its life. */
  public enum Status {
    PENDING, DONE, CANCELLED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Status fromWire(String value) {
      return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("text", text)
        .put("dueAt", Times.iso(dueAt))
        .put("rrule", rrule)
        .put("status", status.wire())
        .put("urgent", urgent)
        .put("eventId", eventId == null ? null : eventId.toString())
        .put("createdAt", Times.iso(createdAt));
  }
}
