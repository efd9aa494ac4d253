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

  private static final Pattern NOW = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}T[^\\s\\[]+\\[[^\\]]+\\])");
  private static final Pattern GREETING = Pattern.compile("^(hi|hello|hey|good (morning|afternoon|evening)|help)\\b.*");

  private final List<OfflineSkill> skills;

  public OfflineChatModel() {
    this(List.of(new ProactiveSkill(), new AvailabilitySkill(), new CalendarSkill(), new MemorySkill(), new NoteSkill(),
        new ListSkill(), new ReminderSkill(), new ExpenseSkill()));
  }

  public OfflineChatModel(List<OfflineSkill> skills) {
    this.skills = List.copyOf(skills);
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
        previousQuestion(messages));
    for (OfflineSkill skill : skills) {
      Optional<ChatResponse> response = skill.understand(offline);
      if (response.isPresent()) {
        return response.get();
      }
    }
    if (GREETING.matcher(offline.normalized()).matches()) {
      return text("Hello! I'm Aide. Ask me to remind you of something — \"remind me to call mom tomorrow at 5pm\" — "
          + "or ask \"what are my reminders?\".");
    }
    return text(NOT_UNDERSTOOD);
  }

  /**
   * The tool results of this turn, relayed as the answer: they are short and written for the person, with the quoted
   * stored text in plain quotes. A change waiting for the person's yes is left out: Aide asks about it itself.
   */
  private static String toolResults(List<ChatMessage> messages) {
    List<String> results = new ArrayList<>();
    for (int i = messages.size() - 1; i >= 0 && messages.get(i) instanceof ToolExecutionResultMessage r; i--) {
      if (!r.text().startsWith(Confirmations.ASKED)) {
        results.add(0, Quoted.forPerson(r.text()));
      }
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
