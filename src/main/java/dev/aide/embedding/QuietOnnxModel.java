package dev.aide.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of the quantized models LangChain4j ships (its ONNX file and tokenizer, mean pooling), run by an ONNX Runtime
 * session of one thread that does not spin. LangChain4j's own classes open the session with the runtime's defaults:
 * a thread per core that spins while it waits for work, so each of the many small embeddings a server runs at once
 * (a turn embeds its message twice) woke the cores' threads and burnt CPU spinning against the others: about half
 * of a turn's CPU time went to ONNX (issue 16). The embeddings run on Vert.x's worker threads, several at once.
 * Several texts at once (the messages indexed together, a document's passages) go through the model in batches
 * ({@link OnnxBatch}), one text the way LangChain4j runs it.
 */
final class QuietOnnxModel extends AbstractInProcessEmbeddingModel {

  private final OnnxBertBiEncoder encoder;
  private final OnnxBatch batch;
  private final int dimension;

  private QuietOnnxModel(OnnxBertBiEncoder encoder, OnnxBatch batch, int dimension) {
    // One text on the calling (worker) thread, not on an executor of LangChain4j's.
    super(Runnable::run);
    this.encoder = encoder;
    this.batch = batch;
    this.dimension = dimension;
  }

  /**
   * The model of that ONNX file, loaded from the class path (the LangChain4j model's jar) on first use: about a second
   * of CPU and 100 MB outside the heap, so once a JVM, like LangChain4j's own classes (a static model each), however
   * many Aide instances the JVM runs (a test suite runs hundreds). The model is immutable and thread-safe.
   */
  static EmbeddingModel load(String onnx, String tokenizer, int dimension) {
    return LOADED.computeIfAbsent(onnx, file -> open(file, tokenizer, dimension));
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, EmbeddingModel> LOADED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static EmbeddingModel open(String onnx, String tokenizer, int dimension) {
    ClassLoader loader = QuietOnnxModel.class.getClassLoader();
    try (InputStream model = loader.getResourceAsStream(onnx); InputStream words = loader.getResourceAsStream(tokenizer)) {
      if (model == null || words == null) {
        throw new IllegalStateException("the embedding model " + onnx + " is not on the class path");
      }
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.addConfigEntry("session.inter_op.allow_spinning", "0");
      OrtSession session = environment.createSession(model.readAllBytes(), options);
      byte[] vocabulary = words.readAllBytes();
      // LangChain4j's tokenizer pads nothing; the batches pad themselves, and never truncate (a longer text is
      // partitioned by LangChain4j, one at a time).
      HuggingFaceTokenizer tokens = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(vocabulary),
          Map.of("padding", "false", "truncation", "false"));
      return new QuietOnnxModel(
          new OnnxBertBiEncoder(environment, session, new ByteArrayInputStream(vocabulary), PoolingMode.MEAN),
          new OnnxBatch(environment, session, tokens), dimension);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load the embedding model " + onnx, e);
    }
  }

  /**
   * Two texts or more: those of BERT's length in batches, a longer one alone. A text of no words fails the whole call
   * with an {@link IllegalArgumentException}, as LangChain4j's model does (the caller embeds the texts one by one
   * then).
   */
  @Override
  public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
    if (segments.size() < 2) {
      return super.embedAll(segments);
    }
    List<Encoding> encodings = segments.stream().map(segment -> batch.encode(segment.text())).toList();
    List<Integer> batched = new ArrayList<>();
    for (int i = 0; i < encodings.size(); i++) {
      int length = encodings.get(i).getIds().length;
      if (length <= 2) {
        throw new IllegalArgumentException("Cannot embed empty or whitespace-only text");
      }
      if (length <= OnnxBatch.MAX_LENGTH) {
        batched.add(i);
      }
    }
    Embedding[] out = new Embedding[segments.size()];
    try {
      List<float[]> vectors = batch.vectors(batched.stream().map(encodings::get).toList());
      for (int i = 0; i < batched.size(); i++) {
        out[batched.get(i)] = Embedding.from(vectors.get(i));
      }
    } catch (OrtException e) {
      throw new IllegalStateException("the embedding model failed", e);
    }
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) {
        out[i] = super.embedAll(List.of(segments.get(i))).content().getFirst();
      }
    }
    int tokens = encodings.stream().mapToInt(e -> e.getIds().length).sum();
    return Response.from(List.of(out), new TokenUsage(tokens));
  }

  @Override
  protected OnnxBertBiEncoder model() {
    return encoder;
  }

  @Override
  protected Integer knownDimension() {
    return dimension;
  }
}
