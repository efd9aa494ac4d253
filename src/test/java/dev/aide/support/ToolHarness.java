package dev.aide.support;

import dev.aide.conversation.Assistant;
import dev.aide.conversation.ConversationKey;
import dev.aide.platform.database.Database;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.langchain4j.service.tool.ToolExecution;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The assistant's tools behind a real LangChain4j AI service driven by a {@link ScriptedChatModel}, over a pool on a
 * test server's database. Built like Aide builds its assistant, so tests see what the model would see.
 */
public final class ToolHarness implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final Pool pool;
  private final ScriptedChatModel model = new ScriptedChatModel();
  private final Assistant assistant;

  public ToolHarness(TestDatabase db, Function<Pool, List<Object>> tools) {
    this.pool = Database.pool(vertx, db.url(), 4);
    this.assistant = AiServices.builder(Assistant.class)
        .chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(40))
        .tools(tools.apply(pool).toArray())
        .toolArgumentsErrorHandler((error, context) -> ToolErrorHandlerResult.text("Error: invalid arguments for "
            + context.toolExecutionRequest().name() + ": " + error.getMessage()))
        .toolExecutionErrorHandler((error, context) -> ToolErrorHandlerResult.text("Error: " + error.getMessage()))
        .build();
  }

  public ScriptedChatModel model() {
    return model;
  }

  /** Runs one turn for the user (on a virtual thread, as Aide does) and answers the tools that ran, in order. */
  public List<ToolExecution> turn(UUID userId, String text) {
    ConversationKey key = new ConversationKey(userId, UUID.randomUUID(), null, ZoneId.of("Europe/Paris"));
    Result<String>[] result = new Result[1];
    Thread thread = Thread.ofVirtual().start(() ->
        result[0] = assistant.chat(key, text, "2026-11-18T10:15+01:00[Europe/Paris] (Wednesday)", "Test Person",
            "Timezone: Europe/Paris"));
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (result[0] == null) {
      throw new IllegalStateException("the turn failed; see the log");
    }
    return result[0].toolExecutions();
  }

  @Override
  public void close() {
    pool.close().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
