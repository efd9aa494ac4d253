package dev.aide.conversation;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How many turns do their own work at once (their SQL, their recall, their prompt, storing the reply); the rest wait
 * for a place. A turn waiting on a remote model gives its place up, so any number of turns may wait on a slow model
 * at once, each costing only memory; back from the model it is served before turns that have not begun, so work
 * under way is finished first and new turns wait in arrival order.
 *
 * <p>Without it every turn taken started at once: at 5,000 concurrent requests and a 2 s model, thousands of turns
 * shared two cores and 16 connections, each got a sliver, recalls ran out of time with their embeddings still queued,
 * 476 of 5,000 turns failed after 30 s waiting for a connection, and a few dozen were at the model (issue 16). With
 * one line for both, a turn back from the model waited 31–43 s behind every turn that had not begun.
 *
 * <p>Turns run on virtual threads: waiting for a place awaits a future (a lock would block the verticle's other
 * turns), and which thread holds a place is known per thread, so the model wrapper ({@link #aside}) can tell a turn's
 * model call from another caller's (memory extraction calls the same model without a place).
 */
final class TurnGate {

  private final int places;
  /** Turns back from the model, waiting to finish: served before {@link #arriving}. */
  private final ArrayDeque<Promise<Void>> returning = new ArrayDeque<>();
  /** Turns waiting to begin. */
  private final ArrayDeque<Promise<Void>> arriving = new ArrayDeque<>();
  private final ThreadLocal<Boolean> holding = ThreadLocal.withInitial(() -> false);
  private int taken;

  TurnGate(int places) {
    if (places < 1) {
      throw new IllegalArgumentException("a turn gate needs a place");
    }
    this.places = places;
  }

  /** Runs the turn once it has a place, on the calling (virtual) thread; the place is given up when it ends. */
  <T> T through(Supplier<T> turn) {
    take(arriving);
    try {
      return turn.get();
    } finally {
      if (holding.get()) {
        holding.set(false);
        leave();
      }
    }
  }

  /**
   * The model as turns call it: a turn holding a place gives it up while the model answers and waits for one again
   * after. Only for a model that runs elsewhere: one that computes here (the offline model) is the turn's own work.
   */
  ChatModel aside(ChatModel model) {
    return new Aside(model);
  }

  /** Turns holding a place and turns waiting for one, for a test or a figure. */
  synchronized int[] counts() {
    return new int[] {taken, returning.size() + arriving.size()};
  }

  /**
   * Waits for a place and holds it. A wait that ends otherwise (the thread interrupted as Aide stops) leaves no place
   * taken: the turn is taken out of the line, or, when its place came at that moment, the place is passed on.
   */
  private void take(ArrayDeque<Promise<Void>> line) {
    Promise<Void> place;
    synchronized (this) {
      if (taken < places) {
        taken++;
        holding.set(true);
        return;
      }
      place = Promise.promise();
      line.add(place);
    }
    try {
      place.future().await();
    } catch (Exception e) {
      // Exception: await rethrows an interruption's InterruptedException as it is.
      boolean queued;
      synchronized (this) {
        queued = line.remove(place);
      }
      if (!queued) {
        leave();
      }
      throw e;
    }
    holding.set(true);
  }

  private void leave() {
    Promise<Void> next;
    synchronized (this) {
      next = returning.isEmpty() ? arriving.poll() : returning.poll();
      if (next == null) {
        taken--;
        return;
      }
    }
    next.complete(); // the place passes on: to a turn back from the model first, then the one waiting longest
  }

  private <T> T awayWhile(Supplier<T> call) {
    if (!holding.get()) {
      return call.get();
    }
    holding.set(false);
    leave();
    try {
      return call.get();
    } finally {
      take(returning);
    }
  }

  private final class Aside implements ChatModel {

    private final ChatModel model;

    Aside(ChatModel model) {
      this.model = model;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      return awayWhile(() -> model.chat(request));
    }

    @Override
    public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
      return awayWhile(() -> model.chat(request, options));
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
      return awayWhile(() -> model.doChat(request));
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
      return model.defaultRequestParameters();
    }

    @Override
    public List<ChatModelListener> listeners() {
      return model.listeners();
    }

    @Override
    public ModelProvider provider() {
      return model.provider();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
      return model.supportedCapabilities();
    }
  }
}
