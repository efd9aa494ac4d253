package dev.aide.proactive;

import dev.aide.notification.Notice;
import dev.aide.notification.Notifier;
import dev.aide.platform.task.DueItemHandler;
import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskOutcome;
import dev.aide.platform.time.ShortDates;
import dev.aide.proactive.ProactiveMessage.Status;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A proactive message came due: tells the person (in-app, and on their messaging channel) and marks the message
 * sent, in one transaction. The notice's key is the message, so running the task twice tells once. A task that fires
 * for a message cancelled or moved meanwhile does nothing. A person who can no longer be reached (their account
 * deactivated) gets the message marked failed rather than left pending for ever.
 */
public final class ProactiveMessageHandler extends DueItemHandler<ProactiveMessage> {

  public static final String TYPE = "proactive";
  public static final String TITLE = "Message from Aide";
  private static final Duration LATE = Duration.ofMinutes(5);

  private final Pool pool;
  private final ProactiveRepository messages;
  private final Notifier notifier;
  private final Clock clock;

  public ProactiveMessageHandler(Pool pool, ProactiveRepository messages, Notifier notifier, Clock clock) {
    super(pool, BATCH);
    this.pool = pool;
    this.messages = messages;
    this.notifier = notifier;
    this.clock = clock;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  protected Future<Optional<ProactiveMessage>> due(SqlConnection tx, ScheduledTask task) {
    UUID id = UUID.fromString(task.payload().getString("proactiveMessageId"));
    return messages.lockPending(tx, id).map(found -> found
        .filter(message -> message.scheduledFor().toInstant().equals(task.occurrenceAt())));
  }

  @Override
  protected Future<TaskOutcome> tell(SqlConnection tx, ProactiveMessage message, ScheduledTask task) {
    Instant now = clock.instant();
    return notifier.tell(tx, notice(message, now)).compose(isNew -> isNew
            ? messages.setStatus(tx, message.id(), Status.SENT, now, null, now)
            : messages.setStatus(tx, message.id(), Status.FAILED, null, "the person can no longer be reached", now))
        .map(TaskOutcome.DONE);
  }

  /** The task failed for good: the message, still pending, is failed with the last error. */
  @Override
  public Future<Void> gaveUp(ScheduledTask task, String error) {
    UUID id = UUID.fromString(task.payload().getString("proactiveMessageId"));
    return pool.withTransaction(tx -> messages.lockPending(tx, id).compose(found -> found.isEmpty()
        ? Future.succeededFuture()
        : messages.setStatus(tx, id, Status.FAILED, null, error, clock.instant())));
  }

  /** The person's own words, as they asked; a message that goes out late says when it was meant for. */
  private static Notice notice(ProactiveMessage message, Instant now) {
    Instant due = message.scheduledFor().toInstant();
    String late = Duration.between(due, now).compareTo(LATE) > 0
        ? "\n(scheduled for " + ShortDates.dayTime(message.scheduledFor(), now) + ")" : "";
    return new Notice(message.userId(), TYPE, ProactiveService.taskKey(message.id()), TITLE, message.content() + late,
        message.content() + late, message.urgent(),
        new JsonObject().put("proactiveMessageId", message.id().toString()).put("scheduledFor", due.toString()));
  }
}
