package dev.aide.mail;

import dev.aide.connect.ConnectModule;
import dev.aide.connect.ServerAddresses;
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

/**
 * Mail: the person's mailboxes over IMAP and SMTP, connected as accounts of kind "imap" through /accounts; the
 * assistant's tools to summarize, find, read and (after the person's yes) send mail; and new-mail polling that tells
 * the person about mail from people they have written to or matching the alert rules they set (/mail/alerts).
 */
public final class MailModule implements Feature {

  private final MailAccountRepository rows;
  private final MailAlertRuleRepository rules;
  private final MailAlerts alerts;
  private final MailService mail;
  private final MailTools tools;
  private final MailPollHandler poller;

  public MailModule(Platform platform, SchedulerModule scheduler, ConnectModule connect,
                    NotificationModule notifications, ConversationModule conversation) {
    var config = platform.config().accounts();
    this.rows = new MailAccountRepository(platform.pool());
    this.rules = new MailAlertRuleRepository(platform.pool());
    this.alerts = new MailAlerts(rules);
    MailClient client = new MailClient(new ServerAddresses(config.allowLoopback()), config.requestTimeout());
    this.mail = new MailService(platform.vertx(), client, connect.links(), rows, rules, notifications.notifier(),
        platform.clock(), config.requestTimeout());
    connect.addKind(new MailAccounts(rows, mail, scheduler.tasks(), platform.clock()));
    this.tools = new MailTools(mail, conversation.confirmations());
    this.poller = new MailPollHandler(mail, config.syncInterval(), platform.clock());
  }

  @Override
  public void routes(Router api) {
    new MailAlertRoutes(alerts).mount(api);
  }

  @Override
  public List<Object> tools() {
    return List.of(tools, new MailAlertTools(alerts));
  }

  @Override
  public List<TaskHandler> taskHandlers() {
    return List.of(poller);
  }

  /** The mail Aide sent for the person (to whom, the subject, when); never a mail's text or a password. */
  @Override
  public Map<String, Exporter> exports() {
    return Map.of("sentMail", (userId, zone) -> Exports.of(rows.sentList(userId), json -> json),
        "mailAlerts", (userId, zone) -> Exports.of(rules.list(userId), MailAlertRule::toJson));
  }
}
