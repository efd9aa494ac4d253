package dev.aide.embedding;

import io.vertx.core.Future;
import java.util.List;

/**
 * Turns text into vectors that are near when the meanings are: what makes memories, messages and document passages
 * searchable by meaning. Never blocks the caller: the work runs off the event loop (in-process model) or is an HTTP
 * call (a remote one).
 */
public interface Embedder {

  /** The model's name as recorded with every vector it made, e.g. {@code local:e5-small-v2-q}. */
  String model();

  /** The length of its vectors. */
  int dimension();

  /** One unit-length vector per text to be searched (a memory, a message, a passage), in order. */
  Future<List<float[]>> embed(List<String> texts);

  /** The vector of a search query (a model trained with query and passage prefixes gets the query's). */
  default Future<float[]> embedQuery(String query) {
    return embed(List.of(query)).map(List::getFirst);
  }

  /** The vectors of several queries, in order (texts compared with one another, as a classifier's examples are). */
  default Future<List<float[]>> embedQueries(List<String> queries) {
    return Future.all(queries.stream().map(this::embedQuery).toList()).map(all -> all.<float[]>list());
  }

  /**
   * The cosine similarity of a query to a text at and above which the text is on the query's subject: a turn takes
   * only such recollections. Each model spreads its similarities differently.
   */
  default double related() {
    return 0.35;
  }

  /**
   * The cosine distance between two stored texts at and under which they say the same thing (a memory said again
   * updates the stored one instead of piling up).
   */
  default double same() {
    return 0.08;
  }
}
