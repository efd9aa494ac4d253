package dev.aide.conversation;

import dev.aide.auth.User;
import dev.aide.auth.UserContext;
import dev.aide.auth.UserRepository;
import dev.aide.conversation.ConversationRepository.ModelUsage;
import dev.aide.conversation.ConversationRepository.Turn;
import dev.aide.platform.database.Storable;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolExecution;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one stored message: runs the assistant for the conversation's user and stores the reply, the model call
 * and the tool calls. Sequential code that awaits: it runs on {@link ConversationVerticle}'s virtual threads, which
 * also keep one conversation's turns in order.
 */
public final class ConversationService {

  private static final Logger LOG = LoggerFactory.getLogger(ConversationService.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE", Locale.ENGLISH);
  /** "undo", "undo that", "please undo the last change": the web card's Undo, for channels without buttons. */
  private static final Pattern UNDO = Pattern.compile("^(?:(?:please|aide|ok|okay),?\\s+)?undo"
      + "(?:\\s+(?:that|it|this|the last(?:\\s+(?:change|one|thing))?))?(?:,?\\s+please)?\\s*[.!]*$",
      Pattern.CASE_INSENSITIVE);

  private final Assistant assistant;
  private final PgChatMemoryStore memory;
  private final UserRepository users;
  private final ConversationRepository conversations;
  private final Confirmations confirmations;
  private final Clock clock;
  private final String provider;
  private final String model;

  private final List<TurnListener> listeners;
  private final TurnGate gate;

  /** {@code gate}: the turns doing their own work at once; a turn waits for its place before it reads anything. */
  public ConversationService(Assistant assistant, PgChatMemoryStore memory, UserRepository users,
                             ConversationRepository conversations, Confirmations confirmations, Clock clock,
                             String provider, String model, List<TurnListener> listeners, TurnGate gate) {
    this.listeners = listeners;
    this.gate = gate;
    this.assistant = assistant;
    this.memory = memory;
    this.users = users;
    this.conversations = conversations;
    this.confirmations = confirmations;
    this.clock = clock;
    this.provider = provider;
    this.model = model;
  }

  public ChatReply answer(InboundMessage message) {
    return gate.through(() -> turn(message));
  }

  private ChatReply turn(InboundMessage message) {
    // The person and their bio and goals in one statement: the turn needs both, and reads them once.
    UserRepository.Framed framed = users.findWithContext(message.userId()).await()
        .orElseThrow(() -> new ConversationException(ConversationBus.UNKNOWN_USER, "The account no longer exists"));
    User user = framed.user();
    ConversationKey key = new ConversationKey(user.id(), message.conversationId(), message.messageId(), user.timezone());
    return run(key, framed, message);
  }

  private ChatReply run(ConversationKey key, UserRepository.Framed framed, InboundMessage message) {
    User user = framed.user();
    // The conversation's open question and its memory, in one statement.
    ConversationRepository.Opening opening = conversations.opening(key.userId(), key.conversationId()).await();
    // The person's answer to an open question is read here, before any model: only they can confirm.
    var answered = confirmations.answer(key, message.text(), opening.pending());
    if (answered.isPresent()) {
      return recordAnswer(key, message, answered.get(), opening.memory());
    }
    if (asksToUndo(message.text())) {
      return recordAnswer(key, message, new Confirmations.Answer(undoLatest(key), List.of()), opening.memory());
    }
    memory.begin(key, opening.memory());
    confirmations.beginTurn(key, message.text(), Quoted.broughtStoredText(memory.getMessages(key)));
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(user.timezone())).truncatedTo(ChronoUnit.SECONDS);
    String name = user.name() == null || user.name().isBlank() ? "the user" : user.name();
    long started = System.nanoTime();
    Result<String> result;
    try {
      result = assistant.chat(key, message.text(), now + " (" + DAY.format(now) + ")", name,
          profile(user, framed.context()));
    } catch (RuntimeException e) {
      memory.abandonTurn(key);
      confirmations.abandonTurn(key);
      Duration latency = Duration.ofNanos(System.nanoTime() - started);
      LOG.warn("Model call failed for conversation {}: {}", key.conversationId(), e.toString());
      conversations.recordFailure(key, usage(null, latency),
          Storable.text(e.getClass().getSimpleName() + ": " + e.getMessage())).await();
      throw new ConversationException(ConversationBus.MODEL_FAILED, "The assistant could not answer just now; your message is saved");
    } finally {
      // The memory lives in PostgreSQL; the AI service's cache of memory objects must not grow per conversation.
      assistant.evictChatMemory(key);
    }
    Duration latency = Duration.ofNanos(System.nanoTime() - started);
    // What the model wrote is stored as it can be (a NUL as U+FFFD): its tools have run, so storing the turn must not
    // fail on it and answer an error for work that was done. Its tool arguments were held to the API's rule already.
    List<ToolCall> calls = result.toolExecutions().stream()
        .map(t -> new ToolCall(ToolCall.name(t.request().name()), ToolCall.parseArguments(t.request().arguments()), t.result(),
            t.hasFailed(), t.duration() == null ? 0 : t.duration().toMillis(), undoOf(t)).storable())
        .toList();
    String question = Confirmations.question(confirmations.endTurn(key));
    String said = result.content() == null || result.content().isBlank() ? null : Storable.text(result.content().strip());
    String reply = question == null ? (said == null ? "Done." : said)
        : said == null ? question : said + "\n\n" + question;
    if (question != null) {
      // The person answers the question they read: the model's memory holds the same words.
      memory.replaceLastReply(key, reply);
    }
    var replyId = conversations.recordTurn(new Turn(key, message.source(), reply, calls,
        usage(result.tokenUsage(), latency), memory.finishTurn(key).orElse(null))).await();
    for (TurnListener listener : listeners) {
      try {
        listener.turnTaken(key, message.text());
      } catch (RuntimeException e) {
        LOG.warn("After the turn of conversation {}: {}", key.conversationId(), e.toString());
      }
    }
    return new ChatReply(key.conversationId(), replyId, reply, calls);
  }

