package dev.aide.delivery;

import io.vertx.core.Future;

/** Sends outbox messages on one channel; fails with {@link DeliveryFailure} to say what should happen next. */
public interface ChannelSender {

  String channel();

  /** Messages per second across all recipients, and per recipient, that the channel tolerates. */
  double globalPerSecond();

  double perRecipientPerSecond();

  Future<Void> send(OutboxMessage message);
}
