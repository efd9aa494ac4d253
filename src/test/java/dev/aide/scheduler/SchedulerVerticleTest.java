package dev.aide.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.platform.database.Database;
import dev.aide.platform.task.Schedule;
import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskHandler;
import dev.aide.platform.task.TaskOutcome;
import dev.aide.support.TestClock;
import dev.aide.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on its own, against a real database, with a test handler on the event bus: when tasks fire, how
 * recurring ones move on, what a failure and a dead instance cost.
 */
@DisplayName("Scheduler: fires on time, recurs without drift or bursts, retries, takes over dead claims")
class SchedulerVerticleTest {

  private static final String TYPE = "test";

  private final TestClock clock = TestClock.at(Instant.parse("2026-11-25T06:59:58Z"));
  private TestDatabase db;
  private Vertx vertx;
  private Pool pool;
  private TaskRepository tasks;
  private final List<Run> runs = new CopyOnWriteArrayList<>();
  private final List<String> givenUp = new CopyOnWriteArrayList<>();
  /** How many tasks each request to the handler carried. */
  private final List<Integer> batches = new CopyOnWriteArrayList<>();
  private final Map<String, Function<ScheduledTask, Future<TaskOutcome>>> behaviour = new ConcurrentHashMap<>();
  /** Tasks of the test type the scheduler hands over in one request. */
  private int handlerBatch = 10;

  /** A handler call: which task, the occurrence it ran for, when that run was due, and when it ran (test clock). */
  record Run(String key, Instant dueAt, Instant runAt, Instant at, int attempts) {}

