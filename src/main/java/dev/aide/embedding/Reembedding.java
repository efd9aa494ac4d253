package dev.aide.embedding;

import dev.aide.embedding.EmbeddingRepository.Recorded;
import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskHandler;
import dev.aide.platform.task.TaskOutcome;
import dev.aide.scheduler.TaskRepository;
import dev.aide.scheduler.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every item (memories, messages, document passages of every person) a vector of a newly configured embedding
 * model, in the background, as one scheduler task: claimed by one instance at a time (a crashed instance's claim is
 * taken over), each run a few batches, the place it reached recorded after each batch so a restart goes on from there.
 * It walks each kind of item in id order and skips those that have a vector of the model already; a pass that finds
 * none without one makes the model complete, and search switches to it. A while later (every instance has switched
 * too) the models it replaced go with their vectors and indexes.
 */
public final class Reembedding implements TaskHandler {

  public static final String TYPE = "embedding-model";
  static final String KEY = "embedding-model";
  /** Texts embedded at once. */
  static final int BATCH = 64;
  /** Batches a run does before it hands the task back to the scheduler (which runs it again at once). */
  private static final int BATCHES_PER_RUN = 16;
  private static final Duration RUN_BUDGET = Duration.ofSeconds(20);
  /**
   * How long the models a complete one replaced are kept: longer than any instance takes to see the switch
   * ({@link ModelWatch}), so none searches vectors that are gone.
   */
  public static final Duration KEEP_REPLACED = ModelWatch.EVERY.multipliedBy(6);
  /** When the scheduler gave up after its retries (the endpoint down for long), the work resumes this much later. */
  private static final Duration AFTER_GIVING_UP = Duration.ofMinutes(15);
  private static final Logger LOG = LoggerFactory.getLogger(Reembedding.class);

  private final Embeddings embeddings;
  private final EmbeddingRepository models;
  private final TaskRepository tasks;
  private final Clock clock;

  public Reembedding(Embeddings embeddings, EmbeddingRepository models, TaskRepository tasks, Clock clock) {
    this.embeddings = embeddings;
    this.models = models;
    this.tasks = tasks;
    this.clock = clock;
  }

  /**
   * Starts the work for the configured model unless it is already under way for it (scheduled, or running on another
   * instance, whose claim is left alone).
   */
  public Future<Void> start() {
    return tasks.ensure(spec(clock.instant()));
  }

