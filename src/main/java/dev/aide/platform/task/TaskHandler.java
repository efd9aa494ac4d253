package dev.aide.platform.task;

import io.vertx.core.Future;

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
   * The scheduler gave up on a one-shot task after its last attempt failed: the handler may record that on its
   * thing (a scheduled message becomes failed), so nothing stays pending for ever.
   */
  default Future<Void> gaveUp(ScheduledTask task, String error) {
    return Future.succeededFuture();
  }
}
