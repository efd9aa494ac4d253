package dev.aide.embedding;

/** The embedding model could not make vectors (the remote endpoint failed or answered nonsense). */
public final class EmbeddingException extends RuntimeException {

  public EmbeddingException(String message) {
    super(message);
  }
}
