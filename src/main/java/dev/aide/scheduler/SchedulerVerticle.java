package dev.aide.scheduler;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due tasks: claims them in batches (several instances share the table), hands each over the event bus to the
 * handler of its type, and records the outcome: the next run of a recurring task, a retry with backoff, done or
 * failed. It wakes at the soonest due time, on a NOTIFY when a task is scheduled (perhaps sooner), and at least every
 * poll interval in case a notification was lost. While it holds claims it beats their heartbeat; claims of an
 * instance that stopped beating are taken over after the takeover timeout.
 */
public final class SchedulerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
  private static final Duration COALESCE = Duration.ofMillis(20);

  /** How the scheduler behaves; the defaults suit one household as well as a benchmark. */
  public record Options(String instance, int batchSize, int maxInFlight, Duration pollInterval,
                        Duration takeoverTimeout, Duration handlerTimeout, int maxAttempts) {}

  private final TaskRepository tasks;
  private final Supplier<PgSubscriber> listener;
  private final Clock clock;
  private final Options options;
  private final MeterRegistry metrics;
  private final Timer lag;
  private PgSubscriber subscriber;
  private MessageConsumer<Object> wakeConsumer;
  private boolean claiming;
  private boolean again;
  private int inFlight;
  private long timer = -1;
  private Instant timerAt;
  private long heartbeat;
  private long takeover;

  public SchedulerVerticle(TaskRepository tasks, Supplier<PgSubscriber> listener, Clock clock, Options options,
                           MeterRegistry metrics) {
    this.tasks = tasks;
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
        .onSuccess(claimed -> claimed.forEach(this::dispatch))
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

  private void dispatch(ScheduledTask task) {
    inFlight++;
    lag.record(Duration.between(task.dueAt(), clock.instant()).abs());
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(options.handlerTimeout().toMillis());
    vertx.eventBus().request(SchedulerBus.handler(task.type()), task.toJson(), delivery)
        .map(reply -> TaskOutcome.fromJson(reply.body()))
        .transform(ar -> {
          metrics.counter("aide.scheduler.tasks", "type", task.type(), "outcome", ar.succeeded() ? "ok" : "failed")
              .increment();
          return ar.succeeded() ? succeeded(task, ar.result()) : failed(task, ar.cause());
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("Could not record the outcome of task {}: {}", task.key(), ar.cause().toString());
          }
          inFlight--;
          // Refills a batch at a time: waking for every finished task would claim the next tasks one by one, a claim
          // (an UPDATE and a commit) per task, on every instance at once.
          if (options.maxInFlight() - inFlight == Math.min(options.batchSize(), options.maxInFlight()) || inFlight == 0) {
            wake();
          }
        });
  }

  private Future<Boolean> succeeded(ScheduledTask task, TaskOutcome outcome) {
    Instant next = outcome.runAgainAt() != null ? outcome.runAgainAt() : nextRun(task);
    return next == null
        ? tasks.finish(task, options.instance(), false, null)
        : tasks.reschedule(task, options.instance(), next, 0, null);
  }

  /**
   * A recurring task's next run after the occurrence it ran: the first one still ahead, so after downtime the
   * missed occurrences cost one catch-up run (the one just done), not a burst.
   */
  private Instant nextRun(ScheduledTask task) {
    if (task.schedule() == null) {
      return null;
    }
    Instant now = clock.instant();
    Instant after = task.dueAt().isAfter(now) ? task.dueAt() : now;
    return task.schedule().next(task.dueAt(), after).orElse(null);
  }

  private Future<Boolean> failed(ScheduledTask task, Throwable cause) {
    String error = cause instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
        ? "no handler for task type " + task.type() : String.valueOf(cause.getMessage());
    if (task.attempts() < options.maxAttempts()) {
      LOG.warn("Task {} failed (attempt {} of {}): {}", task.key(), task.attempts(), options.maxAttempts(), error);
      return tasks.reschedule(task, options.instance(), clock.instant().plus(backoff(task.attempts())),
          task.attempts(), error);
    }
    Instant next = nextRun(task);
    LOG.error("Task {} failed {} times, {}: {}", task.key(), task.attempts(),
        next == null ? "giving up" : "skipping to its next run", error);
    if (next != null) {
      return tasks.reschedule(task, options.instance(), next, 0, error);
    }
    return tasks.finish(task, options.instance(), true, error).onSuccess(finished -> {
      if (finished) {
        vertx.eventBus().send(SchedulerBus.gaveUp(task.type()), new JsonObject().put("task", task.toJson()).put("error", error));
      }
    });
  }

  /** 1 s, 2 s, 4 s … up to half an hour. */
  static Duration backoff(int attempts) {
    long seconds = 1L << Math.min(Math.max(attempts - 1, 0), 20);
    return seconds > MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
  }

  private void beat() {
    if (inFlight > 0) {
      tasks.heartbeat(options.instance())
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
