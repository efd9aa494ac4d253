package dev.aide.auth;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import dev.aide.platform.secret.OpaqueTokens;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Per-device API tokens for what cannot sign in: a smart speaker, a watch, a phone shortcut. Each has a name, the
 * scopes it may use ({@link Scope}) and a secret shown once. The secret is {@value #PREFIX} and 256 random bits, so
 * secret scanners recognise it and it is stored as its SHA-256: a slow hash (argon2) protects guessable passwords, but
 * nobody guesses 256 random bits, and a fast hash lets every request be checked with one indexed lookup. Revoking
 * deletes the row, so the next request with the token is refused at once, on every instance.
 */
public final class DeviceTokens {

  /** What every device token starts with: recognisable in a leaked file or a log, and told apart from a JWT. */
  public static final String PREFIX = "aide_dt_";
  public static final int MAX_NAME = 100;
  /** How many tokens one person may have at once. */
  public static final int MAX_PER_PERSON = 50;
  private static final Pattern SHAPE = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");
  // lastUsedAt is kept to the minute: a request a second would otherwise write a row a second.
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final Pool pool;
  private final DeviceTokenRepository tokens;
  private final Clock clock;

  public DeviceTokens(Pool pool, DeviceTokenRepository tokens, Clock clock) {
    this.pool = pool;
    this.tokens = tokens;
    this.clock = clock;
  }

  /** Whether a bearer token is meant as a device token (and not a session's JWT). */
  public static boolean looksLikeOne(String bearer) {
    return bearer != null && bearer.startsWith(PREFIX);
  }

  /**
   * A new token: the name trimmed (1 to 100 characters), the scopes known and without repeats. More than
   * {@value #MAX_PER_PERSON} at once is a conflict: revoke one first.
   */
  public Future<DeviceToken.Issued> create(UUID userId, String rawName, List<Scope> rawScopes) {
    String name;
    try {
      name = Texts.required(rawName, "name", MAX_NAME);
    } catch (DomainException e) {
      return Future.failedFuture(e);
    }
    List<Scope> scopes = List.copyOf(new LinkedHashSet<>(rawScopes));
    if (scopes.isEmpty()) {
      return Future.failedFuture(DomainException.malformed("scopes must name at least one of " + Scope.names()));
    }
    String secret = PREFIX + OpaqueTokens.random();
    OffsetDateTime now = OffsetDateTime.now(clock);
    return pool.withTransaction(tx -> tokens.lockUser(tx, userId)
        .compose(active -> active ? tokens.count(tx, userId)
            : Future.failedFuture(DomainException.unauthenticated("The account no longer exists")))
        .compose(count -> count >= MAX_PER_PERSON
            ? Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT, "too_many_tokens",
                "You have " + MAX_PER_PERSON + " device tokens, the most Aide keeps; revoke one you no longer use "
                    + "(DELETE /api/v1/tokens/{id}) first"))
            : tokens.insert(tx, userId, name, scopes, OpaqueTokens.hash(secret), now)))
        .map(id -> new DeviceToken.Issued(new DeviceToken(id, name, scopes, now, null), secret));
  }

  /**
   * Reads the scopes of a request: an array of 1 to {@value Scope#MAX} known names. Anything else is malformed
   * (400), naming what is known.
   */
  public static List<Scope> scopes(Object value) {
    if (!(value instanceof io.vertx.core.json.JsonArray array) || array.isEmpty() || array.size() > Scope.MAX) {
      throw DomainException.malformed("scopes must be an array of 1 to " + Scope.MAX + " of: " + Scope.names());
    }
    List<Scope> out = new ArrayList<>(array.size());
    Set<String> unknown = new LinkedHashSet<>();
    for (Object item : array) {
      Optional<Scope> scope = item instanceof String s ? Scope.of(s) : Optional.empty();
      if (scope.isPresent()) {
        out.add(scope.get());
      } else {
        unknown.add(item instanceof String s ? '"' + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + '"'
            : item == null ? "null" : "a value that is not a string");
      }
    }
    if (!unknown.isEmpty()) {
      throw DomainException.malformed("unknown scope " + String.join(", ", unknown) + "; the scopes are "
          + Scope.names());
    }
    return out;
  }

  public Future<List<DeviceToken>> list(UUID userId) {
    return tokens.list(userId);
  }

  /** Revokes a token of the person's at once; another person's, or one that does not exist, is not found. */
  public Future<Void> revoke(UUID userId, UUID id) {
    return tokens.delete(userId, id).compose(found -> found ? Future.<Void>succeededFuture()
        : Future.failedFuture(DomainException.notFound("device token")));
  }

  /**
   * Who a bearer device token acts for, or empty when it is not one (malformed, revoked, or its account is gone or
   * deactivated). Notes the time it was used, to the minute.
   */
  public Future<Optional<DeviceToken.Caller>> authenticate(String bearer) {
    if (bearer == null || !SHAPE.matcher(bearer).matches()) {
      return Future.succeededFuture(Optional.empty());
    }
    return tokens.find(OpaqueTokens.hash(bearer)).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.<DeviceToken.Caller>empty());
      }
      OffsetDateTime now = OffsetDateTime.now(clock);
      DeviceToken.Caller caller = found.get().caller();
      OffsetDateTime last = found.get().lastUsedAt();
      if (last != null && last.plus(TOUCH_EVERY).isAfter(now)) {
        return Future.succeededFuture(Optional.of(caller));
      }
      return tokens.touch(caller.tokenId(), now).map(Optional.of(caller));
    });
  }
}
