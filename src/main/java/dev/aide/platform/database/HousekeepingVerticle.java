package dev.aide.platform.database;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes rows that have ended (rate-limit counters, expired sessions and reset links) every few minutes, in batches.
 * Every instance runs it: each delete is idempotent and touches only rows no one can use any more, so there is
 * nothing to claim or coordinate — unlike a person's scheduled work, which goes through the scheduler.
 */
public final class HousekeepingVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HousekeepingVerticle.class);
  private static final int BATCH = 1_000;

  /** One kind of row to clean: deletes at most the given number and answers how many went. */
  public record Cleaner(String name, IntFunction<Future<Integer>> deleteEnded) {}

  private final List<Cleaner> cleaners;
  private final Duration every;
  private long timer = -1;
  private boolean running;

  public HousekeepingVerticle(List<Cleaner> cleaners, Duration every) {
    this.cleaners = List.copyOf(cleaners);
    this.every = every;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(every.toMillis() / 10, every.toMillis(), id -> runOnce());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void runOnce() {
    if (running) {
      return;
    }
    running = true;
    Future<Void> chain = Future.succeededFuture();
    for (Cleaner cleaner : cleaners) {
      chain = chain.compose(v -> drain(cleaner, 0));
    }
    chain.onComplete(ar -> running = false);
  }

  /** Batch after batch until one comes back short, so a large backlog never holds one long transaction. */
  private Future<Void> drain(Cleaner cleaner, int total) {
    return cleaner.deleteEnded().apply(BATCH).transform(ar -> {
      if (ar.failed()) {
        LOG.warn("Housekeeping of {} failed: {}", cleaner.name(), ar.cause().toString());
        return Future.succeededFuture();
      }
      int deleted = ar.result();
      if (deleted == BATCH) {
        return drain(cleaner, total + deleted);
      }
      if (total + deleted > 0) {
        LOG.debug("Housekeeping deleted {} ended rows of {}", total + deleted, cleaner.name());
      }
      return Future.succeededFuture();
    });
  }
}
