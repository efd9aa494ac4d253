package dev.aide.account;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** One-time password reset tokens, stored as SHA-256 hashes. */
public final class PasswordResetRepository {

  private static final String INSERT = "insert into password_resets (token_hash, user_id, expires_at) values ($1, $2, $3)";
  private static final String DROP_UNUSED = "delete from password_resets where user_id = $1 and used_at is null";
  private static final String CONSUME = """
      update password_resets set used_at = $2 where token_hash = $1 and used_at is null and expires_at > $2
      returning user_id
      """;
  private static final String DELETE_EXPIRED = """
      delete from password_resets where token_hash = any(array(
        select token_hash from password_resets where expires_at < $1 limit $2))
      """;

  private final Pool pool;

  public PasswordResetRepository(Pool pool) {
    this.pool = pool;
  }

  /** A new link for the user; earlier unused ones stop working (only the latest link a person got works). */
  public Future<Void> replace(SqlClient tx, UUID userId, String tokenHash, OffsetDateTime expiresAt) {
    return tx.preparedQuery(DROP_UNUSED).execute(Tuple.of(userId))
        .compose(v -> tx.preparedQuery(INSERT).execute(Tuple.of(tokenHash, userId, expiresAt))).mapEmpty();
  }

  /** The user of an unused, unexpired token, which is used up; empty otherwise. */
  public Future<Optional<UUID>> consume(SqlClient tx, String tokenHash, OffsetDateTime now) {
    return tx.preparedQuery(CONSUME).execute(Tuple.of(tokenHash, now))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("user_id")));
  }

  /** Drops the user's other unused links (after one was used). */
  public Future<Void> dropUnused(SqlClient tx, UUID userId) {
    return tx.preparedQuery(DROP_UNUSED).execute(Tuple.of(userId)).mapEmpty();
  }

  public Future<Integer> deleteExpired(OffsetDateTime now, int limit) {
    return pool.preparedQuery(DELETE_EXPIRED).execute(Tuple.of(now, limit)).map(rows -> rows.rowCount());
  }
}
