package dev.aide.embedding;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The record of embedding models (embedding_models), their re-embedding's progress, and their HNSW indexes. A vector
 * table stores vectors of any dimension (pgvector's {@code vector} without one); an index is per model, on
 * {@code vector::vector(dimension)} and partial on the model, made the first time the model is used and dropped with
 * its vectors when a newer model has replaced it. Model and table names go into DDL, so both are held to a plain
 * pattern first.
 */
public final class EmbeddingRepository {

  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9:._/-]{1,200}");
  private static final Pattern TABLE = Pattern.compile("[a-z_]{1,60}");
  // The first model recorded in a database is complete at once: there is nothing to embed again.
  private static final String REGISTER = """
      insert into embedding_models (model, dimension, complete_at)
      select $1, $2, case when exists (select 1 from embedding_models) then null else $3::timestamptz end
      on conflict (model) do update set model = excluded.model
      returning dimension
      """;
  private static final String MODELS = """
      select model, dimension, started_at, complete_at, items, reembedded, resume_at from embedding_models
      order by started_at, model
      """;
  private static final String COUNTED = "update embedding_models set items = $2 where model = $1 and items is null";
  private static final String PROGRESS = """
      update embedding_models set reembedded = reembedded + $2, resume_at = $3 where model = $1 and complete_at is null
      """;
  private static final String COMPLETE = """
      update embedding_models set complete_at = $2, resume_at = null where model = $1 and complete_at is null
      """;
  private static final String FORGET = "delete from embedding_models where model = $1";

  private final Pool pool;

  public EmbeddingRepository(Pool pool) {
    this.pool = pool;
  }

  /** The model name, checked to be safe inside SQL text, or an exception naming it. */
  public static String checkedModel(String model) {
    if (model == null || !MODEL.matcher(model).matches()) {
      throw new EmbeddingException(
          "an embedding model name may contain only A-Z a-z 0-9 : . _ / - (got " + model + ")");
    }
    return model;
  }

  /**
   * Records the model (complete at {@code now} when it is the first one this database has seen); fails when it was
   * recorded before with another dimension.
   */
  public Future<Void> register(VectorModel model, Instant now) {
    return pool.preparedQuery(REGISTER).execute(Tuple.of(model.name(), model.dimension(), utc(now))).compose(rows -> {
      int known = rows.iterator().next().getInteger("dimension");
      return known == model.dimension() ? Future.succeededFuture() : Future.failedFuture(new EmbeddingException(
          "embedding model " + model.name() + " was recorded with dimension " + known + ", now answers "
              + model.dimension()));
    });
  }

  /** Every recorded model, oldest first. */
  public Future<List<Recorded>> models() {
    return pool.query(MODELS).execute().map(rows -> {
      List<Recorded> list = new ArrayList<>(rows.size());
      for (Row row : rows) {
        OffsetDateTime complete = row.getOffsetDateTime("complete_at");
        Object resume = row.getValue("resume_at");
        list.add(new Recorded(new VectorModel(row.getString("model"), row.getInteger("dimension")),
            row.getOffsetDateTime("started_at").toInstant(), complete == null ? null : complete.toInstant(),
            row.getLong("items"), row.getLong("reembedded"), resume instanceof JsonObject json ? json : null));
      }
      return list;
    });
  }

  /** How many items the model's re-embedding has to go through, when it was not counted yet. */
  public Future<Void> counted(VectorModel model, long items) {
    return pool.preparedQuery(COUNTED).execute(Tuple.of(model.name(), items)).mapEmpty();
  }

  /** Vectors the model's re-embedding made, and where it goes on from. */
  public Future<Void> progress(VectorModel model, long made, JsonObject resumeAt) {
    return pool.preparedQuery(PROGRESS).execute(Tuple.of(model.name(), made, resumeAt)).mapEmpty();
  }

  /** Every item has a vector of the model: search may use it from now on. */
  public Future<Void> complete(VectorModel model, Instant at) {
    return pool.preparedQuery(COMPLETE).execute(Tuple.of(model.name(), utc(at))).mapEmpty();
  }

  /** Makes the model's HNSW index (cosine) on a vector table when it does not exist yet. */
  public Future<Void> ensureIndex(String table, VectorModel model) {
    return pool.query("create index if not exists " + index(table, model.name()) + " on " + table
        + " using hnsw ((" + model.column() + ") vector_cosine_ops) where model = " + model.literal())
        .execute().mapEmpty();
  }

  /** The same, by name and dimension. */
  public Future<Void> ensureIndex(String table, String model, int dimension) {
    return ensureIndex(table, new VectorModel(model, dimension));
  }

  /**
   * Drops the model's index on a vector table and deletes its vectors there (an index dropped concurrently, so searches
   * and writes of the other models go on meanwhile).
   */
  public Future<Void> dropVectors(String table, VectorModel model) {
    return pool.query("drop index concurrently if exists " + index(table, model.name())).execute()
        .compose(v -> pool.preparedQuery("delete from " + table(table) + " where model = $1")
            .execute(Tuple.of(model.name())))
        .mapEmpty();
  }

  /** The model's record goes, with any vector of it left. */
  public Future<Void> forget(VectorModel model) {
    return pool.preparedQuery(FORGET).execute(Tuple.of(model.name())).mapEmpty();
  }

  private static String index(String table, String model) {
    return table(table) + "_hnsw_" + Integer.toHexString(checkedModel(model).hashCode());
  }

  private static String table(String table) {
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("not a vector table name: " + table);
    }
    return table;
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /**
   * A recorded model: when it was first used, when its vectors became complete (null while they are being made),
   * and its re-embedding's progress (items counted when it began, null before; vectors made; where it goes on).
   */
  public record Recorded(VectorModel model, Instant startedAt, Instant completeAt, Long items, long reembedded,
                         JsonObject resumeAt) {

    public boolean complete() {
      return completeAt != null;
    }
  }
}
