package dev.aide.platform.database;

import io.vertx.core.Future;
import java.util.concurrent.CompletionException;

/** Waits for a Vert.x future from a virtual thread (tool calls, chat memory), never from an event loop. */
public final class Blocking {

  private Blocking() {}

  public static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
