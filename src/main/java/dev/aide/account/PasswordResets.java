package dev.aide.account;

import dev.aide.auth.AuthService;
import dev.aide.auth.PasswordHasher;
import dev.aide.auth.Sessions;
import dev.aide.auth.UserRepository;
import dev.aide.delivery.DeliveryBus;
import dev.aide.delivery.OutboxRepository;
import dev.aide.delivery.Outgoing;
import dev.aide.notification.NotificationRepository;
import dev.aide.notification.Recipient;
import dev.aide.platform.channel.EmailAddresses;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.ratelimit.RateLimited;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.aide.platform.secret.OpaqueTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Password reset by a one-time link mailed to the account's email (when Aide has an SMTP server) and sent to the
 * messaging channel the person linked. The request always answers the same, whether or not the email has an account
 * or a channel; the link's token is random, stored as its hash, valid 30 minutes and once; using it sets the password
 * and ends every session.
 */
public final class PasswordResets {

  /** How long a link works. */
  public static final Duration LINK_TTL = Duration.ofMinutes(30);

  private final Vertx vertx;
  private final Pool pool;
  private final UserRepository users;
  private final PasswordResetRepository resets;
  private final NotificationRepository recipients;
  private final OutboxRepository outbox;
  private final PasswordHasher hasher;
  private final Sessions sessions;
  private final RateLimiter limiter;
  private final AuthService.Limits limits;
  private final String publicUrl;
  private final boolean email;
  private final Clock clock;

  public PasswordResets(Vertx vertx, Pool pool, UserRepository users, PasswordResetRepository resets,
                        NotificationRepository recipients, OutboxRepository outbox, PasswordHasher hasher,
                        Sessions sessions, RateLimiter limiter, AuthService.Limits limits, URI publicUrl, boolean email,
                        Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.users = users;
    this.resets = resets;
    this.recipients = recipients;
    this.outbox = outbox;
    this.hasher = hasher;
    this.sessions = sessions;
    this.limiter = limiter;
    this.limits = limits;
    this.publicUrl = publicUrl.toString().replaceAll("/+$", "");
    this.email = email;
    this.clock = clock;
  }

  /**
   * Sends a link when the email belongs to an active account: to that email when Aide can send mail, and to the
   * account's messaging channel when it has one; does nothing visible otherwise. Only the per-address limit answers
   * (429): it says nothing about the email. A person gets at most a few links an hour; requests past that are quietly
   * dropped.
   */
  public Future<Void> request(String email, String address) {
    String account = email.strip().toLowerCase(Locale.ROOT);
    return limiter.hit(limits.resetsPerAddress(), address)
        .compose(v -> limiter.hit(limits.resetsPerAccount(), account).map(true)
            .recover(e -> e instanceof RateLimited ? Future.succeededFuture(false) : Future.failedFuture(e)))
        .compose(allowed -> allowed ? users.findCredentials(account) : Future.succeededFuture(Optional.empty()))
        .compose(found -> found.isEmpty() ? Future.succeededFuture() : send(found.get().user().id(), account));
  }

  /** To the email the person typed (it is the account's) and to their messaging channel; nothing when neither is. */
  private Future<Void> send(UUID userId, String account) {
    String token = OpaqueTokens.random();
    String hash = OpaqueTokens.hash(token);
    OffsetDateTime now = OffsetDateTime.now(clock);
    return pool.withTransaction(tx -> recipients.recipient(tx, userId).compose(found -> {
      // Sent even when the person paused Aide's messages or prefers the web: they asked for it just now.
      // The account's email goes first; a messaging channel that is an email address is not written to twice.
      List<Recipient.Address> to = new ArrayList<>();
      if (email && EmailAddresses.isValid(account)) {
        to.add(new Recipient.Address("email", account));
      }
      found.flatMap(Recipient::reachable)
          .filter(address -> !(address.channel().equals("email") && address.externalId().equals(account)))
          .ifPresent(to::add);
      if (to.isEmpty()) {
        return Future.succeededFuture(false);
      }
      // Keyed by channel and recipient: the account's email and a different linked address are both "email", and a
      // key naming the channel alone dropped the second as a repeat of the first.
      List<Outgoing> messages = to.stream().map(address -> new Outgoing(userId, address.channel(),
          address.recipient(), text(token), "password-reset:" + hash + ":" + address.channel() + ":"
              + address.recipient()).asSensitive()).toList();
      return resets.replace(tx, userId, hash, now.plus(LINK_TTL))
          .compose(v -> outbox.enqueue(tx, messages))
          .map(true);
    })).onSuccess(sent -> {
      if (sent) {
        vertx.eventBus().publish(DeliveryBus.WAKE, null);
      }
    }).mapEmpty();
  }

  private String text(String token) {
    return "Someone (hopefully you) asked to reset the password of your Aide account. To choose a new one, open this "
        + "link within " + LINK_TTL.toMinutes() + " minutes; it works once:\n" + publicUrl + "/#reset=" + token
        + "\n\nIf it wasn't you, ignore this message: your password stays as it is.";
  }

  /**
   * Sets the new password with a link's token, uses the token up, drops the person's other links, ends all their
   * sessions and revokes their device tokens, in one transaction; a token that is unknown, used or expired is invalid
   * and changes nothing.
   */
  public Future<Void> confirm(String token, String newPassword, String address) {
    String hash = OpaqueTokens.hash(token);
    return limiter.hit(limits.resetsPerAddress(), address)
        .compose(v -> vertx.executeBlocking(() -> hasher.hash(newPassword), false))
        .compose(passwordHash -> pool.withTransaction(tx -> resets.consume(tx, hash, OffsetDateTime.now(clock))
            .compose(found -> {
              if (found.isEmpty()) {
                return Future.failedFuture(DomainException.invalid(
                    "This reset link is not valid: it expired, was already used, or a newer one was sent"));
              }
              UUID userId = found.get();
              return users.setPassword(tx, userId, passwordHash)
                  .compose(set -> set ? resets.dropUnused(tx, userId) : Future.failedFuture(DomainException.invalid(
                      "This reset link is not valid: the account no longer exists")))
                  .compose(v -> sessions.endEverywhere(tx, userId, "password reset"))
                  .map(userId);
            })))
        // The account's owner proved who they are: earlier failed sign-ins are forgiven.
        .compose(userId -> users.credentials(userId)
            .compose(c -> c.isPresent() && c.get().email() != null
                ? limiter.succeeded(limits.loginPerAccount(), c.get().email().toLowerCase(Locale.ROOT), true)
                : Future.succeededFuture())
            .otherwiseEmpty());
  }
}
