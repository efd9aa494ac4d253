package dev.aide.platform.task;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What a handler says when it has done a task's work: nothing more (a recurring task then moves to its next run by
 * its schedule), or run again at a given instant (for work whose next time only the handler knows, such as the next
 * occurrence of an event).
 */
public record TaskOutcome(Instant runAgainAt) {

  public static final TaskOutcome DONE = new TaskOutcome(null);

  public static TaskOutcome runAgainAt(Instant instant) {
    return new TaskOutcome(instant);
  }

  public JsonObject toJson() {
    return new JsonObject().put("runAgainAt", runAgainAt == null ? null : runAgainAt.toString());
  }

  public static TaskOutcome fromJson(Object body) {
    if (!(body instanceof JsonObject json) || json.getString("runAgainAt") == null) {
      return DONE;
    }
    return runAgainAt(Instant.parse(json.getString("runAgainAt")));
  }
}
