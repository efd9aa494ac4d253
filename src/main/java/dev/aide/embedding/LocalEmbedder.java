package dev.aide.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An embedding model run in the process (quantized ONNX, 384 dimensions): no network, no key, a few milliseconds a
 * query on two cores. The model is CPU work, so it runs on Vert.x's worker threads, several batches at once.
 *
 * <p>The default is e5-small-v2: on LoCoMo's held-out conversations it finds the evidence of a question far more often
 * than all-MiniLM-L6-v2 (README, Benchmarks) for about twice the work a text (12 layers to 6: some 270 against 490
 * turns a second, 3 against 1.5 ms a question, on two cores). It was trained with "query: " before a search and
 * "passage: " before what is searched, and reads them here; all-MiniLM-L6-v2 stays available by name.
 */
public final class LocalEmbedder implements Embedder {

  /** The default model's name, as recorded with its vectors. */
  public static final String MODEL = Kind.E5_SMALL_V2.model;
  private static final int DIMENSION = 384;
  private static final String NO_WORDS = "(no words)";

  /** The in-process models Aide ships, by the name {@code AIDE_EMBEDDING_MODEL} gives them. */
  public enum Kind {
    /**
     * e5-small-v2: its cosine similarities sit high and close together (a LoCoMo question and its evidence about
     * 0.83, and the other turns of the conversation about 0.78), so its thresholds differ from MiniLM's. At 0.80 a
     * question keeps more of its evidence than MiniLM at 0.35 and lets fewer other turns through (LoCoMo's tuning
     * conversations: 0.87 and 0.22 against 0.78 and 0.27; held out: 0.74 and 0.13 against 0.67 and 0.14;
     * {@code LocomoTuning -Dtune.thresholds=true}). Only a rewording of the same words is "the same" (0.985: "I'm
     * allergic to peanuts" / "I am allergic to peanuts" 0.994, a birthday on another day 0.963).
     */
    E5_SMALL_V2("e5-small-v2-q", "query: ", "passage: ", 0.80, 0.015, () -> QuietOnnxModel.load("e5-small-v2-q.onnx", "e5-small-v2-q-tokenizer.json", DIMENSION)),
    /** all-MiniLM-L6-v2: sentences on one subject above about 0.4, unrelated ones below 0.2. */
    ALL_MINILM_L6_V2("all-minilm-l6-v2-q", "", "", 0.35, 0.08, () -> QuietOnnxModel.load("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", DIMENSION));

    final String name;
    final String model;
    final String queryPrefix;
    final String passagePrefix;
    final double related;
    final double same;
    final Supplier<EmbeddingModel> load;

    Kind(String name, String queryPrefix, String passagePrefix, double related, double same,
         Supplier<EmbeddingModel> load) {
      this.name = name;
      this.model = "local:" + name;
      this.queryPrefix = queryPrefix;
      this.passagePrefix = passagePrefix;
      this.related = related;
      this.same = same;
      this.load = load;
    }

    /** The model whose vectors are recorded under that name ({@code local:…}), if Aide ships it. */
    public static java.util.Optional<Kind> recorded(String model) {
      return java.util.Arrays.stream(values()).filter(kind -> kind.model.equals(model)).findFirst();
    }

    /** The model of that name ({@code null}: the default), or an exception listing the names there are. */
    public static Kind named(String name) {
      if (name == null || name.isBlank()) {
        return E5_SMALL_V2;
      }
      for (Kind kind : values()) {
        if (kind.name.equals(name.strip().toLowerCase(Locale.ROOT))) {
          return kind;
        }
      }
      throw new IllegalArgumentException("no in-process embedding model " + name + "; there are e5-small-v2-q and "
          + "all-minilm-l6-v2-q");
    }
  }

  /** Vectors kept of the texts embedded last (about 1.6 KB each, and the text). */
  static final int RECENT = 2_048;
  /**
   * Longer texts (a document's passage of a size, a pasted page) are not kept: they are seldom embedded twice, and
   * the longest a message is read for memories is 4,000 characters. So the texts kept take 16 MB at the very most.
   */
  private static final int KEPT_LENGTH = 4_096;

