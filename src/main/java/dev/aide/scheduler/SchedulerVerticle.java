package dev.aide.scheduler;

import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due tasks: claims them in batches (several instances share the table), hands them over the event bus to the
 * handler of their type (a batch to a request, as many as the handler takes), and records the outcomes, a batch's in
 * one statement: the next run of a recurring task, a retry with backoff, done or failed. It wakes at the soonest due time, on a NOTIFY when a task is scheduled (perhaps sooner), and at least every
 * poll interval in case a notification was lost. While it holds claims it beats their heartbeat; claims of an
 * instance that stopped beating are taken over after the takeover timeout.
 */
public final class SchedulerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
  private static final Duration COALESCE = Duration.ofMillis(20);
  /** Lag figures are capped here: a task written for a far-off instant must not overflow the timer. */
  private static final Duration MAX_LAG = Duration.ofDays(366);

  /** How the scheduler behaves; the defaults suit one household as well as a benchmark. */
  public record Options(String instance, int batchSize, int maxInFlight, Duration pollInterval,
                        Duration takeoverTimeout, Duration handlerTimeout, int maxAttempts) {}

  private final TaskRepository tasks;
  private final Supplier<PgSubscriber> listener;
  private final Clock clock;
  private final Options options;
  private final Map<String, Integer> batchSizes;
  private final MeterRegistry metrics;
  private final Timer lag;
  private PgSubscriber subscriber;
  private MessageConsumer<Object> wakeConsumer;
  private boolean claiming;
  private boolean again;
  private int inFlight;
  /** The tasks in flight, whose claims the heartbeat keeps (a list: a task taken over from us may be ours twice). */
  private final List<UUID> running = new ArrayList<>();
  private long timer = -1;
  private Instant timerAt;
  private long heartbeat;
  private long takeover;

  /**
   * @param batchSizes how many tasks of a type one request to its handler carries (its {@link
   *     dev.aide.platform.task.TaskHandler#batchSize()}); a type not in it gets a request per task
   */
  public SchedulerVerticle(TaskRepository tasks, Supplier<PgSubscriber> listener, Clock clock, Options options,
                           Map<String, Integer> batchSizes, MeterRegistry metrics) {
    this.tasks = tasks;
    this.batchSizes = Map.copyOf(batchSizes);
    this.listener = listener;
    this.clock = clock;
    this.options = options;
    this.metrics = metrics;
    this.lag = Timer.builder("aide.scheduler.lag").description("How late tasks start against their due time")
        .publishPercentiles(0.5, 0.99).register(metrics);
  }

  @Override
  public Future<?> start() {
    wakeConsumer = vertx.eventBus().consumer(SchedulerBus.WAKE, message -> wake());
    long beat = Math.max(200, options.takeoverTimeout().toMillis() / 4);
    heartbeat = vertx.setPeriodic(beat, id -> beat());
    takeover = vertx.setPeriodic(beat, id -> takeOver());
    subscriber = listener.get();
    subscriber.channel("aide_tasks").handler(payload -> wake());
    // A missing LISTEN only costs latency (the poll still finds due tasks), so start-up does not wait for it.
    subscriber.connect().onFailure(e -> LOG.warn("Scheduler LISTEN failed, polling every {} ms: {}",
        options.pollInterval().toMillis(), e.toString()));
    return wakeConsumer.completion().onSuccess(v -> {
      LOG.info("Scheduler {} started", options.instance());
      wake();
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(heartbeat);
    vertx.cancelTimer(takeover);
    vertx.cancelTimer(timer);
    return Future.join(wakeConsumer.unregister(), subscriber.close());
  }

  /** Claims and dispatches due tasks until none is due or the in-flight limit is reached, then sleeps. */
  private void wake() {
    if (claiming) {
      again = true;
      return;
    }
    int capacity = options.maxInFlight() - inFlight;
    if (capacity <= 0) {
      return; // a finishing task wakes the scheduler again
    }
    claiming = true;
    again = false;
    tasks.claim(options.instance(), Math.min(options.batchSize(), capacity))
        .onSuccess(this::dispatch)
        .compose(claimed -> claimed.size() == Math.min(options.batchSize(), capacity) || again
            ? Future.succeededFuture(true) : sleep().map(false))
        .onComplete(ar -> {
          claiming = false;
          if (ar.failed()) {
            LOG.warn("Scheduler claim failed: {}", ar.cause().toString());
            arm(clock.instant().plus(Duration.ofSeconds(1)));
          } else if (ar.result() || again) {
            wake();
          }
        });
  }

  /**
   * Sets the timer for the soonest scheduled task, at most one poll interval away and at least {@link #COALESCE}:
   * with tasks due every few milliseconds, each wake-up claims all that came due since the last one instead of one
   * claim per task on every instance.
   */
  private Future<Void> sleep() {
    return tasks.nextDue().map(next -> {
      Instant now = clock.instant();
      Instant poll = now.plus(options.pollInterval());
      Instant soonest = now.plus(COALESCE);
      Instant at = next.filter(n -> n.isBefore(poll)).orElse(poll);
      arm(at.isBefore(soonest) ? soonest : at);
      return null;
    });
  }

  private void arm(Instant at) {
    if (timerAt != null && !timerAt.isAfter(at)) {
      return; // a timer at least as soon is already set
    }
    vertx.cancelTimer(timer);
    timerAt = at;
    timer = vertx.setTimer(Math.max(1, Duration.between(clock.instant(), at).toMillis()), this::fire);
  }

  private void fire(long id) {
    if (id == timer) {
      timer = -1;
      timerAt = null;
      wake();
    }
  }

  /**
   * Hands the claimed tasks to their handlers: those of one type together, as many to a request as the handler takes
   * (its batch size; 1 for a handler that calls a model, so a slow one holds up no other).
   */
  private void dispatch(List<ScheduledTask> claimed) {
    Map<String, List<ScheduledTask>> byType = new LinkedHashMap<>();
    claimed.forEach(task -> byType.computeIfAbsent(task.type(), t -> new ArrayList<>()).add(task));
    byType.forEach((type, tasks) -> {
      int size = Math.max(1, batchSizes.getOrDefault(type, 1));
      for (int from = 0; from < tasks.size(); from += size) {
        dispatchBatch(type, List.copyOf(tasks.subList(from, Math.min(tasks.size(), from + size))));
      }
    });
  }

  /**
   * Runs a batch of claimed tasks of one type and records their outcomes. Nothing in here may throw or leave a slot
   * taken: whatever goes wrong (a lag figure, a handler, the next run of an absurd schedule, the database) ends in a
   * task's failure path, and a claim whose outcome cannot be written at all stops being kept alive, so it is taken
   * over and tried again.
   */
  private void dispatchBatch(String type, List<ScheduledTask> batch) {
    inFlight += batch.size();
    batch.forEach(task -> running.add(task.id()));
    Future<List<AsyncResult<TaskOutcome>>> ran;
    try {
      batch.forEach(this::recordLag);
      DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(options.handlerTimeout().toMillis());
      ran = vertx.eventBus().request(SchedulerBus.handler(type), SchedulerBus.batch(batch), delivery)
          .map(reply -> SchedulerBus.results(reply.body(), batch.size()));
    } catch (RuntimeException e) {
      ran = Future.failedFuture(e);
    }
    ran.recover(e -> Future.succeededFuture(Collections.<AsyncResult<TaskOutcome>>nCopies(batch.size(),
            Future.failedFuture(e))))
        .compose(results -> record(batch, results))
        .onComplete(ar -> release(batch));
  }

  /**
   * The batch's outcomes written in one statement. When that fails (one outcome the database refuses fails the
   * statement), each is written on its own, so one task's outcome never costs another's.
   */
  private Future<Void> record(List<ScheduledTask> batch, List<AsyncResult<TaskOutcome>> results) {
    List<ScheduledTask> decided = new ArrayList<>(batch.size());
    List<TaskRepository.Outcome> outcomes = new ArrayList<>(batch.size());
    List<Boolean> ran = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      ScheduledTask task = batch.get(i);
      try {
        outcomes.add(decide(task, results.get(i)));
        decided.add(task);
        ran.add(results.get(i).succeeded());
      } catch (RuntimeException e) {
        LOG.warn("No outcome for task {}; another claim takes it over in {} s: {}", task.key(),
            options.takeoverTimeout().toSeconds(), e.toString());
      }
    }
    if (outcomes.isEmpty()) {
      return Future.succeededFuture();
    }
    return tasks.record(options.instance(), outcomes)
        .map(written -> {
          for (int i = 0; i < outcomes.size(); i++) {
            if (written.contains(outcomes.get(i).id())) {
              recorded(decided.get(i), outcomes.get(i));
            }
          }
          return (Void) null;
        })
        .recover(e -> {
          LOG.debug("The outcomes of {} tasks could not be written together, each is written alone: {}",
              outcomes.size(), e.toString());
          List<Future<Void>> each = new ArrayList<>(outcomes.size());
          for (int i = 0; i < outcomes.size(); i++) {
            each.add(recordAlone(decided.get(i), outcomes.get(i), ran.get(i)));
          }
          return Future.join(each).mapEmpty();
        });
  }

  /**
   * One task's outcome on its own; a success whose next run cannot be written counts as a failed attempt, and an
   * outcome that cannot be written at all leaves the claim to be taken over.
   */
  private Future<Void> recordAlone(ScheduledTask task, TaskRepository.Outcome outcome, boolean succeeded) {
    return guarded(() -> tasks.record(options.instance(), outcome))
        .compose(written -> Future.succeededFuture(written ? outcome : null),
            e -> succeeded ? guarded(() -> {
              TaskRepository.Outcome failure = afterFailure(task,
                  new IllegalStateException("its next run could not be recorded: " + message(e), e));
              return tasks.record(options.instance(), failure).map(written -> written ? failure : null);
            }) : Future.failedFuture(e))
        .onSuccess(written -> {
          if (written != null) {
            recorded(task, written);
          }
        })
        .onFailure(e -> LOG.warn("Could not record the outcome of task {}; another claim takes it over in {} s: {}",
            task.key(), options.takeoverTimeout().toSeconds(), e.toString()))
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  /** After an outcome was written: a task given up on is told to its handler. */
  private void recorded(ScheduledTask task, TaskRepository.Outcome outcome) {
    if ("failed".equals(outcome.status())) {
      tellGaveUp(task, outcome.error());
    }
  }

  /** What becomes of a task after its run: a success whose next run cannot be found counts as a failed attempt. */
  private TaskRepository.Outcome decide(ScheduledTask task, AsyncResult<TaskOutcome> ran) {
    count(task, ran.succeeded());
    if (ran.failed()) {
      return afterFailure(task, ran.cause());
    }
    try {
      return afterSuccess(task, ran.result());
    } catch (RuntimeException e) {
      return afterFailure(task, new IllegalStateException("its next run could not be recorded: " + message(e), e));
    }
  }

  private void release(List<ScheduledTask> batch) {
    batch.forEach(task -> running.remove(task.id()));
    inFlight -= batch.size();
    // Refills a batch at a time: waking for every finished task would claim the next tasks one by one, a claim
    // (an UPDATE and a commit) per task, on every instance at once.
    if (options.maxInFlight() - inFlight >= Math.min(options.batchSize(), options.maxInFlight()) || inFlight == 0) {
      wake();
    }
  }

  /** How late the task started; a figure, so it never fails the task (a task due in 1700 is 300 years late). */
  private void recordLag(ScheduledTask task) {
    try {
      Duration late = Duration.between(task.runAt(), clock.instant()).abs();
      lag.record(late.compareTo(MAX_LAG) > 0 ? MAX_LAG : late);
    } catch (RuntimeException e) {
      LOG.debug("Lag of task {} not recorded: {}", task.key(), e.toString());
    }
  }

  private void count(ScheduledTask task, boolean ok) {
    try {
      metrics.counter("aide.scheduler.tasks", "type", task.type(), "outcome", ok ? "ok" : "failed").increment();
    } catch (RuntimeException e) {
      LOG.debug("Outcome of task {} not counted: {}", task.key(), e.toString());
    }
  }

  /** The future the step returns, or a failed one when it throws instead. */
  private static <T> Future<T> guarded(Supplier<Future<T>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private TaskRepository.Outcome afterSuccess(ScheduledTask task, TaskOutcome outcome) {
    Instant next = outcome.runAgainAt() != null ? outcome.runAgainAt() : nextRun(task);
    return next == null ? TaskRepository.Outcome.finish(task, false, null)
        : TaskRepository.Outcome.next(task, next, null);
  }

  /**
   * A recurring task's next run after the occurrence it ran: the first one still ahead, so after downtime the
   * missed occurrences cost one catch-up run (the one just done), not a burst. The series continues from the
   * occurrence, not from when a retry happened to run, so a retried 08:00 task stays at 08:00.
   */
  private Instant nextRun(ScheduledTask task) {
    if (task.schedule() == null) {
      return null;
    }
    Instant now = clock.instant();
    Instant occurrence = task.occurrenceAt();
    Instant after = occurrence.isAfter(now) ? occurrence : now;
    return task.schedule().next(occurrence, after).orElse(null);
  }

  /**
   * A failed attempt: the same occurrence again after a backoff, until the last attempt; then a recurring task
   * skips to its next run and a one-shot task (or one whose next run cannot be found) ends failed, with its error.
   */
  private TaskRepository.Outcome afterFailure(ScheduledTask task, Throwable cause) {
    String error = cause instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
        ? "no handler for task type " + task.type() : message(cause);
    if (task.attempts() < options.maxAttempts()) {
      LOG.warn("Task {} failed (attempt {} of {}): {}", task.key(), task.attempts(), options.maxAttempts(), error);
      return TaskRepository.Outcome.retry(task, clock.instant().plus(backoff(task.attempts())), error);
    }
    Instant next;
    try {
      next = nextRun(task);
    } catch (RuntimeException e) {
      next = null;
      error = error + "; no next run: " + message(e);
    }
    LOG.error("Task {} failed {} times, {}: {}", task.key(), task.attempts(),
        next == null ? "giving up" : "skipping to its next run", error);
    return next != null ? TaskRepository.Outcome.next(task, next, error)
        : TaskRepository.Outcome.finish(task, true, error);
  }

  private void tellGaveUp(ScheduledTask task, String error) {
    try {
      vertx.eventBus().send(SchedulerBus.gaveUp(task.type()), new JsonObject().put("task", task.toJson())
          .put("error", error));
    } catch (RuntimeException e) {
      LOG.warn("Could not tell the handler of task {} that it was given up: {}", task.key(), e.toString());
    }
  }

  private static String message(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** 1 s, 2 s, 4 s … up to half an hour. */
  static Duration backoff(int attempts) {
    long seconds = 1L << Math.min(Math.max(attempts - 1, 0), 20);
    return seconds > MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
  }

  private void beat() {
    if (!running.isEmpty()) {
      tasks.heartbeat(options.instance(), List.copyOf(running))
          .onFailure(e -> LOG.warn("Scheduler heartbeat failed: {}", e.toString()));
    }
  }

  private void takeOver() {
    tasks.takeOver(options.takeoverTimeout()).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("Scheduler takeover check failed: {}", ar.cause().toString());
      } else if (!ar.result().isEmpty()) {
        List<String> keys = ar.result();
        LOG.warn("Took over {} task(s) whose instance stopped: {}", keys.size(),
            keys.size() > 5 ? keys.subList(0, 5) + "…" : keys);
      }
    });
  }
}
