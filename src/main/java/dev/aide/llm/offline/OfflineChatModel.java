package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.text;

import dev.aide.conversation.Confirmations;
import dev.aide.conversation.Quoted;
import dev.aide.conversation.TurnContext;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Aide's built-in model: a deterministic parser of everyday requests that answers with the same tool calls an LLM
 * would make, so Aide works with no API key and tests are repeatable. It reads the current time and the user's
 * timezone from the system message, as an LLM would, asks its skills in turn, and says plainly when none understands.
 */
public final class OfflineChatModel implements ChatModel {

  public static final String NOT_UNDERSTOOD = "Sorry, I didn't understand that. I can set reminders — for example "
      + "\"remind me to call mom tomorrow at 5pm\" — and list them (\"what are my reminders?\"), keep notes "
      + "(\"note: the wifi password is tulip42\") and lists (\"add milk to my shopping list\"), log expenses "
      + "(\"I spent $12.50 on lunch\"; \"how much did I spend on food this month?\") and keep your calendar "
      + "(\"schedule a meeting with Sam tomorrow at 3pm\", \"what's on tomorrow?\", \"cancel the dentist on Friday\"), "
      + "and message you later (\"message me at 6pm: call John\").";

  /** The ids in tool results, for a model to name an item by: "[id 42]", a mail's "(id uuid/uidvalidity/uid)". */
  private static final Pattern MODEL_IDS = Pattern.compile("\\s*\\[id [^\\]]*\\]|\\s*\\(id [0-9a-f-]{36}/\\d+/\\d+\\)");
  private static final Pattern NOW = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}T[^\\s\\[]+\\[[^\\]]+\\])");
  private static final Pattern GREETING = Pattern.compile("^(hi|hello|hey|good (morning|afternoon|evening)|help)\\b.*");

  private static final Pattern ALARM = Pattern.compile("\\balarms?\\b|\\bwake (?:me )?up\\b|\\bwake me\\b|\\bwake-?up call\\b|\\btimer\\b");
  private static final Pattern ALARM_REMOVE = Pattern.compile(
      "\\b(?:cancel|delete|remove|turn off|switch off|stop|disable|get rid|clear|erase|drop|don'?t need)\\b");
  private static final Pattern ALARM_QUERY = Pattern.compile("^(?:what|which|when|at what|do i|did i|did you|have you|is|are|"
      + "am i|show|list|tell|"
      + "how many|any|report|check|give me|read|provide|let me know)\\b|^(?:my |next )?alarms?$|\\bnext alarm\\b");

  /** A question whether something was done or is there: "did you add …", "have you set …", "is … scheduled". */
  private static final Pattern ASKS_WHETHER = Pattern.compile("^(?:did you|have you|has (?:it|that|this|the|my)\\b.*\\bbeen)"
      + "\\b.*|^(?:is|are|was|were)\\b.*\\b(?:scheduled|booked|planned|on (?:my|the) (?:calendar|schedule|agenda))\\b.*"
      + "|^is it true\\b.*");
  /** A request that says it makes a calendar entry: "add an event …", "create a new appointment …". */
  private static final Pattern NEW_EVENT = Pattern.compile("^(?:add|create|make|schedule|put|set up|book|enter|insert)"
      + "\\s+(?:a|an|the|my|one)?\\s*(?:new\\s+)?(?:calendar\\s+)?(?:event|appointment|meeting|calendar entry)\\b",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern REMIND_ME = Pattern.compile(
      "\\bremind (?:me|us)\\b|\\bdon'?t let me forget\\b|\\breminder (?:to|about|for)\\b", Pattern.CASE_INSENSITIVE);

  /** The words that name the kind of thing a removal tool removes: a request that says one is not second-guessed. */
  private static final java.util.Map<String, Pattern> KIND_SAID = java.util.Map.of(
      "cancelEvent", Pattern.compile("\\b(?:calendar|events?|meetings?|appointments?|schedule|agenda|diary)\\b"),
      "deleteReminders", Pattern.compile("\\b(?:reminders?|alarms?)\\b"),
      "removeFromList", Pattern.compile("\\blists?\\b"),
      "clearList", Pattern.compile("\\blists?\\b"));

  private final List<OfflineSkill> skills;
  private final IntentSkill intents = new IntentSkill();
  private final Optional<IntentClassifier> classifier;

  /** The phrasing rules alone: what a message they do not recognise gets is "Sorry, I didn't understand". */
  public OfflineChatModel() {
    this(Optional.empty());
  }

  /**
   * The phrasing rules, then, for a message they do not recognise, its intent by similarity to labelled examples: a
   * confident guess is read leniently by {@link IntentSkill}, an unsure one gets a short question back.
   */
  public OfflineChatModel(IntentClassifier classifier) {
    this(Optional.of(classifier));
  }

  private OfflineChatModel(Optional<IntentClassifier> classifier) {
    this(List.of(new ReferenceSkill(), new ProactiveSkill(), new AvailabilitySkill(),
        new MailSkill(), new CalendarSkill(), new MemorySkill(), new NoteSkill(),
        new ListSkill(), new ReminderSkill(), new ExpenseSkill()), classifier);
  }

  public OfflineChatModel(List<OfflineSkill> skills) {
    this(skills, Optional.empty());
  }

  private OfflineChatModel(List<OfflineSkill> skills, Optional<IntentClassifier> classifier) {
    this.skills = List.copyOf(skills);
    this.classifier = classifier;
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    ChatMessage last = messages.get(messages.size() - 1);
    if (last instanceof ToolExecutionResultMessage) {
      return text(toolResults(messages));
    }
    if (!(last instanceof UserMessage user) || !user.hasSingleText()) {
      return text(NOT_UNDERSTOOD);
    }
    Set<String> tools = request.toolSpecifications() == null ? Set.of()
        : request.toolSpecifications().stream().map(ToolSpecification::name).collect(Collectors.toSet());
    // What Aide recalled for the message is below the person's words; the phrasings are theirs alone.
    OfflineRequest offline = new OfflineRequest(TurnContext.personsWords(user.singleText()).strip(), now(messages), tools,
        previousQuestion(messages), Referent.last(messages));
    Optional<ChatResponse> alarm = alarm(offline);
    if (alarm.isPresent()) {
      return alarm.get();
    }
    if (ASKS_WHETHER.matcher(offline.normalized()).matches()) {
      // "did you add tomorrow's meeting to my calendar?", "is the meeting scheduled for tomorrow": a question about
      // what is there is answered by reading it, never by adding it again
      Optional<ChatResponse> read = intents.answer(IntentClassifier.Intent.CALENDAR_QUERY, offline);
      if (read.isPresent()) {
        return read.get();
      }
    }
    for (OfflineSkill skill : skills) {
      Optional<ChatResponse> response = skill.understand(offline);
      if (response.isPresent()) {
        return checkedRemoval(response.get(), offline);
      }
    }
    if (NEW_EVENT.matcher(IntentSkill.clean(offline.text())).find()) {
      // "add an event starting at 3 pm in goshen on may 5th": the words say what it is, whatever else they hold
      Optional<ChatResponse> event = intents.answer(IntentClassifier.Intent.EVENT_SET, offline);
      if (event.isPresent()) {
        return event.get();
      }
    }
    if (classifier.isPresent() && !greetingOnly(offline)) {
      String said = IntentSkill.clean(offline.text());
      if (!said.isBlank()) {
        IntentClassifier.Decision decision = classifier.get().decide(said);
        if (outOfScope(decision) && REMIND_ME.matcher(said).find()) {
          // "remind me about the picnic at regent park" is a reminder, however little else is like one
          decision = new IntentClassifier.Decision.Act(IntentClassifier.Intent.REMINDER_SET);
        }
        if (decision instanceof IntentClassifier.Decision.Act act) {
          Optional<ChatResponse> answer = intents.answer(act.intent(), offline);
          if (answer.isPresent()) {
            return answer.get();
          }
        } else if (decision instanceof IntentClassifier.Decision.Ask ask) {
          return text(IntentSkill.whichOf(ask.first(), ask.second()));
        }
      }
    }
    if (GREETING.matcher(offline.normalized()).matches()) {
      return text("Hello! I'm Aide. Ask me to remind you of something — \"remind me to call mom tomorrow at 5pm\" — "
          + "or ask \"what are my reminders?\".");
    }
    return text(NOT_UNDERSTOOD);
  }

  /**
   * A removal the phrasing rules read is checked against the request's intent: "remove last played song" matches
   * "remove X" but is no calendar event. When the classifier is sure the request removes another kind of thing (or
   * none Aide keeps), that intent decides instead; otherwise the rules' answer stands.
   */
  private ChatResponse checkedRemoval(ChatResponse response, OfflineRequest request) {
    if (classifier.isEmpty() || !response.aiMessage().hasToolExecutionRequests()) {
      return response;
    }
    String tool = response.aiMessage().toolExecutionRequests().get(0).name();
    Set<IntentClassifier.Intent> fits = switch (tool) {
      case "cancelEvent" -> Set.of(IntentClassifier.Intent.CALENDAR_REMOVE);
      case "deleteReminders" -> Set.of(IntentClassifier.Intent.CALENDAR_REMOVE, IntentClassifier.Intent.ALARM_REMOVE);
      case "removeFromList", "clearList" -> Set.of(IntentClassifier.Intent.LIST_REMOVE);
      default -> null;
    };
    if (fits == null || KIND_SAID.get(tool).matcher(request.normalized()).find()) {
      return response;   // "delete the reminder about the parcel" says what kind of thing it removes
    }
    String said = IntentSkill.clean(request.text());
    if (classifier.get().decide(said) instanceof IntentClassifier.Decision.Act act && !fits.contains(act.intent())
        && (IntentClassifier.Action.of(act.intent()) == IntentClassifier.Action.REMOVE
            || act.intent() == IntentClassifier.Intent.OUT_OF_SCOPE)) {
      return intents.answer(act.intent(), request).orElse(response);
    }
    return response;
  }

  private static boolean outOfScope(IntentClassifier.Decision decision) {
    return decision instanceof IntentClassifier.Decision.Act act && act.intent() == IntentClassifier.Intent.OUT_OF_SCOPE
        || decision instanceof IntentClassifier.Decision.Ask ask && ask.first() == IntentClassifier.Intent.OUT_OF_SCOPE;
  }

  /** "hi", "good morning", "hey aide": a greeting with no request after it. */
  private static boolean greetingOnly(OfflineRequest request) {
    return GREETING.matcher(request.normalized()).matches() && request.normalized().split("\\s+").length <= 3;
  }

  /** Aide has no alarm clock: "wake me up at 6", "what alarms do I have", "cancel my 6 am alarm" are reminders. */
  private Optional<ChatResponse> alarm(OfflineRequest request) {
    String said = IntentSkill.clean(request.text()).toLowerCase(java.util.Locale.ROOT);
    if (!ALARM.matcher(said).find() || request.previousQuestion().filter(q -> q.equals(IntentSkill.ASK_ALARM_TIME)).isPresent()) {
      return Optional.empty();
    }
    IntentClassifier.Intent intent = ALARM_REMOVE.matcher(said).find() ? IntentClassifier.Intent.ALARM_REMOVE
        : ALARM_QUERY.matcher(said).find() ? IntentClassifier.Intent.ALARM_QUERY : IntentClassifier.Intent.ALARM_SET;
    return intents.answer(intent, request);
  }

  /**
   * The tool results of this turn, relayed as the answer: they are short and written for the person, with the quoted
   * stored text in plain quotes. A change waiting for the person's yes is left out: Aide asks about it itself.
   */
  private static String toolResults(List<ChatMessage> messages) {
    List<String> results = new ArrayList<>();
    int i = messages.size() - 1;
    for (; i >= 0 && messages.get(i) instanceof ToolExecutionResultMessage r; i--) {
      if (!r.text().startsWith(Confirmations.ASKED)) {
        // ids are for a model to name an item by; the person reads the item itself
        results.add(0, Quoted.forPerson(MODEL_IDS.matcher(r.text()).replaceAll("")));
      }
    }
    // Words the offline model put beside its call follow the results ("Which one should I delete?").
    if (i >= 0 && messages.get(i) instanceof AiMessage call && call.text() != null && !call.text().isBlank()) {
      results.add(call.text());
    }
    return String.join("\n", results);
  }

  private static Optional<String> previousQuestion(List<ChatMessage> messages) {
    for (int i = messages.size() - 2; i >= 0; i--) {
      if (messages.get(i) instanceof AiMessage ai) {
        return Optional.ofNullable(ai.text()).filter(t -> !ai.hasToolExecutionRequests());
      }
      if (messages.get(i) instanceof UserMessage) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static ZonedDateTime now(List<ChatMessage> messages) {
    for (ChatMessage message : messages) {
      if (message instanceof SystemMessage system) {
        Matcher m = NOW.matcher(system.text());
        if (m.find()) {
          try {
            return ZonedDateTime.parse(m.group(1));
          } catch (DateTimeParseException e) {
            break;
          }
        }
      }
    }
    return ZonedDateTime.now();
  }
}
