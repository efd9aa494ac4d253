package dev.aide.platform.channel;

import io.vertx.core.Future;

/**
 * Sends outbox messages on one channel (one implementation per channel, declared by its feature module and driven by
 * the delivery verticle); fails with {@link DeliveryFailure} to say what should happen next.
 */
public interface ChannelSender {

  String channel();

  /** Messages per second across all recipients, and per recipient, that the channel tolerates. */
  double globalPerSecond();

  double perRecipientPerSecond();

  Future<Void> send(OutboxMessage message);
}
