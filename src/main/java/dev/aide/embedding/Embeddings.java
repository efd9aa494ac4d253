package dev.aide.embedding;

import dev.aide.embedding.EmbeddingRepository.Recorded;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedding models Aide works with. The configured one makes every new vector. Search uses the newest complete
 * model (every item has its vector; none complete, in a database from before models were marked so: the configured
 * one). The two differ while a new model's vectors are being made ({@link Reembedding}); meanwhile a new or changed
 * item gets vectors of both, so the one search uses stays complete, and a query is embedded with the model search
 * uses when Aide can still run it: the in-process model always, a remote one when the configured endpoint still
 * serves it. When it cannot, search goes by words alone until the new vectors are complete ({@link #searching} empty,
 * /health says so). Which model search uses is read again every few seconds ({@link #refresh}): another instance may
 * have completed a new one.
 */
public final class Embeddings {

  private static final Logger LOG = LoggerFactory.getLogger(Embeddings.class);

  private final Embedder configured;
  private final VectorModel model;
  private final EmbeddingRepository models;
  private final Function<VectorModel, Future<Optional<Embedder>>> runner;
  private final Clock clock;
  private final List<VectorSource> sources = new CopyOnWriteArrayList<>();
  private volatile State state;

  /**
   * @param runner how to run a recorded model other than the configured one, if Aide can (empty when it cannot)
   */
  public Embeddings(Embedder configured, EmbeddingRepository models,
                    Function<VectorModel, Future<Optional<Embedder>>> runner, Clock clock) {
    this.configured = configured;
    this.model = VectorModel.of(configured);
    this.models = models;
    this.runner = runner;
    this.clock = clock;
    this.state = new State(model, configured);
  }

  /** One model for everything, with no record in the database (benchmarks and repository tests). */
  public static Embeddings only(Embedder embedder) {
    return new Embeddings(embedder, null, m -> Future.succeededFuture(Optional.empty()), Clock.systemUTC());
  }

  /** What search uses: its model, and the embedder of its queries (null while search goes by words alone). */
  private record State(VectorModel search, Embedder searchEmbedder) {}

  /** The model search uses and how to embed its queries. */
  public record Searching(VectorModel model, Embedder embedder) {}

  /** Items a feature keeps vectors of, given before {@link #prepare}: re-embedding walks them, indexes are made. */
  public void source(VectorSource source) {
    sources.add(source);
  }

  public List<VectorSource> sources() {
    return List.copyOf(sources);
  }

  /** The configured model, which makes every new vector. */
  public VectorModel configured() {
    return model;
  }

  public Embedder configuredEmbedder() {
    return configured;
  }

  /** The model search uses, and its embedder; empty while search goes by words alone. */
  public Optional<Searching> searching() {
    State s = state;
    return s.searchEmbedder() == null ? Optional.empty() : Optional.of(new Searching(s.search(), s.searchEmbedder()));
  }

  /** The name of the model whose vectors search uses (which it may be unable to embed a query with). */
  public VectorModel searchModel() {
    return state.search();
  }

  /** The query's vector of the model search uses, or none when search goes by words alone. */
  public Future<QueryEmbedding> query(String text) {
    State s = state;
    if (s.searchEmbedder() == null) {
      return Future.succeededFuture(QueryEmbedding.wordsOnly(text));
    }
    return s.searchEmbedder().embedQuery(text).map(vector -> new QueryEmbedding(text, s.search(), vector));
  }

  /**
   * A statement's vector of the model search uses, made as what is stored is (a passage's, for a model that tells
   * queries and passages apart): to compare a message with stored memories, text with text. None when search goes by
   * words alone.
   */
  public Future<QueryEmbedding> statement(String text) {
    State s = state;
    if (s.searchEmbedder() == null) {
      return Future.succeededFuture(QueryEmbedding.wordsOnly(text));
    }
    return s.searchEmbedder().embed(List.of(text)).map(v -> new QueryEmbedding(text, s.search(), v.getFirst()));
  }

  /**
   * The texts' vectors of every model an item is written with: the configured one, and while it is not yet the one
   * search uses, that one too when it can be run.
   */
  public Future<List<Embedded>> embed(List<String> texts) {
    State s = state;
    Future<List<Embedded>> all = configured.embed(texts).map(v -> new ArrayList<>(List.of(new Embedded(model, v))));
    if (s.searchEmbedder() == null || s.search().name().equals(model.name())) {
      return all;
    }
    return all.compose(list -> s.searchEmbedder().embed(texts).map(v -> {
      list.add(new Embedded(s.search(), v));
      return list;
    }));
  }

  /** Of vectors just made by {@link #embed}, those that search uses now (else the configured model's). */
  public Embedded forSearch(List<Embedded> embedded) {
    VectorModel search = state.search();
    return embedded.stream().filter(e -> e.model().equals(search)).findFirst().orElse(embedded.getFirst());
  }

  /**
   * The cosine similarity of a query to a text at and above which the text is on the query's subject, as the model
   * search uses spreads its similarities (the configured model's while search goes by words alone).
   */
  public double related() {
    State s = state;
    return (s.searchEmbedder() == null ? configured : s.searchEmbedder()).related();
  }

  /**
   * The cosine distance at and under which two texts say the same thing, for the vectors {@link #forSearch} picks of
   * those just made.
   */
  public double same(List<Embedded> embedded) {
    State s = state;
    boolean search = s.searchEmbedder() != null && forSearch(embedded).model().equals(s.search());
    return (search ? s.searchEmbedder() : configured).same();
  }

  /**
   * At start-up: records the configured model (complete at once in a new database), makes its indexes, learns which
   * model search uses. Answers whether re-embedding has work: the configured model is not complete, or another model
   * is still recorded.
   */
  public Future<Boolean> prepare() {
    Future<Void> indexes = models.register(model, clock.instant());
    for (VectorSource source : sources) {
      indexes = indexes.compose(v -> models.ensureIndex(source.vectorTable(), model));
    }
    return indexes.compose(v -> refresh()).compose(v -> models.models()).map(recorded -> {
      boolean settled = recorded.size() == 1 && recorded.getFirst().complete();
      if (!state.search().equals(model)) {
        LOG.info("Embedding model {} ({} dimensions) is configured; search uses {} {} until every item has a vector of"
            + " {}", model.name(), model.dimension(), state.search().name(),
            state.searchEmbedder() == null ? "by words only" : "by meaning and words", model.name());
      }
      return !settled;
    });
  }

  /** Reads which model search uses now, and finds how to embed its queries when it changed. */
  public Future<Void> refresh() {
    if (models == null) {
      return Future.succeededFuture();
    }
    return models.models().compose(recorded -> {
      VectorModel search = recorded.stream().filter(Recorded::complete)
          .max(Comparator.comparing(Recorded::startedAt)).map(Recorded::model).orElse(model);
      State now = state;
      if (search.equals(now.search())) {
        return Future.succeededFuture();
      }
      Future<Optional<Embedder>> embedder = search.equals(model) ? Future.succeededFuture(Optional.of(configured))
          : runner.apply(search).otherwise(e -> {
            LOG.warn("Embedding model {} cannot be run here: {}", search.name(), e.toString());
            return Optional.empty();
          });
      return embedder.map(found -> {
        Embedder usable = found.filter(e -> e.dimension() == search.dimension()).orElse(null);
        state = new State(search, usable);
        if (usable == null) {
          LOG.warn("Search uses the vectors of {}, which cannot be run here: it goes by words only until every item "
              + "has a vector of {}", search.name(), model.name());
        } else if (!search.equals(model)) {
          LOG.info("Search uses {} until every item has a vector of {}", search.name(), model.name());
        } else {
          LOG.info("Search uses {}", search.name());
        }
        return null;
      });
    });
  }

  /** /health's part: the models, how search goes, and a re-embedding's progress. */
  public Future<JsonObject> report() {
    if (models == null) {
      return Future.succeededFuture(new JsonObject().put("status", "ok").put("model", model.name()));
    }
    return models.models().map(recorded -> {
      State s = state;
      JsonObject report = new JsonObject().put("status", s.searchEmbedder() == null ? "degraded" : "ok")
          .put("model", model.name()).put("dimension", model.dimension()).put("search", s.search().name())
          .put("searchBy", s.searchEmbedder() == null ? "words" : "meaning and words");
      if (s.searchEmbedder() == null) {
        report.put("reasons", new JsonArray().add("search goes by words only: the vectors it uses are of "
            + s.search().name() + ", which cannot be run here, until every item has a vector of " + model.name()));
      }
      recorded.stream().filter(r -> r.model().name().equals(model.name()) && !r.complete()).findFirst()
          .ifPresent(r -> report.put("reembedding", new JsonObject().put("model", model.name())
              .put("items", r.items()).put("done", r.reembedded())
              .put("startedAt", r.startedAt().toString())));
      return report;
    });
  }
}
