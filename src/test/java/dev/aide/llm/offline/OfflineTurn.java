package dev.aide.llm.offline;

import dev.aide.calendar.AvailabilityTools;
import dev.aide.embedding.LocalEmbedder;
import dev.aide.calendar.CalendarTools;
import dev.aide.expense.ExpenseTools;
import dev.aide.list.ListTools;
import dev.aide.mail.MailTools;
import dev.aide.memory.MemoryTools;
import dev.aide.note.NoteTools;
import dev.aide.proactive.ProactiveTools;
import dev.aide.reminder.ReminderTools;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.vertx.core.Vertx;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One message to the offline model as Aide builds it (phrasing rules, then intents by the in-process embedding model)
 * with every tool Aide offers, at a fixed now.
 */
final class OfflineTurn {

  /** One model for every test of the JVM: the embedding model loads once (about a second). */
  private static final OfflineChatModel MODEL = new OfflineChatModel(
      new IntentClassifier(new LocalEmbedder(Vertx.vertx())));

  /** Wednesday 18 November 2026, 10:15 in Paris. */
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 10, 15, 0, 0, ZoneId.of("Europe/Paris"));

  private static final List<ToolSpecification> TOOLS = new ArrayList<>();

  static {
    TOOLS.addAll(ToolSpecifications.toolSpecificationsFrom(ReminderTools.class));
    TOOLS.addAll(ToolSpecifications.toolSpecificationsFrom(NoteTools.class));
    TOOLS.addAll(ToolSpecifications.toolSpecificationsFrom(ListTools.class));
    TOOLS.addAll(ToolSpecifications.toolSpecificationsFrom(CalendarTools.class));
    TOOLS.addAll(ToolSpecifications.toolSpecificationsFrom(ExpenseTools.class));
    TOOLS.addAll(ToolSpecifications.toolSpecificationsFrom(AvailabilityTools.class));
    TOOLS.addAll(ToolSpecifications.toolSpecificationsFrom(ProactiveTools.class));
    TOOLS.addAll(ToolSpecifications.toolSpecificationsFrom(MemoryTools.class));
    TOOLS.addAll(ToolSpecifications.toolSpecificationsFrom(MailTools.class));
  }

  private OfflineTurn() {}

  static List<ToolSpecification> tools() {
    return List.copyOf(TOOLS);
  }

  static AiMessage answer(String text) {
    ChatRequest request = ChatRequest.builder()
        .messages(SystemMessage.from("Current date and time for the user: " + NOW + " (Wednesday)"), UserMessage.from(text))
        .toolSpecifications(TOOLS)
        .build();
    return MODEL.chat(request).aiMessage();
  }

  /** The single tool call of the answer, or null when it answered in text. */
  static ToolExecutionRequest call(String text) {
    AiMessage ai = answer(text);
    return ai.hasToolExecutionRequests() ? ai.toolExecutionRequests().get(0) : null;
  }
}
