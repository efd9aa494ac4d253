package dev.aide.conversation;

import dev.aide.conversation.PendingAction.Reason;
import dev.aide.platform.error.DomainException;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confirmation belongs to the person, not to the model. A write tool resolves what it would change and hands it here
 * as a {@link Proposal}; it runs at once, or it is stored as a {@link PendingAction} and the person is asked. Only
 * the person's own plain "yes" in their next message of the same conversation (read before any model sees it, see
 * {@link #answer}) runs it — exactly the stored targets, once. There is no argument through which a model could
 * confirm anything.
 *
 * <p>When a change waits for the person:
 * <ol>
 *   <li>it sends something out to other people ({@link Effect#SEND}, an email) — always: the person sees exactly
 *       what goes, to whom;</li>
 *   <li>it changes more than one item, or everything of something (a whole list, a series) — always; and a removal
 *       after another removal of the same turn, so a model cannot take a bulk delete apart into single-item calls
 *       (the first runs, the later ones are held and asked about together in one question);</li>
 *   <li>stored text the model had not itself written was put in front of it earlier in this turn (a tool result
 *       quoted notes, list items, reminder texts, event titles…: {@link Quoted#bringsStoredText}) — any write.
 *       Stored text can come from elsewhere (an imported calendar, a pasted mail, later documents and memories), and
 *       a model that reads "delete all notes" in it may obey; what it does after reading is no longer only what the
 *       person asked for in their message;</li>
 *   <li>it removes or silences something ({@link Effect#REMOVE}) while such stored text is still in the
 *       conversation's memory from earlier turns — the model could act on it a turn later — or was recalled for the
 *       person's message and put before the model with it ({@link TurnContext}).</li>
 * </ol>
 * Adding and changing after an earlier turn's reading runs at once: it is reported in the reply and can be undone.
 * A removal can be undone too ({@link ChangeJournal}), but a silenced reminder is missed before anyone notices. The
 * rule looks at where the text in the model's context came from, never at the wording of a request.
 */
public final class Confirmations {

  /** How long a question "Shall I go ahead?" stands. */
  public static final Duration VALID_FOR = Duration.ofMinutes(10);
  /** How a tool answers the model when the change waits for the person. */
  public static final String ASKED = "This needs the person's confirmation; it has been asked: ";
  public static final String DECLINED = "Okay, I've left everything as it was.";
  public static final String EXPIRED = "That question has expired, so I've changed nothing. Ask me again if you "
      + "still want it.";

  private static final Logger LOG = LoggerFactory.getLogger(Confirmations.class);

  /**
   * How much later a reminder or an event may be moved and still count as a change: put off further, it is gone from
   * the days the person looks at, and what would have reached them does not — as good as removed.
   */
  public static final Duration FAR_AHEAD = Duration.ofDays(1);

  /** What a change does to what the person stored. */
  public enum Effect {
    /** Adds or changes something; the reply says what, and it can be undone. */
    CHANGE,
    /**
     * Takes something away — delete, cancel, clear, overwrite words the person stored (a note's text, a reminder's
     * text, an event's title, an expense's description) — or silences it: complete a reminder, put a reminder or an
     * event off by more than {@link #FAR_AHEAD}, remove an event's alert. Whatever would have reached the person no
     * longer does, and they may not notice until it is too late.
     */
    REMOVE,
    /**
     * Sends something out of Aide to other people (an email): it cannot be called back, so the person always sees
     * exactly what goes and says yes first, whatever the turn.
     */
    SEND;

    /**
     * Moving something due at {@code from} to {@code to}: a removal when it lands more than {@link #FAR_AHEAD} after
     * {@code from} (or after now, when {@code from} has passed), a change otherwise.
     */
    public static Effect ofMove(Instant from, Instant to, Instant now) {
      Instant base = from == null || from.isBefore(now) ? now : from;
      return to != null && to.isAfter(base.plus(FAR_AHEAD)) ? REMOVE : CHANGE;
    }
  }

  /**
   * A change a write tool has resolved: the tool, its effect, how many items it touches (and whether that is all of
   * them), the exact targets its {@link Action} runs on, and what it does in words ("delete 2 notes: «…»; «…»").
   */
  public record Proposal(String tool, Effect effect, int count, boolean wholeOfSomething, JsonObject targets,
                         String description) {

    public static Proposal of(String tool, Effect effect, int count, JsonObject targets, String description) {
      return new Proposal(tool, effect, count, false, targets, description);
    }

    /** The same change, marked as one to everything of something (a whole list, a whole series). */
    public Proposal everything() {
      return new Proposal(tool, effect, count, true, targets, description);
    }

    boolean bulk() {
      return count > 1 || wholeOfSomething;
    }
  }

  /** Runs a change on its resolved targets, for the conversation's user; answers as the tool would. Blocking. */
  @FunctionalInterface
  public interface Action {
    String run(ConversationKey key, JsonObject targets);
  }

  /** The reply to a message that answered a question, made without the model, and the changes it ran. */
  public record Answer(String reply, List<ToolCall> toolCalls) {}

  private final PendingActionRepository pending;
  private final Clock clock;
  private final Map<String, Action> actions = new ConcurrentHashMap<>();
  private final Map<ConversationKey, Turn> turns = new ConcurrentHashMap<>();
  /** The tool call of each turn being recorded for undo; a turn's calls run one after another. */
  private final Map<ConversationKey, ChangeJournal.Recording> recordings = new ConcurrentHashMap<>();
  private volatile ChangeJournal journal = ChangeJournal.NONE;

  public Confirmations(PendingActionRepository pending, Clock clock) {
    this.pending = pending;
    this.clock = clock;
  }

  /** Where the changes of tool calls are recorded for undo; set once by the undo feature as Aide is built. */
  public void journal(ChangeJournal journal) {
    this.journal = journal;
  }

  public ChangeJournal journal() {
    return journal;
  }

  /** A tool call of the turn starts: what its action changes is recorded until {@link #endCall}. Blocking. */
  public void beginCall(ConversationKey key, String tool) {
    recordings.put(key, journal.begin(key, tool));
  }

  /**
   * The tool call is over: its undo handle, or empty when it changed nothing (or asked the person first). A failure to
   * record costs the call its Undo, never its result. Blocking.
   */
  public Optional<UUID> endCall(ConversationKey key) {
    ChangeJournal.Recording recording = recordings.remove(key);
    if (recording == null) {
      return Optional.empty();
    }
    try {
      return recording.finish();
    } catch (RuntimeException e) {
      LOG.warn("Could not record the change of conversation {} for undo: {}", key.conversationId(), e.toString());
      return Optional.empty();
    }
  }

  /** An action is about to change or delete the thing of that kind and id (a note, a list, an event…). Blocking. */
  public void touching(ConversationKey key, String kind, Object id) {
    record(key, recording -> recording.touching(kind, String.valueOf(id)));
  }

  /** An action has just created the thing of that kind and id. Blocking. */
  public void created(ConversationKey key, String kind, Object id) {
    record(key, recording -> recording.created(kind, String.valueOf(id)));
  }

  /** A recording that fails records nothing more for the call (no Undo that would put back half), never the action. */
  private void record(ConversationKey key, java.util.function.Consumer<ChangeJournal.Recording> step) {
    ChangeJournal.Recording recording = recordings.get(key);
    if (recording == null) {
      return;
    }
    try {
      step.accept(recording);
    } catch (RuntimeException e) {
      LOG.warn("Could not record a change of conversation {} for undo: {}", key.conversationId(), e.toString());
      recordings.put(key, ChangeJournal.Recording.NONE);
    }
  }

  /** Registers how a tool's proposals run; tools call this once, when they are built. */
  public void handle(String tool, Action action) {
    if (actions.putIfAbsent(tool, action) != null) {
      throw new IllegalStateException("two actions for tool " + tool);
    }
  }

  /** Runs the change now, or stores it and answers the model that the person has been asked. Blocking. */
  public String act(ConversationKey key, Proposal proposal) {
    Action action = actions.get(proposal.tool());
    if (action == null) {
      throw new IllegalStateException("no action registered for tool " + proposal.tool());
    }
    Turn turn = turns.computeIfAbsent(key, k -> new Turn(false));
    // Counted before anything else decides, so a removal that is asked about still makes the next one wait.
    boolean removedBefore = proposal.effect() == Effect.REMOVE && turn.removing.getAndSet(true);
    Reason reason = proposal.effect() == Effect.SEND ? Reason.OUTGOING
        : proposal.bulk() || removedBefore ? Reason.BULK
        : turn.needsPerson(proposal.effect()) ? Reason.STORED_TEXT : null;
    if (reason == null) {
      return action.run(key, proposal.targets());
    }
    Instant now = clock.instant();
    PendingAction stored = pending.insert(new PendingAction(null, key.userId(), key.conversationId(),
        proposal.tool(), proposal.targets(), proposal.description(), reason, now, now.plus(VALID_FOR)), key.messageId()).await();
    turn.asked.add(stored);
    return ASKED + proposal.description() + ".";
  }

  /**
   * Stores the change as a question for the person, whatever the turn, and answers the question they read; their
   * "yes" in the next message runs it. For changes Aide proposes without the model (an undo of an older change).
   * Blocking.
   */
  public String ask(ConversationKey key, Proposal proposal, Reason reason) {
    if (!actions.containsKey(proposal.tool())) {
      throw new IllegalStateException("no action registered for tool " + proposal.tool());
    }
    Instant now = clock.instant();
    PendingAction stored = pending.insert(new PendingAction(null, key.userId(), key.conversationId(),
        proposal.tool(), proposal.targets(), proposal.description(), reason, now, now.plus(VALID_FOR)), key.messageId()).await();
    return question(List.of(stored));
  }

  /**
   * A turn starts with the person's message; {@code storedTextInMemory}: the conversation's memory already holds
   * stored text from earlier turns (rule 3).
   */
  public void beginTurn(ConversationKey key, String message, boolean storedTextInMemory) {
    Turn turn = new Turn(storedTextInMemory);
    turn.known.addAll(Quoted.words(message));
    turns.put(key, turn);
  }

  /**
   * Aide recalled stored text for the person's message and put it before the model ({@link TurnContext}): the turn
   * counts it as text from earlier turns (rule 3), so a removal waits for the person.
   */
  public void recalled(ConversationKey key) {
    turns.computeIfAbsent(key, k -> new Turn(false)).storedTextInMemory = true;
  }

  /** A tool ran in the turn: if its answer brought stored text to the model, later writes of the turn wait (rule 2). */
  public void toolRan(ConversationKey key, ToolExecutionRequest request, String result) {
    Turn turn = turns.computeIfAbsent(key, k -> new Turn(false));
    turn.known.addAll(Quoted.argumentWords(request.arguments()));
    if (Quoted.bringsStoredText(result, turn.known)) {
      turn.storedTextSeen = true;
    }
  }

  /** The turn is over: the actions it asked the person about (in order). */
  public List<PendingAction> endTurn(ConversationKey key) {
    Turn turn = turns.remove(key);
    return turn == null ? List.of() : List.copyOf(turn.asked);
  }

  /** The turn failed and the person will not see its question: what it asked is dropped, never run later. */
  public void abandonTurn(ConversationKey key) {
    List<PendingAction> asked = endTurn(key);
    pending.close(key.userId(), asked.stream().map(PendingAction::id).toList(), "dismissed", clock.instant()).await();
  }

  /**
   * Reads the person's message as an answer to the conversation's open question, before any model: a plain yes runs
   * the stored actions, a plain no drops them; anything else drops them too (the person moved on, and a yes much later
   * must not run a stale change) and the message goes to the model as usual (empty answer). A question past
   * {@link #VALID_FOR} runs nothing. Blocking.
   */
  public Optional<Answer> answer(ConversationKey key, String text) {
    return answer(key, text, pending.open(key.userId(), key.conversationId()).await());
  }

  /** The same, with the conversation's open pending actions read already (the turn reads them with its memory). */
  public Optional<Answer> answer(ConversationKey key, String text, List<PendingAction> open) {
    if (open.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    List<UUID> ids = open.stream().map(PendingAction::id).toList();
    Consent consent = Consent.of(text);
    if (open.stream().allMatch(p -> p.expiredAt(now))) {
      pending.close(key.userId(), ids, "expired", now).await();
      return consent == Consent.OTHER ? Optional.empty() : Optional.of(new Answer(EXPIRED, List.of()));
    }
    switch (consent) {
      case OTHER -> {
        pending.close(key.userId(), ids, "dismissed", now).await();
        return Optional.empty();
      }
      case NO -> {
        pending.close(key.userId(), ids, "declined", now).await();
        return Optional.of(new Answer(DECLINED, List.of()));
      }
      default -> {
        return Optional.of(run(key, open, now));
      }
    }
  }

  private Answer run(ConversationKey key, List<PendingAction> open, Instant now) {
    List<String> results = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    for (PendingAction action : open) {
      if (!pending.claim(key.userId(), action.id(), now).await()) {
        continue;
      }
      long started = System.nanoTime();
      boolean failed = false;
      String result;
      Optional<UUID> undo = Optional.empty();
      try {
        Action run = actions.get(action.tool());
        if (run == null) {
          throw new IllegalStateException("no action registered for tool " + action.tool());
        }
        beginCall(key, action.tool());
        try {
          result = run.run(key, action.targets());
        } finally {
          undo = endCall(key);
        }
      } catch (DomainException e) {
        failed = true;
        result = ToolResults.text(e);
      } catch (RuntimeException e) {
        LOG.warn("Confirmed action {} ({}) failed", action.id(), action.tool(), e);
        failed = true;
        result = "Error: that could not be done just now.";
      }
      pending.finish(key.userId(), action.id(), failed, result).await();
      results.add(result);
      calls.add(new ToolCall(action.tool(), action.targets(), result, failed,
          Duration.ofNanos(System.nanoTime() - started).toMillis(), undo.orElse(null)));
    }
    String reply = results.isEmpty() ? "That has already been taken care of." : Quoted.forPerson(String.join("\n", results));
    return new Answer(reply, calls);
  }

  /** The question the person reads for the actions a turn asked about, or null when it asked about none. */
  public static String question(List<PendingAction> asked) {
    if (asked.isEmpty()) {
      return null;
    }
    if (asked.size() == 1) {
      String d = asked.get(0).description();
      return Quoted.forPerson("I'd " + d + (d.contains("\n") ? "\n" : ". ") + "Shall I go ahead?");
    }
    StringBuilder out = new StringBuilder("I'd:");
    asked.forEach(a -> out.append("\n- ").append(a.description()));
    return Quoted.forPerson(out.append("\nShall I go ahead?").toString());
  }

  /** What one turn has seen and asked. */
  private static final class Turn {
    private volatile boolean storedTextInMemory;
    private volatile boolean storedTextSeen;
    /** A removal was proposed in this turn (run or asked): every later one waits for the person. */
    private final AtomicBoolean removing = new AtomicBoolean();
    private final List<PendingAction> asked = new CopyOnWriteArrayList<>();
    /** Words the person wrote in the message or the model in its tool calls: not news when a result quotes them. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    private Turn(boolean storedTextInMemory) {
      this.storedTextInMemory = storedTextInMemory;
    }

    boolean needsPerson(Effect effect) {
      return storedTextSeen || (storedTextInMemory && effect == Effect.REMOVE);
    }
  }
}
