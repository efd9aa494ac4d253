package dev.aide.channel.telegram;

import dev.aide.channel.IdentityRepository;
import dev.aide.platform.channel.ChannelSender;
import dev.aide.platform.channel.DeliveryFailure;
import dev.aide.platform.channel.OutboxMessage;
import io.vertx.core.Future;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox messages with sendMessage, within Telegram's limits (by default 30 messages/s overall, 1/s per chat):
 * HTML first, plain text when Telegram rejects the formatting; a 429 waits retry_after; a blocked bot (403) marks
 * the chat inactive and dead-letters the message.
 */
public final class TelegramSender implements ChannelSender {

  private static final Logger LOG = LoggerFactory.getLogger(TelegramSender.class);

  private final TelegramApi api;
  private final IdentityRepository identities;
  private final double perSecond;
  private final double perChatPerSecond;

  public TelegramSender(TelegramApi api, IdentityRepository identities, double perSecond, double perChatPerSecond) {
    this.api = api;
    this.identities = identities;
    this.perSecond = perSecond;
    this.perChatPerSecond = perChatPerSecond;
  }

  @Override
  public String channel() {
    return TelegramRepository.CHANNEL;
  }

  @Override
  public double globalPerSecond() {
    return perSecond;
  }

  @Override
  public double perRecipientPerSecond() {
    return perChatPerSecond;
  }

  @Override
  public Future<Void> send(OutboxMessage message) {
    long chatId = Long.parseLong(message.recipient());
    return api.sendMessage(chatId, TelegramText.toHtml(message.body()), "HTML")
        .recover(failure -> failure instanceof TelegramApiException t && t.badFormatting()
            ? api.sendMessage(chatId, message.body(), null)
            : Future.failedFuture(failure))
        .<Void>mapEmpty()
        .recover(failure -> classify(message, failure).compose(Future::failedFuture));
  }

  /** What the failure means for the outbox; a blocked bot's chat is marked inactive before the message is dead. */
  private Future<Throwable> classify(OutboxMessage message, Throwable failure) {
    if (!(failure instanceof TelegramApiException t)) {
      return Future.succeededFuture(DeliveryFailure.transientError("network: " + failure.getMessage()));
    }
    String error = t.errorCode() + " " + t.description();
    if (t.rateLimited()) {
      return Future.succeededFuture(
          DeliveryFailure.waitFor(Duration.ofSeconds(t.retryAfter() == null ? 1 : t.retryAfter()), error));
    }
    if (t.forbidden()) {
      LOG.info("Telegram chat {} blocked the bot; it is marked inactive", message.recipient());
      // Not marked inactive (the database failed): sent again later, it meets the 403 again and tries again.
      return identities.setActive(TelegramRepository.CHANNEL, message.recipient(), false)
          .map(v -> (Throwable) DeliveryFailure.permanent(error))
          .otherwise(e -> DeliveryFailure.transientError(error + "; the chat could not be marked inactive: " + e));
    }
    return Future.succeededFuture(
        t.serverError() ? DeliveryFailure.transientError(error) : DeliveryFailure.permanent(error));
  }
}
