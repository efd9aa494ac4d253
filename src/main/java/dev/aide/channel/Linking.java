package dev.aide.channel;

import dev.aide.delivery.OutboxRepository;
import dev.aide.notification.Notice;
import dev.aide.notification.NotificationRepository;
import dev.aide.notification.Recipient;
import dev.aide.platform.error.DomainException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * One person, many channels: linking a chat or a number to an account (and everything its channel-only user had
 * with it), and unlinking it. A channel-only user is merged into the account ({@link AccountMerge}); an identity that
 * belonged to another account only changes hands, and that account is told in its notifications.
 */
public final class Linking {

  // The account's number is the number it verified last; unlinking it leaves the account without one.
  private static final String RELEASE_PHONE = "update users set phone = null, updated_at = now() where phone = $1 and id <> $2";
  private static final String SET_PHONE = "update users set phone = $2, updated_at = now() where id = $1";
  private static final String FORGET_PHONE = """
      update users set phone = null, updated_at = now() where id = $1 and phone = $2
      """;
  // A number is one person on SMS and WhatsApp (a text on one finds the person through the other): unlinked on one,
  // it is unlinked on both, or the other would link it straight back.
  private static final String UNLINK_SIBLING = """
      delete from channel_identities
      where user_id = $1 and channel = $2 and external_id in ($3, 'whatsapp:' || $3)
      returning external_id
      """;

  private final Pool pool;
  private final IdentityRepository identities;
  private final AccountMerge merge;
  private final NotificationRepository notifications;
  private final OutboxRepository outbox;
  private final Clock clock;

