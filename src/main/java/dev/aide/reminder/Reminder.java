package dev.aide.reminder;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Something to remind a person of at an instant, optionally repeating by an RFC 5545 RRULE; an urgent one is sent
 * during quiet hours too. {@code firedAt} is when it was last sent (null before): a one-off reminder that was sent
 * stays pending until the person marks it done or snoozes it, and is then "fired" rather than upcoming.
 */
public record Reminder(UUID id, UUID userId, String text, OffsetDateTime dueAt, String rrule, Status status,
                       boolean urgent, UUID eventId, OffsetDateTime createdAt, OffsetDateTime firedAt) {

  public Reminder(UUID id, UUID userId, String text, OffsetDateTime dueAt, String rrule, Status status,
                  boolean urgent, UUID eventId, OffsetDateTime createdAt) {
    this(id, userId, text, dueAt, rrule, status, urgent, eventId, createdAt, null);
  }

  /** Sent at its current due time and not moved since (a repeating one moves on to its next time when sent). */
  public boolean fired() {
    return firedAt != null && !firedAt.isBefore(dueAt);
  }

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
        .put("createdAt", Times.iso(createdAt))
        .put("firedAt", firedAt == null ? null : Times.iso(firedAt))
        .put("fired", status == Status.PENDING && fired());
  }
}
