package dev.aide.memory;

import dev.aide.conversation.ConversationBus;
import dev.aide.embedding.Embeddings;
import dev.aide.embedding.VectorSource;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each new message of a person searchable by meaning: when one is stored, that message (and any stored while
 * the last batch ran) gets a vector of the model search uses, from the text the event carries, so a turn costs no
 * scan and no read (a vector already there, or a message deleted meanwhile, is left as it is by the insert). A sweep runs
 * now and then, newest first in batches, so nothing missed (a failure, another instance's message, a memory without a
 * vector) stays unsearchable. Several instances may sweep at once: a vector stored twice
 * is stored once. The vectors of a newly configured model are {@link dev.aide.embedding.Reembedding}'s work, which
 * goes through everything once, on one instance; while search goes by words alone there is nothing to do here.
 */
public final class RecallIndexer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RecallIndexer.class);
  private static final int BATCH = 64;

  private final MemoryRepository memories;
  private final Embeddings embeddings;
  private final Duration sweepEvery;
  private final Map<UUID, VectorSource.Item> stored = new LinkedHashMap<>();
  private boolean running;
  private boolean again;
  private boolean sweepAgain;
  private long timer;

  public RecallIndexer(MemoryRepository memories, Embeddings embeddings, Duration sweepEvery) {
    this.memories = memories;
    this.embeddings = embeddings;
    this.sweepEvery = sweepEvery;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>localConsumer(ConversationBus.MESSAGE_STORED, message -> {
      JsonObject body = message.body();
      if (body != null && body.getString("id") != null && body.getString("userId") != null
          && body.getString("text") != null) {
        UUID id = UUID.fromString(body.getString("id"));
        stored.put(id, new VectorSource.Item(id, UUID.fromString(body.getString("userId")), body.getString("text")));
      }
      wake(false);
    });
    timer = vertx.setPeriodic(0, sweepEvery.toMillis(), id -> wake(true));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /**
   * Indexes the messages just stored, or everything missing ({@code sweep}); if busy, does it right after the run
   * under way (what woke it may have come too late for it).
   */
  private void wake(boolean sweep) {
    if (running) {
      again = true;
      sweepAgain |= sweep;
      return;
    }
    running = true;
    again = false;
    sweepAgain = false;
    List<VectorSource.Item> fresh = List.copyOf(stored.values());
    stored.clear();
    Future<Void> run = sweep ? sweep(true).compose(v -> sweep(false)) : indexStored(fresh);
    run.onComplete(ar -> {
      if (ar.failed()) {
        String error = ar.cause().toString();
        LOG.warn("Indexing for search failed: {}", error.length() <= 300 ? error : error.substring(0, 300) + "…");
      }
      running = false;
      if (again && ar.succeeded()) {
        wake(sweepAgain);
      }
    });
  }

  /** The messages just stored, with vectors of the model search uses. */
  private Future<Void> indexStored(List<VectorSource.Item> items) {
    Embeddings.Searching search = embeddings.searching().orElse(null);
    if (search == null || items.isEmpty()) {
      return Future.succeededFuture();
    }
    return search.embedder().embed(items.stream().map(VectorSource.Item::text).toList())
        .compose(vectors -> memories.index(search.model(), true, items, vectors)).mapEmpty();
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
