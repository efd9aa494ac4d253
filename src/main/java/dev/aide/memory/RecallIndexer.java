package dev.aide.memory;

import dev.aide.conversation.ConversationBus;
import dev.aide.embedding.Embeddings;
import dev.aide.embedding.VectorSource;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each new message of a person searchable by meaning (woken when one is stored): a vector of the model search
 * uses, newest first, in batches. A sweep also runs now and then, so nothing missed (a failure, another instance's
 * message, a memory without a vector) stays unsearchable. Several instances may sweep at once: a vector stored twice
 * is stored once. The vectors of a newly configured model are {@link dev.aide.embedding.Reembedding}'s work, which
 * goes through everything once, on one instance; while search goes by words alone there is nothing to do here.
 */
public final class RecallIndexer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RecallIndexer.class);
  private static final int BATCH = 64;

  private final MemoryRepository memories;
  private final Embeddings embeddings;
  private final Duration sweepEvery;
  private boolean running;
  private boolean again;
  private long timer;

  public RecallIndexer(MemoryRepository memories, Embeddings embeddings, Duration sweepEvery) {
    this.memories = memories;
    this.embeddings = embeddings;
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
    Embeddings.Searching search = embeddings.searching().orElse(null);
    if (search == null) {
      return Future.succeededFuture();
    }
    return memories.unindexed(search.model(), messages, BATCH).compose(items -> items.isEmpty()
        ? Future.succeededFuture()
        : search.embedder().embed(items.stream().map(VectorSource.Item::text).toList())
            .compose(vectors -> memories.index(search.model(), messages, items, vectors))
            .compose(v -> items.size() < BATCH ? Future.<Void>succeededFuture() : sweep(messages)));
  }
}
