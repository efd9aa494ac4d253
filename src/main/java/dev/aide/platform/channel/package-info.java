/**
 * The egress SPI every messaging channel implements: a {@link dev.aide.platform.channel.ChannelSender} delivers the
 * outbox messages of its channel and says with a {@link dev.aide.platform.channel.DeliveryFailure} what should happen
 * next. Feature modules declare their senders; the delivery feature drives them. Kept in the platform so that the
 * module interface depends on no feature.
 */
package dev.aide.platform.channel;
