package dev.aide.channel.link;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * Codes texted to numbers people asked to link (their HMACs, expiries and the wrong guesses made), and the numbers a
 * person is already known by.
 */
public final class PhoneCodeRepository {

  private static final String REPLACE = """
      insert into phone_codes (user_id, phone, code_hash, attempts, expires_at, created_at)
      values ($1, $2, $3, 0, $4, $5)
      on conflict (user_id, phone) do update set code_hash = excluded.code_hash, attempts = 0,
        expires_at = excluded.expires_at, created_at = excluded.created_at
      """;
  private static final String FIND_FOR_UPDATE = """
      select code_hash, attempts, expires_at from phone_codes where user_id = $1 and phone = $2 for update
      """;
  private static final String WRONG = """
      update phone_codes set attempts = attempts + 1 where user_id = $1 and phone = $2 returning attempts
      """;
  private static final String USE = "delete from phone_codes where user_id = $1 and phone = $2";
  // The numbers the person is already known by: the account's own, then those of their SMS and WhatsApp identities.
  private static final String KNOWN_NUMBERS = """
      select phone as number from users where id = $1 and phone is not null
      union all
      select replace(external_id, 'whatsapp:', '') from channel_identities
      where user_id = $1 and channel in ('sms', 'whatsapp')
      """;
  private static final String DELETE_EXPIRED = """
      delete from phone_codes where (user_id, phone) in (
        select user_id, phone from phone_codes where expires_at < $1 limit $2)
      """;

  private final Pool pool;

  public PhoneCodeRepository(Pool pool) {
    this.pool = pool;
  }

  /** A code waiting to be confirmed. */
  public record Pending(byte[] hash, int attempts, OffsetDateTime expiresAt) {}

  /** Stores a new code for the person and number in the caller's transaction, replacing any earlier one. */
  public Future<Void> replace(SqlClient tx, UUID userId, String phone, byte[] hash, OffsetDateTime expiresAt,
                              OffsetDateTime now) {
    return tx.preparedQuery(REPLACE).execute(Tuple.of(userId, phone, Buffer.buffer(hash), expiresAt, now)).mapEmpty();
  }

  /** The code waiting for this person and number, locked until the caller's transaction ends. */
  public Future<Optional<Pending>> lock(SqlClient tx, UUID userId, String phone) {
    return tx.preparedQuery(FIND_FOR_UPDATE).execute(Tuple.of(userId, phone)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Pending(row.getBuffer("code_hash").getBytes(), row.getInteger("attempts"),
          row.getOffsetDateTime("expires_at")));
    });
  }

  /** Counts a wrong guess; answers the guesses made so far. */
  public Future<Integer> wrong(SqlClient tx, UUID userId, String phone) {
    return tx.preparedQuery(WRONG).execute(Tuple.of(userId, phone))
        .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getInteger("attempts"));
  }

  /** The code was right: it cannot be used again. */
  public Future<Void> use(SqlClient tx, UUID userId, String phone) {
    return tx.preparedQuery(USE).execute(Tuple.of(userId, phone)).mapEmpty();
  }

  /** The numbers the person is already known by (their account's first), as stored: E.164. */
  public Future<java.util.List<String>> knownNumbers(UUID userId) {
    return pool.preparedQuery(KNOWN_NUMBERS).execute(Tuple.of(userId)).map(rows -> {
      java.util.List<String> numbers = new java.util.ArrayList<>();
      rows.forEach(row -> numbers.add(row.getString("number")));
      return numbers;
    });
  }

  public Future<Integer> deleteExpired(OffsetDateTime now, int limit) {
    return pool.preparedQuery(DELETE_EXPIRED).execute(Tuple.of(now, limit)).map(rows -> rows.rowCount());
  }
}
