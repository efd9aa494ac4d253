package dev.aide.scheduler;

import dev.aide.platform.database.Database;
import dev.aide.platform.database.PgTimes;
import dev.aide.platform.task.Schedule;
import dev.aide.platform.task.ScheduledTask;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled tasks: written by the features (in their own transactions), claimed in batches with FOR UPDATE SKIP
 * LOCKED by any number of instances, kept alive by heartbeats and taken over when the heartbeat stops. Times come
 * from Aide's clock, never the database's now().
 */
public final class TaskRepository {

  private static final Logger LOG = LoggerFactory.getLogger(TaskRepository.class);

  private static final String UPSERT = """
      insert into scheduled_tasks (user_id, task_key, type, payload, cron, rrule, timezone, next_run_at)
      values ($1, $2, $3, $4, $5, $6, $7, $8)
      on conflict (task_key) do update set user_id = excluded.user_id, type = excluded.type,
        payload = excluded.payload, cron = excluded.cron, rrule = excluded.rrule, timezone = excluded.timezone,
        next_run_at = excluded.next_run_at, occurrence_at = null, status = 'scheduled', attempts = 0,
        last_error = null, claimed_by = null, heartbeat_at = null, updated_at = now()
      """;
  // The same, except that a task already running with this payload, or scheduled with it no later, stays as it is.
  private static final String ENSURE = UPSERT + """
        where scheduled_tasks.payload <> excluded.payload or scheduled_tasks.status not in ('scheduled', 'running')
          or (scheduled_tasks.status = 'scheduled' and scheduled_tasks.next_run_at > excluded.next_run_at)
      """;
  private static final String CANCEL = """
      update scheduled_tasks set status = 'cancelled', next_run_at = null, occurrence_at = null, claimed_by = null,
        updated_at = now()
      where task_key = $1 and status in ('scheduled', 'running')
      """;
  private static final String DELETE = "delete from scheduled_tasks where task_key = $1";
  private static final String REPAYLOAD = """
      update scheduled_tasks set payload = $2, updated_at = now() where task_key = $1 and payload <> $2
      """;
  // The due tasks, oldest first, that no other instance has locked; each becomes this instance's, with a heartbeat.
  // Planned afresh each time (CLAIM_PLAN): a generic plan cached while the table was small (an idle instance polls
  // every few seconds) joins a sequential scan of the table against a sort of all due tasks, which took minutes per
  // claim at 100,000 due; a fresh plan uses scheduled_tasks_due_idx and the primary key whatever the statistics say.
  private static final String CLAIM_PLAN = Database.PLAN_AFRESH;
  private static final String CLAIM = """
      update scheduled_tasks t set status = 'running', claimed_by = $1, heartbeat_at = $3, last_run_at = $3,
        attempts = t.attempts + 1
      from (
        select id from scheduled_tasks
        where status = 'scheduled' and next_run_at <= $3
        order by next_run_at
        limit $2
        for update skip locked) due
      where t.id = due.id
      returning t.id, t.user_id, t.task_key, t.type, t.payload, t.next_run_at,
        coalesce(t.occurrence_at, t.next_run_at) as occurrence_at, t.cron, t.rrule, t.timezone, t.attempts
      """;
  // A claimed row the scheduler cannot read (a timezone or cron expression written by hand) ends failed in the claim's
  // own transaction: it can never run, and it must not hold a slot or stop the rest of the batch.
  private static final String FAIL_UNREADABLE = """
      update scheduled_tasks set status = 'failed', next_run_at = null, occurrence_at = null, last_error = $2,
        claimed_by = null, heartbeat_at = null, updated_at = now()
      where id = $1
      """;
  // Only the tasks this instance is running now: a claim whose outcome could not be recorded stops being kept alive,
  // so another instance (or this one) takes it over after the timeout instead of it staying 'running' for ever.
  // Rows a batch's transaction holds are skipped (their next beat comes soon), and the rest are locked in id order: a
  // heartbeat never waits on a batch, so the two cannot deadlock.
  private static final String HEARTBEAT = """
      update scheduled_tasks t set heartbeat_at = $2
      from (select id from scheduled_tasks where claimed_by = $1 and status = 'running' and id = any($3)
            order by id for update skip locked) mine
      where t.id = mine.id
      """;
  // Claims whose instance stopped beating are due again at once; their next run is the occurrence they were running.
  private static final String TAKE_OVER = """
      update scheduled_tasks set status = 'scheduled', claimed_by = null, heartbeat_at = null, updated_at = now()
      where status = 'running' and heartbeat_at < $1
      returning task_key
      """;
  // Every outcome applies only while the task is still this instance's claim: a task taken over (or rescheduled by
  // its feature meanwhile) is not overwritten, and the ids returned say which outcomes were written. The outcomes of
  // a batch are one statement: each row its task's status, next run, occurrence (null: next_run_at is the occurrence
  // again; a retry keeps the one it retries), attempts (null: as they are) and error. unnest() of parameters is
  // estimated at a few rows, so every plan probes the primary key per outcome.
  private static final String RECORD = """
      update scheduled_tasks t set status = o.status, next_run_at = o.next_run_at, occurrence_at = o.occurrence_at,
        attempts = coalesce(o.attempts, t.attempts), last_error = o.error, claimed_by = null, heartbeat_at = null,
        updated_at = now()
      from unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[], $7::text[])
        as o(id, status, next_run_at, occurrence_at, attempts, error)
      where t.id = o.id and t.claimed_by = $1 and t.status = 'running'
      returning t.id
      """;
  private static final String NEXT_DUE = "select min(next_run_at) as next from scheduled_tasks where status = 'scheduled'";
  // Ages are computed here, in seconds, clamped: a row due in 4714 BC must not overflow a Java Duration.
  private static final String HEALTH = """
      select count(*) filter (where status = 'scheduled' and next_run_at <= $1) as due,
        count(*) filter (where status = 'scheduled' and next_run_at <= $2) as late,
          least(coalesce(extract(epoch from $1) - extract(epoch from min(next_run_at) filter (
          where status = 'scheduled' and next_run_at <= $1)), 0), 1e12)::float8 as oldest_due_age,
        count(*) filter (where status = 'running') as running,
        count(*) filter (where status = 'running' and (heartbeat_at is null or heartbeat_at < $3
          or last_run_at < $4)) as stuck,
        count(*) filter (where status = 'failed') as failed,
        count(*) filter (where status = 'failed' and updated_at > $5) as failed_recent
      from scheduled_tasks where status in ('scheduled', 'running', 'failed')
      """;
  private static final String UPCOMING = """
      select id, task_key, type, payload, next_run_at, cron, rrule, timezone, status from scheduled_tasks
      where user_id = $1 and status in ('scheduled', 'running') and next_run_at <= $2
      order by next_run_at, task_key
      limit $3
      """;

