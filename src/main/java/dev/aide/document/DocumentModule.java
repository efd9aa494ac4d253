package dev.aide.document;

import dev.aide.memory.MemoryModule;
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
 * models, and gives them its passages to embed again when the configured model changes.
 */
public final class DocumentModule implements Feature {

  private final Platform platform;
  private final MemoryModule memory;
  private final DocumentRepository rows;
  private final DocumentService documents;

  public DocumentModule(Platform platform, SchedulerModule scheduler, MemoryModule memory) {
    this.platform = platform;
    this.memory = memory;
    this.rows = new DocumentRepository(platform.pool(), scheduler.tasks(), platform.clock());
    this.documents = new DocumentService(platform.vertx(), rows);
    memory.embeddings().source(rows.chunkVectors());
  }

  @Override
  public void routes(Router api) {
    new DocumentRoutes(documents).mount(api);
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
