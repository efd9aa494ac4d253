package dev.aide.platform.ratelimit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * The rate-limit rows every instance shares: each check is one upsert on the row of its limit and key, which
 * PostgreSQL serialises on that row, so concurrent checks on several instances count exactly.
 */
public final class RateLimitRepository {

  // Aide's clock comes in as epoch seconds ($3) and becomes the inserted row's window_start, which the update reads
  // back as excluded.window_start. (Sent as a timestamptz parameter, it made each check three times slower: 0.6 ms
  // against 0.2 ms one after another on the development machine, see RateLimitBenchmark.)
  //
  // A counter over a fixed window: the first hit after the window ended starts a new one.
  private static final String COUNT = """
      insert into rate_limits as r (kind, key_hash, hits, window_start, expires_at)
      select $1, $2, 1, t.now, t.now + make_interval(secs => $4::float8) from (select to_timestamp($3::float8) as now) t
      on conflict (kind, key_hash) do update set
        hits = case when r.expires_at <= excluded.window_start then 1 else r.hits + 1 end,
        window_start = case when r.expires_at <= excluded.window_start then excluded.window_start
          else r.window_start end,
        expires_at = case when r.expires_at <= excluded.window_start then excluded.expires_at else r.expires_at end
      returning hits, expires_at
      """;
  // A slow-down: an attempt while blocked is refused and not counted; any other is counted before it is tried (so
  // attempts racing each other are counted too), and once the count passes the free attempts, the next one must wait
  // base * 2^(count - free - 1) seconds, at most max. Counts are forgotten `keep` seconds after the last counted one.
  // $1 kind, $2 key, $3 now, $4 free attempts, $5 base seconds, $6 max seconds, $7 keep seconds; in the update,
  // excluded.window_start is now and excluded.expires_at is now + keep.
  private static final String ATTEMPT = """
      insert into rate_limits as r (kind, key_hash, hits, window_start, blocked_until, allowed, expires_at)
      select $1, $2, 1, t.now,
        case when 1 > $4::int then t.now + make_interval(secs => least($6::float8, $5::float8)) end,
        true, t.now + make_interval(secs => $7::float8)
      from (select to_timestamp($3::float8) as now) t
      on conflict (kind, key_hash) do update set
        allowed = not coalesce(r.blocked_until > excluded.window_start, false),
        hits = case when r.blocked_until > excluded.window_start then r.hits
          when r.expires_at <= excluded.window_start then 1 else r.hits + 1 end,
        window_start = case when r.blocked_until > excluded.window_start then r.window_start
          when r.expires_at <= excluded.window_start then excluded.window_start else r.window_start end,
        blocked_until = case
          when r.blocked_until > excluded.window_start then r.blocked_until
          when (case when r.expires_at <= excluded.window_start then 1 else r.hits + 1 end) > $4::int
            then excluded.window_start + make_interval(secs => least($6::float8, $5::float8 * power(2, least(30,
              (case when r.expires_at <= excluded.window_start then 1 else r.hits + 1 end) - $4::int - 1))))
          else null end,
        expires_at = case when r.blocked_until > excluded.window_start then r.expires_at else excluded.expires_at end
      returning allowed, blocked_until
      """;
  private static final String FORGET = "delete from rate_limits where kind = $1 and key_hash = $2";
  // One counted attempt turned out fine: it no longer counts, and a block it alone caused is lifted.
  private static final String UNCOUNT = """
      update rate_limits set hits = greatest(hits - 1, 0),
        blocked_until = case when hits - 1 > $3::int then blocked_until end
      where kind = $1 and key_hash = $2
      """;
  private static final String DELETE_EXPIRED = """
      delete from rate_limits where ctid = any(array(
        select ctid from rate_limits where expires_at < to_timestamp($1::float8) limit $2))
      """;

  private final Pool pool;

  public RateLimitRepository(Pool pool) {
    this.pool = pool;
  }

  /** The hit count of the current window, this hit included, and when the window ends. */
  public record Count(int hits, OffsetDateTime windowEnds) {}

  /** Whether the attempt may go ahead and, when it may not (or the next may not), until when the key is blocked. */
  public record Attempt(boolean allowed, OffsetDateTime blockedUntil) {}

  public Future<Count> count(String kind, String keyHash, OffsetDateTime now, Duration window) {
    return pool.preparedQuery(COUNT).execute(Tuple.of(kind, keyHash, seconds(now), (double) window.toSeconds()))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Count(row.getInteger("hits"), row.getOffsetDateTime("expires_at"));
        });
  }

  public Future<Attempt> attempt(String kind, String keyHash, OffsetDateTime now, int free, Duration base,
                                 Duration max, Duration keep) {
    return pool.preparedQuery(ATTEMPT).execute(Tuple.from(new Object[] {kind, keyHash, seconds(now), free,
            base.toMillis() / 1000.0, max.toMillis() / 1000.0, (double) keep.toSeconds()}))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Attempt(row.getBoolean("allowed"), row.getOffsetDateTime("blocked_until"));
        });
  }

  public Future<Void> forget(String kind, String keyHash) {
    return pool.preparedQuery(FORGET).execute(Tuple.of(kind, keyHash)).mapEmpty();
  }

  public Future<Void> uncount(String kind, String keyHash, int free) {
    return pool.preparedQuery(UNCOUNT).execute(Tuple.of(kind, keyHash, free)).mapEmpty();
  }

  /** Deletes up to {@code limit} rows whose window or memory ended before {@code now}; answers how many. */
  public Future<Integer> deleteExpired(OffsetDateTime now, int limit) {
    return pool.preparedQuery(DELETE_EXPIRED).execute(Tuple.of(seconds(now), limit)).map(rows -> rows.rowCount());
  }

  /** Epoch seconds to the microsecond (a float8 holds that exactly for the next centuries). */
  private static double seconds(OffsetDateTime t) {
    return t.toEpochSecond() + (t.getNano() / 1_000) / 1e6;
  }
}