  private final Vertx vertx;
  private final Kind kind;
  private volatile EmbeddingModel model;
  /**
   * The vectors of the texts embedded last, by the exact text the model read (prefix included), least recently used
   * first out; guarded by itself. A person's message is embedded as a passage when it is stored (to be found later)
   * and again, a few seconds on, when memory learning compares it with the memories: the second is read from here
   * (issue 16: about 3 ms of CPU a turn with e5).
   */
  private final Map<String, float[]> recent;

  /**
   * The model is loaded (about a second of CPU) on the first text to embed, on a worker thread: an instance that
   * never embeds anything (one that only sends reminders) never pays for it.
   */
  public LocalEmbedder(Vertx vertx) {
    this(vertx, Kind.E5_SMALL_V2);
  }

  public LocalEmbedder(Vertx vertx, Kind kind) {
    this(vertx, kind, RECENT);
  }

  /** {@code recent}: how many texts' vectors to keep (0: none, every text is run through the model). */
  LocalEmbedder(Vertx vertx, Kind kind, int recent) {
    this.vertx = vertx;
    this.kind = kind;
    this.recent = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > recent;
      }
    };
  }

  private EmbeddingModel loaded() {
    EmbeddingModel loaded = model;
    if (loaded == null) {
      synchronized (this) {
        if (model == null) {
          model = kind.load.get();
        }
        loaded = model;
      }
    }
    return loaded;
  }

  @Override
  public String model() {
    return kind.model;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public double related() {
    return kind.related;
  }

  @Override
  public double same() {
    return kind.same;
  }

  @Override
  public Future<List<float[]>> embed(List<String> texts) {
    return embed(texts, kind.passagePrefix);
  }

  @Override
  public Future<float[]> embedQuery(String query) {
    return embed(List.of(query), kind.queryPrefix).map(List::getFirst);
  }

  @Override
  public Future<List<float[]>> embedQueries(List<String> queries) {
    return embed(queries, kind.queryPrefix);
  }

  private Future<List<float[]>> embed(List<String> texts, String prefix) {
    if (texts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return vertx.executeBlocking(() -> {
      List<TextSegment> segments = texts.stream().map(text -> segment(prefix, text)).toList();
      float[][] vectors = new float[segments.size()][];
      List<Integer> missing = new ArrayList<>();
      synchronized (recent) {
        for (int i = 0; i < segments.size(); i++) {
          float[] known = recent.get(segments.get(i).text());
          if (known != null) {
            vectors[i] = known.clone();
          } else {
            missing.add(i);
          }
        }
      }
      if (missing.isEmpty()) {
        return List.of(vectors);
      }
      List<TextSegment> toRun = missing.stream().map(segments::get).toList();
      List<float[]> made;
      try {
        made = loaded().embedAll(toRun).content().stream().map(Embedding::vector).toList();
      } catch (IllegalArgumentException e) {
        // A text the tokenizer finds no token in (only symbols it drops): it gets the vector of "no words" rather
        // than failing its batch, which would leave every other text of the batch unsearchable.
        made = toRun.stream().map(this::embedOne).toList();
      }
      synchronized (recent) {
        for (int j = 0; j < missing.size(); j++) {
          vectors[missing.get(j)] = made.get(j);
          if (toRun.get(j).text().length() <= KEPT_LENGTH) {
            recent.put(toRun.get(j).text(), made.get(j).clone());
          }
        }
      }
      return List.of(vectors);
    }, false);
  }

  private float[] embedOne(TextSegment segment) {
    try {
      return loaded().embed(segment).content().vector();
    } catch (IllegalArgumentException e) {
      return loaded().embed(NO_WORDS).content().vector();
    }
  }

  /**
   * The text, an unpaired surrogate (not a character) read as U+FFFD, as it is stored; "(no words)" for one of spaces
   * and control characters alone (which LangChain4j's segment refuses).
   */
  private static TextSegment segment(String prefix, String text) {
    StringBuilder clean = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        clean.append(c).append(text.charAt(++i));
      } else {
        clean.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return TextSegment.from(prefix + (clean.toString().trim().isBlank() ? NO_WORDS : clean.toString()));
  }
}
