package dev.aide.undo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The undo tests' model: a fake OpenAI-compatible server that answers each of the person's messages with the next
 * reply a test scripted (a tool call, or words; "Okay." when none is left) and each tool result with "Done.", and
 * the chat steps the tests share.
 */
final class ToolScript {

  private final Deque<FakeOpenAi.Reply> replies = new ConcurrentLinkedDeque<>();
  private final FakeOpenAi model = new FakeOpenAi(request -> {
    if (!"user".equals(FakeOpenAi.lastRole(request))) {
      return FakeOpenAi.text("Done.");
    }
    FakeOpenAi.Reply next = replies.poll();
    return next == null ? FakeOpenAi.text("Okay.") : next;
  });

  FakeOpenAi model() {
    return model;
  }

  void add(FakeOpenAi.Reply reply) {
    replies.add(reply);
  }

  void clear() {
    replies.clear();
  }

  /** One turn in a new conversation in which the model calls the tool with the arguments. */
  JsonObject chat(Api api, String tool, JsonObject arguments) {
    add(FakeOpenAi.toolCall(tool, arguments.encode()));
    Api.Response reply = api.post("/api/v1/chat", new JsonObject().put("text", "please do it"));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  /** The one tool call of a chat answer. */
  static JsonObject toolCall(JsonObject reply) {
    JsonArray calls = reply.getJsonArray("toolCalls");
    assertThat(calls).as(reply.encode()).hasSize(1);
    return calls.getJsonObject(0);
  }

  /** Undoes a tool call by its handle. */
  static Api.Response undo(Api api, JsonObject call) {
    assertThat(call.getString("undo")).as(call.encode()).isNotNull();
    return api.post("/api/v1/changes/" + call.getString("undo") + "/undo", new JsonObject());
  }
}
