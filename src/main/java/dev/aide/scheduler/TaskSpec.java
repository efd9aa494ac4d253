package dev.aide.scheduler;

import dev.aide.platform.task.Schedule;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * Work to schedule: one-shot at {@code runAt}, or recurring by {@code schedule} (first run: runAt when given, else
 * the schedule's next run). The key names what the task is for, so scheduling it again replaces it.
 */
public record TaskSpec(UUID userId, String key, String type, JsonObject payload, Instant runAt, Schedule schedule) {

  public static TaskSpec once(UUID userId, String key, String type, JsonObject payload, Instant runAt) {
    return new TaskSpec(userId, key, type, payload, runAt, null);
  }

  public static TaskSpec recurring(UUID userId, String key, String type, JsonObject payload, Schedule schedule) {
    return new TaskSpec(userId, key, type, payload, null, schedule);
  }
}
