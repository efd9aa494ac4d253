package dev.aide.scheduler;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The scheduler's part of /health, telling the truth: it is {@code degraded}, with the reasons, when due tasks wait
 * more than a minute (no instance is claiming them, or the work outruns them), when running tasks are stuck (their
 * heartbeat stopped longer ago than a takeover should take, or they were claimed longer ago than any handler may run),
 * or when a task gave up after its last attempt within the hour.
 */
public final class SchedulerHealth {

  /** How long a due task may wait before the scheduler is behind. */
  public static final Duration LATE = Duration.ofMinutes(1);
  /** How long a task that gave up after its last attempt keeps /health degraded. */
  public static final Duration GAVE_UP = Duration.ofHours(1);

  private final TaskRepository tasks;
  private final Clock clock;
  private final Duration stale;
  private final Duration longestRun;

  /**
   * @param takeoverTimeout after how long without a heartbeat a claim is taken over; twice that without one is stuck
   * @param handlerTimeout how long a handler may run; a claim older than that (and a takeover) is stuck
   */
  public SchedulerHealth(TaskRepository tasks, Clock clock, Duration takeoverTimeout, Duration handlerTimeout) {
    this.tasks = tasks;
    this.clock = clock;
    this.stale = takeoverTimeout.multipliedBy(2);
    this.longestRun = handlerTimeout.plus(stale);
  }

  public Future<JsonObject> report() {
    Instant now = clock.instant();
    return tasks.health(now.minus(LATE), now.minus(stale), now.minus(longestRun), now.minus(GAVE_UP)).map(h -> {
      JsonArray reasons = new JsonArray();
      if (h.late() > 0) {
        reasons.add(h.late() + " task(s) due more than " + LATE.toSeconds() + " s ago are not running (oldest due "
            + Math.round(h.oldestDueAgeSeconds()) + " s ago)");
      }
      if (h.stuck() > 0) {
        reasons.add(h.stuck() + " running task(s) are stuck (no heartbeat for " + stale.toSeconds()
            + " s, or running longer than " + longestRun.toSeconds() + " s)");
      }
      if (h.failedRecently() > 0) {
        reasons.add(h.failedRecently() + " task(s) gave up after their last attempt in the last hour (their error is in"
            + " scheduled_tasks.last_error)");
      }
      JsonObject report = new JsonObject()
          .put("status", reasons.isEmpty() ? "ok" : "degraded")
          .put("dueUnclaimed", h.due())
          .put("oldestDueAgeSeconds", h.oldestDueAgeSeconds())
          .put("running", h.running())
          .put("stuck", h.stuck())
          .put("failed", h.failed())
          .put("failedLastHour", h.failedRecently());
      return reasons.isEmpty() ? report : report.put("reasons", reasons);
    });
  }
}
