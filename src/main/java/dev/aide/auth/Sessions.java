package dev.aide.auth;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.secret.OpaqueTokens;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Sign-in sessions: each login or registration starts one, with a short-lived access token (a JWT naming the
 * session) and an opaque refresh token that rotates on every use. Presenting a refresh token that was already used
 * means someone holds a copy: the whole session is revoked, and both holders must sign in again.
 */
public final class Sessions {

  private final Pool pool;
  private final SessionRepository sessions;
  private final DeviceTokenRepository devices;
  private final TokenService tokens;
  private final Duration refreshTtl;
  private final Clock clock;

  public Sessions(Pool pool, SessionRepository sessions, DeviceTokenRepository devices, TokenService tokens,
                  Duration refreshTtl, Clock clock) {
    this.pool = pool;
    this.sessions = sessions;
    this.devices = devices;
    this.tokens = tokens;
    this.refreshTtl = refreshTtl;
    this.clock = clock;
  }

  /** What a client keeps: the access token for requests and the refresh token for the next pair. */
  public record Tokens(String accessToken, String refreshToken, UUID sessionId) {}

  /** Starts a session in the caller's transaction (with the account it signs in to, for a registration). */
  public Future<Tokens> start(SqlClient tx, UUID userId) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    String refresh = OpaqueTokens.random();
    return sessions.create(tx, userId, now.plus(refreshTtl))
        .compose(sessionId -> sessions.addRefreshToken(tx, OpaqueTokens.hash(refresh), sessionId, userId,
                now.plus(refreshTtl))
            .map(v -> new Tokens(tokens.issue(userId, sessionId), refresh, sessionId)));
  }

  public Future<Tokens> start(UUID userId) {
    return pool.withTransaction(tx -> start(tx, userId));
  }

  private enum Outcome { ROTATED, UNKNOWN, ENDED, REUSED }

  private record Refreshed(Outcome outcome, Tokens tokens) {}

  /** A new access token and the next refresh token, in exchange for the current refresh token (used up). */
  public Future<Tokens> refresh(String refreshToken) {
    String hash = OpaqueTokens.hash(refreshToken);
    OffsetDateTime now = OffsetDateTime.now(clock);
    // The transaction commits whatever it decided, a revocation on reuse included; the answer comes after.
    return pool.withTransaction(tx -> sessions.lockRefreshToken(tx, hash).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(new Refreshed(Outcome.UNKNOWN, null));
      }
      SessionRepository.Found token = found.get();
      if (token.revokedAt() != null || !token.userActive() || !token.expiresAt().isAfter(now)) {
        return Future.succeededFuture(new Refreshed(Outcome.ENDED, null));
      }
      if (token.usedAt() != null) {
        return sessions.revoke(tx, token.userId(), token.sessionId(), now, "refresh token reused")
            .map(new Refreshed(Outcome.REUSED, null));
      }
      String next = OpaqueTokens.random();
      return sessions.markUsed(tx, hash, now)
          .compose(v -> sessions.addRefreshToken(tx, OpaqueTokens.hash(next), token.sessionId(), token.userId(),
              now.plus(refreshTtl)))
          .compose(v -> sessions.touch(tx, token.sessionId(), now, now.plus(refreshTtl)))
          .map(v -> new Refreshed(Outcome.ROTATED,
              new Tokens(tokens.issue(token.userId(), token.sessionId()), next, token.sessionId())));
    })).compose(refreshed -> switch (refreshed.outcome()) {
      case ROTATED -> Future.succeededFuture(refreshed.tokens());
      case REUSED -> Future.failedFuture(DomainException.unauthenticated(
          "This refresh token was already used; the session has been ended for safety. Please sign in again"));
      case ENDED -> Future.failedFuture(DomainException.unauthenticated("The session has ended; please sign in again"));
      case UNKNOWN -> Future.failedFuture(DomainException.unauthenticated("The refresh token is not valid"));
    });
  }

  /** Ends this session: its access and refresh tokens stop working at once. */
  public Future<Void> logout(UUID userId, UUID sessionId) {
    return sessions.revoke(pool, userId, sessionId, OffsetDateTime.now(clock), "logout").mapEmpty();
  }

  /**
   * Ends every session of the person, this one included, and revokes their device tokens: signing out everywhere is
   * what a person does when a phone is lost or someone else got in, and a device token is as good as a session.
   */
  public Future<Integer> logoutAll(UUID userId) {
    return pool.withTransaction(tx -> endEverywhere(tx, userId, "logout everywhere"));
  }

  /**
   * Ends every session of the person and revokes every device token, in the caller's transaction (signing out
   * everywhere, a password reset by link); answers how many sessions ended.
   */
  public Future<Integer> endEverywhere(SqlClient tx, UUID userId, String why) {
    return sessions.revokeAll(tx, userId, null, OffsetDateTime.now(clock), why)
        .compose(ended -> devices.deleteAll(tx, userId).map(ended));
  }

  /** Ends the person's sessions but one (null: all), in the caller's transaction. */
  public Future<Integer> revokeAll(SqlClient tx, UUID userId, UUID except, String why) {
    return sessions.revokeAll(tx, userId, except, OffsetDateTime.now(clock), why);
  }

  /** Whether the session may still be used: not revoked, and its account exists and is active. */
  public Future<Boolean> isLive(UUID sessionId, UUID userId) {
    return sessions.isLive(sessionId, userId);
  }

  public Future<List<SessionRepository.Session>> list(UUID userId) {
    return sessions.list(userId);
  }

  /** Deletes sessions and refresh tokens that can no longer be used; answers how many rows went. */
  public Future<Integer> deleteEnded(int limit) {
    return sessions.deleteEnded(OffsetDateTime.now(clock), limit);
  }
}
