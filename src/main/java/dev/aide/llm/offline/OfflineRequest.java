package dev.aide.llm.offline;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * One message as the offline model's skills see it: the person's text, the current time in their timezone (from the
 * system message, as an LLM would read it), the tools on offer, Aide's previous question in this conversation and the
 * last tool it called (for "yes, go ahead").
 */
public record OfflineRequest(String text, ZonedDateTime now, Set<String> tools, Optional<String> previousQuestion,
                             Optional<ToolExecutionRequest> lastToolCall) {

  public OfflineRequest(String text, ZonedDateTime now, Set<String> tools, Optional<String> previousQuestion) {
    this(text, now, tools, previousQuestion, Optional.empty());
  }

  /** The text lower-cased, trimmed, with trailing punctuation removed: what most patterns match against. */
  public String normalized() {
    return text.toLowerCase(java.util.Locale.ROOT).strip().replaceAll("[.!?]+$", "").strip();
  }

  public boolean offers(String tool) {
    return tools.contains(tool);
  }
}