  private final Pool pool;
  private final Clock clock;

  public TaskRepository(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }

  /**
   * PostgreSQL keeps microseconds: an instant written and read back compares equal to the one a handler gets. An
   * instant beyond PostgreSQL's range (a row's -infinity reads as year -290278) is written inside it, where it reads
   * back as itself, instead of failing the write.
   */
  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : PgTimes.clamp(instant).truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  /** A timestamptz column as an instant inside PostgreSQL's range (see {@link PgTimes}). */
  private static Instant instant(Row row, String column) {
    return PgTimes.read(row.getOffsetDateTime(column)).toInstant();
  }

  /**
   * Schedules (or reschedules) the task in the caller's transaction. A recurring task without runAt first runs at
   * its schedule's next run; one whose schedule has no more runs is not written.
   */
  public Future<Void> schedule(SqlClient client, TaskSpec spec) {
    Instant now = clock.instant();
    Schedule schedule = spec.schedule();
    Instant first = spec.runAt() != null ? spec.runAt() : schedule.next(now, now).orElse(null);
    if (first == null) {
      return cancel(client, spec.key());
    }
    return client.preparedQuery(UPSERT).execute(Tuple.from(new Object[] {spec.userId(), spec.key(), spec.type(),
        spec.payload() == null ? new JsonObject() : spec.payload(),
        schedule == null ? null : schedule.cron(), schedule == null ? null : schedule.rrule(),
        schedule == null ? null : schedule.zone().getId(), utc(first)})).mapEmpty();
  }

  public Future<Void> schedule(TaskSpec spec) {
    return schedule(pool, spec);
  }

  /**
   * Schedules a one-shot task unless it is already running with the same payload, or scheduled with it at that time or
   * sooner: work that any instance may start at start-up, and that one already doing it goes on doing, its claim kept.
   */
  public Future<Void> ensure(TaskSpec spec) {
    if (spec.schedule() != null || spec.runAt() == null) {
      throw new IllegalArgumentException("only a one-shot task with its time can be ensured");
    }
    return pool.preparedQuery(ENSURE).execute(Tuple.from(new Object[] {spec.userId(), spec.key(), spec.type(),
        spec.payload() == null ? new JsonObject() : spec.payload(), null, null, null, utc(spec.runAt())})).mapEmpty();
  }

