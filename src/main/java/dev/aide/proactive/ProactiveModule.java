package dev.aide.proactive;

import dev.aide.conversation.ConversationModule;
import dev.aide.notification.NotificationModule;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import dev.aide.platform.task.TaskHandler;
import dev.aide.scheduler.SchedulerModule;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/** Messages the person asked Aide to send them later ("message me at 6pm: call John"). */
public final class ProactiveModule implements Feature {

  private final ConversationModule conversation;
  private final ProactiveRepository rows;
  private final ProactiveService messages;
  private final ProactiveMessageHandler due;

  public ProactiveModule(Platform platform, SchedulerModule scheduler, NotificationModule notifications,
                         ConversationModule conversation) {
    this.conversation = conversation;
    this.rows = new ProactiveRepository(platform.pool());
    this.messages = new ProactiveService(platform.pool(), rows, scheduler.tasks(), platform.clock());
    this.due = new ProactiveMessageHandler(platform.pool(), rows, notifications.notifier(), platform.clock());
  }

  @Override
  public void routes(Router api) {
    new ProactiveRoutes(messages).mount(api);
  }

  @Override
  public List<Object> tools() {
    return List.of(new ProactiveTools(messages, conversation.confirmations()));
  }

  @Override
  public List<TaskHandler> taskHandlers() {
    return List.of(due);
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("proactiveMessages", (userId, zone) -> Exports.of(rows.list(userId, null, Exports.ALL),
        ProactiveMessage::toJson));
  }
}
