package dev.aide.llm.offline;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** The two kinds of answer the offline model gives: plain text, or a tool call shaped as an LLM's would be. */
public final class OfflineReplies {

  private OfflineReplies() {}

  public static ChatResponse text(String text) {
    return ChatResponse.builder().aiMessage(AiMessage.from(text)).finishReason(FinishReason.STOP).modelName("offline").build();
  }

  public static ChatResponse toolCall(String name, JsonObject arguments) {
    return ChatResponse.builder().aiMessage(AiMessage.from(call(name, arguments))).finishReason(FinishReason.TOOL_EXECUTION)
        .modelName("offline").build();
  }

  /**
   * A tool call with words of Aide's own that follow its result in the answer: a question after a listing ("Which one
   * should I delete?"), or what an answer stands for ("Aide has no alarm clock: …").
   */
  public static ChatResponse toolCall(String name, JsonObject arguments, String after) {
    return ChatResponse.builder().aiMessage(AiMessage.from(after, java.util.List.of(call(name, arguments))))
        .finishReason(FinishReason.TOOL_EXECUTION).modelName("offline").build();
  }

  private static ToolExecutionRequest call(String name, JsonObject arguments) {
    return ToolExecutionRequest.builder()
        .id("call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24))
        .name(name)
        .arguments(arguments.encode())
        .build();
  }
}
