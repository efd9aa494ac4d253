package dev.aide.embedding;

/** pgvector's text form of a vector, '[0.1,0.2,…]', which a {@code $n::vector} parameter accepts. */
public final class Vectors {

  private Vectors() {}

  public static String text(float[] vector) {
    StringBuilder s = new StringBuilder(vector.length * 12).append('[');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        s.append(',');
      }
      s.append(vector[i]);
    }
    return s.append(']').toString();
  }
}
