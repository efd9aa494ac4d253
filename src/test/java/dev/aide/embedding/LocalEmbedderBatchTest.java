package dev.aide.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Several texts are embedded in batches, each with the vector it has alone (up to the quantized model's "
    + "rounding), in their order")
class LocalEmbedderBatchTest {

  private static final Vertx VERTX = Vertx.vertx();
  // Nothing kept: each "alone" below is a run of the model, not the batch's vector read back.
  private final LocalEmbedder embedder = new LocalEmbedder(VERTX, LocalEmbedder.Kind.E5_SMALL_V2, 0);

  @AfterAll
  static void close() {
    VERTX.close().await();
  }

  @Test
  @DisplayName("texts of different lengths, more than one batch holds, come back in the order given, each close to "
      + "its vector alone and far from the others'")
  void batchesKeepOrderAndMeaning() {
    List<String> texts = new ArrayList<>();
    String[] subjects = {"my sister's birthday is on the fourteenth of March", "buy eggs",
        "the dentist appointment moved to Thursday afternoon at the clinic on the corner of the market square",
        "I paid forty euros for the electricity bill", "the garden gate code"};
    for (int i = 0; i < 40; i++) {
      texts.add(subjects[i % subjects.length] + (i < subjects.length ? "" : " (" + i + ")"));
    }
    List<float[]> together = embedder.embed(texts).await();

    assertThat(together).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      float[] alone = embedder.embed(List.of(texts.get(i))).await().getFirst();
      assertThat(cosine(together.get(i), alone)).as(texts.get(i)).isGreaterThan(0.99);
      assertThat(norm(together.get(i))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
    // what the second text says is nearer itself than the first text is
    assertThat(cosine(together.get(1), together.get(6))).isGreaterThan(cosine(together.get(1), together.get(0)));
  }

  @Test
  @DisplayName("a text of control characters alone is embedded as one of no words")
  void controlsAlone() {
    LocalEmbedder minilm = new LocalEmbedder(VERTX, LocalEmbedder.Kind.ALL_MINILM_L6_V2, 0);

    assertThat(minilm.embed(List.of("\u0007\u0008")).await().getFirst())
        .containsExactly(minilm.embed(List.of(" ")).await().getFirst());
  }

  @Test
  @DisplayName("a text longer than the model reads at once gets, in a batch, exactly the vector it has alone")
  void longTextGoesAlone() {
    String long_ = "The tenancy agreement says the deposit is returned within thirty days. ".repeat(60);
    List<float[]> together = embedder.embed(List.of("short note", long_, "another short note")).await();
    float[] alone = embedder.embed(List.of(long_)).await().getFirst();

    assertThat(together.get(1)).containsExactly(alone);
  }

  @Test
  @DisplayName("a text the tokenizer finds no token in (a model without prefixes), among others, gets the vector it "
      + "has alone and the others theirs")
  void noTokensAmongOthers() {
    LocalEmbedder minilm = new LocalEmbedder(VERTX, LocalEmbedder.Kind.ALL_MINILM_L6_V2, 0);
    String controls = "\u200b\u200b";   // zero-width spaces: a format character BERT's tokenizer drops
    List<float[]> together = minilm.embed(List.of("buy milk", controls, "call the plumber")).await();

    assertThat(together).hasSize(3);
    assertThat(cosine(together.get(0), minilm.embed(List.of("buy milk")).await().getFirst())).isGreaterThan(0.99);
    assertThat(together.get(1)).containsExactly(minilm.embed(List.of(controls)).await().getFirst());
  }

  @Test
  @DisplayName("a text embedded again soon after is read back, not run again: the same vector, in a new array; a query "
      + "of the same words is another text (its prefix)")
  void recentTexts() {
    LocalEmbedder keeping = new LocalEmbedder(VERTX);
    String message = "my landlord said the deposit comes back within thirty days";
    float[] stored = keeping.embed(List.of("buy eggs", message)).await().get(1);
    float first = stored[0];
    stored[0] = 42;   // a caller's change to its copy is its own

    float[] again = keeping.embed(List.of(message)).await().getFirst();
    float[] query = keeping.embedQuery(message).await();

    assertThat(again[0]).isEqualTo(first);
    assertThat(again).containsExactly(keeping.embed(List.of(message)).await().getFirst());
    assertThat(cosine(again, embedder.embed(List.of(message)).await().getFirst())).isGreaterThan(0.99);
    assertThat(query).isNotEqualTo(again);
    assertThat(cosine(query, again)).isLessThan(0.999);
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot / (norm(a) * norm(b));
  }

  private static double norm(float[] a) {
    double sum = 0;
    for (float v : a) {
      sum += v * v;
    }
    return Math.sqrt(sum);
  }
}
