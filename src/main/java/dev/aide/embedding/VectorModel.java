package dev.aide.embedding;

/**
 * An embedding model as its vectors record it: the name in every vector row's {@code model} column and the length of
 * its vectors. The name goes into SQL text (the model's partial HNSW index needs it as a literal), so it is held to a
 * plain pattern ({@link EmbeddingRepository#checkedModel}).
 */
public record VectorModel(String name, int dimension) {

  public VectorModel {
    EmbeddingRepository.checkedModel(name);
    if (dimension < 1 || dimension > 16_000) {
      throw new EmbeddingException("an embedding model's dimension must be from 1 to 16000 (got " + dimension + ")");
    }
  }

  public static VectorModel of(Embedder embedder) {
    return new VectorModel(embedder.model(), embedder.dimension());
  }

  /** The name as a SQL string literal. */
  public String literal() {
    return "'" + name + "'";
  }

  /** A vector column read as this model's vectors, as its HNSW index is built: {@code vector::vector(384)}. */
  public String column() {
    return "vector::vector(" + dimension + ")";
  }
}
