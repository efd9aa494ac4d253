package dev.aide.conversation;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.rag.RetrievalAugmentor;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolService;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds the LangChain4j AI service the way Aide runs it (the server and the tool tests share this): the tools, their
 * arguments held to the API's character rule, the confirmation hook, and a model's mistakes — a tool that does not
 * exist, arguments that are not valid JSON or do not fit — answered as one tool result the model can read and recover
 * from, never a failed turn.
 */
public final class Assistants {

  /** How many tool calls one turn may make before it stops. */
  public static final int MAX_TOOL_CALLS = 8;

  /**
   * The system prompt's template, read once: given as {@code @SystemMessage(fromResource = …)}, LangChain4j reads the
   * resource out of the jar again on every turn (issue 16). Its variables are filled in each turn as before.
   */
  static final String SYSTEM = systemPrompt();

  private Assistants() {}

  private static String systemPrompt() {
    try (var in = Assistants.class.getResourceAsStream("/prompts/system.txt")) {
      if (in == null) {
        throw new IllegalStateException("the system prompt /prompts/system.txt is not on the class path");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static Assistant build(ChatModel model, ChatMemoryProvider memory, Confirmations confirmations, Object... tools) {
    return build(model, memory, confirmations, MAX_TOOL_CALLS, null, tools);
  }

  /** The same with another limit of tool calls per turn (tests that script many calls in one turn). */
  public static Assistant build(ChatModel model, ChatMemoryProvider memory, Confirmations confirmations,
                                int maxToolCalls, Object... tools) {
    return build(model, memory, confirmations, maxToolCalls, null, tools);
  }

  /**
   * The AI service; {@code recall} (or null): what is recalled for each message joins it for the model only, the
   * conversation's memory keeping the person's own words.
   */
  public static Assistant build(ChatModel model, ChatMemoryProvider memory, Confirmations confirmations,
                                int maxToolCalls, RetrievalAugmentor recall, Object... tools) {
    String names = String.join(", ", Arrays.stream(tools)
        .flatMap(t -> ToolSpecifications.toolSpecificationsFrom(t).stream()).map(ToolSpecification::name).sorted()
        .toList());
    List<AiServiceTool> checked = Arrays.stream(tools).flatMap(t -> ToolService.findTools(t).stream())
        .map(t -> t.toBuilder().toolExecutor(recordingChanges(refusingControlCharacters(t.toolExecutor()), confirmations))
            .build())
        .toList();
    AiServices<Assistant> builder = AiServices.builder(Assistant.class);
    if (recall != null) {
      builder.retrievalAugmentor(recall).storeRetrievedContentInChatMemory(false);
    }
    return builder
        .chatModel(model)
        .systemMessageProvider(memoryId -> SYSTEM)
        .chatMemoryProvider(memory)
        .tools(checked)
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

  /**
   * The tool, behind the rule the API applies to every request body: a NUL or another control character anywhere in
   * the arguments (a field the tool does not read, a field name, or raw in text that is not even JSON) refuses the
   * whole call before it runs. A tool reads only some fields, and the turn stores all of them afterwards.
   */
  static ToolExecutor refusingControlCharacters(ToolExecutor executor) {
    return new ToolExecutor() {
      @Override
      public String execute(ToolExecutionRequest request, Object memoryId) {
        String refused = refusal(request.arguments());
        return refused != null ? refused : executor.execute(request, memoryId);
      }

      @Override
      public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
        String refused = refusal(request.arguments());
        return refused != null ? ToolExecutionResult.builder().isError(true).resultText(refused).build()
            : executor.executeWithContext(request, context);
      }
    };
  }

  /** Where a tool call's result carries its undo handle, for the turn to store with the call ({@link ToolCall#undo}). */
  public static final String UNDO = "aide.undo";

  /**
   * The tool, its changes recorded for undo ({@link ChangeJournal}): its handle rides on the result's attributes, which
   * LangChain4j keeps on the turn's tool execution. A call that changed nothing has none.
   */
  static ToolExecutor recordingChanges(ToolExecutor executor, Confirmations confirmations) {
    return new ToolExecutor() {
      @Override
      public String execute(ToolExecutionRequest request, Object memoryId) {
        if (!(memoryId instanceof ConversationKey key)) {
          return executor.execute(request, memoryId);
        }
        confirmations.beginCall(key, request.name());
        try {
          return executor.execute(request, memoryId);
        } finally {
          confirmations.endCall(key);
        }
      }

      @Override
      public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
        if (context == null || !(context.chatMemoryId() instanceof ConversationKey key)) {
          return executor.executeWithContext(request, context);
        }
        confirmations.beginCall(key, request.name());
        ToolExecutionResult result;
        Optional<UUID> undo;
        try {
          result = executor.executeWithContext(request, context);
        } finally {
          undo = confirmations.endCall(key);
        }
        if (undo.isEmpty()) {
          return result;
        }
        Map<String, Object> attributes = new HashMap<>(result.attributes() == null ? Map.of() : result.attributes());
        attributes.put(UNDO, undo.get());
        return result.toBuilder().attributes(attributes).build();
      }
    };
  }

  /**
   * The error the model reads for arguments the API would refuse, or null when they pass. It names the field as the
   * services do ("unit must not contain…"), so the model reads the same words whoever refused.
   */
  private static String refusal(String arguments) {
    if (arguments == null) {
      return null;
    }
    try {
      Texts.checkCharacters(arguments, "the arguments");
      check(Json.decodeValue(arguments), "the arguments");
      return null;
    } catch (DecodeException e) {
      // Not JSON: the arguments error handler answers it; its raw text passed the character check above.
      return null;
    } catch (DomainException e) {
      return ToolResults.text(e) + " Nothing was done; call it again without them.";
    }
  }

  private static void check(Object value, String field) {
    if (value instanceof String s) {
      Texts.checkCharacters(s, field);
    } else if (value instanceof JsonObject object) {
      for (var entry : object) {
        if (!Texts.acceptable(entry.getKey())) {
          throw DomainException.invalid("a field name must not contain control characters");
        }
        check(entry.getValue(), entry.getKey());
      }
    } else if (value instanceof JsonArray array) {
      array.forEach(item -> check(item, field));
    }
  }
}
