package dev.aide.memory;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns from each turn with the chat model, after the turn has been answered: the turn listener only hands the
 * person's message over on the event bus ({@link #ADDRESS}), so the reply never waits for this second model call.
 * Deployed on virtual threads: each extraction is sequential code that awaits the embedding, the model and the SQL,
 * and many wait at once without holding a thread. One person's extractions run one after the other in the order of
 * their messages, so a message is judged against what the one before it left (chained as {@code ConversationVerticle}
 * chains turns; a lock would block the verticle). Past {@link #MAX_WAITING} extractions running or waiting, a turn's
 * extraction is skipped and logged rather than queued without bound behind a slow model. Best effort: what a failure
 * or a stop interrupts is not retried.
 */
final class ExtractorVerticle extends VerticleBase {

  /** Local, no reply: {@code {userId, messageId, text, timezone}}, sent after a turn is stored. */
  static final String ADDRESS = "aide.memory.extract";
  static final int MAX_WAITING = 1_000;
  private static final Duration SHED_REPORT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(ExtractorVerticle.class);

  private final MemoryExtractor extractor;
  /** The last extraction of each person with one running or waiting; touched only on this verticle's context. */
  private final Map<UUID, Future<Void>> last = new HashMap<>();
  private int waiting;
  /** Messages left out since the last warning, and when it was written (nanoTime; 0: never). */
  private int shed;
  private long lastShedReport;
  private MessageConsumer<JsonObject> consumer;

  ExtractorVerticle(MemoryExtractor extractor) {
    this.extractor = extractor;
  }

  /** What the turn listener sends. */
  static JsonObject request(UUID userId, UUID messageId, String text, ZoneId zone) {
    return new JsonObject().put("userId", userId.toString()).put("messageId", messageId.toString()).put("text", text)
        .put("timezone", zone.getId());
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(ADDRESS, this::onMessage);
    return consumer.completion();
  }

  private void onMessage(Message<JsonObject> message) {
    JsonObject body = message.body();
    UUID userId = UUID.fromString(body.getString("userId"));
    UUID messageId = UUID.fromString(body.getString("messageId"));
    if (waiting >= MAX_WAITING) {
      shed(messageId);
      return;
    }
    waiting++;
    Promise<Void> done = Promise.promise();
    Future<Void> before = last.getOrDefault(userId, Future.succeededFuture());
    last.put(userId, done.future());
    before.onComplete(previous -> context.runOnContext(v -> {
      try {
        var learned = extractor.learn(userId, messageId, body.getString("text"), ZoneId.of(body.getString("timezone")));
        if (!learned.isEmpty()) {
          LOG.debug("Learned {} memories from message {}", learned.size(), messageId);
        }
      } catch (RuntimeException e) {
        String error = e.toString();
        LOG.warn("Learning from message {} with the model failed, nothing changed: {}", messageId,
            error.length() <= 300 ? error : error.substring(0, 300) + "…");
      } finally {
        waiting--;
        if (last.get(userId) == done.future()) {
          last.remove(userId);
        }
        done.complete();
      }
    }));
  }

  /**
   * A message not read for memories because {@link #MAX_WAITING} are waiting: said once per {@link #SHED_REPORT},
   * with how many were left out since, not once a message (an overload of 5,000 turns wrote 3,900 lines).
   */
  private void shed(UUID messageId) {
    shed++;
    long now = System.nanoTime();
    if (lastShedReport == 0 || now - lastShedReport >= SHED_REPORT.toNanos()) {
      LOG.warn("{} memory extractions are waiting on the model; {} message(s) not read for memories (the latest {})",
          waiting, shed, messageId);
      shed = 0;
      lastShedReport = now;
    }
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }
}
