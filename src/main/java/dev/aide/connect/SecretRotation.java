package dev.aide.connect;

import dev.aide.platform.database.SecretRepository;
import dev.aide.platform.secret.Sealed;
import dev.aide.platform.secret.Vault;
import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskHandler;
import dev.aide.platform.task.TaskOutcome;
import dev.aide.scheduler.TaskRepository;
import dev.aide.scheduler.TaskSpec;
import io.vertx.core.Future;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key rotation: after AIDE_SECRET_KEY changes (the old key in AIDE_SECRET_KEY_PREVIOUS), every stored secret an older
 * key sealed — Aide's own (app_secrets) and the connected accounts' passwords — is sealed again with the current key,
 * in batches, by one scheduler task that each instance ensures at start-up. When it is done the old key can go.
 */
final class SecretRotation implements TaskHandler {

  static final String TYPE = "secret-rotation";
  private static final int BATCH = 100;
  private static final Logger LOG = LoggerFactory.getLogger(SecretRotation.class);

  private final SecretRepository secrets;
  private final ConnectedAccountRepository accounts;
  private final TaskRepository tasks;
  private final Vault vault;
  private final Clock clock;

  SecretRotation(SecretRepository secrets, ConnectedAccountRepository accounts, TaskRepository tasks, Clock clock) {
    this.secrets = secrets;
    this.accounts = accounts;
    this.tasks = tasks;
    this.vault = secrets.vault();
    this.clock = clock;
  }

  /** Schedules the rotation now unless it is under way. */
  Future<Void> start() {
    return tasks.ensure(TaskSpec.once(null, TYPE, TYPE, new io.vertx.core.json.JsonObject()
        .put("keyId", vault.currentKeyId()), clock.instant()));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Future<TaskOutcome> run(ScheduledTask task) {
    if (!vault.currentKeyId().equals(task.payload().getString("keyId"))) {
      // Started by an instance with another current key: its own instance finishes it.
      return Future.succeededFuture(TaskOutcome.DONE);
    }
    return secrets.resealOlder().compose(own -> accounts(null, 0, 0).map(theirs -> {
      if (own + theirs > 0) {
        LOG.info("Re-encrypted {} stored secret(s) with the current key {}", own + theirs, vault.currentKeyId());
      }
      return TaskOutcome.DONE;
    }));
  }

  /**
   * The accounts' passwords, batch after batch by id; one that no key opens (its key gone) is passed over and
   * reported, so it does not hold the rest back (its account's sync reports the same, and connecting it again seals
   * a new password).
   */
  private Future<Integer> accounts(java.util.UUID after, int done, int failed) {
    return accounts.resealOlder(vault.currentKeyId(), BATCH, after, row -> {
      java.util.UUID id = row.getUUID("id");
      Sealed old = new Sealed(row.getString("secret_key_id"), row.getBuffer("secret_nonce").getBytes(),
          row.getBuffer("secret").getBytes());
      String context = ConnectedAccount.context(id);
      try {
        return vault.seal(context, vault.open(context, old));
      } catch (RuntimeException e) {
        LOG.warn("The password of connected account {} cannot be opened with any key ({}); it is left as it is: "
            + "connect the account again", id, e.getMessage());
        throw e;
      }
    }).compose(batch -> batch.seen() < BATCH
        ? Future.succeededFuture(report(done + batch.sealed(), failed + batch.failed()))
        : accounts(batch.last(), done + batch.sealed(), failed + batch.failed()));
  }

  private static int report(int sealed, int failed) {
    if (failed > 0) {
      LOG.warn("Key rotation: {} connected account password(s) could not be opened and keep their old key", failed);
    }
    return sealed;
  }
}
