package dev.aide.scheduler;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Scheduled tasks: written by the features (in their own transactions), claimed in batches with FOR UPDATE SKIP
 * LOCKED by any number of instances, kept alive by heartbeats and taken over when the heartbeat stops. Times come
 * from Aide's clock, never the database's now().
 */
public final class TaskRepository {

  private static final String UPSERT = """
      insert into scheduled_tasks (user_id, task_key, type, payload, cron, rrule, timezone, next_run_at)
      values ($1, $2, $3, $4, $5, $6, $7, $8)
      on conflict (task_key) do update set user_id = excluded.user_id, type = excluded.type,
        payload = excluded.payload, cron = excluded.cron, rrule = excluded.rrule, timezone = excluded.timezone,
        next_run_at = excluded.next_run_at, status = 'scheduled', attempts = 0, last_error = null,
        claimed_by = null, heartbeat_at = null, updated_at = now()
      """;
  private static final String CANCEL = """
      update scheduled_tasks set status = 'cancelled', next_run_at = null, claimed_by = null, updated_at = now()
      where task_key = $1 and status in ('scheduled', 'running')
      """;
  // The due tasks, oldest first, that no other instance has locked; each becomes this instance's, with a heartbeat.
  // Planned afresh each time (CLAIM_PLAN): a generic plan cached while the table was small (an idle instance polls
  // every few seconds) joins a sequential scan of the table against a sort of all due tasks, which took minutes per
  // claim at 100,000 due; a fresh plan uses scheduled_tasks_due_idx and the primary key whatever the statistics say.
  private static final String CLAIM_PLAN = "set local plan_cache_mode = force_custom_plan";
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
      returning t.id, t.user_id, t.task_key, t.type, t.payload, t.next_run_at, t.cron, t.rrule, t.timezone, t.attempts
      """;
  private static final String HEARTBEAT = """
      update scheduled_tasks set heartbeat_at = $2 where claimed_by = $1 and status = 'running'
      """;
  // Claims whose instance stopped beating are due again at once; their next run is the occurrence they were running.
  private static final String TAKE_OVER = """
      update scheduled_tasks set status = 'scheduled', claimed_by = null, heartbeat_at = null, updated_at = now()
      where status = 'running' and heartbeat_at < $1
      returning task_key
      """;
  // Every outcome applies only while the task is still this instance's claim: a task taken over (or rescheduled by
  // its feature meanwhile) is not overwritten.
  private static final String RESCHEDULE = """
      update scheduled_tasks set status = 'scheduled', next_run_at = $3, attempts = $4, last_error = $5,
        claimed_by = null, heartbeat_at = null, updated_at = now()
      where id = $1 and claimed_by = $2 and status = 'running'
      """;
  private static final String FINISH = """
      update scheduled_tasks set status = $3, next_run_at = null, last_error = $4, claimed_by = null,
        heartbeat_at = null, updated_at = now()
      where id = $1 and claimed_by = $2 and status = 'running'
      """;
  private static final String NEXT_DUE = "select min(next_run_at) as next from scheduled_tasks where status = 'scheduled'";
  private static final String HEALTH = """
      select count(*) filter (where status = 'scheduled' and next_run_at <= $1) as due,
        min(next_run_at) filter (where status = 'scheduled' and next_run_at <= $1) as oldest_due,
        count(*) filter (where status = 'running') as running,
        count(*) filter (where status = 'failed') as failed
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

  /** PostgreSQL keeps microseconds: an instant written and read back compares equal to the one a handler gets. */
  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
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

  public Future<Void> cancel(SqlClient client, String key) {
    return client.preparedQuery(CANCEL).execute(Tuple.of(key)).mapEmpty();
  }

  public Future<Void> cancel(String key) {
    return cancel(pool, key);
  }

  public Future<List<ScheduledTask>> claim(String instance, int limit) {
    // SET LOCAL: the setting ends with the claim's transaction.
    return pool.withTransaction(tx -> tx.query(CLAIM_PLAN).execute()
        .compose(v -> tx.preparedQuery(CLAIM).execute(Tuple.of(instance, limit, now())))).map(rows -> {
      List<ScheduledTask> tasks = new ArrayList<>(rows.size());
      for (Row row : rows) {
        tasks.add(new ScheduledTask(row.getUUID("id"), row.getUUID("user_id"), row.getString("task_key"),
            row.getString("type"), jsonb(row.getValue("payload")), row.getOffsetDateTime("next_run_at").toInstant(),
            schedule(row), row.getInteger("attempts")));
      }
      tasks.sort((a, b) -> a.dueAt().compareTo(b.dueAt()));
      return tasks;
    });
  }

  public Future<Void> heartbeat(String instance) {
    return pool.preparedQuery(HEARTBEAT).execute(Tuple.of(instance, now())).mapEmpty();
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

  /** Runs the task again at {@code at}; attempts carry the count of failures in a row (0 after a success). */
  public Future<Boolean> reschedule(ScheduledTask task, String instance, Instant at, int attempts, String error) {
    return pool.preparedQuery(RESCHEDULE).execute(Tuple.of(task.id(), instance, utc(at), attempts, error))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Ends the task: done, or failed with the error. */
  public Future<Boolean> finish(ScheduledTask task, String instance, boolean failed, String error) {
    return pool.preparedQuery(FINISH).execute(Tuple.of(task.id(), instance, failed ? "failed" : "done", error))
        .map(rows -> rows.rowCount() == 1);
  }

  /** When the soonest scheduled task is due, if there is one. */
  public Future<Optional<Instant>> nextDue() {
    return pool.query(NEXT_DUE).execute().map(rows -> {
      OffsetDateTime next = rows.iterator().next().getOffsetDateTime("next");
      return Optional.ofNullable(next).map(OffsetDateTime::toInstant);
    });
  }

  /** Due but unclaimed, the oldest due age, running and failed tasks, for /health. */
  public Future<JsonObject> health() {
    OffsetDateTime now = now();
    return pool.preparedQuery(HEALTH).execute(Tuple.of(now)).map(rows -> {
      Row row = rows.iterator().next();
      OffsetDateTime oldest = row.getOffsetDateTime("oldest_due");
      return new JsonObject()
          .put("dueUnclaimed", row.getLong("due"))
          .put("oldestDueAgeSeconds", oldest == null ? 0 : Duration.between(oldest, now).toMillis() / 1000.0)
          .put("running", row.getLong("running"))
          .put("failed", row.getLong("failed"));
    });
  }

  /** A person's scheduled tasks due up to {@code until}, soonest first. */
  public Future<List<Upcoming>> upcoming(UUID userId, Instant until, int limit) {
    return pool.preparedQuery(UPCOMING).execute(Tuple.of(userId, utc(until), limit)).map(rows -> {
      List<Upcoming> list = new ArrayList<>();
      for (Row row : rows) {
        list.add(new Upcoming(row.getUUID("id"), row.getString("task_key"), row.getString("type"),
            jsonb(row.getValue("payload")), row.getOffsetDateTime("next_run_at").toInstant(), schedule(row)));
      }
      return list;
    });
  }

  /** One of a person's tasks as GET /scheduled shows it. */
  public record Upcoming(UUID id, String key, String type, JsonObject payload, Instant nextRunAt, Schedule schedule) {}

  private static Schedule schedule(Row row) {
    String timezone = row.getString("timezone");
    return timezone == null ? null : new Schedule(row.getString("cron"), row.getString("rrule"), ZoneId.of(timezone));
  }

  private static JsonObject jsonb(Object value) {
    return value instanceof JsonObject json ? json : new JsonObject();
  }
}
