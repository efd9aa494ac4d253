package dev.aide.digest;

import dev.aide.auth.AuthModule;
import dev.aide.calendar.CalendarModule;
import dev.aide.expense.ExpenseModule;
import dev.aide.notification.NotificationModule;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import dev.aide.platform.task.TaskHandler;
import dev.aide.reminder.ReminderModule;
import dev.aide.scheduler.SchedulerModule;
import dev.langchain4j.model.chat.ChatModel;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/**
 * The daily digest at the person's hour: today's agenda, reminders due and yesterday's spending, written by the
 * model (or a template with the offline model). Its schedule follows the person's profile.
 */
public final class DigestModule implements Feature {

  private final AuthModule auth;
  private final DigestRepository digests;
  private final DigestSchedule schedule;
  private final DigestHandler handler;

  /** @param model the chat model, or null with the offline model: the template writes the digest then */
  public DigestModule(Platform platform, AuthModule auth, SchedulerModule scheduler, NotificationModule notifications,
                      CalendarModule calendar, ReminderModule reminders, ExpenseModule expenses, ChatModel model,
                      String modelName) {
    this.auth = auth;
    this.digests = new DigestRepository(platform.pool(), platform.clock());
    this.schedule = new DigestSchedule(digests, scheduler.tasks());
    auth.service().follow(schedule);
    TemplateDigest template = new TemplateDigest();
    DigestWriter writer = model == null ? template : new ModelDigest(platform.vertx(), model, modelName, template);
    this.handler = new DigestHandler(platform.pool(), digests, schedule, calendar.events(), reminders.reminders(),
        expenses.expenses(), writer, notifications.notifier(), platform.clock());
  }

  /** Every person's digest task matches their profile, whatever happened while Aide was down. */
  @Override
  public Future<Void> prepare() {
    return schedule.reconcile().mapEmpty();
  }

  @Override
  public void routes(Router api) {
    new SummaryRoutes(digests, auth.users()).mount(api);
  }

  @Override
  public List<TaskHandler> taskHandlers() {
    return List.of(handler);
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("summaries", (userId, zone) -> Exports.of(digests.listSummaries(userId, null, Exports.ALL),
        s -> s.toJson(zone)));
  }
}
