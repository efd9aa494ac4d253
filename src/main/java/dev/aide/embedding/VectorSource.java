package dev.aide.embedding;

import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/**
 * One kind of item whose text is searched by meaning (memories, messages, document passages), as re-embedding walks
 * it: its features implement it in their repositories, which hold its SQL.
 */
public interface VectorSource {

  /** What the items are, in logs and /health: "memories". */
  String name();

  /** The table of their vectors, on which each model gets its HNSW index. */
  String vectorTable();

  /** How many items there are (of every person). */
  Future<Long> count();

  /**
   * Items without a vector of the model, of every person, in id order after {@code after} (null: from the first), at
   * most {@code limit}: the text as it is embedded and the person it belongs to.
   */
  Future<List<Item>> missing(VectorModel model, UUID after, int limit);

  /**
   * Stores the items' vectors of the model, each under the person its item belongs to; an item deleted meanwhile, or
   * given its vector meanwhile (by a change of its text), is left as it is. Answers how many were stored.
   */
  Future<Integer> put(VectorModel model, List<Item> items, List<float[]> vectors);

  /** An item's id, its person and the text that is embedded. */
  record Item(UUID id, UUID userId, String text) {}
}
