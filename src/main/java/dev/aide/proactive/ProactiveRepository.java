package dev.aide.proactive;

import dev.aide.proactive.ProactiveMessage.Status;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Proactive messages, read and written for one user; instants come back in that user's timezone. */
public final class ProactiveRepository {

  private static final String COLUMNS = "m.id, m.user_id, m.content, m.scheduled_for, m.status, m.urgent, m.error,"
      + " m.created_at, m.sent_at, u.timezone";
  private static final String SELECT = "select " + COLUMNS + " from proactive_messages m join users u on u.id = m.user_id";
  private static final String INSERT = """
      with m as (
        insert into proactive_messages (user_id, content, scheduled_for, urgent, source_message_id, created_at, updated_at)
        values ($1, $2, $3, $4, $5, $6, $6)
        returning *)
      """ + SELECT.replace("from proactive_messages m", "from m");
  private static final String BY_ID = SELECT + " where m.user_id = $1 and m.id = $2";
  private static final String LIST = SELECT + """
       where m.user_id = $1 and ($2::text is null or m.status = $2)
       order by m.scheduled_for, m.created_at
       limit $3
      """;
  private static final String PENDING_MATCHING = SELECT + """
       where m.user_id = $1 and m.status = 'pending' and position(lower($2) in lower(m.content)) > 0
       order by m.scheduled_for limit 20
      """;
  private static final String LOCK = SELECT + " where m.user_id = $1 and m.id = $2 for update of m";
  private static final String LOCK_PENDING = SELECT + " where m.id = $1 and m.status = 'pending' for update of m";
  private static final String SET_STATUS = """
      update proactive_messages set status = $2, sent_at = $3, error = $4, updated_at = $5 where id = $1
      """;

  private final Pool pool;

  public ProactiveRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<ProactiveMessage> insert(SqlClient tx, UUID userId, String content, OffsetDateTime scheduledFor,
                                         boolean urgent, UUID sourceMessageId, Instant now) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.from(new Object[] {userId, content, scheduledFor, urgent, sourceMessageId, utc(now)}))
        .map(rows -> first(rows).orElseThrow());
  }

  public Future<Optional<ProactiveMessage>> find(UUID userId, UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(userId, id)).map(ProactiveRepository::first);
  }

  public Future<List<ProactiveMessage>> list(UUID userId, Status status, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(userId, status == null ? null : status.wire(), limit))
        .map(ProactiveRepository::all);
  }

  /** Pending messages whose content contains the words, soonest first. */
  public Future<List<ProactiveMessage>> pendingMatching(UUID userId, String words) {
    return pool.preparedQuery(PENDING_MATCHING).execute(Tuple.of(userId, words)).map(ProactiveRepository::all);
  }

  /** One of the person's messages, locked in the caller's transaction while it is cancelled. */
  public Future<Optional<ProactiveMessage>> lock(SqlClient tx, UUID userId, UUID id) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(userId, id)).map(ProactiveRepository::first);
  }

  /** A pending message, locked in the caller's transaction while it is sent. */
  public Future<Optional<ProactiveMessage>> lockPending(SqlClient tx, UUID id) {
    return tx.preparedQuery(LOCK_PENDING).execute(Tuple.of(id)).map(ProactiveRepository::first);
  }

  /** The message's new status; sentAt only for a sent one, error only for a failed one. */
  public Future<Void> setStatus(SqlClient tx, UUID id, Status status, Instant sentAt, String error, Instant now) {
    return tx.preparedQuery(SET_STATUS).execute(Tuple.of(id, status.wire(), utc(sentAt), error, utc(now))).mapEmpty();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Optional<ProactiveMessage> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toMessage(it.next())) : Optional.empty();
  }

  private static List<ProactiveMessage> all(RowSet<Row> rows) {
    List<ProactiveMessage> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(toMessage(row)));
    return list;
  }

  private static ProactiveMessage toMessage(Row row) {
    ZoneId zone = ZoneId.of(row.getString("timezone"));
    return new ProactiveMessage(row.getUUID("id"), row.getUUID("user_id"), row.getString("content"),
        inZone(row.getOffsetDateTime("scheduled_for"), zone), Status.fromWire(row.getString("status")),
        row.getBoolean("urgent"), row.getString("error"), inZone(row.getOffsetDateTime("created_at"), zone),
        inZone(row.getOffsetDateTime("sent_at"), zone));
  }

  private static OffsetDateTime inZone(OffsetDateTime instant, ZoneId zone) {
    return instant == null ? null : instant.atZoneSameInstant(zone).toOffsetDateTime();
  }
}
