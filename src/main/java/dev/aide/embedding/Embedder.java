package dev.aide.embedding;

import io.vertx.core.Future;
import java.util.List;

/**
 * Turns text into vectors that are near when the meanings are: what makes memories, messages and document passages
 * searchable by meaning. Never blocks the caller: the work runs off the event loop (in-process model) or is an HTTP
 * call (a remote one).
 */
public interface Embedder {

  /** The model's name as recorded with every vector it made, e.g. {@code local:all-minilm-l6-v2-q}. */
  String model();

  /** The length of its vectors. */
  int dimension();

  /** One unit-length vector per text, in order. */
  Future<List<float[]>> embed(List<String> texts);

  /** The vector of a search query. */
  default Future<float[]> embedQuery(String query) {
    return embed(List.of(query)).map(List::getFirst);
  }
}
