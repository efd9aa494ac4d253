package dev.aide.scheduler;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A claimed task on its way to the handler of its type: what it is for (key, payload), the instant it was due (for a
 * recurring task, the occurrence being run) and how many times it has been tried.
 */
public record ScheduledTask(UUID id, UUID userId, String key, String type, JsonObject payload, Instant dueAt,
                            Schedule schedule, int attempts) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("userId", userId == null ? null : userId.toString())
        .put("key", key)
        .put("type", type)
        .put("payload", payload)
        .put("dueAt", dueAt.toString())
        .put("cron", schedule == null ? null : schedule.cron())
        .put("rrule", schedule == null ? null : schedule.rrule())
        .put("timezone", schedule == null ? null : schedule.zone().getId())
        .put("attempts", attempts);
  }

  public static ScheduledTask fromJson(JsonObject json) {
    String userId = json.getString("userId");
    String timezone = json.getString("timezone");
    return new ScheduledTask(UUID.fromString(json.getString("id")), userId == null ? null : UUID.fromString(userId),
        json.getString("key"), json.getString("type"), json.getJsonObject("payload"),
        Instant.parse(json.getString("dueAt")),
        timezone == null ? null : new Schedule(json.getString("cron"), json.getString("rrule"), ZoneId.of(timezone)),
        json.getInteger("attempts"));
  }
}
