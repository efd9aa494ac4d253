package dev.aide.platform.module;

import dev.aide.platform.channel.ChannelSender;
import dev.aide.platform.database.HousekeepingVerticle;
import dev.aide.platform.http.Upload;
import dev.aide.platform.task.TaskHandler;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/**
 * What one feature adds to Aide: its routes, the assistant's tools, the handlers of its scheduled tasks, the channels
 * it sends through, its parts of /health and of a person's data export, the rows it cleans up, and its verticles.
 * Each feature package has one class implementing this (e.g. {@code reminder.ReminderModule}), built from the
 * {@link Platform} and the modules it needs; {@code dev.aide.Aide} lists the modules and nothing else. Every method
 * has a default, so a module says only what it has.
 */
public interface Feature {

  /** Routes under /api/v1 that need no token: signing up, signing in, asking for a reset link. */
  default void openRoutes(Router api) {}

  /** Routes under /api/v1, behind the bearer-token and session check. */
  default void routes(Router api) {}

  /** Routes outside /api/v1 that check their own credentials: a webhook's secret, a private feed's token. */
  default void publicRoutes(Router root) {}

  /**
   * Routes under /api/v1 (among those of {@link #routes}) that take a file: their bodies are read with the upload's
   * own limit rather than the API's, a multipart file into a temporary file.
   */
  default List<Upload> uploads() {
    return List.of();
  }

  /** Objects whose {@code @Tool} methods the assistant may call, always for the person of the conversation. */
  default List<Object> tools() {
    return List.of();
  }

  /**
   * What the feature brings into each turn's prompt, found from the person's message (LangChain4j's retriever: the
   * query's chat memory id is the conversation's key, so it knows whose). What it returns is stored text: quoted data.
   */
  default List<ContentRetriever> retrievers() {
    return List.of();
  }

  /** The handlers of the scheduled task types this feature owns. */
  default List<TaskHandler> taskHandlers() {
    return List.of();
  }

  /** The messaging channels this feature delivers outbox messages through. */
  default List<ChannelSender> senders() {
    return List.of();
  }

  /** Parts of /health, by name. */
  default Map<String, HealthReport> health() {
    return Map.of();
  }

  /** Parts of a person's data export (GET /api/v1/me/export), by name, in the API's own shapes. */
  default Map<String, Exporter> exports() {
    return Map.of();
  }

  /** Rows that end (counters, sessions, links) and are deleted every few minutes, in batches. */
  default List<HousekeepingVerticle.Cleaner> cleaners() {
    return List.of();
  }

  /** Work before the server takes traffic, such as reconciling schedules; blocking callers wait for it. */
  default Future<Void> prepare() {
    return Future.succeededFuture();
  }

  /**
   * The verticles this feature runs, deployed in the order the features are listed, after every feature was built:
   * an engine (the scheduler, delivery, the assistant) gets what all the features contribute.
   */
  default List<Deployable> verticles(Features all) {
    return List.of();
  }

  /**
   * Verticles deployed like {@link #verticles} but with Vert.x's virtual-thread threading model: their handlers may
   * be written as plain sequential code that awaits futures ({@code Future.await}); an await parks the handler and
   * lets the verticle's context run other handlers meanwhile. For work that waits long on others, such as a turn
   * waiting on the model and the tools' SQL. A handler must never block otherwise (no locks, no blocking I/O): that
   * would hold every other handler of the verticle.
   */
  default List<Deployable> virtualThreadVerticles(Features all) {
    return List.of();
  }
}
