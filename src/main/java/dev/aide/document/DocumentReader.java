package dev.aide.document;

import dev.aide.delivery.DeliveryBus;
import dev.aide.embedding.Embeddings;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskHandler;
import dev.aide.platform.task.TaskOutcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a document in the background (a scheduler task, so a 300-page PDF never holds up a turn and a crash resumes
 * it): parses it on a worker thread, stores its passages, embeds them in batches (progress after each), and ends it
 * ready, or failed with the reason when the file cannot be read. Running twice is harmless: a second run replaces the
 * passages of the first, and a document already read or deleted is left alone. A document sent in a chat has the chat
 * told when it is ready or why it failed, in the transaction that says so.
 */
final class DocumentReader implements TaskHandler {

  static final String TYPE = "document";
  private static final Logger LOG = LoggerFactory.getLogger(DocumentReader.class);
  private static final int BATCH = 32;

  private final Vertx vertx;
  private final DocumentRepository documents;
  private final Embeddings embeddings;

  DocumentReader(Vertx vertx, DocumentRepository documents, Embeddings embeddings) {
    this.vertx = vertx;
    this.documents = documents;
    this.embeddings = embeddings;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Future<TaskOutcome> run(ScheduledTask task) {
    UUID id = UUID.fromString(task.payload().getString("documentId"));
    return documents.start(id).compose(upload -> upload.isEmpty() ? Future.succeededFuture(TaskOutcome.DONE)
        : read(id, upload.get()).map(TaskOutcome.DONE));
  }

  private Future<Void> read(UUID id, DocumentRepository.Upload upload) {
    return vertx.<Parsed>executeBlocking(() -> {
      List<DocumentText.Part> parts = DocumentText.parts(upload.content(), upload.mediaType());
      int pages = (int) parts.stream().filter(p -> p.page() != null).map(DocumentText.Part::page).distinct().count();
      return new Parsed(Chunker.chunks(parts), pages);
    }, false).recover(e -> e instanceof DomainException refused
        ? documents.failed(id, refused.getMessage(), d -> DocumentMessages.unreadable(d, refused.getMessage()))
            .onSuccess(this::wakeDelivery).compose(v -> Future.failedFuture(new Refused()))
        : Future.failedFuture(e))
        .compose(parsed -> documents.putChunks(id, upload.userId(), parsed.chunks(), parsed.pages())
            .compose(ids -> embed(id, upload.userId(), parsed, ids, 0)))
        .compose(v -> documents.ready(id, DocumentMessages::ready))
        .onSuccess(this::wakeDelivery)
        .<Void>mapEmpty()
        .recover(e -> e instanceof Refused ? Future.succeededFuture() : Future.failedFuture(e));
  }

  /** A chat was told something: the delivery verticle sends it now rather than at its next look. */
  private void wakeDelivery(boolean told) {
    if (told) {
      vertx.eventBus().publish(DeliveryBus.WAKE, null);
    }
  }

  private Future<Void> embed(UUID id, UUID userId, Parsed parsed, List<UUID> ids, int from) {
    if (from >= ids.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(ids.size(), from + BATCH);
    List<String> texts = parsed.chunks().subList(from, to).stream().map(DocumentReader::searchable).toList();
    return embeddings.embed(texts)
        .compose(vectors -> documents.putVectors(id, userId, ids.subList(from, to), vectors, to, ids.size(),
            parsed.pages()))
        .compose(v -> embed(id, userId, parsed, ids, to));
  }

  /** A passage as it is embedded: under its section heading, which often says what it is about. */
  private static String searchable(Chunker.Chunk chunk) {
    return chunk.section() == null ? chunk.text() : chunk.section() + "\n" + chunk.text();
  }

  @Override
  public Future<Void> gaveUp(ScheduledTask task, String error) {
    UUID id = UUID.fromString(task.payload().getString("documentId"));
    LOG.warn("Reading document {} failed for good: {}", id, error);
    return documents.failed(id, "it could not be read just now: " + error, DocumentMessages::gaveUp)
        .onSuccess(this::wakeDelivery).mapEmpty();
  }

  private record Parsed(List<Chunker.Chunk> chunks, int pages) {}

  /** The file was refused and the document marked failed: the task is done. */
  private static final class Refused extends RuntimeException {
    Refused() {
      super(null, null, false, false);
    }
  }
}