  public Future<Void> cancel(SqlClient client, String key) {
    return client.preparedQuery(CANCEL).execute(Tuple.of(key)).mapEmpty();
  }

  public Future<Void> cancel(String key) {
    return cancel(pool, key);
  }

  /** The task of a thing that is gone, in the caller's transaction (a claim on it then finishes nothing). */
  public Future<Void> delete(SqlClient client, String key) {
    return client.preparedQuery(DELETE).execute(Tuple.of(key)).mapEmpty();
  }

  /**
   * Changes only what the task carries for people to read (its title in GET /scheduled), in the caller's transaction:
   * its run, attempts and claim stay as they are.
   */
  public Future<Void> repayload(SqlClient client, String key, JsonObject payload) {
    return client.preparedQuery(REPAYLOAD).execute(Tuple.of(key, payload)).mapEmpty();
  }

  /**
   * Claims up to {@code limit} due tasks for this instance, oldest first. A claimed row that cannot be read as a task
   * is failed at once, in the same transaction, and left out.
   */
  public Future<List<ScheduledTask>> claim(String instance, int limit) {
    // SET LOCAL: the setting ends with the claim's transaction. Both statements go at once (pipelined).
    return pool.withTransaction(tx -> {
      Future<?> plan = tx.query(CLAIM_PLAN).execute();
      Future<RowSet<Row>> claimed = tx.preparedQuery(CLAIM).execute(Tuple.of(instance, limit, now()));
      return plan.compose(v -> claimed).compose(rows -> {
        List<ScheduledTask> tasks = new ArrayList<>(rows.size());
        List<Tuple> unreadable = new ArrayList<>();
        for (Row row : rows) {
          try {
            tasks.add(task(row));
          } catch (RuntimeException e) {
            LOG.warn("Task {} cannot be read and is failed: {}", row.getString("task_key"), e.toString());
            unreadable.add(Tuple.of(row.getUUID("id"), "the task cannot be read: " + e.getMessage()));
          }
        }
        tasks.sort(Comparator.comparing(ScheduledTask::runAt));
        return unreadable.isEmpty() ? Future.succeededFuture(tasks)
            : tx.preparedQuery(FAIL_UNREADABLE).executeBatch(unreadable).map(tasks);
      });
    });
  }

  private static ScheduledTask task(Row row) {
    return new ScheduledTask(row.getUUID("id"), row.getUUID("user_id"), row.getString("task_key"),
        row.getString("type"), jsonb(row.getValue("payload")), instant(row, "occurrence_at"),
        instant(row, "next_run_at"), schedule(row), row.getInteger("attempts"));
  }

  /** Keeps this instance's claims on the given tasks (the ones it is running) alive. */
  public Future<Void> heartbeat(String instance, Collection<UUID> running) {
    return pool.preparedQuery(HEARTBEAT).execute(Tuple.of(instance, now(), running.toArray(new UUID[0]))).mapEmpty();
  }

  /** Releases the claims whose heartbeat is older than the timeout; answers the keys of the tasks taken over. */
  public Future<List<String>> takeOver(Duration timeout) {
    return pool.preparedQuery(TAKE_OVER).execute(Tuple.of(now().minus(timeout)))
        .map(rows -> {
          List<String> keys = new ArrayList<>();
          rows.forEach(row -> keys.add(row.getString("task_key")));
          return keys;
        });
  }

  /**
   * What becomes of a claimed task once it ran: its status, its next run (null when it ended), the occurrence a retry
   * runs for (null otherwise), its attempts (null: as they are) and the error to keep.
   */
  public record Outcome(UUID id, String status, Instant nextRunAt, Instant occurrenceAt, Integer attempts,
                        String error) {

    /** Moves the task on to its next occurrence at {@code at} (after a success, or after giving up on this one). */
    public static Outcome next(ScheduledTask task, Instant at, String error) {
      return new Outcome(task.id(), "scheduled", at, null, 0, error);
    }

    /** Runs the same occurrence again at {@code at}, counting the failed attempt and keeping its error. */
    public static Outcome retry(ScheduledTask task, Instant at, String error) {
      return new Outcome(task.id(), "scheduled", at, task.occurrenceAt(), task.attempts(), error);
    }

    /** Ends the task: done, or failed with the error. */
    public static Outcome finish(ScheduledTask task, boolean failed, String error) {
      return new Outcome(task.id(), failed ? "failed" : "done", null, null, null, error);
    }
  }