  public Linking(Pool pool, IdentityRepository identities, NotificationRepository notifications,
                 OutboxRepository outbox, Clock clock) {
    this.pool = pool;
    this.identities = identities;
    this.merge = new AccountMerge();
    this.notifications = notifications;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * An identity linked to an account: the account, the identity's id, and the channel-only user merged into the
   * account, if there was one.
   */
  public record Linked(UUID accountId, UUID identityId, Optional<AccountMerge.Merged> merged) {}

  /**
   * Links the identity to the account a one-time link token was made for, using the token up, in one transaction:
   * empty (nothing changed) when the token is unknown, used or expired.
   */
  public Future<Optional<Linked>> linkWithToken(String token, String channel, String externalId, String displayName) {
    return pool.withTransaction(tx -> identities.consumeLinkToken(tx, token, channel).compose(account -> account.isEmpty()
        ? Future.succeededFuture(Optional.<Linked>empty())
        : link(tx, channel, externalId, account.get(), displayName).map(linked -> Optional.of(linked))));
  }

  /** Links the identity to the account in a transaction of its own. */
  public Future<Linked> link(String channel, String externalId, UUID accountId, String displayName) {
    return pool.withTransaction(tx -> link(tx, channel, externalId, accountId, displayName));
  }

  /**
   * Links the identity to the account in the caller's transaction. Its previous user, when it had one: a
   * channel-only user is merged into the account; another account loses the identity and finds a notification.
   */
  public Future<Linked> link(SqlConnection tx, String channel, String externalId, UUID accountId, String displayName) {
    return identities.claim(tx, channel, externalId, accountId, displayName).compose(claim -> {
      Optional<UUID> previous = claim.previousOwner().filter(owner -> !owner.equals(accountId));
      if (previous.isEmpty()) {
        return Future.succeededFuture(new Linked(accountId, claim.identityId(), Optional.empty()));
      }
      // A former owner that is an account keeps its data, but what still waits to go to the identity is its own
      // (a digest held for quiet hours, a reset link) and must not reach the identity's new holder.
      return merge.absorb(tx, previous.get(), accountId).compose(merged -> merged.isPresent()
          ? Future.succeededFuture(new Linked(accountId, claim.identityId(), merged))
          : outbox.withdraw(tx, previous.get(), channel, Recipient.Address.recipient(channel, externalId),
                  "not sent: the channel was linked to another account")
              .compose(v -> tellFormerOwner(tx, previous.get(), claim.identityId(), channel, externalId))
              .map(new Linked(accountId, claim.identityId(), Optional.empty())));
    });
  }

  /**
   * Links a verified phone number on SMS (and the number's WhatsApp identity, when Aide has one) and makes it the
   * account's number, in the caller's transaction. The number leaves any other account that had it.
   */
  public Future<Linked> linkPhone(SqlConnection tx, String e164, UUID accountId) {
    return link(tx, "sms", e164, accountId, null).compose(sms -> whatsappOf(tx, e164).compose(whatsapp -> {
      Future<Optional<AccountMerge.Merged>> also = whatsapp.isEmpty() ? Future.succeededFuture(Optional.empty())
          : link(tx, "whatsapp", whatsapp.get(), accountId, null).map(Linked::merged);
      return also.compose(v -> tx.preparedQuery(RELEASE_PHONE).execute(Tuple.of(e164, accountId)))
          .compose(v -> tx.preparedQuery(SET_PHONE).execute(Tuple.of(accountId, e164)))
          .map(sms);
    }));
  }

  // WhatsApp identities are named by the number, with or without Twilio's "whatsapp:" prefix.
  private static final String WHATSAPP_OF = """
      select external_id from channel_identities where channel = 'whatsapp' and external_id in ($1, 'whatsapp:' || $1)
      order by external_id = $1 desc limit 1
      """;

  private static Future<Optional<String>> whatsappOf(SqlConnection tx, String e164) {
    return tx.preparedQuery(WHATSAPP_OF).execute(Tuple.of(e164))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  /**
   * Unlinks one of the account's identities: it no longer reaches the account (a message from it later starts a
   * user of its own), what is waiting to be sent to it is not sent, and everything done through it stays with the
   * account. Another person's identity, or none, is not found.
   */
  public Future<IdentityRepository.Linked> unlink(UUID accountId, UUID identityId) {
    return pool.withTransaction(tx -> identities.unlink(tx, accountId, identityId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(DomainException.notFound("channel"));
      }
      IdentityRepository.Linked gone = found.get();
      String recipient = Recipient.Address.recipient(gone.channel(), gone.externalId());
      Future<Void> sibling = Future.succeededFuture();
      if (gone.channel().equals("sms") || gone.channel().equals("whatsapp")) {
        String other = gone.channel().equals("sms") ? "whatsapp" : "sms";
        sibling = tx.preparedQuery(UNLINK_SIBLING).execute(Tuple.of(accountId, other, recipient))
            .compose(rows -> rows.size() == 0 ? Future.<Integer>succeededFuture(0)
                : outbox.withdraw(tx, accountId, other, recipient, "not sent: the channel was unlinked"))
            .mapEmpty();
      }
      return sibling
          .compose(v -> outbox.withdraw(tx, accountId, gone.channel(), recipient, "not sent: the channel was unlinked"))
          .compose(v -> tx.preparedQuery(FORGET_PHONE).execute(Tuple.of(accountId, recipient)))
          .map(gone);
    }));
  }

  private Future<Void> tellFormerOwner(SqlConnection tx, UUID former, UUID identityId, String channel,
                                       String externalId) {
    String number = masked(externalId.replace("whatsapp:", ""));
    String what = switch (channel) {
      case "sms" -> "Your number " + number;
      case "whatsapp" -> "Your WhatsApp number " + number;
      case "telegram" -> "Your Telegram chat";
      default -> "Your " + channel + " link";
    };
    String body = what + " was linked to another Aide account by whoever holds it now, so it no longer reaches "
        + "yours. What you did through it stays with you. If that was not you, link it again.";
    Notice notice = new Notice(former, "channel", "channel-moved:" + identityId + ":" + clock.millis(),
        "Channel moved", body, body, false, new JsonObject().put("channel", channel));
    return notifications.insert(tx, notice).mapEmpty();
  }

  /** +447700900123 shown as +44•••••••0123: enough for its owner to recognise, not for anyone to copy. */
  static String masked(String number) {
    if (number.length() < 8) {
      return "•".repeat(number.length());
    }
    return number.substring(0, 3) + "•".repeat(number.length() - 7) + number.substring(number.length() - 4);
  }
}
