package dev.aide.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (quantized ONNX, 384 dimensions) run in the process: no network, no key, a few milliseconds a
 * query on two cores. The model is CPU work, so it runs on Vert.x's worker threads, several batches at once.
 */
public final class LocalEmbedder implements Embedder {

  public static final String MODEL = "local:all-minilm-l6-v2-q";
  private static final int DIMENSION = 384;
  private static final String NO_WORDS = "(no words)";

  private final Vertx vertx;
  private volatile EmbeddingModel model;

  /**
   * The model is loaded (about a second of CPU) on the first text to embed, on a worker thread: an instance that
   * never embeds anything (one that only sends reminders) never pays for it.
   */
  public LocalEmbedder(Vertx vertx) {
    this.vertx = vertx;
  }

  private EmbeddingModel loaded() {
    EmbeddingModel loaded = model;
    if (loaded == null) {
      synchronized (this) {
        if (model == null) {
          model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        }
        loaded = model;
      }
    }
    return loaded;
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public Future<List<float[]>> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return vertx.executeBlocking(() -> {
      List<TextSegment> segments = texts.stream().map(LocalEmbedder::segment).toList();
      try {
        return loaded().embedAll(segments).content().stream().map(Embedding::vector).toList();
      } catch (IllegalArgumentException e) {
        // A text the tokenizer finds no token in (only symbols it drops): it gets the vector of "no words" rather
        // than failing its batch, which would leave every other text of the batch unsearchable.
        return segments.stream().map(this::embedOne).toList();
      }
    }, false);
  }

  private float[] embedOne(TextSegment segment) {
    try {
      return loaded().embed(segment).content().vector();
    } catch (IllegalArgumentException e) {
      return loaded().embed(NO_WORDS).content().vector();
    }
  }

  /** The text, an unpaired surrogate (not a character) read as U+FFFD, as it is stored. */
  private static TextSegment segment(String text) {
    StringBuilder clean = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        clean.append(c).append(text.charAt(++i));
      } else {
        clean.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return TextSegment.from(clean.isEmpty() || clean.toString().isBlank() ? NO_WORDS : clean.toString());
  }
}
