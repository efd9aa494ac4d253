package dev.aide.scheduler;

import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskOutcome;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Event-bus addresses of the scheduler, and the messages on them: a batch of due tasks of one type,
 * {@code {"tasks":[…]}}, answered by one outcome per task in the same order, {@code {"outcomes":[{"runAgainAt":…} |
 * {"error":"…"}]}}.
 */
public final class SchedulerBus {

  /** Send (any body) to make the scheduler look for due tasks at once. */
  public static final String WAKE = "aide.scheduler.wake";

  private SchedulerBus() {}

  /** Where the handler of a task type hears that the scheduler gave up on one of its tasks. */
  public static String gaveUp(String type) {
    return "aide.task." + type + ".gave-up";
  }

  /** Where the handler of a task type listens. */
  public static String handler(String type) {
    return "aide.task." + type;
  }

  static JsonObject batch(List<ScheduledTask> tasks) {
    JsonArray array = new JsonArray(new ArrayList<>(tasks.size()));
    tasks.forEach(task -> array.add(task.toJson()));
    return new JsonObject().put("tasks", array);
  }

  static List<ScheduledTask> tasks(JsonObject batch) {
    JsonArray array = batch.getJsonArray("tasks");
    List<ScheduledTask> tasks = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      tasks.add(ScheduledTask.fromJson(array.getJsonObject(i)));
    }
    return tasks;
  }

  /** The completed outcomes as a reply: a failure is its message. */
  static JsonObject outcomes(List<Future<TaskOutcome>> outcomes) {
    JsonArray array = new JsonArray(new ArrayList<>(outcomes.size()));
    for (Future<TaskOutcome> outcome : outcomes) {
      array.add(outcome.succeeded() ? outcome.result().toJson() : new JsonObject().put("error", message(outcome.cause())));
    }
    return new JsonObject().put("outcomes", array);
  }

  /** The reply read back: one result per task of the batch, a failure carrying the handler's message. */
  static List<AsyncResult<TaskOutcome>> results(Object reply, int count) {
    JsonArray array = reply instanceof JsonObject json ? json.getJsonArray("outcomes") : null;
    if (array == null || array.size() != count) {
      throw new IllegalStateException("the handler answered " + (array == null ? "no outcomes" : array.size()
          + " outcomes") + " for " + count + " tasks");
    }
    List<AsyncResult<TaskOutcome>> results = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      JsonObject outcome = array.getJsonObject(i);
      results.add(outcome.containsKey("error")
          ? Future.failedFuture(new HandlerFailure(outcome.getString("error")))
          : Future.succeededFuture(TaskOutcome.fromJson(outcome)));
    }
    return results;
  }

  private static String message(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** A task's handler failed it, with this message. */
  static final class HandlerFailure extends RuntimeException {
    HandlerFailure(String message) {
      super(message, null, false, false);
    }
  }
}