  @BeforeEach
  void start() {
    db = TestDatabase.create();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db.url(), 4);
    tasks = new TaskRepository(pool, clock);
  }

  private void deploy(Duration poll) {
    deploy(poll, 50, 100, Duration.ofSeconds(10));
  }

  private void deploy(Duration poll, int batchSize, int maxInFlight, Duration handlerTimeout) {
    TaskHandler handler = new TaskHandler() {
      @Override
      public String type() {
        return TYPE;
      }

      @Override
      public int batchSize() {
        return handlerBatch;
      }

      @Override
      public List<Future<TaskOutcome>> runAll(List<ScheduledTask> tasks) {
        batches.add(tasks.size());
        return TaskHandler.super.runAll(tasks);
      }

      @Override
      public Future<TaskOutcome> run(ScheduledTask task) {
        runs.add(new Run(task.key(), task.occurrenceAt(), task.runAt(), clock.instant(), task.attempts()));
        return behaviour.getOrDefault(task.key(), t -> Future.succeededFuture(TaskOutcome.DONE)).apply(task);
      }

      @Override
      public Future<Void> gaveUp(ScheduledTask task, String error) {
        givenUp.add(task.key() + ": " + error);
        return Future.succeededFuture();
      }
    };
    var options = new SchedulerVerticle.Options("test-instance", batchSize, maxInFlight, poll, Duration.ofSeconds(2),
        handlerTimeout, 3);
    vertx.deployVerticle(new TaskHandlersVerticle(List.of(handler)))
        .compose(id -> vertx.deployVerticle(new SchedulerVerticle(tasks, () -> Database.subscriber(vertx, db.url()),
            clock, options, Map.of(TYPE, handlerBatch), new io.micrometer.core.instrument.simple.SimpleMeterRegistry())))
        .await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    db.close();
  }

  @Test
  @DisplayName("a task added while the scheduler sleeps (60 s poll) fires at its due time, not at the next poll: NOTIFY woke it")
  void notifyWakesTheScheduler() {
    deploy(Duration.ofSeconds(60));
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    Instant due = clock.instant().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
    tasks.schedule(TaskSpec.once(null, "once", TYPE, new JsonObject(), due)).await();

    await().atMost(Duration.ofSeconds(12)).until(() -> runs.size() == 1);
    assertThat(runs.get(0).dueAt()).isEqualTo(due);
    // Not before it was due, and long before the next poll (the latency itself is measured by SchedulerBenchmark).
    assertThat(Duration.between(due, runs.get(0).at())).isBetween(Duration.ZERO, Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> status("once").equals("done"));
  }

  @Test
  @DisplayName("a daily 08:00 Berlin task runs at 08:00 local and moves to 08:00 the next day, across the DST change")
  void recurringAcrossDst() {
    clock.jumpTo(Instant.parse("2027-03-27T06:59:58Z"));
    deploy(Duration.ofMillis(200));
    tasks.schedule(TaskSpec.recurring(null, "daily", TYPE, new JsonObject(),
        Schedule.cron("0 8 * * *", ZoneId.of("Europe/Berlin")))).await();
    assertThat(nextRun("daily")).isEqualTo(Instant.parse("2027-03-27T07:00:00Z"));

    await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> Instant.parse("2027-03-28T06:00:00Z").equals(nextRun("daily")));
    assertThat(status("daily")).isEqualTo("scheduled");
  }

  @Test
  @DisplayName("after three days down a daily task runs once to catch up, then at its next time, not three times")
  void oneCatchUpAfterDowntime() {
    clock.jumpTo(Instant.parse("2026-11-25T10:00:00Z"));
    tasks.schedule(TaskSpec.recurring(null, "digest", TYPE, new JsonObject(), Schedule.cron("0 8 * * *", ZoneId.of("UTC"))))
        .await();
    assertThat(nextRun("digest")).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
    clock.jumpTo(Instant.parse("2026-11-29T10:00:00Z"));
    deploy(Duration.ofMillis(200));

    await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> Instant.parse("2026-11-30T08:00:00Z").equals(nextRun("digest")));
    await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).dueAt()).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
  }

  @Test
  @DisplayName("a failing task is retried with backoff, then marked failed with its last error, and its handler told")
  void retriesThenFails() {
    deploy(Duration.ofMillis(200));
    behaviour.put("flaky", t -> Future.failedFuture(new IllegalStateException("the channel is down")));
    tasks.schedule(TaskSpec.once(null, "flaky", TYPE, new JsonObject(), clock.instant())).await();

    await().atMost(Duration.ofSeconds(10)).until(() -> status("flaky").equals("failed"));
    assertThat(runs).extracting(Run::attempts).containsExactly(1, 2, 3);
    // 1 s, then 2 s between attempts
    assertThat(Duration.between(runs.get(0).at(), runs.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(Duration.between(runs.get(1).at(), runs.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1950));
    assertThat(db.value("select last_error from scheduled_tasks where task_key = 'flaky'", String.class))
        .contains("the channel is down");
    await().atMost(Duration.ofSeconds(10)).until(() -> givenUp.equals(List.of("flaky: the channel is down")));
  }

  @Test
  @DisplayName("a task claimed by an instance that stopped beating is taken over after the timeout and run once")
  void takeover() {
    Instant due = clock.instant().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
    tasks.schedule(TaskSpec.once(null, "orphan", TYPE, new JsonObject(), due)).await();
    db.execute("update scheduled_tasks set status = 'running', claimed_by = 'dead:1:x', attempts = 1, "
        + "heartbeat_at = '" + clock.instant().minusSeconds(1) + "' where task_key = 'orphan'");
    deploy(Duration.ofMillis(200));

    await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 1);
    assertThat(runs.get(0).dueAt()).isEqualTo(due);
    assertThat(runs.get(0).attempts()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> status("orphan").equals("done"));
    assertThat(runs).hasSize(1);
  }

  @Test
  @DisplayName("a handler may ask to run again at an instant of its choosing")
  void runAgainAt() {
    deploy(Duration.ofMillis(200));
    Instant again = clock.instant().plusSeconds(3600).truncatedTo(ChronoUnit.MILLIS);
    behaviour.put("alert", t -> Future.succeededFuture(TaskOutcome.runAgainAt(again)));
    tasks.schedule(TaskSpec.once(null, "alert", TYPE, new JsonObject(), clock.instant())).await();

    await().atMost(Duration.ofSeconds(10)).until(() -> again.equals(nextRun("alert")));
    assertThat(status("alert")).isEqualTo("scheduled");
  }

  @Test
  @DisplayName("60 tasks due at absurd instants (-infinity, 4714 BC, year 1, 1700) written straight into the table, with "
      + "50 in flight at most, leak no slot: a normal task beside them fires, each absurd one ends done, and rows "
      + "that cannot be read or followed end failed with their error, none left running")
  void absurdTasksHarmNothing() {
    String[] absurd = {"-infinity", "4714-11-24 00:00:00+00 BC", "0001-01-01 00:00:00+00", "1700-01-01 00:00:00+00"};
    for (int i = 0; i < 60; i++) {
      db.update("insert into scheduled_tasks (task_key, type, next_run_at) values (?, ?, ?::timestamptz)",
          "absurd-" + i, TYPE, absurd[i % absurd.length]);
    }
    // A minutely series anchored at -infinity (its next run is too far to walk to), and rows the scheduler cannot read.
    db.update("insert into scheduled_tasks (task_key, type, rrule, timezone, next_run_at) "
        + "values ('minutely-since-ever', ?, 'FREQ=MINUTELY', 'UTC', '-infinity')", TYPE);
    db.update("insert into scheduled_tasks (task_key, type, cron, timezone, next_run_at) "
        + "values ('bad-zone', ?, '0 8 * * *', 'Mars/Olympus_Mons', '-infinity')", TYPE);
    db.update("insert into scheduled_tasks (task_key, type, cron, timezone, next_run_at) "
        + "values ('bad-cron', ?, 'every morning', 'UTC', '1700-01-01')", TYPE);
    tasks.schedule(TaskSpec.once(null, "normal", TYPE, new JsonObject(), clock.instant())).await();
    deploy(Duration.ofMillis(200), 50, 50, Duration.ofSeconds(10));

    await().atMost(Duration.ofSeconds(30)).until(() -> "done".equals(status("normal")));
    await().atMost(Duration.ofSeconds(30))
        .until(() -> db.number("select count(*) from scheduled_tasks where status in ('scheduled', 'running')") == 0);
    assertThat(db.number("select count(*) from scheduled_tasks where task_key like 'absurd-%' and status = 'done'"))
        .isEqualTo(60);
    assertThat(status("minutely-since-ever")).isEqualTo("failed");
    assertThat(lastError("minutely-since-ever")).contains("starts too long before");
    assertThat(runs.stream().filter(r -> r.key().equals("minutely-since-ever"))).hasSize(3);
    assertThat(status("bad-zone")).isEqualTo("failed");
    assertThat(lastError("bad-zone")).startsWith("the task cannot be read").contains("Mars/Olympus_Mons");
    assertThat(status("bad-cron")).isEqualTo("failed");
    assertThat(runs).noneMatch(r -> r.key().startsWith("bad-"));
  }

  @Test
  @DisplayName("a retry runs for the same occurrence: the handler sees the original due time on every attempt, and a "
      + "daily RRULE task retried at 07:00:01 moves on to 07:00 the next day, not 07:00:01")
  void retryKeepsTheOccurrence() {
    deploy(Duration.ofMillis(200));
    Instant seven = Instant.parse("2026-11-25T07:00:00Z");
    behaviour.put("daily", t -> t.attempts() == 1
        ? Future.failedFuture(new IllegalStateException("could not serialize access")) : Future.succeededFuture(TaskOutcome.DONE));
    tasks.schedule(new TaskSpec(null, "daily", TYPE, new JsonObject(), seven, Schedule.rrule("FREQ=DAILY", ZoneId.of("UTC"))))
        .await();

    await().atMost(Duration.ofSeconds(15)).until(() -> Instant.parse("2026-11-26T07:00:00Z").equals(nextRun("daily")));
    assertThat(runs).extracting(Run::attempts).containsExactly(1, 2);
    assertThat(runs).extracting(Run::dueAt).containsExactly(seven, seven);
    assertThat(runs.get(1).runAt()).isAfter(seven.plusMillis(900));
    assertThat(status("daily")).isEqualTo("scheduled");
    assertThat(db.number("select attempts from scheduled_tasks where task_key = 'daily'")).isZero();
    assertThat(db.value("select occurrence_at from scheduled_tasks where task_key = 'daily'", java.sql.Timestamp.class))
        .isNull();
  }

  @Test
  @DisplayName("a claim whose outcome cannot be written is no longer kept alive by the heartbeat (which goes on for a "
      + "task still in flight beside it): it is taken over after the timeout and run again, not left running for ever")
  void unrecordedOutcomeIsTakenOver() {
    // The database refuses every outcome of the first attempt (any move of next_run_at away from a running claim):
    // nothing the scheduler writes for it sticks; a takeover, which leaves next_run_at alone, is let through.
    db.execute("""
        create function refuse_first_outcome() returns trigger language plpgsql as $$
        begin
            raise exception 'the outcome cannot be written' using errcode = '40001';
        end $$;
        create trigger refuse_first_outcome before update on scheduled_tasks for each row
            when (old.task_key = 'stubborn' and old.status = 'running' and old.attempts = 1
                  and new.next_run_at is distinct from old.next_run_at)
            execute function refuse_first_outcome();
        """);
    deploy(Duration.ofMillis(200), 50, 100, Duration.ofSeconds(120));
    Promise<TaskOutcome> busy = Promise.promise();
    behaviour.put("busy", t -> busy.future());
    tasks.schedule(TaskSpec.once(null, "busy", TYPE, new JsonObject(), clock.instant())).await();
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 1);
    tasks.schedule(TaskSpec.once(null, "stubborn", TYPE, new JsonObject(), clock.instant())).await();

    await().atMost(Duration.ofSeconds(30)).until(() -> "done".equals(status("stubborn")));
    assertThat(runs.stream().filter(r -> r.key().equals("stubborn"))).extracting(Run::attempts).containsExactly(1, 2);
    assertThat(status("busy")).isEqualTo("running");
    busy.complete(TaskOutcome.DONE);
    await().atMost(Duration.ofSeconds(10)).until(() -> "done".equals(status("busy")));
  }

  @Test
  @DisplayName("five tasks handed over in one request each get their own outcome: one that fails is retried alone, one "
      + "whose outcome the database refuses is taken over and run again, one another instance took over meanwhile is "
      + "left to it (not completed twice), and the other two are done after one run")
  void aBatchKeepsEachOutcomeItsOwn() {
    db.execute("""
        create function refuse_first_outcome() returns trigger language plpgsql as $$
        begin
            raise exception 'the outcome cannot be written' using errcode = '40001';
        end $$;
        create trigger refuse_first_outcome before update on scheduled_tasks for each row
            when (old.task_key = 'refused' and old.status = 'running' and old.attempts = 1
                  and new.next_run_at is distinct from old.next_run_at)
            execute function refuse_first_outcome();
        """);
    behaviour.put("fails", t -> t.attempts() == 1
        ? Future.failedFuture(new IllegalStateException("the channel is down")) : Future.succeededFuture(TaskOutcome.DONE));
    // Another instance takes the claim over while the batch runs (and keeps beating its heartbeat).
    behaviour.put("taken", t -> pool.preparedQuery("update scheduled_tasks set claimed_by = 'other-instance', "
        + "heartbeat_at = now() + interval '1 hour' where task_key = 'taken'").execute().map(TaskOutcome.DONE));
    for (String key : List.of("ok-1", "fails", "refused", "taken", "ok-2")) {
      tasks.schedule(TaskSpec.once(null, key, TYPE, new JsonObject(), clock.instant())).await();
    }
    deploy(Duration.ofMillis(200));

    await().atMost(Duration.ofSeconds(30)).until(() -> "done".equals(status("fails")) && "done".equals(status("refused")));
    assertThat(batches.get(0)).isEqualTo(5);
    assertThat(status("ok-1")).isEqualTo("done");
    assertThat(status("ok-2")).isEqualTo("done");
    assertThat(runs.stream().filter(r -> r.key().startsWith("ok-"))).hasSize(2);
    assertThat(runs.stream().filter(r -> r.key().equals("fails"))).extracting(Run::attempts).containsExactly(1, 2);
    assertThat(runs.stream().filter(r -> r.key().equals("refused"))).extracting(Run::attempts).containsExactly(1, 2);
    assertThat(claim("taken")).isEqualTo("running by other-instance");
    assertThat(runs.stream().filter(r -> r.key().equals("taken"))).hasSize(1);
    assertThat(givenUp).isEmpty();
  }

  private String status(String key) {
    return db.value("select status from scheduled_tasks where task_key = ?", String.class, key);
  }

  private String lastError(String key) {
    return db.value("select last_error from scheduled_tasks where task_key = ?", String.class, key);
  }

  @Test
  @DisplayName("ensuring a one-shot task keeps another instance's claim on it, replaces another payload's, runs it sooner")
  void ensureKeepsTheClaim() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    JsonObject a = new JsonObject().put("model", "a");
    tasks.ensure(TaskSpec.once(null, "work", TYPE, a, now)).await();
    assertThat(tasks.claim("other-instance", 10).await()).hasSize(1);
    tasks.ensure(TaskSpec.once(null, "work", TYPE, a, now)).await();
    assertThat(claim("work")).isEqualTo("running by other-instance");
    tasks.ensure(TaskSpec.once(null, "work", TYPE, new JsonObject().put("model", "b"), now)).await();
    assertThat(claim("work")).isEqualTo("scheduled by nobody");

    tasks.schedule(TaskSpec.once(null, "later", TYPE, a, now.plus(Duration.ofHours(1)))).await();
    tasks.ensure(TaskSpec.once(null, "later", TYPE, a, now)).await();
    assertThat(nextRun("later")).isEqualTo(now);
    tasks.ensure(TaskSpec.once(null, "later", TYPE, a, now.plus(Duration.ofMinutes(1)))).await();
    assertThat(nextRun("later")).isEqualTo(now);
  }

  private String claim(String key) {
    return db.strings("select status || ' by ' || coalesce(claimed_by, 'nobody') from scheduled_tasks"
        + " where task_key = ?", key).getFirst();
  }

  private Instant nextRun(String key) {
    var value = db.value("select next_run_at from scheduled_tasks where task_key = ?", java.sql.Timestamp.class, key);
    return value == null ? null : value.toInstant();
  }
}
