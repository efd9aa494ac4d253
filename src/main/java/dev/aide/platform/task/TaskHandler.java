package dev.aide.platform.task;

import io.vertx.core.Future;
import java.util.List;

/**
 * Does the work of one type of task. It must be safe to run twice for the same occurrence (a task taken over after a
 * crash, or retried after a failure, runs again): whatever it sends goes to the outbox with an idempotency key made of
 * what the task is for and the occurrence. A retry carries the occurrence it retries ({@link
 * ScheduledTask#occurrenceAt()}), so a handler that checks its thing is still due compares that, never the time the
 * retry ran.
 */
public interface TaskHandler {

  String type();

  Future<TaskOutcome> run(ScheduledTask task);

  /**
   * How many due tasks of this type one call of {@link #runAll} may take. 1, the default, gives each task a call of
   * its own, so a slow one (a model call) never holds up another's outcome; a handler whose work is a few statements
   * takes more and does them together.
   */
  default int batchSize() {
    return 1;
  }

  /**
   * Runs several due tasks of this type: one outcome per task, in the order given. Each is the task's own: one that
   * fails (or throws) never fails another. The default runs each on its own.
   */
  default List<Future<TaskOutcome>> runAll(List<ScheduledTask> tasks) {
    return tasks.stream().map(this::runGuarded).toList();
  }

  /** {@link #run}, with a handler that throws instead of answering a failed future made to answer one. */
  default Future<TaskOutcome> runGuarded(ScheduledTask task) {
    try {
      return run(task);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * The scheduler gave up on a one-shot task after its last attempt failed: the handler may record that on its
   * thing (a scheduled message becomes failed), so nothing stays pending for ever.
   */
  default Future<Void> gaveUp(ScheduledTask task, String error) {
    return Future.succeededFuture();
  }
}
