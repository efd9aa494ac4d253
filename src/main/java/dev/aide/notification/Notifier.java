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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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
    return tellAll(tx, List.of(notice)).map(told -> told.get(0));
  }

  /**
   * Tells several notices in the caller's transaction with a statement a step (the people, the notifications, the
   * messages), not a statement a notice a step; answers, in order, whether each was new.
   */
  public Future<List<Boolean>> tellAll(SqlConnection tx, List<Notice> notices) {
    Set<UUID> people = new LinkedHashSet<>();
    notices.forEach(notice -> people.add(notice.userId()));
    return notifications.recipientsPlannedNow(tx, people).compose(recipients -> {
      List<Notice> reachable = notices.stream().filter(notice -> recipients.containsKey(notice.userId())).toList();
      if (reachable.isEmpty()) {
        return Future.succeededFuture(Collections.nCopies(notices.size(), false));
      }
      return notifications.insertAll(tx, reachable).compose(written -> {
        Instant now = clock.instant();
        List<Outgoing> messages = new ArrayList<>();
        for (Notice notice : reachable) {
          if (written.contains(notice.key())) {
            message(notice, recipients.get(notice.userId()), now).ifPresent(messages::add);
          }
        }
        List<Boolean> told = notices.stream().map(notice -> recipients.containsKey(notice.userId())
            && written.contains(notice.key())).toList();
        return messages.isEmpty() ? Future.succeededFuture(told)
            : outbox.enqueue(tx, messages).onSuccess(v -> wakeDeliveryAfter(tx)).map(told);
      });
    });
  }

  /** The message on the person's messaging channel, if they have one, held until their quiet hours end unless urgent. */
  private static Optional<Outgoing> message(Notice notice, Recipient recipient, Instant now) {
    return recipient.addressFor(notice.kind()).map(address -> {
      Duration hold = notice.urgent() ? null
          : recipient.quietUntil(now).map(end -> Duration.between(now, end)).orElse(null);
      return new Outgoing(notice.userId(), address.channel(), address.recipient(), notice.message(),
          notice.key() + ":" + address.channel(), hold);
    });
  }

  private void wakeDeliveryAfter(SqlConnection tx) {
    Transaction transaction = tx.transaction();
    Future<Void> committed = transaction == null ? Future.succeededFuture() : transaction.completion();
    committed.onSuccess(v -> vertx.eventBus().publish(DeliveryBus.WAKE, null));
  }
}
