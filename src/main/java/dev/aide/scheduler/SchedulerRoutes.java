package dev.aide.scheduler;

import dev.aide.auth.Authenticated;
import dev.aide.auth.User;
import dev.aide.auth.UserRepository;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import dev.aide.platform.task.Schedule;
import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * GET /scheduled: the person's upcoming proactive work (reminders, messages, digests, event alerts), soonest first,
 * up to {@code until} (default a week ahead). Each entry is read from its task alone: the feature that schedules a
 * task puts a human summary ({@code title}) and the id of its thing in the payload, so this view needs no knowledge of
 * the features, costs one indexed query, and shows a new kind of task without change.
 */
public final class SchedulerRoutes {

  private static final Duration DEFAULT_AHEAD = Duration.ofDays(7);
  /** Payload fields that name the thing a task is for; copied as they are. */
  private static final List<String> ID_FIELDS = List.of("reminderId", "proactiveMessageId", "eventId");
  /** What an entry is called when its task carries no summary. */
  private static final Map<String, String> DEFAULT_TITLES = Map.of(
      "reminder", "Reminder", "proactive", "Message", "digest", "Daily digest", "event-alert", "Event alert");

  private final TaskRepository tasks;
  private final UserRepository users;
  private final Clock clock;

  public SchedulerRoutes(TaskRepository tasks, UserRepository users, Clock clock) {
    this.tasks = tasks;
    this.users = users;
    this.clock = clock;
  }

  public void mount(Router api) {
    api.get("/scheduled").handler(this::upcoming);
  }

  private void upcoming(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    OffsetDateTime until = Params.instant(ctx, "until");
    int limit = Params.limit(ctx, 100, 1000);
    Instant end = until != null ? until.toInstant() : clock.instant().plus(DEFAULT_AHEAD);
    Replies.json(ctx, 200, users.findById(userId)
        .map(user -> user.map(User::timezone).orElse(ZoneId.of("UTC")))
        .compose(zone -> tasks.upcoming(userId, end, limit).map(list -> Replies.items(list, t -> toJson(t, zone)))));
  }

  private static JsonObject toJson(TaskRepository.Upcoming task, ZoneId zone) {
    JsonObject payload = task.payload();
    String title = payload.getString("title");
    JsonObject json = new JsonObject()
        .put("type", task.type())
        .put("dueAt", Times.iso(task.nextRunAt().atZone(zone).toOffsetDateTime()))
        .put("title", title != null ? title : DEFAULT_TITLES.getOrDefault(task.type(), task.type()));
    // A reminder repeats by its own rule (its task is moved on after each run); other work by its task's schedule.
    Schedule schedule = task.schedule();
    String rrule = schedule != null ? schedule.rrule() : payload.getString("rrule");
    json.put("recurring", rrule != null || (schedule != null && schedule.cron() != null))
        .put("rrule", rrule)
        .put("cron", schedule == null ? null : schedule.cron());
    for (String field : ID_FIELDS) {
      if (payload.getValue(field) != null) {
        json.put(field, payload.getValue(field));
      }
    }
    return json;
  }
}
