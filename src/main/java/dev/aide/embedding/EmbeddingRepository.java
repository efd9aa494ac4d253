package dev.aide.embedding;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.regex.Pattern;

/**
 * The record of embedding models (embedding_models) and their HNSW indexes. A vector table stores vectors of any
 * dimension (pgvector's {@code vector} without one); an index is per model, on {@code vector::vector(dimension)} and
 * partial on the model, made the first time the model is used. Model and table names go into DDL, so both are held to
 * a plain pattern first.
 */
public final class EmbeddingRepository {

  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9:._/-]{1,200}");
  private static final Pattern TABLE = Pattern.compile("[a-z_]{1,60}");
  private static final String REGISTER = """
      insert into embedding_models (model, dimension) values ($1, $2)
      on conflict (model) do update set model = excluded.model
      returning dimension
      """;

  private final Pool pool;

  public EmbeddingRepository(Pool pool) {
    this.pool = pool;
  }

  /** The model name, checked to be safe inside SQL text, or an exception naming it. */
  public static String checkedModel(String model) {
    if (!MODEL.matcher(model).matches()) {
      throw new EmbeddingException("an embedding model name may contain only A-Z a-z 0-9 : . _ / - (got " + model + ")");
    }
    return model;
  }

  /** Records the model; fails when it was recorded before with another dimension. */
  public Future<Void> register(String model, int dimension) {
    return pool.preparedQuery(REGISTER).execute(Tuple.of(checkedModel(model), dimension)).compose(rows -> {
      int known = rows.iterator().next().getInteger("dimension");
      return known == dimension ? Future.succeededFuture() : Future.failedFuture(new EmbeddingException(
          "embedding model " + model + " was recorded with dimension " + known + ", now answers " + dimension));
    });
  }

  /** Makes the model's HNSW index (cosine) on a vector table when it does not exist yet. */
  public Future<Void> ensureIndex(String table, String model, int dimension) {
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("not a vector table name: " + table);
    }
    String index = table + "_hnsw_" + Integer.toHexString(checkedModel(model).hashCode());
    return pool.query("create index if not exists " + index + " on " + table + " using hnsw ((vector::vector("
        + dimension + ")) vector_cosine_ops) where model = '" + model + "'").execute().mapEmpty();
  }
}
