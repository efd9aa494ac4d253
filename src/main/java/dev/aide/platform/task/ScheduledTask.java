package dev.aide.platform.task;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A claimed task on its way to the handler of its type: what it is for (key, payload), the occurrence it runs for,
 * when this run was due and how many times it has been tried.
 *
 * @param occurrenceAt the instant the work is for: a one-shot task's due time, a recurring task's occurrence. It stays
 *     the same on every retry, so it is what a handler compares with its thing ("is this reminder still due then?")
 *     and what its idempotency keys name.
 * @param runAt when this run was due: the occurrence on a first attempt, the end of the backoff on a retry (only the
 *     scheduler's lag figure needs it)
 */
public record ScheduledTask(UUID id, UUID userId, String key, String type, JsonObject payload, Instant occurrenceAt,
                            Instant runAt, Schedule schedule, int attempts) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("userId", userId == null ? null : userId.toString())
        .put("key", key)
        .put("type", type)
        .put("payload", payload)
        .put("occurrenceAt", occurrenceAt.toString())
        .put("runAt", runAt.toString())
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
        Instant.parse(json.getString("occurrenceAt")), Instant.parse(json.getString("runAt")),
        timezone == null ? null : new Schedule(json.getString("cron"), json.getString("rrule"), ZoneId.of(timezone)),
        json.getInteger("attempts"));
  }
}
