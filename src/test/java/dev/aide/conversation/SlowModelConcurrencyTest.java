package dev.aide.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import dev.aide.support.TestAide;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Conversations waiting on a slow model do not queue behind a thread pool")
class SlowModelConcurrencyTest {

  private static final int CONVERSATIONS = 200;

  @Test
  @DisplayName("200 conversations on a slow model are all waiting on it at the same time")
  void allInFlightAtOnce() {
    try (FakeOpenAi model = new FakeOpenAi(request -> FakeOpenAi.text("Noted."))
             .answeringWhenInFlight(CONVERSATIONS, 60_000);
         TestAide aide = TestAide.start(Map.of("AIDE_LLM_PROVIDER", "openai", "AIDE_LLM_BASE_URL", model.baseUrl(),
             "AIDE_LLM_MODEL", "slow-model"), Clock.systemUTC());
         Api api = new Api(aide.port());
         ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      api.register("many@example.com", "UTC");

      List<CompletableFuture<Api.Response>> replies = IntStream.range(0, CONVERSATIONS)
          .mapToObj(i -> CompletableFuture.supplyAsync(
              () -> api.post("/api/v1/chat", new JsonObject().put("text", "note number " + i)), clients))
          .toList();

      assertThat(replies.stream().map(CompletableFuture::join).map(Api.Response::status)).containsOnly(200);
      assertThat(model.maxInFlight()).isEqualTo(CONVERSATIONS);
      assertThat(aide.db().number("select count(*) from messages where role = 'assistant'")).isEqualTo(CONVERSATIONS);
    }
  }

  @Test
  @DisplayName("the turns of one conversation sent at once run one after the other, each seeing the replies before it")
  void oneConversationInOrder() {
    try (FakeOpenAi model = new FakeOpenAi(request -> FakeOpenAi.text("Noted.")).answeringAfter(200);
         TestAide aide = TestAide.start(Map.of("AIDE_LLM_PROVIDER", "openai", "AIDE_LLM_BASE_URL", model.baseUrl(),
             "AIDE_LLM_MODEL", "slow-model"), Clock.systemUTC());
         Api api = new Api(aide.port());
         ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      api.register("one@example.com", "UTC");
      String conversation = api.post("/api/v1/chat", new JsonObject().put("text", "hello")).json()
          .getString("conversationId");

      List<CompletableFuture<Api.Response>> replies = IntStream.range(0, 6)
          .mapToObj(i -> CompletableFuture.supplyAsync(() -> api.post("/api/v1/chat",
              new JsonObject().put("text", "note number " + i).put("conversationId", conversation)), clients))
          .toList();

      assertThat(replies.stream().map(CompletableFuture::join).map(Api.Response::status)).containsOnly(200);
      assertThat(model.maxInFlight()).isEqualTo(1);
      // Each model call carries every earlier turn's reply: 1 (hello) for the first, 6 for the last.
      assertThat(model.requests().stream().map(r -> FakeOpenAi.messages(r, "assistant").size()))
          .containsExactly(0, 1, 2, 3, 4, 5, 6);
    }
  }
}
