package dev.aide.reminder;

import dev.aide.calendar.CalendarModule;
import dev.aide.conversation.ConversationModule;
import dev.aide.notification.NotificationModule;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.aide.platform.task.TaskHandler;
import dev.aide.scheduler.SchedulerModule;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reminders: kept through the API and the assistant, told when due, repeating by their rule, linked to events. */
public final class ReminderModule implements Feature {

  private final Platform platform;
  private final CalendarModule calendar;
  private final ConversationModule conversation;
  private final ReminderRepository rows;
  private final ReminderService reminders;
  private final ReminderDueHandler due;

  public ReminderModule(Platform platform, SchedulerModule scheduler, CalendarModule calendar,
                        NotificationModule notifications, ConversationModule conversation) {
    this.platform = platform;
    this.calendar = calendar;
    this.conversation = conversation;
    this.rows = new ReminderRepository(platform.pool(), scheduler.tasks());
    calendar.linkReminders(rows::followEvent);
    var limits = platform.config().limits();
    RateLimiter limiter = platform.limiter();
    this.reminders = new ReminderService(rows,
        limiter.gate(new RateLimiter.Window("reminders-hour", limits.remindersPerHour(), Duration.ofHours(1),
                "You have created too many reminders this hour"))
            .and(limiter.gate(new RateLimiter.Window("reminders-day", limits.remindersPerDay(), Duration.ofDays(1),
                "You have created too many reminders today"))), platform.clock());
    this.due = new ReminderDueHandler(platform.pool(), rows, notifications.notifier(), platform.clock());
  }

  public ReminderService reminders() {
    return reminders;
  }

  @Override
  public void routes(Router api) {
    new ReminderRoutes(reminders, platform.clock()).mount(api);
  }

  @Override
  public List<Object> tools() {
    return List.of(new ReminderTools(reminders, calendar.events(), conversation.confirmations(), platform.clock()));
  }

  @Override
  public List<TaskHandler> taskHandlers() {
    return List.of(due);
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("reminders", (userId, zone) -> Exports.of(rows.list(userId, null, null, null, Exports.ALL),
        Reminder::toJson));
  }
}
