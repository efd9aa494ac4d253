package dev.aide.embedding;

/**
 * A search query as search uses it: its words, and its vector of the model search uses, or none (model and vector
 * null) while search goes by words alone (the model whose vectors are complete cannot be run here, see
 * {@link Embeddings}).
 */
public record QueryEmbedding(String text, VectorModel model, float[] vector) {

  public static QueryEmbedding wordsOnly(String text) {
    return new QueryEmbedding(text, null, null);
  }

  public boolean byMeaning() {
    return vector != null;
  }
}
