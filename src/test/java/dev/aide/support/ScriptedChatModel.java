package dev.aide.support;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A ChatModel that plays a script: each call answers with the next tool call, and once the script is used up it
 * answers with the last tool's result as its text (or "done" when no tool ran). Lets a test drive a real LangChain4j
 * AI service through chosen tool calls.
 */
public final class ScriptedChatModel implements ChatModel {

  private final Deque<ToolExecutionRequest> script = new java.util.concurrent.ConcurrentLinkedDeque<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile ChatRequest lastRequest;

  /** Queues a tool call for the next model turn. */
  public ScriptedChatModel then(String tool, JsonObject arguments) {
    script.add(ToolExecutionRequest.builder().id("call_" + ids.incrementAndGet()).name(tool)
        .arguments(arguments.encode()).build());
    return this;
  }

  /** The tools the service offered on the last call. */
  public List<String> offeredTools() {
    return lastRequest.toolSpecifications().stream().map(t -> t.name()).toList();
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    lastRequest = request;
    ToolExecutionRequest next = script.poll();
    if (next == null) {
      var messages = request.messages();
      String closing = messages.get(messages.size() - 1) instanceof ToolExecutionResultMessage result
          ? result.text() : "done";
      return ChatResponse.builder().aiMessage(AiMessage.from(closing)).finishReason(FinishReason.STOP).build();
    }
    return ChatResponse.builder().aiMessage(AiMessage.from(next)).finishReason(FinishReason.TOOL_EXECUTION).build();
  }
}
