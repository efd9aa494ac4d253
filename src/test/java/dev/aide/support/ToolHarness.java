package dev.aide.support;

import dev.aide.conversation.Assistant;
import dev.aide.conversation.Assistants;
import dev.aide.conversation.Confirmations;
import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.PendingActionRepository;
import dev.aide.platform.database.Database;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolExecution;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The assistant's tools behind a real LangChain4j AI service driven by a {@link ScriptedChatModel}, over a pool on a
 * test server's database. Built like Aide builds its assistant ({@link Assistants}), with the same confirmations, so
 * tests see what the model would see. Each turn runs in a new conversation of the user; {@link #answer} is the
 * person's next message in the last one.
 */
public final class ToolHarness implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final Pool pool;
  private final ScriptedChatModel model = new ScriptedChatModel();
  private final Confirmations confirmations;
  private final Assistant assistant;
  private final Map<UUID, ConversationKey> lastTurn = new ConcurrentHashMap<>();

  public ToolHarness(TestDatabase db, BiFunction<Pool, Confirmations, List<Object>> tools) {
    this(db, Clock.systemUTC(), tools);
  }

  public ToolHarness(TestDatabase db, Clock clock, BiFunction<Pool, Confirmations, List<Object>> tools) {
    this.pool = Database.pool(vertx, db.url(), 4);
    this.confirmations = new Confirmations(new PendingActionRepository(pool), clock);
    // Tests script many calls into one turn; Aide's own limit is Assistants.MAX_TOOL_CALLS.
    this.assistant = Assistants.build(model, id -> MessageWindowChatMemory.withMaxMessages(40), confirmations, 50,
        tools.apply(pool, confirmations).toArray());
  }

  public ScriptedChatModel model() {
    return model;
  }

  /** Runs one turn for the user (on a virtual thread, as Aide does) and answers the tools that ran, in order. */
  public List<ToolExecution> turn(UUID userId, String text) {
    return chat(userId, text).toolExecutions();
  }

  /** Runs one turn for the user and answers the AI service's whole result. */
  public Result<String> chat(UUID userId, String text) {
    UUID conversation = pool.preparedQuery("insert into conversations (user_id, channel) values ($1, 'test') returning id")
        .execute(Tuple.of(userId)).await().iterator().next().getUUID("id");
    ConversationKey key = new ConversationKey(userId, conversation, null, ZoneId.of("Europe/Paris"));
    lastTurn.put(userId, key);
    Result<String>[] result = new Result[1];
    onVirtualThread(() -> {
      confirmations.beginTurn(key, text, false);
      try {
        result[0] = assistant.chat(key, text, "2026-11-18T10:15+01:00[Europe/Paris] (Wednesday)", "Test Person",
            "Timezone: Europe/Paris");
      } finally {
        confirmations.endTurn(key);
      }
    });
    if (result[0] == null) {
      throw new IllegalStateException("the turn failed; see the log");
    }
    return result[0];
  }

  /**
   * The person's next message in the conversation of their last turn, read as Aide reads it before any model: the
   * answer when it answered an open question (a yes runs the stored change), empty otherwise.
   */
  public Optional<Confirmations.Answer> answer(UUID userId, String text) {
    ConversationKey key = lastTurn.get(userId);
    @SuppressWarnings("unchecked")
    Optional<Confirmations.Answer>[] answer = new Optional[1];
    onVirtualThread(() -> answer[0] = confirmations.answer(key, text));
    return answer[0];
  }

  private static void onVirtualThread(Runnable work) {
    Thread thread = Thread.ofVirtual().start(work);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    pool.close().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
