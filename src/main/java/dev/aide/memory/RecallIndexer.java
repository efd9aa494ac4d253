package dev.aide.memory;

import dev.aide.conversation.ConversationBus;
import dev.aide.embedding.Embedder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes what has no vector of the configured model searchable by meaning: each new message of a person (woken when one
 * is stored), and after a change of model every memory and message, newest first, in batches. A sweep also runs now
 * and then, so nothing missed (a failure, another instance's message) stays unsearchable. Several instances may sweep
 * at once: a vector stored twice is stored once.
 */
public final class RecallIndexer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RecallIndexer.class);
  private static final int BATCH = 64;

  private final MemoryRepository memories;
  private final Embedder embedder;
  private final Duration sweepEvery;
  private boolean running;
  private boolean again;
  private long timer;

  public RecallIndexer(MemoryRepository memories, Embedder embedder, Duration sweepEvery) {
    this.memories = memories;
    this.embedder = embedder;
    this.sweepEvery = sweepEvery;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().localConsumer(ConversationBus.MESSAGE_STORED, message -> wake());
    timer = vertx.setPeriodic(0, sweepEvery.toMillis(), id -> wake());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** Runs a sweep, or another one right after the one running (what woke it may have come too late for it). */
  private void wake() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    sweep(true).compose(v -> sweep(false)).onComplete(ar -> {
      if (ar.failed()) {
        String error = ar.cause().toString();
        LOG.warn("Indexing for search failed: {}", error.length() <= 300 ? error : error.substring(0, 300) + "…");
      }
      running = false;
      if (again && ar.succeeded()) {
        wake();
      }
    });
  }

  /** Batches until nothing is left. */
  private Future<Void> sweep(boolean messages) {
    return memories.unindexed(messages, BATCH).compose(items -> items.isEmpty() ? Future.succeededFuture()
        : embedder.embed(items.stream().map(MemoryRepository.Unindexed::text).toList())
            .compose(vectors -> memories.index(messages, items, vectors))
            .compose(v -> items.size() < BATCH ? Future.<Void>succeededFuture() : sweep(messages)));
  }
}
