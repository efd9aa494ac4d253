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
 * Linking a phone number to an account: a six-digit code is texted to the number through the outbox (SMS), and the
 * person types it back. Only the holder of the phone can link its number, so a number another account had moves to
 * this one (a recycled number's new holder must be able to claim it; refusing would also tell anyone which numbers
 * have an account). A number that talked to Aide on its own before brings everything it did into the account.
 */
public final class PhoneLinking {

  /** How long a code works. */
  public static final Duration CODE_TTL = Duration.ofMinutes(10);
  /** Wrong guesses a code takes before it stops working. */
  public static final int MAX_ATTEMPTS = 5;

  static final RateLimiter.Window PER_NUMBER = new RateLimiter.Window("phone-code-number", 1, Duration.ofSeconds(60),
      "A code was sent to this number less than a minute ago");
  // Beyond the brief's two limits: a number nobody confirms is not texted all day long by accounts taking turns.
  static final RateLimiter.Window PER_NUMBER_DAILY = new RateLimiter.Window("phone-code-number-day", 10,
      Duration.ofDays(1), "Too many codes were sent to this number today");
  static final RateLimiter.Window PER_PERSON = new RateLimiter.Window("phone-code-person", 5, Duration.ofHours(1),
      "Too many codes were asked for in the last hour");

  private static final Pattern CODE = Pattern.compile("[0-9]{6}");
  private static final Pattern CODE_SEPARATORS = Pattern.compile("[\\s-]");

  private final Vertx vertx;
  private final Pool pool;
  private final PhoneCodeRepository codes;
  private final IdentityRepository identities;
  private final Linking linking;
  private final OutboxRepository outbox;
  private final RateLimiter limiter;
  private final boolean smsEnabled;
  private final byte[] key;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public PhoneLinking(Vertx vertx, Pool pool, PhoneCodeRepository codes, IdentityRepository identities,
                      Linking linking, OutboxRepository outbox, RateLimiter limiter, boolean smsEnabled, String key,
                      Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.codes = codes;
    this.identities = identities;
    this.linking = linking;
    this.outbox = outbox;
    this.limiter = limiter;
    this.smsEnabled = smsEnabled;
    this.key = key.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  /** A code on its way: to which number (E.164), working until when. */
  public record Sent(String phone, OffsetDateTime expiresAt) {}

  /** A number linked: the identity as the person's channels list shows it, and what moved in with it, if anything. */
  public record Confirmed(IdentityRepository.Linked identity, Optional<AccountMerge.Merged> merged) {}

  /**
   * Texts a new code to the number (replacing any earlier one for it), at most one a minute per number and five an
   * hour per person. A number already linked to this account is a conflict: there is nothing to confirm.
   */
  public Future<Sent> verify(UUID userId, String phoneText) {
    return number(userId, phoneText).compose(phone -> {
      if (!smsEnabled) {
        return Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT, "sms_unavailable",
            "Texting is not set up on this server (no Twilio account is configured), so no code can be sent"));
      }
      return identities.find("sms", phone).compose(found -> {
        if (found.isPresent() && found.get().userId().equals(userId)) {
          return Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT, "already_linked",
              "This number is already linked to your account"));
        }
        // The person's own limit first: one account refused by it cannot go on using up a number's allowance (and
        // so keep the number's holder from linking it).
        return limiter.hit(PER_PERSON, userId.toString())
            .compose(v -> limiter.hit(PER_NUMBER, phone))
            .compose(v -> limiter.hit(PER_NUMBER_DAILY, phone))
            .compose(v -> send(userId, phone));
      });
    });
  }

  private Future<Sent> send(UUID userId, String phone) {
    String code = String.format("%06d", random.nextInt(1_000_000));
    OffsetDateTime now = OffsetDateTime.now(clock);
    OffsetDateTime expiresAt = now.plus(CODE_TTL);
    Outgoing text = new Outgoing(userId, "sms", phone, "Your Aide code is " + code + ". It expires in "
        + CODE_TTL.toMinutes() + " minutes. Don't share it: Aide never asks for it.",
        "phone-code:" + UUID.randomUUID()).asSensitive();
    return pool.withTransaction(tx -> codes.replace(tx, userId, phone, hash(userId, phone, code), expiresAt, now)
            .compose(v -> outbox.enqueue(tx, List.of(text))))
        .onSuccess(v -> vertx.eventBus().publish(DeliveryBus.WAKE, null))
        .map(new Sent(phone, expiresAt));
  }

  /**
   * Links the number when the code is the one texted to it: the SMS identity (and the number's WhatsApp one) are the
   * account's, verified, and the number is the account's. A wrong code counts against the code; the fifth makes it
   * useless. Nothing else changes on an error.
   */
  public Future<Confirmed> confirm(UUID userId, String phoneText, String codeText) {
    String code = codeText == null ? "" : CODE_SEPARATORS.matcher(codeText).replaceAll("");
    if (!CODE.matcher(code).matches()) {
      return Future.failedFuture(DomainException.invalid("code must be the 6 digits of the text message"));
    }
    return number(userId, phoneText).compose(phone -> pool.withTransaction(tx -> codes.lock(tx, userId, phone)
            .compose(found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture(Outcome.none());
              }
              PhoneCodeRepository.Pending pending = found.get();
              if (!pending.expiresAt().isAfter(OffsetDateTime.now(clock))) {
                return Future.succeededFuture(Outcome.failed("code_expired",
                    "This code has expired; ask for a new one"));
              }
              if (pending.attempts() >= MAX_ATTEMPTS) {
                return Future.succeededFuture(Outcome.failed("code_used_up",
                    "Too many wrong codes were entered; ask for a new one"));
              }
              if (!MessageDigest.isEqual(pending.hash(), hash(userId, phone, code))) {
                // Counted, and committed: the error is answered after the transaction.
                return codes.wrong(tx, userId, phone).map(attempts -> Outcome.failed("wrong_code",
                    attempts >= MAX_ATTEMPTS ? "That code is not right, and it was the last try: ask for a new code"
                        : "That code is not right; " + (MAX_ATTEMPTS - attempts) + " "
                            + (MAX_ATTEMPTS - attempts == 1 ? "try" : "tries") + " left"));
              }
              return codes.use(tx, userId, phone)
                  .compose(v -> linking.linkPhone(tx, phone, userId))
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

    static Outcome none() {
      return failed("code_not_requested", "No code was sent to this number for you; ask for one first");
    }
  }

  /** The number in E.164; one typed without a country code is read in the country of a number the person has. */
  private Future<String> number(UUID userId, String text) {
    if (text != null && !text.isBlank() && (text.strip().startsWith("+") || text.strip().startsWith("00"))) {
      return Future.succeededFuture(text).map(typed -> PhoneNumbers.e164(typed, null));
    }
    return codes.knownNumbers(userId).map(known -> PhoneNumbers.e164(text, known.stream()
        .map(PhoneNumbers::region).flatMap(Optional::stream).findFirst().orElse(null)));
  }

  /** HMAC-SHA256 of the code for this person and number, keyed by a secret of Aide's. */
  private byte[] hash(UUID userId, String phone, String code) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal((userId + "\n" + phone + "\n" + code).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
