package dev.aide.reminder;

import dev.aide.platform.database.PgTimes;
import dev.aide.reminder.Reminder.Status;
import dev.aide.scheduler.TaskRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reminders, always read and written for one user; instants come back in that user's timezone. */
public final class ReminderRepository {

  private static final String RETURNING = " returning id, user_id, text, due_at, rrule, status, event_id, created_at, urgent, fired_at,"
      + " (select timezone from users where id = user_id) as timezone";
  private static final String SELECT = """
      select r.id, r.user_id, r.text, r.due_at, r.rrule, r.status, r.event_id, r.created_at, r.urgent, r.fired_at, u.timezone
      from reminders r join users u on u.id = r.user_id
      """;
  // An event is linked only if it is the same user's (no row is inserted otherwise).
  private static final String INSERT = """
      insert into reminders (user_id, text, due_at, rrule, source_message_id, event_id, urgent)
      select $1, $2, $3, $4, $5, $6, $7
      where $6::uuid is null or exists (select 1 from events where id = $6 and user_id = $1 and deleted_at is null)
      """ + RETURNING;
  private static final String BY_ID = SELECT + " where r.user_id = $1 and r.id = $2";
  private static final String LIST = SELECT + """
       where r.user_id = $1
         and ($2::text is null or r.status = $2)
         and ($3::timestamptz is null or r.due_at >= $3)
         and ($4::timestamptz is null or r.due_at < $4)
       order by r.due_at, r.created_at
       limit $5
      """;
  private static final String MATCHING = SELECT + """
       where r.user_id = $1 and r.status = 'pending' and position(lower($2) in lower(r.text)) > 0
       order by r.due_at limit 20
      """;
  private static final String LAST_DUE = SELECT + """
       where r.user_id = $1 and r.status = 'pending' and r.due_at <= $2
       order by r.due_at desc limit 1
      """;
  private static final String UPDATE = """
      update reminders set
        text = coalesce($3, text),
        due_at = coalesce($4, due_at),
        rrule = case when $5 then $6 else rrule end,
        status = coalesce($7, status),
        urgent = coalesce($8, urgent),
        updated_at = now()
      where user_id = $1 and id = $2""" + RETURNING;
  private static final String BY_IDS = SELECT + " where r.id = any($1)";
  private static final String LOCK = SELECT + " where r.user_id = $1 and r.id = $2 for update of r";
  private static final String DELETE = "delete from reminders where user_id = $1 and id = $2";
  private static final String LOCK_DUE = SELECT + " where r.id = $1 and r.status = 'pending' for update of r";
  private static final String ADVANCE = "update reminders set due_at = $2, fired_at = $3, updated_at = now() where id = $1"
      + RETURNING;
  // Locked in id order, so two batches that share reminders (a task taken over while its first run still goes on)
  // wait for each other instead of deadlocking.
  private static final String LOCK_DUE_ALL = SELECT + " where r.id = any($1) and r.status = 'pending' order by r.id for update of r";
  private static final String FIRED = "update reminders set fired_at = $2 where id = $1";
  private static final String FIRED_ALL = "update reminders set fired_at = $2 where id = any($1)";

  private final Pool pool;
  private final ReminderTasks tasks;

  /** Reminders on the pool, their tasks written through the task repository in the same transactions. */
  public ReminderRepository(Pool pool, TaskRepository tasks) {
    this.pool = pool;
    this.tasks = new ReminderTasks(tasks);
  }

