package dev.aide.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** Sessions and their refresh tokens (stored as SHA-256 hashes only). */
public final class SessionRepository {

  private static final String INSERT_SESSION = "insert into sessions (user_id, expires_at) values ($1, $2) returning id";
  private static final String INSERT_REFRESH = """
      insert into refresh_tokens (token_hash, session_id, user_id, expires_at) values ($1, $2, $3, $4)
      """;
  // Locks the token, so two refreshes racing with one token are one refresh and one reuse.
  private static final String LOCK_REFRESH = """
      select t.session_id, t.user_id, t.used_at, t.expires_at, s.revoked_at, u.active
      from refresh_tokens t join sessions s on s.id = t.session_id join users u on u.id = t.user_id
      where t.token_hash = $1
      for update of t
      """;
  private static final String MARK_USED = "update refresh_tokens set used_at = $2 where token_hash = $1";
  private static final String TOUCH = "update sessions set refreshed_at = $2, expires_at = $3 where id = $1";
  private static final String REVOKE = """
      update sessions set revoked_at = $3, revoked_why = $4 where id = $1 and user_id = $2 and revoked_at is null
      """;
  private static final String REVOKE_ALL = """
      update sessions set revoked_at = $2, revoked_why = $4
      where user_id = $1 and revoked_at is null and ($3::uuid is null or id <> $3)
      """;
  // The per-request check: two primary-key probes.
  private static final String LIVE = """
      select 1 from sessions s join users u on u.id = s.user_id
      where s.id = $1 and s.user_id = $2 and s.revoked_at is null and u.active
      """;
  private static final String LIST = """
      select id, created_at, refreshed_at, expires_at, revoked_at, revoked_why from sessions
      where user_id = $1 order by created_at
      """;
  // Nothing is kept for a session that can no longer be used: a refresh token of it is unknown, which is refused too.
  private static final String DELETE_ENDED = """
      delete from sessions where id = any(array(
        select id from sessions where expires_at < $1 or revoked_at < $1 - interval '1 day' limit $2))
      """;
  private static final String DELETE_USED_TOKENS = """
      delete from refresh_tokens where token_hash = any(array(
        select token_hash from refresh_tokens where expires_at < $1 limit $2))
      """;

  private final Pool pool;

  public SessionRepository(Pool pool) {
    this.pool = pool;
  }

  /** A refresh token as found, locked until the caller's transaction ends. */
  public record Found(UUID sessionId, UUID userId, OffsetDateTime usedAt, OffsetDateTime expiresAt,
                      OffsetDateTime revokedAt, boolean userActive) {}

  /** A session as GET /me/export shows it. */
  public record Session(UUID id, OffsetDateTime createdAt, OffsetDateTime refreshedAt, OffsetDateTime expiresAt,
                        OffsetDateTime revokedAt, String revokedWhy) {}

  public Future<UUID> create(SqlClient client, UUID userId, OffsetDateTime expiresAt) {
    return client.preparedQuery(INSERT_SESSION).execute(Tuple.of(userId, expiresAt))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  public Future<Void> addRefreshToken(SqlClient client, String tokenHash, UUID sessionId, UUID userId,
                                      OffsetDateTime expiresAt) {
    return client.preparedQuery(INSERT_REFRESH).execute(Tuple.of(tokenHash, sessionId, userId, expiresAt)).mapEmpty();
  }

  public Future<Optional<Found>> lockRefreshToken(SqlClient tx, String tokenHash) {
    return tx.preparedQuery(LOCK_REFRESH).execute(Tuple.of(tokenHash)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Found(row.getUUID("session_id"), row.getUUID("user_id"),
          row.getOffsetDateTime("used_at"), row.getOffsetDateTime("expires_at"), row.getOffsetDateTime("revoked_at"),
          row.getBoolean("active")));
    });
  }

  public Future<Void> markUsed(SqlClient tx, String tokenHash, OffsetDateTime at) {
    return tx.preparedQuery(MARK_USED).execute(Tuple.of(tokenHash, at)).mapEmpty();
  }

  public Future<Void> touch(SqlClient tx, UUID sessionId, OffsetDateTime at, OffsetDateTime expiresAt) {
    return tx.preparedQuery(TOUCH).execute(Tuple.of(sessionId, at, expiresAt)).mapEmpty();
  }

  /** Ends one session of the user; answers whether it was live. */
  public Future<Boolean> revoke(SqlClient client, UUID userId, UUID sessionId, OffsetDateTime at, String why) {
    return client.preparedQuery(REVOKE).execute(Tuple.of(sessionId, userId, at, why)).map(rows -> rows.rowCount() == 1);
  }

  /** Ends every live session of the user but {@code except} (null: all of them); answers how many. */
  public Future<Integer> revokeAll(SqlClient client, UUID userId, UUID except, OffsetDateTime at, String why) {
    return client.preparedQuery(REVOKE_ALL).execute(Tuple.of(userId, at, except, why)).map(rows -> rows.rowCount());
  }

  /** Whether the session is live and its user an active account. */
  public Future<Boolean> isLive(UUID sessionId, UUID userId) {
    return pool.preparedQuery(LIVE).execute(Tuple.of(sessionId, userId)).map(rows -> rows.size() == 1);
  }

  public Future<java.util.List<Session>> list(UUID userId) {
    return pool.preparedQuery(LIST).execute(Tuple.of(userId)).map(rows -> {
      java.util.List<Session> list = new java.util.ArrayList<>(rows.size());
      for (Row row : rows) {
        list.add(new Session(row.getUUID("id"), row.getOffsetDateTime("created_at"),
            row.getOffsetDateTime("refreshed_at"), row.getOffsetDateTime("expires_at"),
            row.getOffsetDateTime("revoked_at"), row.getString("revoked_why")));
      }
      return list;
    });
  }

  /** Deletes up to {@code limit} sessions and refresh tokens that can no longer be used; answers how many. */
  public Future<Integer> deleteEnded(OffsetDateTime now, int limit) {
    return pool.preparedQuery(DELETE_USED_TOKENS).execute(Tuple.of(now, limit))
        .compose(tokens -> pool.preparedQuery(DELETE_ENDED).execute(Tuple.of(now, limit))
            .map(sessions -> tokens.rowCount() + sessions.rowCount()));
  }
}
