package dev.aide.llm.offline;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The last event or reminder the conversation touched — created, changed or named by a removal — which "it", "this"
 * and "that event" in the person's next message refer to ("move it to 4", "could you repeat this event every week").
 * Read from the tool calls in the conversation's history, newest first; reads (which may list many) touch nothing.
 */
record Referent(Kind kind, String name) {

  enum Kind { EVENT, REMINDER }

  /** The referent of the conversation so far, the message being answered (the last one) left out. */
  static Optional<Referent> last(List<ChatMessage> messages) {
    for (int i = messages.size() - 2; i >= 0; i--) {
      if (messages.get(i) instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
        List<ToolExecutionRequest> calls = ai.toolExecutionRequests();
        for (int j = calls.size() - 1; j >= 0; j--) {
          Optional<Referent> touched = of(calls.get(j));
          if (touched.isPresent()) {
            return touched;
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Referent> of(ToolExecutionRequest call) {
    JsonObject args;
    try {
      args = new JsonObject(call.arguments());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return switch (call.name()) {
      case "createEvent" -> named(Kind.EVENT, args.getString("title"));
      case "changeEvent" -> named(Kind.EVENT, args.getString("newTitle", args.getString("title")));
      case "createReminder" -> named(Kind.REMINDER, args.getString("text"));
      case "changeReminder" -> named(Kind.REMINDER, args.getString("newText", args.getString("text")));
      default -> Optional.empty();
    };
  }

  private static Optional<Referent> named(Kind kind, String name) {
    return name == null || name.isBlank() ? Optional.empty() : Optional.of(new Referent(kind, name.strip()));
  }
}
