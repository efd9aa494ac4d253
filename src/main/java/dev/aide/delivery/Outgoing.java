package dev.aide.delivery;

import java.time.Duration;
import java.util.UUID;

/**
 * A message to put in the outbox; the idempotency key makes writing it twice harmless. A message with holdFor waits
 * that long before its first attempt (quiet hours); null sends it at once. A sensitive message carries a secret (a
 * one-time link): it is never shown back to anyone, and its text is erased once it was sent or given up.
 */
public record Outgoing(UUID userId, String channel, String recipient, String body, String idempotencyKey,
                       Duration holdFor, boolean sensitive) {

  public Outgoing(UUID userId, String channel, String recipient, String body, String idempotencyKey) {
    this(userId, channel, recipient, body, idempotencyKey, null, false);
  }

  public Outgoing(UUID userId, String channel, String recipient, String body, String idempotencyKey,
                  Duration holdFor) {
    this(userId, channel, recipient, body, idempotencyKey, holdFor, false);
  }

  /** The same message, marked as carrying a secret. */
  public Outgoing asSensitive() {
    return new Outgoing(userId, channel, recipient, body, idempotencyKey, holdFor, true);
  }
}
