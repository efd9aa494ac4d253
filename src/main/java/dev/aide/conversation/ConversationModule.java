package dev.aide.conversation;

import dev.aide.auth.AuthModule;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Features;
import dev.aide.platform.module.Platform;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * Conversations with the assistant: the person's messages stored before they are answered, the chat memory, the
 * confirmations only the person can give, and the assistant itself — the LangChain4j AI service with the tools of
 * every feature listed before it.
 */
public final class ConversationModule implements Feature {

  private static final int ALL = Integer.MAX_VALUE;

  private final Platform platform;
  private final AuthModule auth;
  private final ChatModel model;
  private final String modelName;
  private final ChatMemoryRepository memory;
  private final ConversationRepository conversations;
  private final Confirmations confirmations;
  private final ConversationGateway gateway;
  private final List<TurnListener> listeners = new CopyOnWriteArrayList<>();

  public ConversationModule(Platform platform, AuthModule auth, ChatModel model, String modelName) {
    this.platform = platform;
    this.auth = auth;
    this.model = model;
    this.modelName = modelName;
    this.memory = new ChatMemoryRepository(platform.pool());
    this.conversations = new ConversationRepository(platform.pool());
    this.confirmations = new Confirmations(new PendingActionRepository(platform.pool()), platform.clock());
    var config = platform.config();
    this.gateway = new ConversationGateway(platform.vertx(), conversations, memory,
        config.llm().timeout().plusSeconds(30), platform.limiter().gate(new RateLimiter.Window("chat-turns",
            config.limits().chatTurnsPerMinute(), Duration.ofMinutes(1), "Too many messages in a minute")));
  }

  /** Where every channel hands the person's messages. */
  public ConversationGateway gateway() {
    return gateway;
  }

  /** Where write tools hand what they would change, to run now or to wait for the person's yes. */
  public Confirmations confirmations() {
    return confirmations;
  }

  /** Another feature wants to hear of each turn after it is stored (memory learns the facts the person states). */
  public void onTurn(TurnListener listener) {
    listeners.add(listener);
  }

  @Override
  public void routes(Router api) {
    new ConversationRoutes(conversations, confirmations.journal()).mount(api);
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("conversations", (userId, zone) -> withMessages(userId));
  }

  /** Every conversation with its messages, one after another: years of them should not take the whole pool. */
  private Future<JsonArray> withMessages(UUID userId) {
    return conversations.list(userId, null, ALL).compose(list -> {
      JsonArray all = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      for (Conversation conversation : list) {
        chain = chain.compose(v -> conversations.messages(userId, conversation.id(), ALL).map(messages -> {
          all.add(conversation.toJson().put("messages",
              new JsonArray(messages.stream().map(StoredMessage::toJson).toList())));
          return null;
        }));
      }
      return chain.map(all);
    });
  }

  @Override
  public List<Deployable> virtualThreadVerticles(Features all) {
    PgChatMemoryStore store = new PgChatMemoryStore(memory);
    int history = platform.config().llm().historyMessages();
    // The offline model reads the person's words alone (TurnContext.personsWords): recalling for it would embed the
    // message and search memory for text nobody reads, about a third of an offline turn's CPU (issue 16).
    boolean offline = platform.config().llm().provider().equals("offline");
    TurnContext context = offline ? null
        : new TurnContext(all.retrievers(), confirmations, platform.config().embedding().promptTokens());
    // Twice the connections: a turn holding a place is mostly awaiting a statement, and more would only queue at the
    // pool. A remote model's answer is awaited without a place; the offline model's work is the turn's own.
    TurnGate gate = new TurnGate(2 * platform.config().database().poolSize());
    Gauge.builder("aide.turns.working", gate, g -> g.counts()[0])
        .description("Turns doing their own work (holding a place); a turn waiting on a remote model holds none")
        .register(platform.metrics());
    Gauge.builder("aide.turns.waiting", gate, g -> g.counts()[1])
        .description("Turns waiting for a place: not begun, or back from the model").register(platform.metrics());
    ChatModel turns = offline ? model : gate.aside(model);
    Assistant assistant = Assistants.build(turns, id -> MessageWindowChatMemory.builder()
        .id(id)
        .maxMessages(history)
        .chatMemoryStore(store)
        .build(), confirmations, Assistants.MAX_TOOL_CALLS, context, all.tools().toArray());
    ConversationService service = new ConversationService(assistant, store, auth.users(), conversations,
        confirmations, platform.clock(), platform.config().llm().provider(), modelName, listeners, gate);
    return IntStream.range(0, ConversationBus.LANES)
        .<Deployable>mapToObj(lane -> new ConversationVerticle(service, lane)).toList();
  }
}
