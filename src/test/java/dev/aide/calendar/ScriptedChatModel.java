package dev.aide.calendar;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A test ChatModel that answers a turn with one given tool call, then with the tool's result as its text. */
final class ScriptedChatModel implements ChatModel {

  private volatile ToolExecutionRequest next;

  /** The tool call the model makes on the next user message. */
  void willCall(String tool, JsonObject arguments) {
    next = ToolExecutionRequest.builder().id("call_1").name(tool).arguments(arguments.encode()).build();
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    ChatMessage last = messages.get(messages.size() - 1);
    if (last instanceof ToolExecutionResultMessage result) {
      return ChatResponse.builder().aiMessage(AiMessage.from(result.text())).finishReason(FinishReason.STOP).build();
    }
    ToolExecutionRequest call = next;
    next = null;
    if (call == null) {
      return ChatResponse.builder().aiMessage(AiMessage.from("nothing scripted")).finishReason(FinishReason.STOP).build();
    }
    return ChatResponse.builder().aiMessage(AiMessage.from(call)).finishReason(FinishReason.TOOL_EXECUTION).build();
  }
}
