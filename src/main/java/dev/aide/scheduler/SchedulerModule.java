package dev.aide.scheduler;

import dev.aide.auth.AuthModule;
import dev.aide.platform.database.Database;
import dev.aide.platform.time.Times;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Features;
import dev.aide.platform.module.HealthReport;
import dev.aide.platform.module.Platform;
import dev.aide.platform.task.TaskHandler;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Work Aide does at a time: the task table every feature schedules into (in its own transaction), the scheduler that
 * claims due tasks and hands each to the handler its feature contributed, and GET /scheduled.
 */
public final class SchedulerModule implements Feature {

  private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

  private final Platform platform;
  private final AuthModule auth;
  private final TaskRepository tasks;
  private final SchedulerVerticle.Options options;

  public SchedulerModule(Platform platform, AuthModule auth) {
    this.platform = platform;
    this.auth = auth;
    this.tasks = new TaskRepository(platform.pool(), platform.clock());
    var config = platform.config();
    // A handler may call the model (the digest): it gets the model's timeout and a minute more.
    this.options = new SchedulerVerticle.Options(platform.instance(), config.scheduler().batchSize(),
        config.scheduler().maxInFlight(), config.scheduler().pollInterval(), config.scheduler().takeoverTimeout(),
        config.llm().timeout().plusSeconds(60), config.scheduler().maxAttempts());
  }

  public TaskRepository tasks() {
    return tasks;
  }

  @Override
  public void routes(Router api) {
    new SchedulerRoutes(tasks, auth.users(), platform.clock()).mount(api);
  }

  @Override
  public Map<String, HealthReport> health() {
    return Map.of("scheduler", new SchedulerHealth(tasks, platform.clock(), options.takeoverTimeout(),
        options.handlerTimeout())::report);
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("scheduled", (userId, zone) -> Exports.of(tasks.upcoming(userId, END_OF_TIME, Exports.ALL),
        t -> new JsonObject()
            .put("id", t.id().toString()).put("key", t.key()).put("type", t.type()).put("payload", t.payload())
            .put("nextRunAt", Times.iso(t.nextRunAt().atZone(zone).toOffsetDateTime()))
            .put("cron", t.schedule() == null ? null : t.schedule().cron())
            .put("rrule", t.schedule() == null ? null : t.schedule().rrule())));
  }

  @Override
  public List<Deployable> verticles(Features all) {
    Map<String, Integer> batchSizes = all.taskHandlers().stream()
        .collect(Collectors.toMap(TaskHandler::type, TaskHandler::batchSize));
    return List.of(new TaskHandlersVerticle(all.taskHandlers()),
        new SchedulerVerticle(tasks, () -> Database.subscriber(platform.vertx(), platform.config().database().url()),
            platform.clock(), options, batchSizes, platform.metrics()));
  }
}
