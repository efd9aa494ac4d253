package dev.aide.llm.offline;

import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.Optional;

/** One area of everyday requests the offline model understands (reminders, expenses, …). */
public interface OfflineSkill {

  /** The tool call or question for a message this skill understands; empty when it does not, so others may try. */
  Optional<ChatResponse> understand(OfflineRequest request);
}
