package dev.aide.notification;

import dev.aide.delivery.DeliveryBus;
import dev.aide.delivery.OutboxRepository;
import dev.aide.delivery.Outgoing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Tells a person something, in the caller's transaction: an in-app notification always (the web channel), and a
 * message on the messaging channel {@link Recipient#messagingAddress()} picks (the preferred one, else the next one
 * linked and alive) through the outbox, held until their quiet hours end unless urgent.
 * Both carry the notice's key, so a task that runs again after a crash tells nothing twice.
 */
public final class Notifier {

  private final Vertx vertx;
  private final NotificationRepository notifications;
  private final OutboxRepository outbox;
  private final Clock clock;

  public Notifier(Vertx vertx, NotificationRepository notifications, OutboxRepository outbox, Clock clock) {
    this.vertx = vertx;
    this.notifications = notifications;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * Tells in the caller's transaction; answers whether the notice was new (false: told before, or the person is gone).
   * Once the transaction commits, the delivery verticle is woken to send at once instead of at its next tick.
   */
  public Future<Boolean> tell(SqlConnection tx, Notice notice) {
    return notifications.recipient(tx, notice.userId()).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(false);
      }
      Recipient recipient = found.get();
      return notifications.insert(tx, notice).compose(isNew -> {
        var address = recipient.messagingAddress();
        if (!isNew || address.isEmpty()) {
          return Future.succeededFuture(isNew);
        }
        Instant now = clock.instant();
        Duration hold = notice.urgent() ? null
            : recipient.quietUntil(now).map(end -> Duration.between(now, end)).orElse(null);
        Outgoing message = new Outgoing(notice.userId(), address.get().channel(), address.get().recipient(),
            notice.message(), notice.key() + ":" + address.get().channel(), hold);
        return outbox.enqueue(tx, List.of(message)).onSuccess(v -> wakeDeliveryAfter(tx)).map(true);
      });
    });
  }

  private void wakeDeliveryAfter(SqlConnection tx) {
    Transaction transaction = tx.transaction();
    Future<Void> committed = transaction == null ? Future.succeededFuture() : transaction.completion();
    committed.onSuccess(v -> vertx.eventBus().publish(DeliveryBus.WAKE, null));
  }
}
