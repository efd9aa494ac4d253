package dev.aide.undo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Review: undo edge cases")
class UndoReviewTest {

  private static final Deque<FakeOpenAi.Reply> SCRIPT = new ConcurrentLinkedDeque<>();
  private static final FakeOpenAi MODEL = new FakeOpenAi(request -> {
    if (!"user".equals(FakeOpenAi.lastRole(request))) {
      return FakeOpenAi.text("Done.");
    }
    FakeOpenAi.Reply next = SCRIPT.poll();
    return next == null ? FakeOpenAi.text("Okay.") : next;
  });

  @RegisterExtension
  static final AideServer aide = AideServer.create().model(MODEL).freshEachTest();

  @BeforeEach
  void emptyScript() {
    SCRIPT.clear();
  }

  @Test
  @DisplayName("a memory forgotten with its history: Undo puts back the history (superseded) rows too")
  void forgottenHistoryComesBack() {
    try (Api api = new Api(aide.port())) {
      api.register("kim@example.com", "UTC");
      toolCall(chat(api, "remember", new JsonObject().put("content", "I live in Lisbon")));
      String id = aide.db().value("select id::text from memories", String.class);
      // The fact it replaced, kept as history (as learn/REPLACE leave it).
      aide.db().update("insert into memories (user_id, content, source, superseded_by) "
          + "select user_id, 'I live in Paris', 'asked', id from memories where id = ?::uuid", id);
      assertThat(aide.db().number("select count(*) from memories")).isEqualTo(2);

      JsonObject forgotten = toolCall(chat(api, "forget", new JsonObject().put("query", id)));
      assertThat(aide.db().number("select count(*) from memories")).as(forgotten.encode()).isZero();
      Api.Response undone = undo(api, forgotten);
      assertThat(undone.status()).as(undone.body()).isEqualTo(200);
      assertThat(aide.db().strings("select content from memories order by content"))
          .as("Undo said 200: everything the forget removed is back")
          .containsExactly("I live in Lisbon", "I live in Paris");
    }
  }

  @Test
  @DisplayName("a note made in one chat and deleted in another: Undo still works after the first chat is deleted")
  void sourceMessageGone() {
    try (Api api = new Api(aide.port())) {
      api.register("ned@example.com", "UTC");
      JsonObject made = chat(api, "createNote", new JsonObject().put("content", "wifi password hint"));
      String noteId = aide.db().value("select id::text from notes", String.class);
      JsonObject deleted = toolCall(chat(api, "deleteNotes", new JsonObject().put("ids", new JsonArray().add(noteId))));
      assertThat(api.delete("/api/v1/conversations/" + made.getString("conversationId")).status()).isEqualTo(204);

      Api.Response undone = undo(api, deleted);
      assertThat(undone.status()).as(undone.body()).isEqualTo(200);
      assertThat(aide.db().number("select count(*) from notes")).isEqualTo(1);
    }
  }

  private static JsonObject chat(Api api, String tool, JsonObject arguments) {
    SCRIPT.add(FakeOpenAi.toolCall(tool, arguments.encode()));
    Api.Response reply = api.post("/api/v1/chat", new JsonObject().put("text", "please do it"));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static JsonObject toolCall(JsonObject reply) {
    JsonArray calls = reply.getJsonArray("toolCalls");
    assertThat(calls).as(reply.encode()).hasSize(1);
    return calls.getJsonObject(0);
  }

  private static Api.Response undo(Api api, JsonObject call) {
    assertThat(call.getString("undo")).as(call.encode()).isNotNull();
    return api.post("/api/v1/changes/" + call.getString("undo") + "/undo", new JsonObject());
  }

  @Test
  @DisplayName("a bare 'undo' on a long-lived channel conversation does not silently delete a note saved six days ago")
  void typedUndoReachesFarBack() {
    try (Api api = new Api(aide.port())) {
      api.register("olga@example.com", "UTC");
      JsonObject made = chat(api, "createNote", new JsonObject().put("content", "passport number X123"));
      String conversation = made.getString("conversationId");
      aide.db().update("update undo_changes set created_at = now() - interval '6 days'");
      SCRIPT.add(FakeOpenAi.text("Nice to hear."));
      api.post("/api/v1/chat", new JsonObject().put("text", "I just marked my reminder done")
          .put("conversationId", conversation));

      Api.Response reply = api.post("/api/v1/chat", new JsonObject().put("text", "undo")
          .put("conversationId", conversation));
      assertThat(aide.db().number("select count(*) from notes"))
          .as("answered: " + reply.json().getJsonObject("reply").getString("text")).isEqualTo(1);
    }
  }
}
