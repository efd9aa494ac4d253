package dev.aide.delivery;

import java.time.Duration;
import java.util.UUID;

/**
 * A message to put in the outbox; the idempotency key makes writing it twice harmless. A message with holdFor waits
 * that long before its first attempt (quiet hours); null sends it at once.
 */
public record Outgoing(UUID userId, String channel, String recipient, String body, String idempotencyKey,
                       Duration holdFor) {

  public Outgoing(UUID userId, String channel, String recipient, String body, String idempotencyKey) {
    this(userId, channel, recipient, body, idempotencyKey, null);
  }
}