  /** Empty when the event to link is not the user's. Its task is scheduled in the same transaction. */
  public Future<Optional<Reminder>> insert(UUID userId, String text, OffsetDateTime dueAt, String rrule,
                                           UUID sourceMessageId, UUID eventId, boolean urgent) {
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT)
        .execute(Tuple.from(new Object[] {userId, text, dueAt, rrule, sourceMessageId, eventId, urgent}))
        .map(ReminderRepository::first)
        .compose(saved -> saved.isEmpty() ? Future.succeededFuture(saved)
            : tasks.follow(tx, null, saved.get()).map(saved)));
  }

  public Future<Optional<Reminder>> find(UUID userId, UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(userId, id)).map(ReminderRepository::first);
  }

  public Future<List<Reminder>> list(UUID userId, Status status, OffsetDateTime from, OffsetDateTime to, int limit) {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(userId, status == null ? null : status.wire(), from, to, limit))
        .map(ReminderRepository::all);
  }

  /** Pending reminders whose text contains the words, soonest first. */
  public Future<List<Reminder>> pendingMatching(UUID userId, String text) {
    return pool.preparedQuery(MATCHING).execute(Tuple.of(userId, text)).map(ReminderRepository::all);
  }

  /** The pending reminder that came due most recently: what "snooze it" means. */
  public Future<Optional<Reminder>> lastDue(UUID userId, OffsetDateTime now) {
    return pool.preparedQuery(LAST_DUE).execute(Tuple.of(userId, now)).map(ReminderRepository::first);
  }

  /**
   * Changes the given fields; a null leaves a field as it is, except rrule, which clearRrule can set to null. Its task
   * follows in the same transaction.
   */
  public Future<Optional<Reminder>> update(UUID userId, UUID id, Changes changes) {
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(userId, id))
        .map(ReminderRepository::first)
        .compose(before -> before.isEmpty() ? Future.succeededFuture(before) : tx.preparedQuery(UPDATE)
            .execute(Tuple.from(new Object[] {userId, id, changes.text(), changes.dueAt(), changes.rruleSet(),
                changes.rrule(), changes.status() == null ? null : changes.status().wire(), changes.urgent()}))
            .map(ReminderRepository::first)
            .compose(after -> after.isEmpty() ? Future.succeededFuture(after)
                : tasks.follow(tx, before.get(), after.get()).map(after))));
  }

  /** A pending reminder, locked in the caller's transaction while its due notice is written. */
  public Future<Optional<DueReminder>> lockDue(SqlClient tx, UUID id) {
    return tx.preparedQuery(LOCK_DUE).execute(Tuple.of(id)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row row = it.next();
      return Optional.of(new DueReminder(toReminder(row), ZoneId.of(row.getString("timezone"))));
    });
  }

  /** The pending ones of these reminders, locked in the caller's transaction, by id. */
  public Future<Map<UUID, DueReminder>> lockDueAll(SqlClient tx, Collection<UUID> ids) {
    return tx.preparedQuery(LOCK_DUE_ALL).execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> {
      Map<UUID, DueReminder> found = new HashMap<>();
      for (Row row : rows) {
        Reminder reminder = toReminder(row);
        found.put(reminder.id(), new DueReminder(reminder, ZoneId.of(row.getString("timezone"))));
      }
      return found;
    });
  }

  /** A reminder whose time has come, with the zone its repetition is read in. */
  public record DueReminder(Reminder reminder, ZoneId zone) {}

  /** A recurring reminder moves on to its next occurrence, and its task with it. */
  public Future<Void> advance(SqlClient tx, UUID id, Instant next, Instant firedAt) {
    return tx.preparedQuery(ADVANCE).execute(Tuple.of(id, next.atOffset(ZoneOffset.UTC), firedAt.atOffset(ZoneOffset.UTC)))
        .map(ReminderRepository::first)
        .compose(moved -> moved.isEmpty() ? Future.succeededFuture() : tasks.schedule(tx, moved.get()));
  }

  /** A one-time reminder (or the last of a series) was sent; it stays pending until the person says it is done. */
  public Future<Void> markFired(SqlClient tx, UUID id, Instant firedAt) {
    return tx.preparedQuery(FIRED).execute(Tuple.of(id, firedAt.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  /** One-time reminders (or the last of their series) sent, in one statement. */
  public Future<Void> markFiredAll(SqlClient tx, Collection<UUID> ids, Instant firedAt) {
    return tx.preparedQuery(FIRED_ALL).execute(Tuple.of(ids.toArray(UUID[]::new), firedAt.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /**
   * Reminders their event moved or cancelled in the caller's transaction: their tasks follow, in it
   * ({@link dev.aide.calendar.LinkedReminders}).
   */
  public Future<Void> followEvent(SqlClient tx, List<UUID> ids) {
    return tx.preparedQuery(BY_IDS).execute(Tuple.of(ids.toArray(UUID[]::new))).compose(rows -> {
      Future<Void> scheduled = Future.succeededFuture();
      for (Reminder reminder : all(rows)) {
        scheduled = scheduled.compose(v -> tasks.schedule(tx, reminder));
      }
      return scheduled;
    });
  }

  /** Deletes the reminder and its task, in one transaction. */
  public Future<Boolean> delete(UUID userId, UUID id) {
    return pool.withTransaction(tx -> tx.preparedQuery(DELETE).execute(Tuple.of(userId, id))
        .compose(rows -> rows.rowCount() == 1 ? tasks.deleted(tx, id).map(true) : Future.succeededFuture(false)));
  }

  private static Optional<Reminder> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toReminder(it.next())) : Optional.empty();
  }

  private static List<Reminder> all(RowSet<Row> rows) {
    List<Reminder> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(toReminder(row)));
    return list;
  }

  private static Reminder toReminder(Row row) {
    ZoneId zone = ZoneId.of(row.getString("timezone"));
    return new Reminder(row.getUUID("id"), row.getUUID("user_id"), row.getString("text"),
        inZone(row.getOffsetDateTime("due_at"), zone), row.getString("rrule"),
        Status.fromWire(row.getString("status")), row.getBoolean("urgent"), row.getUUID("event_id"),
        inZone(row.getOffsetDateTime("created_at"), zone),
        row.getOffsetDateTime("fired_at") == null ? null : inZone(row.getOffsetDateTime("fired_at"), zone));
  }

  /** The instant in the user's zone; one at the ends of PostgreSQL's range (an old row) is moved just inside it. */
  private static OffsetDateTime inZone(OffsetDateTime instant, ZoneId zone) {
    return PgTimes.read(instant).atZoneSameInstant(zone).toOffsetDateTime();
  }

  /** A partial update. */
  public record Changes(String text, OffsetDateTime dueAt, boolean rruleSet, String rrule, Status status,
                        Boolean urgent) {

    public Changes(String text, OffsetDateTime dueAt, boolean rruleSet, String rrule, Status status) {
      this(text, dueAt, rruleSet, rrule, status, null);
    }
  }
}
