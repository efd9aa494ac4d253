package dev.aide.platform.channel;

import java.util.UUID;

/** A claimed outbox row on its way to a channel. */
public record OutboxMessage(UUID id, long seq, UUID userId, String channel, String recipient, String body, int attempts) {}
