package dev.aide.document;

import dev.aide.delivery.DeliveryModule;
import dev.aide.memory.MemoryModule;
import dev.aide.platform.http.Upload;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import dev.aide.platform.task.TaskHandler;
import dev.aide.scheduler.SchedulerModule;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/**
 * Documents: PDF, Markdown, HTML and plain text a person gives Aide, read in the background into passages that the one
 * search (memory's) finds by meaning and words, with the page or section they come from. Uses memory's embedding
 * models, and gives them its passages to embed again when the configured model changes. Given through the API or sent
 * in a chat ({@link ChatDocuments}), whose chat is told when it is ready.
 */
public final class DocumentModule implements Feature {

  private final Platform platform;
  private final MemoryModule memory;
  private final DocumentRepository rows;
  private final DocumentService documents;

  public DocumentModule(Platform platform, SchedulerModule scheduler, DeliveryModule delivery, MemoryModule memory) {
    this.platform = platform;
    this.memory = memory;
    this.rows = new DocumentRepository(platform.pool(), scheduler.tasks(), delivery.outbox(), platform.clock());
    this.documents = new DocumentService(platform.vertx(), rows, platform.config().documents().maxBytes());
    memory.embeddings().source(rows.chunkVectors());
  }

  /** Documents people send in chats, for the messaging channels. */
  public ChatDocuments chats() {
    return new ChatDocuments(documents);
  }

  @Override
  public void routes(Router api) {
    new DocumentRoutes(platform.vertx(), documents).mount(api);
  }

  @Override
  public List<Upload> uploads() {
    return List.of(DocumentRoutes.upload(documents.maxBytes()));
  }

  @Override
  public List<TaskHandler> taskHandlers() {
    return List.of(new DocumentReader(platform.vertx(), rows, memory.embeddings()));
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("documents", (userId, zone) -> Exports.of(rows.list(userId, Exports.ALL), Document::toJson));
  }
}
