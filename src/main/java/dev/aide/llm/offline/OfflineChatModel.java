package dev.aide.llm.offline;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.vertx.core.json.JsonObject;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Aide's built-in model: a deterministic parser of everyday requests that answers with the same tool calls an LLM
 * would make, so Aide works with no API key and tests are repeatable. It reads the current time and the user's
 * timezone from the system message, as an LLM would, and says plainly when it does not understand.
 */
public final class OfflineChatModel implements ChatModel {

  public static final String NOT_UNDERSTOOD = "Sorry, I didn't understand that. I can set reminders — for example "
      + "\"remind me to call mom tomorrow at 5pm\" — and list them (\"what are my reminders?\").";

  private static final Pattern NOW = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}T[^\\s\\[]+\\[[^\\]]+\\])");
  private static final Pattern ASKED_WHEN = Pattern.compile("^When should I remind you to (.+)\\?$");
  private static final Pattern LIST_REMINDERS = Pattern.compile(
      "^(what|which|show|list|tell me|do i have|any)\\b.*\\breminders?\\b.*$|^(my )?reminders\\??$");
  private static final Pattern GREETING = Pattern.compile("^(hi|hello|hey|good (morning|afternoon|evening)|help)\\b.*");

  private final ReminderRequestParser reminders = new ReminderRequestParser();
  private final TimePhraseParser times = new TimePhraseParser();

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
    ZonedDateTime now = now(messages);
    return understand(user.singleText().strip(), previousQuestion(messages), now, tools);
  }

  private ChatResponse understand(String text, Optional<String> previousQuestion, ZonedDateTime now, Set<String> tools) {
    String lower = text.toLowerCase(Locale.ROOT).strip();
    if (tools.contains("createReminder")) {
      // "When should I remind you to call mom?" — "tomorrow at 5"
      if (previousQuestion.isPresent()) {
        Matcher asked = ASKED_WHEN.matcher(previousQuestion.get());
        if (asked.matches()) {
          Optional<ZonedDateTime> due = times.parse(stripPunctuation(text), now);
          if (due.isPresent()) {
            return createReminder(asked.group(1), due.get());
          }
        }
      }
      Optional<ReminderRequest> parsed = reminders.parse(text, now);
      if (parsed.isPresent()) {
        return switch (parsed.get()) {
          case ReminderRequest.Complete c -> createReminder(c.text(), c.dueAt());
          case ReminderRequest.MissingTime m -> text("When should I remind you to " + m.text() + "?");
          case ReminderRequest.MissingText m -> text("What should I remind you about?");
        };
      }
    }
    if (tools.contains("listReminders") && LIST_REMINDERS.matcher(lower).matches()) {
      return toolCall("listReminders", new JsonObject());
    }
    if (GREETING.matcher(lower).matches()) {
      return text("Hello! I'm Aide. Ask me to remind you of something — \"remind me to call mom tomorrow at 5pm\" — "
          + "or ask \"what are my reminders?\".");
    }
    return text(NOT_UNDERSTOOD);
  }

  private static ChatResponse createReminder(String task, ZonedDateTime dueAt) {
    return toolCall("createReminder", new JsonObject()
        .put("text", task)
        .put("dueAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dueAt.toOffsetDateTime())));
  }

  /** The tool results of this turn, relayed as the answer: they are short and written for the person. */
  private static String toolResults(List<ChatMessage> messages) {
    List<String> results = new ArrayList<>();
    for (int i = messages.size() - 1; i >= 0 && messages.get(i) instanceof ToolExecutionResultMessage r; i--) {
      results.add(0, r.text());
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

  private static String stripPunctuation(String text) {
    return text.strip().replaceAll("[.!?]+$", "");
  }

  private static ChatResponse text(String text) {
    return ChatResponse.builder().aiMessage(AiMessage.from(text)).finishReason(FinishReason.STOP).modelName("offline").build();
  }

  private static ChatResponse toolCall(String name, JsonObject arguments) {
    ToolExecutionRequest call = ToolExecutionRequest.builder()
        .id("call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24))
        .name(name)
        .arguments(arguments.encode())
        .build();
    return ChatResponse.builder().aiMessage(AiMessage.from(call)).finishReason(FinishReason.TOOL_EXECUTION)
        .modelName("offline").build();
  }
}
