package dev.aide.platform.ratelimit;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;

/**
 * Abuse limits kept in PostgreSQL, so they hold across every instance sharing the database: counters over a fixed
 * window ("30 chat turns a minute per person") and slow-downs that make each failure past a few free ones wait
 * longer ("sign-in attempts per account"). One upsert per check; keys are hashed before they are stored.
 */
public final class RateLimiter {

  private final RateLimitRepository limits;
  private final Clock clock;

  public RateLimiter(RateLimitRepository limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * At most {@code max} hits per {@code window} for each key; {@code max} 0 means no limit. The message is what the
   * person is told ("Too many messages"), with the wait appended.
   */
  public record Window(String kind, int max, Duration window, String message) {}

  /**
   * A slow-down: {@code free} attempts in a row may fail at once; after that each attempt must wait {@code base},
   * then twice as long after each further failure, at most {@code max}; failures are forgotten {@code forgetAfter}
   * after the last one.
   */
  public record Backoff(String kind, int free, Duration base, Duration max, Duration forgetAfter, String message) {}

  /** Checks a fixed-window limit for a key, counting this hit; fails with {@link RateLimited} past it. */
  public Future<Void> hit(Window limit, String key) {
    if (limit.max() <= 0) {
      return Future.succeededFuture();
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    return limits.count(limit.kind(), hash(key), now, limit.window()).compose(count -> count.hits() <= limit.max()
        ? Future.succeededFuture()
        : Future.failedFuture(refused(limit.message(), Duration.between(now, count.windowEnds()))));
  }

  /** A gate in front of some work: each pass counts against the window of its key. */
  public Gate gate(Window limit) {
    return key -> hit(limit, key.toString());
  }

  /**
   * Counts an attempt before it is tried; fails with {@link RateLimited} while the key must wait. Call
   * {@link #succeeded} when the attempt turns out right.
   */
  public Future<Void> attempt(Backoff limit, String key) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return limits.attempt(limit.kind(), hash(key), now, limit.free(), limit.base(), limit.max(),
            limit.forgetAfter().compareTo(limit.max()) >= 0 ? limit.forgetAfter() : limit.max())
        .compose(attempt -> attempt.allowed()
            ? Future.succeededFuture()
            : Future.failedFuture(refused(limit.message(), Duration.between(now, attempt.blockedUntil()))));
  }

  /**
   * The attempt was right. {@code forgetAll}: every earlier failure of the key is forgiven (the account's owner
   * proved who they are); otherwise only this attempt stops counting (an address that many people share).
   */
  public Future<Void> succeeded(Backoff limit, String key, boolean forgetAll) {
    return forgetAll ? limits.forget(limit.kind(), hash(key)) : limits.uncount(limit.kind(), hash(key), limit.free());
  }

  /** Deletes counters that have ended; answers how many. */
  public Future<Integer> deleteExpired(int limit) {
    return limits.deleteExpired(OffsetDateTime.now(clock), limit);
  }

  private static RateLimited refused(String message, Duration wait) {
    RateLimited limited = new RateLimited(message, wait);
    long seconds = limited.retryAfterSeconds();
    String when = seconds < 120 ? seconds + (seconds == 1 ? " second" : " seconds")
        : (seconds + 59) / 60 + " minutes";
    return new RateLimited(message + "; please try again in " + when + ".", wait);
  }

  /** SHA-256 of the key, in hex: the table never holds an email, an address or a user id in clear. */
  static String hash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Something that may refuse work for a key (a user id) with {@link RateLimited}. */
  @FunctionalInterface
  public interface Gate {

    Gate OPEN = key -> Future.succeededFuture();

    Future<Void> pass(Object key);

    /** This gate, then the other (an hourly and a daily limit). */
    default Gate and(Gate other) {
      return key -> pass(key).compose(v -> other.pass(key));
    }
  }
}
