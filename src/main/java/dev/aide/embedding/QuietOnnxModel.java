package dev.aide.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One of the quantized models LangChain4j ships (its ONNX file and tokenizer, mean pooling), run by an ONNX Runtime
 * session of one thread that does not spin. LangChain4j's own classes open the session with the runtime's defaults:
 * a thread per core that spins while it waits for work, so each of the many small embeddings a server runs at once
 * (a turn embeds its message twice) woke the cores' threads and burnt CPU spinning against the others: about half
 * of a turn's CPU time went to ONNX (issue 16). The embeddings run on Vert.x's worker threads, several at once.
 */
final class QuietOnnxModel extends AbstractInProcessEmbeddingModel {

  private final OnnxBertBiEncoder encoder;
  private final int dimension;

  private QuietOnnxModel(OnnxBertBiEncoder encoder, int dimension) {
    // Texts of one batch one after another on the calling (worker) thread, not on an executor of LangChain4j's.
    super(Runnable::run);
    this.encoder = encoder;
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
      return new QuietOnnxModel(new OnnxBertBiEncoder(environment, session, words, PoolingMode.MEAN), dimension);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load the embedding model " + onnx, e);
    }
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
