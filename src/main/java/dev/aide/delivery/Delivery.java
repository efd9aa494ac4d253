package dev.aide.delivery;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An outgoing message as its person sees it in GET /deliveries: where it went, whether it arrived, why not; for an
 * SMS the segments it was billed as, and the channel's last delivery report (Twilio: queued, sent, delivered…).
 */
public record Delivery(UUID id, String channel, String body, String status, int attempts, String lastError,
                       OffsetDateTime createdAt, OffsetDateTime sentAt, Integer segments, String channelStatus) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("channel", channel)
        .put("body", body)
        .put("status", status)
        .put("attempts", attempts)
        .put("lastError", lastError)
        .put("createdAt", Times.iso(createdAt))
        .put("sentAt", sentAt == null ? null : Times.iso(sentAt))
        .put("segments", segments)
        .put("channelStatus", channelStatus);
  }
}
