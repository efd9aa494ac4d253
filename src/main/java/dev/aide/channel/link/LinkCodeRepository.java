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
 * Codes sent to addresses people asked to link — texted to a number, mailed to an email address — with their HMACs,
 * expiries and the wrong guesses made; and the numbers a person is already known by.
 */
public final class LinkCodeRepository {

  private static final String REPLACE = """
      insert into link_codes (user_id, channel, address, code_hash, attempts, expires_at, created_at)
      values ($1, $2, $3, $4, 0, $5, $6)
      on conflict (user_id, channel, address) do update set code_hash = excluded.code_hash, attempts = 0,
        expires_at = excluded.expires_at, created_at = excluded.created_at
      """;
  private static final String FIND_FOR_UPDATE = """
      select code_hash, attempts, expires_at from link_codes
      where user_id = $1 and channel = $2 and address = $3 for update
      """;
  private static final String WRONG = """
      update link_codes set attempts = attempts + 1 where user_id = $1 and channel = $2 and address = $3
      returning attempts
      """;
  private static final String USE = "delete from link_codes where user_id = $1 and channel = $2 and address = $3";
  // The numbers the person is already known by: the account's own, then those of their SMS and WhatsApp identities.
  private static final String KNOWN_NUMBERS = """
      select phone as number from users where id = $1 and phone is not null
      union all
      select replace(external_id, 'whatsapp:', '') from channel_identities
      where user_id = $1 and channel in ('sms', 'whatsapp')
      """;
  private static final String ACCOUNT_EMAIL = "select email from users where id = $1";
  private static final String DELETE_EXPIRED = """
      delete from link_codes where (user_id, channel, address) in (
        select user_id, channel, address from link_codes where expires_at < $1 limit $2)
      """;

  private final Pool pool;

  public LinkCodeRepository(Pool pool) {
    this.pool = pool;
  }

  /** A code waiting to be confirmed. */
  public record Pending(byte[] hash, int attempts, OffsetDateTime expiresAt) {}

  /** Stores a new code for the person and address in the caller's transaction, replacing any earlier one. */
  public Future<Void> replace(SqlClient tx, UUID userId, String channel, String address, byte[] hash,
                              OffsetDateTime expiresAt, OffsetDateTime now) {
    return tx.preparedQuery(REPLACE).execute(Tuple.of(userId, channel, address, Buffer.buffer(hash), expiresAt, now))
        .mapEmpty();
  }

  /** The code waiting for this person and address, locked until the caller's transaction ends. */
  public Future<Optional<Pending>> lock(SqlClient tx, UUID userId, String channel, String address) {
    return tx.preparedQuery(FIND_FOR_UPDATE).execute(Tuple.of(userId, channel, address)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Pending(row.getBuffer("code_hash").getBytes(), row.getInteger("attempts"),
          row.getOffsetDateTime("expires_at")));
    });
  }

  /** Counts a wrong guess; answers the guesses made so far. */
  public Future<Integer> wrong(SqlClient tx, UUID userId, String channel, String address) {
    return tx.preparedQuery(WRONG).execute(Tuple.of(userId, channel, address))
        .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getInteger("attempts"));
  }

  /** The code was right: it cannot be used again. */
  public Future<Void> use(SqlClient tx, UUID userId, String channel, String address) {
    return tx.preparedQuery(USE).execute(Tuple.of(userId, channel, address)).mapEmpty();
  }

  /** The numbers the person is already known by (their account's first), as stored: E.164. */
  public Future<java.util.List<String>> knownNumbers(UUID userId) {
    return pool.preparedQuery(KNOWN_NUMBERS).execute(Tuple.of(userId)).map(rows -> {
      java.util.List<String> numbers = new java.util.ArrayList<>();
      rows.forEach(row -> numbers.add(row.getString("number")));
      return numbers;
    });
  }

  /** The email the person signed up with, if any. */
  public Future<Optional<String>> accountEmail(UUID userId) {
    return pool.preparedQuery(ACCOUNT_EMAIL).execute(Tuple.of(userId)).map(rows -> rows.size() == 0
        ? Optional.empty() : Optional.ofNullable(rows.iterator().next().getString("email")));
  }

  public Future<Integer> deleteExpired(OffsetDateTime now, int limit) {
    return pool.preparedQuery(DELETE_EXPIRED).execute(Tuple.of(now, limit)).map(rows -> rows.rowCount());
  }
}
