package dev.aide.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("AIDE_MEMORY_LEARNING: with a configured model, 'patterns' learns without a second model call and "
    + "'off' learns nothing in passing")
class LearningSwitchTest {

  private static final FakeOpenAi model = new FakeOpenAi(request -> FakeOpenAi.text("Noted."));

  @RegisterExtension
  static final AideServer patterns = AideServer.create().model(model).env("AIDE_MEMORY_LEARNING", "patterns")
      .person("pat@example.com", "UTC");

  @RegisterExtension
  static final AideServer off = AideServer.create().model(model).env("AIDE_MEMORY_LEARNING", "off")
      .person("otto@example.com", "UTC");

  @Test
  @DisplayName("patterns: a stated fact is remembered by the offline patterns; the model is asked only for the reply")
  void patternsOnly() {
    int before = model.extractions().size();
    assertThat(patterns.api().post("/api/v1/chat", new JsonObject().put("text", "my favourite colour is green"))
        .status()).isEqualTo(200);
    assertThat(patterns.api().get("/api/v1/memories").body()).contains("green");
    patterns.settle();
    assertThat(model.extractions()).hasSize(before);
  }

  @Test
  @DisplayName("off: nothing is learned from a turn and nothing is asked of the model beyond the reply")
  void offLearnsNothing() {
    int before = model.extractions().size();
    assertThat(off.api().post("/api/v1/chat", new JsonObject().put("text", "my favourite colour is green"))
        .status()).isEqualTo(200);
    off.settle();
    assertThat(off.api().get("/api/v1/memories").json().getJsonArray("items")).isEmpty();
    assertThat(model.extractions()).hasSize(before);
  }
}
