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
 * Puts each task handler on the event bus at its type's address; a handler's failure goes back to the scheduler,
 * which retries the task with backoff, and tells the handler when it gives up.
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
        Future<TaskOutcome> outcome;
        try {
          outcome = handler.run(ScheduledTask.fromJson((JsonObject) message.body()));
        } catch (RuntimeException e) {
          outcome = Future.failedFuture(e);
        }
        outcome.onComplete(ar -> {
          if (ar.succeeded()) {
            message.reply(ar.result().toJson());
          } else {
            message.fail(500, String.valueOf(ar.cause().getMessage() == null ? ar.cause() : ar.cause().getMessage()));
          }
        });
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
