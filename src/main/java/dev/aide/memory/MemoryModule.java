package dev.aide.memory;

import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.ConversationModule;
import dev.aide.embedding.Embedder;
import dev.aide.embedding.EmbeddingRepository;
import dev.aide.embedding.LocalEmbedder;
import dev.aide.embedding.RemoteEmbedder;
import dev.aide.platform.config.AideConfig;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Features;
import dev.aide.platform.module.Platform;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Memory: what Aide remembers about a person, searchable with their past messages by meaning (the configured embedding
 * model, vectors in pgvector) and by words. Owns the embedding model, which documents will share. Learns from each
 * turn: with a configured chat model by asking it (after the reply, {@link ExtractorVerticle}), offline by the
 * patterns of {@link Facts}.
 */
public final class MemoryModule implements Feature {

  private static final Duration SWEEP = Duration.ofSeconds(30);

  private final Embedder embedder;
  private final EmbeddingRepository models;
  private final MemoryRepository rows;
  private final MemoryService memories;
  private final ConversationModule conversation;
  private final Platform platform;
  private final MemoryExtractor extractor;

  /**
   * Blocking (asks a remote model its dimension; the local one loads on first use): the composition root's thread.
   *
   * @param model the configured chat model, which learns from each turn; null offline (the patterns learn)
   */
  public MemoryModule(Platform platform, ConversationModule conversation, ChatModel model) {
    this.platform = platform;
    this.conversation = conversation;
    this.embedder = embedder(platform);
    this.models = new EmbeddingRepository(platform.pool());
    this.rows = new MemoryRepository(platform.pool(), embedder.model(), embedder.dimension());
    this.memories = new MemoryService(rows, embedder);
    this.extractor = model == null ? null : new MemoryExtractor(memories, model, platform.clock());
    conversation.onTurn(this::learn);
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

  private static Embedder embedder(Platform platform) {
    AideConfig.Embedding config = platform.config().embedding();
    if (config.provider().equals("openai")) {
      return RemoteEmbedder.open(platform.web(), config.baseUrl(), config.apiKey(), config.model()).await();
    }
    return new LocalEmbedder(platform.vertx());
  }

  public Embedder embedder() {
    return embedder;
  }

  public MemoryService memories() {
    return memories;
  }

  @Override
  public Future<Void> prepare() {
    return models.register(embedder.model(), embedder.dimension())
        .compose(v -> models.ensureIndex("memory_vectors", embedder.model(), embedder.dimension()))
        .compose(v -> models.ensureIndex("message_vectors", embedder.model(), embedder.dimension()));
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
    return List.of(new RecallIndexer(rows, embedder, SWEEP));
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