  /** A message that answered a question, without the model: stored with what ran, and kept in the model's memory. */
  private ChatReply recordAnswer(ConversationKey key, InboundMessage message, Confirmations.Answer answer,
                                 Optional<String> storedMemory) {
    memory.begin(key, storedMemory);
    memory.append(key, UserMessage.from(message.text()), AiMessage.from(answer.reply()));
    var replyId = conversations.recordTurn(new Turn(key, message.source(), answer.reply(), answer.toolCalls(),
        null, memory.finishTurn(key).orElse(null))).await();
    return new ChatReply(key.conversationId(), replyId, answer.reply(), answer.toolCalls());
  }

  /**
   * A bare "undo": the change of the turn just before (or of minutes ago) is undone at once; an older one — a Telegram
   * or SMS conversation lasts for years — is named and waits for the person's yes. Either way the reply names it.
   */
  private String undoLatest(ConversationKey key) {
    ChangeJournal journal = confirmations.journal();
    var latest = journal.latest(key).await();
    if (latest.isEmpty()) {
      return ChangeJournal.NOTHING_TO_UNDO;
    }
    if (latest.get().recent()) {
      return journal.undo(key.userId(), latest.get().id()).await();
    }
    return confirmations.ask(key, Confirmations.Proposal.of(ChangeJournal.UNDO_TOOL, Confirmations.Effect.CHANGE, 1,
        new JsonObject().put("change", latest.get().id().toString()), latest.get().description()),
        PendingAction.Reason.OLD_CHANGE);
  }

  private static UUID undoOf(ToolExecution execution) {
    return execution.attributes() != null && execution.attributes().get(Assistants.UNDO) instanceof UUID handle
        ? handle : null;
  }

  /** The message asks to undo the conversation's last change, and nothing else; read before any model. */
  static boolean asksToUndo(String text) {
    return text != null && UNDO.matcher(text.strip()).matches();
  }

  /** The person's frame for the system prompt; their own words are quoted as data. */
  static String profile(User user, UserContext context) {
    StringBuilder out = new StringBuilder()
        .append("- Timezone: ").append(user.timezone().getId()).append('\n')
        .append("- Default currency: ").append(user.defaultCurrency()).append('\n')
        .append("- Working hours: ").append(user.workingHours().describe());
    if (context.bio() != null && !context.bio().isBlank()) {
      out.append("\n- Bio, in their words: ").append(Quoted.of(context.bio().strip()));
    }
    if (context.goals() != null && !context.goals().isBlank()) {
      out.append("\n- Goals, in their words: ").append(Quoted.of(context.goals().strip()));
    }
    return out.toString();
  }

  private ModelUsage usage(TokenUsage tokens, Duration latency) {
    return tokens == null
        ? new ModelUsage(provider, model, null, null, null, latency)
        : new ModelUsage(provider, model, tokens.inputTokenCount(), tokens.outputTokenCount(), tokens.totalTokenCount(), latency);
  }
}
