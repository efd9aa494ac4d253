package dev.aide.auth;

import dev.aide.platform.config.AideConfig;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.ratelimit.RateLimited;
import dev.aide.platform.ratelimit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Registration, sign-in, passwords and the person's own profile. */
public final class AuthService {

  private final Vertx vertx;
  private final Pool pool;
  private final UserRepository users;
  private final PasswordHasher hasher;
  private final Sessions sessions;
  private final RateLimiter limiter;
  private final Limits limits;
  // Registered while Aide is composed (a feature built after this one, such as the digest, follows profiles).
  private final List<ProfileListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  // Checked against when the email is unknown, so a login takes as long whether or not the account exists.
  private final String dummyHash;

  public AuthService(Vertx vertx, Pool pool, UserRepository users, PasswordHasher hasher, Sessions sessions,
                     RateLimiter limiter, Limits limits) {
    this.vertx = vertx;
    this.pool = pool;
    this.users = users;
    this.hasher = hasher;
    this.sessions = sessions;
    this.limiter = limiter;
    this.limits = limits;
    this.dummyHash = hasher.hash(UUID.randomUUID().toString());
  }

  /** The abuse limits of accounts: sign-in slow-downs, registrations and reset links per address. */
  public record Limits(RateLimiter.Backoff loginPerAccount, RateLimiter.Backoff loginPerAddress,
                       RateLimiter.Backoff passwordChecks, RateLimiter.Window registrationsPerAddress,
                       RateLimiter.Window resetsPerAddress, RateLimiter.Window resetsPerAccount) {

    public static Limits from(AideConfig.Limits c) {
      Duration second = Duration.ofSeconds(1);
      String signIn = "Too many sign-in attempts";
      return new Limits(
          new RateLimiter.Backoff("login-account", c.loginFreeAttemptsPerAccount(), second, c.loginMaxDelay(),
              c.loginForgetAfter(), signIn),
          new RateLimiter.Backoff("login-address", c.loginFreeAttemptsPerAddress(), second, c.loginMaxDelay(),
              c.loginForgetAfter(), signIn),
          new RateLimiter.Backoff("password-check", c.loginFreeAttemptsPerAccount(), second, c.loginMaxDelay(),
              c.loginForgetAfter(), "Too many wrong passwords"),
          new RateLimiter.Window("register-address", c.registrationsPerAddressPerHour(), Duration.ofHours(1),
              "Too many accounts were created from your address"),
          new RateLimiter.Window("reset-address", c.passwordResetsPerAddressPerHour(), Duration.ofHours(1),
              "Too many password reset requests from your address"),
          // Not configurable: it only stops one person's channel from being flooded with links.
          new RateLimiter.Window("reset-account", 3, Duration.ofHours(1), "Too many password reset requests"));
    }
  }

  /** A new account and its first session. */
  public record Registered(Sessions.Tokens tokens, User user) {}

  public Future<Registered> register(String email, String password, String name, ZoneId timezone, String address) {
    return limiter.hit(limits.registrationsPerAddress(), address)
        .compose(v -> vertx.executeBlocking(() -> hasher.hash(password), false))
        .compose(hash -> pool.withTransaction(tx -> users.insert(tx, email, hash, name, timezone)
            .compose(user -> sessions.start(tx, user.id()).map(tokens -> new Registered(tokens, user)))));
  }

  /**
   * Signs in. Every attempt counts against the account and the client address before the password is checked
   * (attempts racing each other included); past a few failures each one must wait twice as long as the last (429 with
   * Retry-After). A right password forgives the account's failures and takes back its own count from the address.
   */
  public Future<Sessions.Tokens> login(String email, String password, String address) {
    String account = email.strip().toLowerCase(Locale.ROOT);
    return both(limiter.attempt(limits.loginPerAccount(), account), limiter.attempt(limits.loginPerAddress(), address))
        .compose(v -> users.findCredentials(account))
        .compose(found -> vertx.executeBlocking(() -> {
          String hash = found.map(UserRepository.Credentials::passwordHash).orElse(null);
          boolean right = hasher.matches(password, hash == null ? dummyHash : hash) && hash != null;
          if (!right) {
            throw DomainException.unauthenticated("Wrong email or password");
          }
          return found.get().user().id();
        }, false))
        .compose(userId -> Future.join(limiter.succeeded(limits.loginPerAccount(), account, true),
                limiter.succeeded(limits.loginPerAddress(), address, false))
            .transform(ignored -> sessions.start(userId)));
  }

