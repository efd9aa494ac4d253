package dev.aide.embedding;

import java.util.List;

/** Texts' vectors made by one model, in the order of the texts. */
public record Embedded(VectorModel model, List<float[]> vectors) {

  public Embedded {
    vectors = List.copyOf(vectors);
  }

  /** The vector of the first (often the only) text. */
  public float[] first() {
    return vectors.getFirst();
  }

  /** The vectors of some of the texts, by their positions, in the order given. */
  public Embedded pick(List<Integer> positions) {
    return new Embedded(model, positions.stream().map(vectors::get).toList());
  }
}
