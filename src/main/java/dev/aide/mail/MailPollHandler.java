package dev.aide.mail;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskHandler;
import dev.aide.platform.task.TaskOutcome;
import dev.aide.scheduler.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The new-mail polling of one mail account, every AIDE_ACCOUNTS_SYNC_MINUTES: a failed poll is the account's status
 * (error, with the reason), not the task's failure; an account that is gone ends its task.
 */
final class MailPollHandler implements TaskHandler {

  static final String TYPE = "mail-poll";

  private final MailService mail;
  private final Duration interval;
  private final Clock clock;

  MailPollHandler(MailService mail, Duration interval, Clock clock) {
    this.mail = mail;
    this.interval = interval;
    this.clock = clock;
  }

  static String key(UUID accountId) {
    return TYPE + ":" + accountId;
  }

  static TaskSpec spec(UUID userId, UUID accountId, Instant at) {
    return TaskSpec.once(userId, key(accountId), TYPE, new JsonObject().put("accountId", accountId.toString())
        .put("title", "Check a mail account for new mail"), at);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Future<TaskOutcome> run(ScheduledTask task) {
    UUID accountId = UUID.fromString(task.payload().getString("accountId"));
    return mail.poll(task.userId(), accountId)
        .map(report -> TaskOutcome.runAgainAt(clock.instant().plus(interval)))
        .recover(e -> e instanceof DomainException d && d.kind() == DomainException.Kind.NOT_FOUND
            ? Future.succeededFuture(TaskOutcome.DONE) : Future.failedFuture(e));
  }
}
