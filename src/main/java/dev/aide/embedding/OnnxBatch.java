package dev.aide.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Several texts through a BERT-style model in one run of its session: the texts padded to the longest of their batch
 * with an attention mask, then each mean-pooled over its own tokens and normalised, as LangChain4j does one text at a
 * time. One run of 8–16 short texts costs about two thirds of running them one by one (ONNX Runtime's per-operator
 * overhead is paid once; e5-small-v2 on 2 cores: 2.8–2.9 against 4.1–4.8 ms a text). The quantized models scale
 * each activation tensor by its own range, so a text's vector moves a little with the texts beside it (cosine ≥ 0.996
 * to the vector it has alone): too little to change what is found, not bit-for-bit the same.
 */
final class OnnxBatch {

  /** The most texts in one run; past 8 a run is hardly cheaper a text. */
  static final int MAX_TEXTS = 16;
  /** The most padded tokens in one run, which bounds its memory (attention is quadratic in the longest text). */
  static final int MAX_TOKENS = 2048;
  /** BERT's limit with [CLS] and [SEP]; a longer text goes through LangChain4j's own partitioning, one text a run. */
  static final int MAX_LENGTH = 512;

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean typeIds;

  OnnxBatch(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer) {
    this.environment = environment;
    this.session = session;
    this.tokenizer = tokenizer;
    this.typeIds = session.getInputNames().contains("token_type_ids");
  }

  /** A text's tokens with [CLS] and [SEP]; only those two for a text of no words. */
  Encoding encode(String text) {
    return tokenizer.encode(text);
  }

  /**
   * The vectors of texts already encoded (none longer than {@link #MAX_LENGTH}), in their order; runs as few batches
   * as the limits allow, shortest texts together so that little is padding.
   */
  List<float[]> vectors(List<Encoding> encodings) throws OrtException {
    List<Integer> order = IntStream.range(0, encodings.size()).boxed()
        .sorted(Comparator.comparingInt(i -> encodings.get(i).getIds().length)).toList();
    float[][] out = new float[encodings.size()][];
    int from = 0;
    while (from < order.size()) {
      int to = from + 1;
      while (to < order.size() && to - from < MAX_TEXTS
          && (to - from + 1) * encodings.get(order.get(to)).getIds().length <= MAX_TOKENS) {
        to++;
      }
      List<Integer> batch = order.subList(from, to);
      List<float[]> vectors = run(batch.stream().map(encodings::get).toList());
      for (int i = 0; i < batch.size(); i++) {
        out[batch.get(i)] = vectors.get(i);
      }
      from = to;
    }
    return List.of(out);
  }

  private List<float[]> run(List<Encoding> batch) throws OrtException {
    int length = batch.stream().mapToInt(e -> e.getIds().length).max().orElse(0);
    long[][] ids = new long[batch.size()][length];
    long[][] mask = new long[batch.size()][length];
    long[][] types = new long[batch.size()][length];
    for (int i = 0; i < batch.size(); i++) {
      Encoding encoding = batch.get(i);
      System.arraycopy(encoding.getIds(), 0, ids[i], 0, encoding.getIds().length);
      System.arraycopy(encoding.getAttentionMask(), 0, mask[i], 0, encoding.getAttentionMask().length);
      System.arraycopy(encoding.getTypeIds(), 0, types[i], 0, encoding.getTypeIds().length);
    }
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(environment, ids));
      inputs.put("attention_mask", OnnxTensor.createTensor(environment, mask));
      if (typeIds) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(environment, types));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue();
        List<float[]> vectors = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          vectors.add(meanPooled(hidden[i], mask[i]));
        }
        return vectors;
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  /** The average of the text's own token states (padding left out), normalised to length 1. */
  private static float[] meanPooled(float[][] states, long[] mask) {
    float[] vector = new float[states[0].length];
    int tokens = 0;
    for (int t = 0; t < states.length; t++) {
      if (mask[t] == 1) {
        tokens++;
        for (int d = 0; d < vector.length; d++) {
          vector[d] += states[t][d];
        }
      }
    }
    double norm = 0;
    for (int d = 0; d < vector.length; d++) {
      vector[d] /= tokens;
      norm += vector[d] * vector[d];
    }
    float length = (float) Math.sqrt(norm);
    for (int d = 0; d < vector.length; d++) {
      vector[d] /= length;
    }
    return vector;
  }
}
