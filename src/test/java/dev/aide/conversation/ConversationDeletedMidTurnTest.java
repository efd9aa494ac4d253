package dev.aide.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

@DisplayName("A conversation deleted while its turn runs")
class ConversationDeletedMidTurnTest {

  private static final FakeOpenAi MODEL = new FakeOpenAi(request -> "user".equals(FakeOpenAi.lastRole(request))
      ? FakeOpenAi.toolCall("createReminder", new JsonObject().put("text", "call the bank")
          .put("dueAt", "2030-03-01T09:00:00Z").encode())
      : FakeOpenAi.text("Done."));

  @RegisterExtension
  static final AideServer aide = AideServer.create().model(MODEL).freshEachTest();

  @Test
  @DisplayName("the turn ends quietly: the chat answers 404, nothing of the turn is stored, and no error is logged")
  void endsQuietly() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    try (Api api = new Api(aide.port())) {
      api.register("ada@example.com", "UTC");
      MODEL.holdAnswers();
      CompletableFuture<Api.Response> turn = CompletableFuture.supplyAsync(() -> api.post("/api/v1/chat",
          new JsonObject().put("text", "remind me to call the bank")));
      await().atMost(Duration.ofSeconds(30)).until(() -> MODEL.heldAnswers() == 1);
      String id = api.get("/api/v1/conversations").json().getJsonArray("items").getJsonObject(0).getString("id");

      assertThat(api.delete("/api/v1/conversations/" + id).status()).isEqualTo(204);
      MODEL.releaseAnswers();
      Api.Response answer = turn.join();

      assertThat(answer.status()).as(answer.body()).isEqualTo(404);
      assertThat(answer.body()).contains("conversation not found");
      for (String table : new String[] {"conversations", "messages", "ai_responses", "tool_calls", "chat_memory",
          "pending_actions", "undo_changes"}) {
        assertThat(aide.db().number("select count(*) from " + table)).as(table).isZero();
      }
      assertThat(logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).map(ILoggingEvent::getFormattedMessage))
          .as("the person deleted it: not an error of Aide's").isEmpty();
    } finally {
      MODEL.releaseAnswers();
      root.detachAppender(logs);
    }
  }
}