  /**
   * Changes the password after checking the current one (wrong ones slow down like sign-ins), and ends every other
   * session of the person, in one transaction: a thief's copy of a session stops working.
   */
  public Future<Void> changePassword(UUID userId, UUID sessionId, String current, String next) {
    String key = userId.toString();
    return limiter.attempt(limits.passwordChecks(), key)
        .compose(v -> users.credentials(userId))
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(DomainException.unauthenticated("The account no longer exists"));
          }
          String hash = found.get().passwordHash();
          if (hash == null) {
            return Future.failedFuture(DomainException.invalid(
                "This account has no password yet (it was made in a messaging channel), so there is none to change"));
          }
          return vertx.executeBlocking(() -> {
            if (!hasher.matches(current, hash)) {
              throw DomainException.forbidden("currentPassword is not your current password");
            }
            return hasher.hash(next);
          }, false);
        })
        .compose(hash -> pool.withTransaction(tx -> users.setPassword(tx, userId, hash).compose(found -> found
            ? sessions.revokeAll(tx, userId, sessionId, "password changed")
            : Future.failedFuture(DomainException.unauthenticated("The account no longer exists")))))
        .compose(revoked -> limiter.succeeded(limits.passwordChecks(), key, true).otherwiseEmpty());
  }

  /** Both checks run (and count); when either refuses, the longer wait is the answer. */
  private static Future<Void> both(Future<Void> a, Future<Void> b) {
    return Future.join(a, b).transform(ar -> {
      List<Throwable> failures = new ArrayList<>();
      for (Future<Void> f : List.of(a, b)) {
        if (f.failed()) {
          failures.add(f.cause());
        }
      }
      if (failures.isEmpty()) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(failures.stream().filter(RateLimited.class::isInstance).map(RateLimited.class::cast)
          .max(Comparator.comparingLong(RateLimited::retryAfterSeconds))
          .map(Throwable.class::cast).orElse(failures.get(0)));
    });
  }

  public Future<Profile> me(UUID userId) {
    return users.findById(userId)
        .map(found -> found.orElseThrow(() -> DomainException.unauthenticated("The account no longer exists")))
        .compose(user -> users.context(userId).compose(context -> users.preferences(userId)
            .map(preferences -> new Profile(user, context, preferences))));
  }

  /** Changes the profile; a bio or goals given as null are cleared, absent ones are kept. */
  public Future<Profile> update(UUID userId, UserRepository.ProfileChanges changes, ContextChanges context,
                                Preferences.Changes preferences) {
    // One transaction: an answer that is an error means nothing of the change was kept.
    return users.updateAll(userId, changes, context.setBio(), context.bio(), context.setGoals(), context.goals(),
            preferences)
        .map(found -> found.orElseThrow(() -> DomainException.unauthenticated("The account no longer exists")))
        .compose(user -> me(userId))
        .compose(profile -> Future.join(listeners.stream().map(l -> l.changed(profile)).toList()).map(profile));
  }

  /** Changes only the timezone (Telegram's /timezone), telling the listeners like any other profile change. */
  public Future<Profile> changeTimezone(UUID userId, ZoneId timezone) {
    return update(userId, new UserRepository.ProfileChanges(null, timezone, null, null),
        new ContextChanges(false, null, false, null),
        new Preferences.Changes(false, null, false, null, null, null, null, null));
  }

  /** From now on, every profile change is also told to the listener, before the change is answered. */
  public void follow(ProfileListener listener) {
    listeners.add(listener);
  }

  /** Something that follows a person's profile, such as the digest's schedule (timezone, hour, on or off). */
  public interface ProfileListener {
    Future<Void> changed(Profile profile);
  }

  /** Which of bio and goals to set, and to what. */
  public record ContextChanges(boolean setBio, String bio, boolean setGoals, String goals) {
    boolean any() {
      return setBio || setGoals;
    }
  }
}
