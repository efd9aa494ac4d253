package dev.aide.conversation;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the LangChain4j AI service the way Aide runs it (the server and the tool tests share this): the tools, the
 * confirmation hook, and a model's mistakes — a tool that does not exist, arguments that are not valid JSON or do not
 * fit — answered as one tool result the model can read and recover from, never a failed turn.
 */
public final class Assistants {

  /** How many tool calls one turn may make before it stops. */
  public static final int MAX_TOOL_CALLS = 8;

  private Assistants() {}

  public static Assistant build(ChatModel model, ChatMemoryProvider memory, Confirmations confirmations, Object... tools) {
    return build(model, memory, confirmations, MAX_TOOL_CALLS, tools);
  }

  /** The same with another limit of tool calls per turn (tests that script many calls in one turn). */
  public static Assistant build(ChatModel model, ChatMemoryProvider memory, Confirmations confirmations,
                                int maxToolCalls, Object... tools) {
    String names = String.join(", ", Arrays.stream(tools)
        .flatMap(t -> ToolSpecifications.toolSpecificationsFrom(t).stream()).map(ToolSpecification::name).sorted()
        .toList());
    return AiServices.builder(Assistant.class)
        .chatModel(model)
        .chatMemoryProvider(memory)
        .tools(List.of(tools))
        .maxSequentialToolsInvocations(maxToolCalls)
        .hallucinatedToolNameStrategy(request -> ToolExecutionResultMessage.from(request,
            "Error: there is no tool named " + (request.name() == null || request.name().isBlank() ? "(empty)"
                : "\"" + request.name() + "\"") + "; the tools are: " + names + "."))
        .toolArgumentsErrorHandler((error, context) -> ToolErrorHandlerResult.text("Error: invalid arguments for "
            + context.toolExecutionRequest().name() + ": " + error.getMessage()
            + ". Call it again with a JSON object that fits its parameters."))
        .toolExecutionErrorHandler((error, context) -> ToolErrorHandlerResult.text("Error: " + error.getMessage()))
        .afterToolExecution(execution -> {
          if (execution.invocationContext() != null
              && execution.invocationContext().chatMemoryId() instanceof ConversationKey key) {
            confirmations.toolRan(key, execution.request(), execution.result());
          }
        })
        .build();
  }
}
