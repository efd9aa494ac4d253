package dev.aide.delivery;

import java.util.UUID;

/** A message to put in the outbox; the idempotency key makes writing it twice harmless. */
public record Outgoing(UUID userId, String channel, String recipient, String body, String idempotencyKey) {}
