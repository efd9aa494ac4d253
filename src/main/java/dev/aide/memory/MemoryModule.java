package dev.aide.memory;

import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.ConversationModule;
import dev.aide.embedding.Embedder;
import dev.aide.embedding.EmbeddingRepository;
import dev.aide.embedding.Embeddings;
import dev.aide.embedding.LocalEmbedder;
import dev.aide.embedding.ModelWatch;
import dev.aide.embedding.Reembedding;
import dev.aide.embedding.RemoteEmbedder;
import dev.aide.embedding.VectorModel;
import dev.aide.platform.config.AideConfig;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Features;
import dev.aide.platform.module.HealthReport;
import dev.aide.platform.module.Platform;
import dev.aide.platform.task.TaskHandler;
import dev.aide.scheduler.SchedulerModule;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Memory: what Aide remembers about a person, searchable with their past messages by meaning (the configured embedding
 * model, vectors in pgvector) and by words. Owns the embedding models, which documents share, and the re-embedding of
 * everything after the configured model changes. Learns from each turn: with a configured chat model by asking it
 * (after the reply, {@link ExtractorVerticle}), offline by the patterns of {@link Facts}; AIDE_MEMORY_LEARNING
 * {@code patterns} keeps to the patterns with any model (no second call a turn), {@code off} learns nothing in passing.
 */
public final class MemoryModule implements Feature {

  private static final Duration SWEEP = Duration.ofSeconds(30);

  private final Embeddings embeddings;
  private final Reembedding reembedding;
  private final MemoryRepository rows;
  private final MemoryService memories;
  private final ConversationModule conversation;
  private final Platform platform;
  private final MemoryExtractor extractor;

  /**
   * Blocking (asks a remote model its dimension; the local one loads on first use): the composition root's thread.
   *
   * @param chatModel the configured chat model, which learns from each turn; null offline (the patterns learn)
   * @param e5 the process's e5-small-v2, used when memory runs that model (it is shared, not loaded twice)
   */
  public MemoryModule(Platform platform, SchedulerModule scheduler, ConversationModule conversation,
                      ChatModel chatModel, LocalEmbedder e5) {
    this.platform = platform;
    this.conversation = conversation;
    EmbeddingRepository models = new EmbeddingRepository(platform.pool());
    this.embeddings = new Embeddings(embedder(platform, e5), models, model -> previous(platform, model, e5),
        platform.clock());
    this.reembedding = new Reembedding(embeddings, models, scheduler.tasks(), platform.clock());
    this.rows = new MemoryRepository(platform.pool());
    embeddings.source(rows.memoryVectors());
    embeddings.source(rows.messageVectors());
    this.memories = new MemoryService(rows, embeddings);
    String learning = platform.config().memory().learning();
    this.extractor = chatModel == null || !learning.equals("auto") ? null
        : new MemoryExtractor(memories, chatModel, platform.clock());
    if (!learning.equals("off")) {
      conversation.onTurn(this::learn);
    }
  }

  /**
   * What the person's message teaches, after the turn is stored; it never fails the turn. The model's extraction is
   * only handed over, so the reply does not wait for it; the patterns take milliseconds and run here.
   */
  private void learn(ConversationKey key, String personsText) {
    if (extractor != null) {
      platform.vertx().eventBus().send(ExtractorVerticle.ADDRESS,
          ExtractorVerticle.request(key.userId(), key.messageId(), personsText, key.timezone()));
      return;
    }
    memories.learn(key.userId(), key.messageId(), personsText).await();
  }

  private static Embedder embedder(Platform platform, LocalEmbedder e5) {
    AideConfig.Embedding config = platform.config().embedding();
    if (config.provider().equals("openai")) {
      return RemoteEmbedder.open(platform.web(), config.baseUrl(), config.apiKey(), config.model()).await();
    }
    return local(platform, LocalEmbedder.Kind.named(config.model()), e5);
  }

  private static LocalEmbedder local(Platform platform, LocalEmbedder.Kind kind, LocalEmbedder e5) {
    return kind == LocalEmbedder.Kind.E5_SMALL_V2 ? e5 : new LocalEmbedder(platform.vertx(), kind);
  }

  /**
   * A model that was configured before, which search may still use until the configured one's vectors are complete:
   * an in-process model Aide ships can always run (a database whose vectors all-MiniLM-L6-v2 made, the default before
   * e5-small-v2, keeps searching them while e5's are made); a remote one only when the configured endpoint still
   * serves it (asked once).
   */
  private static Future<Optional<Embedder>> previous(Platform platform, VectorModel model, LocalEmbedder e5) {
    Optional<LocalEmbedder.Kind> local = LocalEmbedder.Kind.recorded(model.name());
    if (local.isPresent()) {
      return Future.succeededFuture(Optional.of(local(platform, local.get(), e5)));
    }
    AideConfig.Embedding config = platform.config().embedding();
    if (model.name().startsWith(RemoteEmbedder.PREFIX) && config.provider().equals("openai")) {
      return RemoteEmbedder.open(platform.web(), config.baseUrl(), config.apiKey(),
          model.name().substring(RemoteEmbedder.PREFIX.length())).map(Optional::of);
    }
    return Future.succeededFuture(Optional.empty());
  }

  /** The embedding models: what every feature that keeps vectors embeds with and registers its items in. */
  public Embeddings embeddings() {
    return embeddings;
  }

  public MemoryService memories() {
    return memories;
  }

  @Override
  public Future<Void> prepare() {
    return embeddings.prepare().compose(work -> work ? reembedding.start() : Future.succeededFuture());
  }

  @Override
  public List<TaskHandler> taskHandlers() {
    return List.of(reembedding);
  }

  @Override
  public Map<String, HealthReport> health() {
    return Map.of("embedding", embeddings::report);
  }

  @Override
  public void routes(Router api) {
    new MemoryRoutes(memories).mount(api);
  }

  @Override
  public List<Object> tools() {
    return List.of(new MemoryTools(memories, conversation.confirmations()));
  }

  @Override
  public List<ContentRetriever> retrievers() {
    return List.of(new MemoryRetriever(memories));
  }

  @Override
  public List<Deployable> verticles(Features all) {
    return List.of(new RecallIndexer(rows, embeddings, SWEEP), new ModelWatch(embeddings));
  }

  @Override
  public List<Deployable> virtualThreadVerticles(Features all) {
    return extractor == null ? List.of() : List.of(new ExtractorVerticle(extractor));
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("memories", (userId, zone) -> Exports.of(rows.list(userId, null, true, null, Exports.ALL),
        Memory::toJson));
  }
}
