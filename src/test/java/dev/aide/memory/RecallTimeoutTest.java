package dev.aide.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.conversation.TurnContext;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeEmbeddings;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A turn whose recall cannot be had in time goes on to the model without it")
class RecallTimeoutTest {

  private static final String MODEL = "text-embedding-slow";
  private static final FakeEmbeddings embeddings = new FakeEmbeddings().serving(MODEL, 32);
  private static final FakeOpenAi model = new FakeOpenAi(request -> FakeOpenAi.text("OK."));

  @RegisterExtension
  static final AideServer aide = AideServer.create().env(embeddings.env(MODEL)).model(model).closing(embeddings)
      .person("slow-recall@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @AfterEach
  void release() {
    embeddings.letGo();
  }

  @Test
  @DisplayName("the embedding of the message is held: the person still gets the model's answer, their message "
      + "reaches it without recollections, and what is remembered is found again once embeddings answer")
  void heldEmbeddingCostsOnlyTheRecall() {
    Api.Response imported = api.post("/api/v1/memories/import", new JsonObject().put("items", new JsonArray()
        .add(new JsonObject().put("text", "The garden gate code is 4411"))));
    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    embeddings.holding(r -> r.input().stream().anyMatch(t -> t.contains("garden gate")), 0);

    Api.Response reply = api.post("/api/v1/chat", new JsonObject().put("text", "what is the garden gate code?"));

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().getJsonObject("reply").getString("text")).isEqualTo("OK.");
    assertThat(embeddings.held()).isPositive();
    List<JsonObject> said = FakeOpenAi.messages(model.requests().getLast(), "user");
    assertThat(said.getLast().getString("content")).isEqualTo("what is the garden gate code?")
        .doesNotContain(TurnContext.HEADER);

    embeddings.letGo();
    Api.Response again = api.post("/api/v1/chat", new JsonObject().put("text", "and the garden gate code again?")
        .put("conversationId", reply.json().getString("conversationId")));
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(FakeOpenAi.messages(model.requests().getLast(), "user").getLast().getString("content"))
        .contains(TurnContext.HEADER).contains("The garden gate code is 4411");
  }
}
