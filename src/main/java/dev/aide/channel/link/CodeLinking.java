package dev.aide.channel.link;

import dev.aide.channel.AccountMerge;
import dev.aide.channel.IdentityRepository;
import dev.aide.channel.Linking;
import dev.aide.delivery.DeliveryBus;
import dev.aide.delivery.OutboxRepository;
import dev.aide.delivery.Outgoing;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.ratelimit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Linking an address to an account by proving it is held: a six-digit code is sent to the address through the outbox
 * (texted to a phone number, mailed to an email address), and the person types it back. Only the holder of the
 * address can link it, so an address another account had moves to this one (a recycled number's new holder must be
 * able to claim it; refusing would also tell anyone which addresses have an account). What differs between the ways
 * — how an address is read, the message, what linking it does — is the {@link Way}'s.
 */
public final class CodeLinking {

  /** How long a code works. */
  public static final Duration CODE_TTL = Duration.ofMinutes(10);
  /** Wrong guesses a code takes before it stops working. */
  public static final int MAX_ATTEMPTS = 5;

  private static final Pattern CODE = Pattern.compile("[0-9]{6}");
  private static final Pattern CODE_SEPARATORS = Pattern.compile("[\\s-]");

  /**
   * One kind of address: the channel its code travels on (and whose identity it links), whether that channel is set
   * up here, how a typed address is read, the message carrying the code, and what linking a proved address does.
   * The limits: codes per address a minute and a day (an address nobody confirms is not written to all day long by
   * accounts taking turns), and per person an hour.
   */
  public interface Way {
    String channel();

    /** Null when codes can be sent; else why not. */
    DomainException unavailable();

    /** The address in its stored form, or an invalid-input failure. */
    Future<String> address(UUID userId, String typed);

    String message(String code);

    Future<Linking.Linked> link(SqlConnection tx, String address, UUID userId);

    /** The address as the errors name it: "number", "address". */
    String noun();

    Limits limits();
  }

  /** A way's limits on codes: per address a minute and a day, per person an hour. */
  public record Limits(RateLimiter.Window perAddress, RateLimiter.Window perAddressDaily,
                       RateLimiter.Window perPerson) {}