  /**
   * Writes the outcomes of tasks this instance claimed, in one statement; answers the ids of those written (an outcome
   * for a claim taken over or replaced meanwhile is not).
   */
  public Future<Set<UUID>> record(String instance, List<Outcome> outcomes) {
    int n = outcomes.size();
    UUID[] ids = new UUID[n];
    String[] statuses = new String[n];
    OffsetDateTime[] next = new OffsetDateTime[n];
    OffsetDateTime[] occurrences = new OffsetDateTime[n];
    Integer[] attempts = new Integer[n];
    String[] errors = new String[n];
    for (int i = 0; i < n; i++) {
      Outcome o = outcomes.get(i);
      ids[i] = o.id();
      statuses[i] = o.status();
      next[i] = utc(o.nextRunAt());
      occurrences[i] = utc(o.occurrenceAt());
      attempts[i] = o.attempts();
      errors[i] = o.error();
    }
    return pool.preparedQuery(RECORD)
        .execute(Tuple.from(new Object[] {instance, ids, statuses, next, occurrences, attempts, errors}))
        .map(rows -> {
          Set<UUID> written = new HashSet<>();
          rows.forEach(row -> written.add(row.getUUID("id")));
          return written;
        });
  }

  /** Writes one outcome; answers whether it was written. */
  public Future<Boolean> record(String instance, Outcome outcome) {
    return record(instance, List.of(outcome)).map(written -> written.contains(outcome.id()));
  }

  /** When the soonest scheduled task is due, if there is one. */
  public Future<Optional<Instant>> nextDue() {
    return pool.query(NEXT_DUE).execute().map(rows -> {
      OffsetDateTime next = PgTimes.read(rows.iterator().next().getOffsetDateTime("next"));
      return Optional.ofNullable(next).map(OffsetDateTime::toInstant);
    });
  }

  /**
   * The scheduler's state for /health: tasks due and unclaimed, those due before {@code lateBefore}, the oldest due
   * age in seconds, running tasks and the stuck ones among them (a heartbeat older than {@code staleBefore}, or
   * claimed before {@code claimedBefore}), failed tasks and those that failed since {@code failedSince}.
   */
  public Future<Health> health(Instant lateBefore, Instant staleBefore, Instant claimedBefore, Instant failedSince) {
    return pool.preparedQuery(HEALTH).execute(Tuple.of(now(), utc(lateBefore), utc(staleBefore), utc(claimedBefore),
            utc(failedSince)))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Health(row.getLong("due"), row.getLong("late"), row.getDouble("oldest_due_age"),
              row.getLong("running"), row.getLong("stuck"), row.getLong("failed"), row.getLong("failed_recent"));
        });
  }

  /** The counts behind /health's scheduler part. */
  public record Health(long due, long late, double oldestDueAgeSeconds, long running, long stuck, long failed,
                       long failedRecently) {}

  /** A person's scheduled tasks due up to {@code until}, soonest first. */
  public Future<List<Upcoming>> upcoming(UUID userId, Instant until, int limit) {
    return pool.preparedQuery(UPCOMING).execute(Tuple.of(userId, utc(until), limit)).map(rows -> {
      List<Upcoming> list = new ArrayList<>();
      for (Row row : rows) {
        list.add(new Upcoming(row.getUUID("id"), row.getString("task_key"), row.getString("type"),
            jsonb(row.getValue("payload")), instant(row, "next_run_at"), readableSchedule(row)));
      }
      return list;
    });
  }

  /** One of a person's tasks as GET /scheduled shows it. */
  public record Upcoming(UUID id, String key, String type, JsonObject payload, Instant nextRunAt, Schedule schedule) {}

  /** The task's schedule, or null when its row holds one that cannot be read (the listing shows it as one-shot). */
  private static Schedule readableSchedule(Row row) {
    try {
      return schedule(row);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Schedule schedule(Row row) {
    String timezone = row.getString("timezone");
    return timezone == null ? null : new Schedule(row.getString("cron"), row.getString("rrule"), ZoneId.of(timezone));
  }

  private static JsonObject jsonb(Object value) {
    return value instanceof JsonObject json ? json : new JsonObject();
  }
}
