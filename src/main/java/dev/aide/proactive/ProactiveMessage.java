package dev.aide.proactive;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;

/**
 * A message the person (or the assistant for them) asked Aide to send at a given time. Instants are in the person's
 * timezone.
 */
public record ProactiveMessage(UUID id, UUID userId, String content, OffsetDateTime scheduledFor, Status status,
                               boolean urgent, String error, OffsetDateTime createdAt, OffsetDateTime sentAt) {

  /** Where a message is in its life: waiting, sent, given up on, or called off. */
  public enum Status {
    PENDING, SENT, FAILED, CANCELLED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status fromWire(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("content", content)
        .put("scheduledFor", Times.iso(scheduledFor))
        .put("status", status.wire())
        .put("urgent", urgent)
        .put("error", error)
        .put("createdAt", Times.iso(createdAt))
        .put("sentAt", Times.iso(sentAt));
  }
}