  private TaskSpec spec(Instant at) {
    return TaskSpec.once(null, KEY, TYPE, new JsonObject().put("model", embeddings.configured().name()), at);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Future<TaskOutcome> run(ScheduledTask task) {
    String wanted = task.payload().getString("model");
    VectorModel model = embeddings.configured();
    if (!model.name().equals(wanted)) {
      // Another instance, configured with another model, started it; this one cannot make that model's vectors.
      LOG.warn("Re-embedding for {} is left to an instance configured with it (this one has {})", wanted, model.name());
      return Future.succeededFuture(TaskOutcome.runAgainAt(clock.instant().plus(Duration.ofMinutes(1))));
    }
    return models.models().compose(recorded -> {
      Optional<Recorded> mine = recorded.stream().filter(r -> r.model().name().equals(model.name())).findFirst();
      if (mine.isEmpty()) {
        return Future.succeededFuture(TaskOutcome.DONE);
      }
      if (!mine.get().complete()) {
        return fill(mine.get(), System.nanoTime() + RUN_BUDGET.toNanos());
      }
      Instant retire = mine.get().completeAt().plus(KEEP_REPLACED);
      if (clock.instant().isBefore(retire)) {
        return Future.succeededFuture(TaskOutcome.runAgainAt(retire));
      }
      return retire(recorded.stream().filter(r -> !r.model().name().equals(model.name())).toList())
          .map(TaskOutcome.DONE);
    });
  }

  /** Batches from where the last run stopped, until the budget of this run is spent or the model is complete. */
  private Future<TaskOutcome> fill(Recorded recorded, long deadline) {
    List<VectorSource> sources = embeddings.sources();
    Future<Long> counted = recorded.items() != null ? Future.succeededFuture(recorded.items()) : count(sources)
        .compose(items -> models.counted(recorded.model(), items).map(items))
        .onSuccess(items -> LOG.info("Re-embedding {} items for {} ({} dimensions)", items, recorded.model().name(),
            recorded.model().dimension()));
    Place place = Place.of(recorded.resumeAt(), sources);
    return counted.compose(items -> step(new Walk(recorded.model(), sources, items, recorded.reembedded()), place, 0,
        deadline));
  }

  /** One run's walk: the model, the kinds of item, how many items there were, how many vectors are made so far. */
  private static final class Walk {
    final VectorModel model;
    final List<VectorSource> sources;
    final long items;
    long made;

    Walk(VectorModel model, List<VectorSource> sources, long items, long made) {
      this.model = model;
      this.sources = sources;
      this.items = items;
      this.made = made;
    }
  }

  private Future<TaskOutcome> step(Walk walk, Place place, int batches, long deadline) {
    if (batches >= BATCHES_PER_RUN || System.nanoTime() > deadline) {
      return Future.succeededFuture(TaskOutcome.runAgainAt(clock.instant()));
    }
    VectorSource source = walk.sources.get(place.source());
    return source.missing(walk.model, place.after(), BATCH).compose(items -> {
      Future<Integer> stored = items.isEmpty() ? Future.succeededFuture(0)
          : embeddings.configuredEmbedder().embed(items.stream().map(VectorSource.Item::text).toList())
              .compose(vectors -> source.put(walk.model, items, vectors));
      return stored.compose(made -> {
        Place next = items.size() < BATCH ? place.nextSource(walk.sources.size(), !items.isEmpty())
            : new Place(place.source(), items.getLast().id(), true);
        walk.made += made;
        if (next == null) {
          return complete(walk.model, walk.made);
        }
        Future<Void> saved = models.progress(walk.model, made, next.toJson(walk.sources));
        if (!items.isEmpty()) {
          saved = saved.onSuccess(v -> LOG.info("Re-embedding for {}: {} more {} ({} of about {} items)",
              walk.model.name(), made, source.name(), walk.made, walk.items));
        }
        return saved.compose(v -> step(walk, next, batches + 1, deadline));
      });
    });
  }

  private Future<TaskOutcome> complete(VectorModel model, long done) {
    Instant now = clock.instant();
    return models.complete(model, now).compose(v -> embeddings.refresh()).map(v -> {
      LOG.info("Re-embedding for {} is complete ({} vectors made); search uses it now", model.name(), done);
      return TaskOutcome.runAgainAt(now.plus(KEEP_REPLACED));
    });
  }

  /** The models a complete one replaced: their indexes, vectors and records. */
  private Future<Void> retire(List<Recorded> replaced) {
    Future<Void> chain = Future.succeededFuture();
    for (Recorded old : replaced) {
      for (VectorSource source : embeddings.sources()) {
        chain = chain.compose(v -> models.dropVectors(source.vectorTable(), old.model()));
      }
      chain = chain.compose(v -> models.forget(old.model()))
          .onSuccess(v -> LOG.info("Embedding model {} is replaced by {}: its vectors and indexes are gone",
              old.model().name(), embeddings.configured().name()));
    }
    return chain;
  }

  private static Future<Long> count(List<VectorSource> sources) {
    Future<Long> total = Future.succeededFuture(0L);
    for (VectorSource source : sources) {
      total = total.compose(sum -> source.count().map(n -> sum + n));
    }
    return total;
  }

  @Override
  public Future<Void> gaveUp(ScheduledTask task, String error) {
    LOG.warn("Re-embedding for {} failed again and again ({}); it goes on in {} minutes",
        task.payload().getString("model"), error, AFTER_GIVING_UP.toMinutes());
    return tasks.schedule(spec(clock.instant().plus(AFTER_GIVING_UP)));
  }

  /**
   * Where re-embedding goes on: the kind of item (a position among the sources), the last id it went past (null:
   * from the first) and whether this pass has found an item without a vector.
   */
  record Place(int source, UUID after, boolean found) {

    static Place of(JsonObject json, List<VectorSource> sources) {
      if (json == null) {
        return new Place(0, null, false);
      }
      int source = -1;
      for (int i = 0; i < sources.size(); i++) {
        if (sources.get(i).name().equals(json.getString("source"))) {
          source = i;
        }
      }
      if (source < 0) {
        return new Place(0, null, false);
      }
      String after = json.getString("after");
      return new Place(source, after == null ? null : UUID.fromString(after), json.getBoolean("found", false));
    }

    /** The next kind of item from its first; after the last, another pass, or null when this one found nothing. */
    Place nextSource(int count, boolean foundHere) {
      boolean any = found || foundHere;
      if (source + 1 < count) {
        return new Place(source + 1, null, any);
      }
      return any ? new Place(0, null, false) : null;
    }

    JsonObject toJson(List<VectorSource> sources) {
      return new JsonObject().put("source", sources.get(source).name())
          .put("after", after == null ? null : after.toString()).put("found", found);
    }
  }
}
