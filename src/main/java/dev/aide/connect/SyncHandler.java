package dev.aide.connect;

import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskHandler;
import dev.aide.platform.task.TaskOutcome;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * The periodic sync of one connected account: a task that runs the sync and asks to run again after the interval. A
 * failed sync is the account's status (error, with the reason), not the task's failure; an account that is gone
 * ends its task.
 */
final class SyncHandler implements TaskHandler {

  static final String TYPE = "account-sync";

  private final ConnectedAccountRepository accounts;
  private final CalDavSync sync;
  private final Duration interval;
  private final Clock clock;

  SyncHandler(ConnectedAccountRepository accounts, CalDavSync sync, Duration interval, Clock clock) {
    this.accounts = accounts;
    this.sync = sync;
    this.interval = interval;
    this.clock = clock;
  }

  static String key(UUID accountId) {
    return TYPE + ":" + accountId;
  }

  /** The account's sync task, due at {@code at}; its payload is the same whenever it is made. */
  static dev.aide.scheduler.TaskSpec spec(UUID userId, UUID accountId, java.time.Instant at) {
    return dev.aide.scheduler.TaskSpec.once(userId, key(accountId), TYPE, new io.vertx.core.json.JsonObject()
        .put("accountId", accountId.toString()).put("title", "Sync a connected calendar account"), at);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Future<TaskOutcome> run(ScheduledTask task) {
    UUID id = UUID.fromString(task.payload().getString("accountId"));
    return accounts.byId(id).compose(found -> {
      if (found.isEmpty() || !found.get().account().userId().equals(task.userId())) {
        return Future.succeededFuture(TaskOutcome.DONE);
      }
      return sync.sync(id).map(report -> TaskOutcome.runAgainAt(clock.instant().plus(interval)));
    });
  }
}
