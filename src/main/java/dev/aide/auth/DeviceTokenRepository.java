package dev.aide.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Device tokens, stored as SHA-256 hashes only. */
public final class DeviceTokenRepository {

  // Locks the person's row, so two requests racing to make the 50th token cannot both succeed.
  private static final String LOCK_USER = "select 1 from users where id = $1 and active for update";
  private static final String COUNT = "select count(*) from device_tokens where user_id = $1";
  private static final String INSERT = """
      insert into device_tokens (user_id, name, scopes, token_hash, created_at) values ($1, $2, $3, $4, $5)
      returning id
      """;
  private static final String LIST = """
      select id, name, scopes, created_at, last_used_at from device_tokens where user_id = $1
      order by created_at, id
      """;
  private static final String DELETE = "delete from device_tokens where id = $1 and user_id = $2";
  private static final String DELETE_ALL = "delete from device_tokens where user_id = $1";
  // The per-request check: one probe of the unique index on the hash, one of the users' primary key.
  private static final String FIND = """
      select t.id, t.user_id, t.scopes, t.last_used_at from device_tokens t join users u on u.id = t.user_id
      where t.token_hash = $1 and u.active
      """;
  private static final String TOUCH = "update device_tokens set last_used_at = $2 where id = $1";

  private final Pool pool;

  public DeviceTokenRepository(Pool pool) {
    this.pool = pool;
  }

  /** Whether the person exists and is active; locks their row until the caller's transaction ends. */
  public Future<Boolean> lockUser(SqlClient tx, UUID userId) {
    return tx.preparedQuery(LOCK_USER).execute(Tuple.of(userId)).map(rows -> rows.size() == 1);
  }

  public Future<Long> count(SqlClient tx, UUID userId) {
    return tx.preparedQuery(COUNT).execute(Tuple.of(userId)).map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<UUID> insert(SqlClient tx, UUID userId, String name, List<Scope> scopes, String hash,
                             OffsetDateTime now) {
    String[] wire = scopes.stream().map(Scope::wire).toArray(String[]::new);
    return tx.preparedQuery(INSERT).execute(Tuple.of(userId, name, wire, hash, now))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  public Future<List<DeviceToken>> list(UUID userId) {
    return pool.preparedQuery(LIST).execute(Tuple.of(userId)).map(rows -> {
      List<DeviceToken> out = new ArrayList<>(rows.size());
      for (Row row : rows) {
        out.add(new DeviceToken(row.getUUID("id"), row.getString("name"), scopes(row),
            row.getOffsetDateTime("created_at"), row.getOffsetDateTime("last_used_at")));
      }
      return out;
    });
  }

  /** Whether the person had this token (it is gone either way). */
  public Future<Boolean> delete(UUID userId, UUID id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(id, userId)).map(rows -> rows.rowCount() == 1);
  }

  /** Revokes every token of the person, in the caller's transaction; answers how many there were. */
  public Future<Integer> deleteAll(SqlClient tx, UUID userId) {
    return tx.preparedQuery(DELETE_ALL).execute(Tuple.of(userId)).map(rows -> rows.rowCount());
  }

  /** The token with this hash, of an active account, and when it was last used. */
  public Future<Optional<Found>> find(String hash) {
    return pool.preparedQuery(FIND).execute(Tuple.of(hash)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Found(new DeviceToken.Caller(row.getUUID("id"), row.getUUID("user_id"), scopes(row)),
          row.getOffsetDateTime("last_used_at")));
    });
  }

  public Future<Void> touch(UUID id, OffsetDateTime now) {
    return pool.preparedQuery(TOUCH).execute(Tuple.of(id, now)).mapEmpty();
  }

  /** A token found by its hash. */
  public record Found(DeviceToken.Caller caller, OffsetDateTime lastUsedAt) {}

  // A scope no longer known (a later version dropped it) grants nothing rather than failing every request.
  private static List<Scope> scopes(Row row) {
    return Arrays.stream(row.getArrayOfStrings("scopes")).map(Scope::of).flatMap(Optional::stream).toList();
  }
}