  private final Vertx vertx;
  private final Pool pool;
  private final LinkCodeRepository codes;
  private final IdentityRepository identities;
  private final OutboxRepository outbox;
  private final RateLimiter limiter;
  private final byte[] key;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public CodeLinking(Vertx vertx, Pool pool, LinkCodeRepository codes, IdentityRepository identities,
                     OutboxRepository outbox, RateLimiter limiter, String key, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.codes = codes;
    this.identities = identities;
    this.outbox = outbox;
    this.limiter = limiter;
    this.key = key.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  /** A code on its way: to which address (as stored), working until when. */
  public record Sent(String address, OffsetDateTime expiresAt) {}

  /** An address linked: the identity as the person's channels list shows it, and what moved in with it, if anything. */
  public record Confirmed(IdentityRepository.Linked identity, Optional<AccountMerge.Merged> merged) {}

  /**
   * Sends a new code to the address (replacing any earlier one for it), within the way's limits. An address already
   * linked to this account is a conflict: there is nothing to confirm.
   */
  public Future<Sent> verify(Way way, UUID userId, String typed) {
    return way.address(userId, typed).compose(address -> {
      if (way.unavailable() != null) {
        return Future.failedFuture(way.unavailable());
      }
      return identities.find(way.channel(), address).compose(found -> {
        if (found.isPresent() && found.get().userId().equals(userId)) {
          return Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT, "already_linked",
              "This " + way.noun() + " is already linked to your account"));
        }
        // The person's own limit first: one account refused by it cannot go on using up an address's allowance (and
        // so keep the address's holder from linking it).
        Limits limits = way.limits();
        return limiter.hit(limits.perPerson(), userId.toString())
            .compose(v -> limiter.hit(limits.perAddress(), address))
            .compose(v -> limiter.hit(limits.perAddressDaily(), address))
            .compose(v -> send(way, userId, address));
      });
    });
  }

  private Future<Sent> send(Way way, UUID userId, String address) {
    String code = String.format("%06d", random.nextInt(1_000_000));
    OffsetDateTime now = OffsetDateTime.now(clock);
    OffsetDateTime expiresAt = now.plus(CODE_TTL);
    Outgoing text = new Outgoing(userId, way.channel(), address, way.message(code),
        way.channel() + "-code:" + UUID.randomUUID()).asSensitive();
    return pool.withTransaction(tx -> codes.replace(tx, userId, way.channel(), address,
                hash(userId, address, code), expiresAt, now)
            .compose(v -> outbox.enqueue(tx, List.of(text))))
        .onSuccess(v -> vertx.eventBus().publish(DeliveryBus.WAKE, null))
        .map(new Sent(address, expiresAt));
  }

  /**
   * Links the address when the code is the one sent to it, as the way links it. A wrong code counts against the code;
   * the fifth makes it useless. Nothing else changes on an error.
   */
  public Future<Confirmed> confirm(Way way, UUID userId, String typed, String codeText) {
    String code = codeText == null ? "" : CODE_SEPARATORS.matcher(codeText).replaceAll("");
    if (!CODE.matcher(code).matches()) {
      return Future.failedFuture(DomainException.invalid("code must be the 6 digits of the message"));
    }
    return way.address(userId, typed).compose(address -> pool.withTransaction(tx -> codes.lock(tx, userId,
                way.channel(), address)
            .compose(found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture(Outcome.failed("code_not_requested",
                    "No code was sent to this " + way.noun() + " for you; ask for one first"));
              }
              LinkCodeRepository.Pending pending = found.get();
              if (!pending.expiresAt().isAfter(OffsetDateTime.now(clock))) {
                return Future.succeededFuture(Outcome.failed("code_expired",
                    "This code has expired; ask for a new one"));
              }
              if (pending.attempts() >= MAX_ATTEMPTS) {
                return Future.succeededFuture(Outcome.failed("code_used_up",
                    "Too many wrong codes were entered; ask for a new one"));
              }
              if (!MessageDigest.isEqual(pending.hash(), hash(userId, address, code))) {
                // Counted, and committed: the error is answered after the transaction.
                return codes.wrong(tx, userId, way.channel(), address).map(attempts -> Outcome.failed("wrong_code",
                    attempts >= MAX_ATTEMPTS ? "That code is not right, and it was the last try: ask for a new code"
                        : "That code is not right; " + (MAX_ATTEMPTS - attempts) + " "
                            + (MAX_ATTEMPTS - attempts == 1 ? "try" : "tries") + " left"));
              }
              return codes.use(tx, userId, way.channel(), address)
                  .compose(v -> way.link(tx, address, userId))
                  .map(Outcome::linked);
            }))
        .compose(outcome -> {
          if (outcome.error() != null) {
            return Future.failedFuture(outcome.error());
          }
          return identities.forUser(userId).map(all -> new Confirmed(all.stream()
              .filter(i -> i.id().equals(outcome.linked().identityId())).findFirst().orElseThrow(),
              outcome.linked().merged()));
        }));
  }

  /** What a confirmation came to: linked, or an error to answer once the transaction has ended. */
  private record Outcome(Linking.Linked linked, DomainException error) {
    static Outcome linked(Linking.Linked linked) {
      return new Outcome(linked, null);
    }

    static Outcome failed(String code, String message) {
      return new Outcome(null, new DomainException(DomainException.Kind.INVALID, code, message));
    }
  }

  /** HMAC-SHA256 of the code for this person and address, keyed by a secret of Aide's. */
  private byte[] hash(UUID userId, String address, String code) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal((userId + "\n" + address + "\n" + code).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
