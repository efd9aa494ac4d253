package dev.aide.scheduler;

import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskHandler;
import dev.aide.platform.task.TaskOutcome;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts each task handler on the event bus at its type's address, where the scheduler sends the due tasks of that type
 * a batch at a time (as many as the handler's {@link TaskHandler#batchSize()}); the reply carries each task's outcome,
 * a failure included, and the scheduler retries a failed task with backoff and tells the handler when it gives up.
 */
public final class TaskHandlersVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TaskHandlersVerticle.class);

  private final List<TaskHandler> handlers;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  public TaskHandlersVerticle(List<TaskHandler> handlers) {
    this.handlers = handlers;
  }

  @Override
  public Future<?> start() {
    for (TaskHandler handler : handlers) {
      consumers.add(vertx.eventBus().consumer(SchedulerBus.handler(handler.type()), message -> {
        List<ScheduledTask> tasks;
        try {
          tasks = SchedulerBus.tasks((JsonObject) message.body());
        } catch (RuntimeException e) {
          message.fail(500, "the tasks cannot be read: " + e);
          return;
        }
        List<Future<TaskOutcome>> outcomes;
        try {
          outcomes = handler.runAll(tasks);
        } catch (RuntimeException e) {
          outcomes = tasks.stream().map(t -> Future.<TaskOutcome>failedFuture(e)).toList();
        }
        List<Future<TaskOutcome>> each = outcomes;
        Future.join(each).onComplete(ar -> message.reply(SchedulerBus.outcomes(each)));
      }));
      consumers.add(vertx.eventBus().consumer(SchedulerBus.gaveUp(handler.type()), message -> {
        JsonObject body = (JsonObject) message.body();
        handler.gaveUp(ScheduledTask.fromJson(body.getJsonObject("task")), body.getString("error"))
            .onFailure(e -> LOG.warn("Could not record that task {} was given up: {}",
                body.getJsonObject("task").getString("key"), e.toString()));
      }));
    }
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
