package dev.aide.proactive;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import dev.aide.platform.time.DateRange;
import dev.aide.proactive.ProactiveMessage.Status;
import dev.aide.scheduler.TaskRepository;
import dev.aide.scheduler.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The rules of proactive messages, shared by the REST API and the assistant's tools. A message and the task that
 * sends it are written (and cancelled) in one transaction, so there is never a pending message without its task nor
 * a task for a cancelled message.
 */
public final class ProactiveService {

  public static final int MAX_CONTENT = 4000;
  /** A time a little in the past is a clock skew or a slow request, not a mistake: the message goes out at once. */
  static final Duration PAST_TOLERANCE = Duration.ofMinutes(1);
  /** Further ahead than this is almost surely a typo in the year. */
  static final Duration MAX_AHEAD = Duration.ofDays(5 * 366);
  /** /scheduled shows the start of a message; the whole of it is at /proactive-messages/{id}. */
  private static final int SUMMARY = 200;

  private final Pool pool;
  private final ProactiveRepository messages;
  private final TaskRepository tasks;
  private final Clock clock;

  public ProactiveService(Pool pool, ProactiveRepository messages, TaskRepository tasks, Clock clock) {
    this.pool = pool;
    this.messages = messages;
    this.tasks = tasks;
    this.clock = clock;
  }

  /** The task that sends a message: one per message, named by it. */
  static String taskKey(UUID messageId) {
    return ProactiveMessageHandler.TYPE + ":" + messageId;
  }

  public Future<ProactiveMessage> create(UUID userId, String content, OffsetDateTime scheduledFor, boolean urgent,
                                         UUID sourceMessageId) {
    // Validation throws; composing on a succeeded future turns that into a failed future for the caller.
    return Future.<Void>succeededFuture().compose(v -> {
      String text = Texts.required(content, "content", MAX_CONTENT);
      OffsetDateTime when = checkedTime(scheduledFor);
      Instant now = clock.instant();
      return pool.withTransaction(tx -> messages.insert(tx, userId, text, when, urgent, sourceMessageId, now)
          .compose(message -> tasks.schedule(tx, TaskSpec.once(userId, taskKey(message.id()), ProactiveMessageHandler.TYPE,
              payload(message), message.scheduledFor().toInstant())).map(message)));
    });
  }

  public Future<List<ProactiveMessage>> list(UUID userId, Status status, int limit) {
    return messages.list(userId, status, limit);
  }

  public Future<ProactiveMessage> get(UUID userId, UUID id) {
    return messages.find(userId, id).map(found -> found.orElseThrow(() -> DomainException.notFound("proactive message")));
  }

  /** Pending messages whose content contains the words, soonest first (what "cancel the message about …" means). */
  public Future<List<ProactiveMessage>> pendingMatching(UUID userId, String words) {
    return messages.pendingMatching(userId, words.strip());
  }

  /**
   * Calls a pending message off and cancels its task. Cancelling a cancelled message again is harmless; one already
   * sent (or given up on) cannot be called back: 409.
   */
  public Future<ProactiveMessage> cancel(UUID userId, UUID id) {
    Instant now = clock.instant();
    return pool.withTransaction(tx -> messages.lock(tx, userId, id).compose(found -> {
      ProactiveMessage message = found.orElseThrow(() -> DomainException.notFound("proactive message"));
      return switch (message.status()) {
        case CANCELLED -> Future.succeededFuture(message);
        case SENT, FAILED -> Future.failedFuture(DomainException.conflict("the message was already "
            + message.status().wire() + " and cannot be cancelled"));
        case PENDING -> messages.setStatus(tx, id, Status.CANCELLED, null, null, now)
            .compose(v -> tasks.cancel(tx, taskKey(id)))
            .compose(v -> messages.lock(tx, userId, id))
            .map(cancelled -> cancelled.orElseThrow());
      };
    }));
  }

  private OffsetDateTime checkedTime(OffsetDateTime scheduledFor) {
    if (scheduledFor == null) {
      throw DomainException.invalid("scheduledFor is required");
    }
    DateRange.check(scheduledFor, "scheduledFor");
    Instant now = clock.instant();
    Instant when = scheduledFor.toInstant();
    if (when.isBefore(now.minus(PAST_TOLERANCE))) {
      throw DomainException.invalid("scheduledFor is in the past");
    }
    if (when.isAfter(now.plus(MAX_AHEAD))) {
      throw DomainException.invalid("scheduledFor must be within 5 years");
    }
    return scheduledFor;
  }

  /** What the task carries: the message it sends, and the start of its text for /scheduled. */
  private static JsonObject payload(ProactiveMessage message) {
    String content = message.content();
    String title = content.codePointCount(0, content.length()) <= SUMMARY ? content
        : content.substring(0, content.offsetByCodePoints(0, SUMMARY - 1)).strip() + "…";
    return new JsonObject().put("proactiveMessageId", message.id().toString()).put("title", title);
  }
}
