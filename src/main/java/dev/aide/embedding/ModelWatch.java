package dev.aide.embedding;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every few seconds which embedding model search uses: the instance that completes a new model's vectors
 * switches at once, the others within this while.
 */
public final class ModelWatch extends VerticleBase {

  static final java.time.Duration EVERY = java.time.Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(ModelWatch.class);

  private final Embeddings embeddings;
  private long timer;

  public ModelWatch(Embeddings embeddings) {
    this.embeddings = embeddings;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(EVERY.toMillis(), id -> embeddings.refresh()
        .onFailure(e -> LOG.warn("Could not read which embedding model search uses: {}", e.toString())));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
