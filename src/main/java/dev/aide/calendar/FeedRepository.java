package dev.aide.calendar;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Feed tokens (stored as SHA-256 hex) and the iCalendar UIDs of imported events, always for one user. */
public final class FeedRepository {

  private static final String SAVE = """
      insert into calendar_feeds (user_id, token_hash) values ($1, $2)
      on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = now()""";
  private static final String DELETE = "delete from calendar_feeds where user_id = $1";
  private static final String OWNER = "select user_id from calendar_feeds where token_hash = $1";
  private static final String KNOWN_UIDS = """
      select ical_uid from events where user_id = $1 and ical_uid = any($2) and deleted_at is null""";
  private static final String SET_UID = """
      update events set ical_uid = $3 where user_id = $1 and id = $2 and deleted_at is null""";

  private final Pool pool;

  public FeedRepository(Pool pool) {
    this.pool = pool;
  }

  /** Stores the user's feed token hash, replacing the previous one. */
  public Future<Void> save(UUID userId, String tokenHash) {
    return pool.preparedQuery(SAVE).execute(Tuple.of(userId, tokenHash)).mapEmpty();
  }

  public Future<Boolean> delete(UUID userId) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(userId)).map(rows -> rows.rowCount() > 0);
  }

  /** The user whose live feed has this token hash. */
  public Future<Optional<UUID>> owner(String tokenHash) {
    return pool.preparedQuery(OWNER).execute(Tuple.of(tokenHash))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("user_id")));
  }

  /** Which of these iCalendar UIDs the user's (not deleted) events already carry. */
  public Future<Set<String>> knownUids(UUID userId, List<String> uids) {
    if (uids.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    Tuple args = Tuple.tuple().addUUID(userId).addArrayOfString(uids.toArray(String[]::new));
    return pool.preparedQuery(KNOWN_UIDS).execute(args).map(rows -> {
      Set<String> known = new HashSet<>();
      rows.forEach(row -> known.add(row.getString("ical_uid")));
      return known;
    });
  }

  /** Records the iCalendar UID an event was imported with; fails if another event of the user already has it. */
  public Future<Void> setUid(UUID userId, UUID eventId, String uid) {
    return pool.preparedQuery(SET_UID).execute(Tuple.of(userId, eventId, uid)).mapEmpty();
  }
}
