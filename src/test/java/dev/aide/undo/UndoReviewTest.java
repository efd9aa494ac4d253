package dev.aide.undo;

import static dev.aide.undo.ToolScript.toolCall;
import static dev.aide.undo.ToolScript.undo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Undo edge cases found in review: typed undo, history, gone references, clashes")
class UndoReviewTest {

  private static final ToolScript SCRIPT = new ToolScript();

  @RegisterExtension
  static final AideServer aide = AideServer.create().model(SCRIPT.model()).freshEachTest();

  @BeforeEach
  void emptyScript() {
    SCRIPT.clear();
  }

  @Test
  @DisplayName("a memory forgotten with its history: Undo puts back the history (superseded) rows too")
  void forgottenHistoryComesBack() {
    try (Api api = new Api(aide.port())) {
      api.register("kim@example.com", "UTC");
      toolCall(SCRIPT.chat(api, "remember", new JsonObject().put("content", "I live in Lisbon")));
      String id = aide.db().value("select id::text from memories", String.class);
      // The fact it replaced, kept as history (as learn/REPLACE leave it), and the one before that.
      aide.db().update("insert into memories (user_id, content, source, superseded_by) "
          + "select user_id, 'I live in Paris', 'asked', id from memories where id = ?::uuid", id);
      aide.db().update("insert into memories (user_id, content, source, superseded_by) "
          + "select user_id, 'I live in Berlin', 'asked', id from memories where content = 'I live in Paris'");
      aide.db().update("insert into memory_relations (from_id, to_id, relation) select p.id, b.id, 'follows' "
          + "from memories p, memories b where p.content = 'I live in Paris' and b.content = 'I live in Berlin'");
      assertThat(aide.db().number("select count(*) from memories")).isEqualTo(3);

      JsonObject forgotten = toolCall(SCRIPT.chat(api, "forget", new JsonObject().put("query", id)));
      assertThat(aide.db().number("select count(*) from memories")).as(forgotten.encode()).isZero();
      Api.Response undone = undo(api, forgotten);
      assertThat(undone.status()).as(undone.body()).isEqualTo(200);
      assertThat(aide.db().strings("select content from memories order by content"))
          .as("Undo said 200: everything the forget removed is back")
          .containsExactly("I live in Berlin", "I live in Lisbon", "I live in Paris");
      assertThat(aide.db().strings("select m.content || ' -> ' || s.content from memories m join memories s "
          + "on s.id = m.superseded_by order by m.content"))
          .containsExactly("I live in Berlin -> I live in Paris", "I live in Paris -> I live in Lisbon");
      assertThat(aide.db().number("select count(*) from memory_relations")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a note made in one chat and deleted in another: Undo still works after the first chat is deleted")
  void sourceMessageGone() {
    try (Api api = new Api(aide.port())) {
      api.register("ned@example.com", "UTC");
      JsonObject made = SCRIPT.chat(api, "createNote", new JsonObject().put("content", "wifi password hint"));
      String noteId = aide.db().value("select id::text from notes", String.class);
      JsonObject deleted = toolCall(SCRIPT.chat(api, "deleteNotes", new JsonObject().put("ids", new JsonArray().add(noteId))));
      assertThat(api.delete("/api/v1/conversations/" + made.getString("conversationId")).status()).isEqualTo(204);

      Api.Response undone = undo(api, deleted);
      assertThat(undone.status()).as(undone.body()).isEqualTo(200);
      assertThat(aide.db().number("select count(*) from notes")).isEqualTo(1);
    }
  }




  @Test
  @DisplayName("a bare 'undo' on a long-lived channel conversation does not silently delete a note saved six days ago")
  void typedUndoReachesFarBack() {
    try (Api api = new Api(aide.port())) {
      api.register("olga@example.com", "UTC");
      JsonObject made = SCRIPT.chat(api, "createNote", new JsonObject().put("content", "passport number X123"));
      String conversation = made.getString("conversationId");
      aide.db().update("update undo_changes set created_at = now() - interval '6 days'");
      SCRIPT.add(FakeOpenAi.text("Nice to hear."));
      api.post("/api/v1/chat", new JsonObject().put("text", "I just marked my reminder done")
          .put("conversationId", conversation));

      Api.Response reply = api.post("/api/v1/chat", new JsonObject().put("text", "undo")
          .put("conversationId", conversation));
      String asked = reply.json().getJsonObject("reply").getString("text");
      assertThat(aide.db().number("select count(*) from notes")).as("answered: " + asked).isEqualTo(1);
      assertThat(asked).as("named, with its age, and asked")
          .isEqualTo("I'd undo the note I saved 6 days ago (the note \"passport number X123\"). Shall I go ahead?");

      Api.Response yes = api.post("/api/v1/chat", new JsonObject().put("text", "yes").put("conversationId", conversation));
      assertThat(yes.json().getJsonObject("reply").getString("text"))
          .isEqualTo("Undone: the note \"passport number X123\" is gone again.");
      assertThat(aide.db().number("select count(*) from notes")).isZero();
      assertThat(aide.db().number("select count(*) from undo_changes where undone_at is not null")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("an older change proposed by a typed 'undo' and then not confirmed stays as it is")
  void typedUndoDeclined() {
    try (Api api = new Api(aide.port())) {
      api.register("pia@example.com", "UTC");
      String conversation = SCRIPT.chat(api, "createNote", new JsonObject().put("content", "gate code 4411"))
          .getString("conversationId");
      aide.db().update("update undo_changes set created_at = now() - interval '3 hours'");
      SCRIPT.add(FakeOpenAi.text("Sure."));
      api.post("/api/v1/chat", new JsonObject().put("text", "thanks").put("conversationId", conversation));

      assertThat(say(api, conversation, "undo")).endsWith("Shall I go ahead?").contains("3 hours ago");
      assertThat(say(api, conversation, "no")).isEqualTo("Okay, I've left everything as it was.");
      assertThat(aide.db().number("select count(*) from notes")).isEqualTo(1);
      assertThat(aide.db().number("select count(*) from undo_changes where undone_at is null")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a bare 'undo' right after the turn that made a change undoes it at once, however long ago that turn was")
  void typedUndoOfThePreviousTurn() {
    try (Api api = new Api(aide.port())) {
      api.register("ravi@example.com", "UTC");
      String conversation = SCRIPT.chat(api, "createNote", new JsonObject().put("content", "bike lock 0912"))
          .getString("conversationId");
      aide.db().update("update undo_changes set created_at = now() - interval '2 days'");

      assertThat(say(api, conversation, "undo that")).isEqualTo("Undone: the note \"bike lock 0912\" is gone again.");
      assertThat(aide.db().number("select count(*) from notes")).isZero();
      assertThat(say(api, conversation, "undo")).isEqualTo("There's nothing here I can undo.");
    }
  }

  @Test
  @DisplayName("an undo refused because a list of the same name was made since says so in a fixed sentence, without the database's words")
  void clashExplainedPlainly() {
    try (Api api = new Api(aide.port())) {
      api.register("sol@example.com", "UTC");
      String conversation = SCRIPT.chat(api, "createList", new JsonObject().put("listName", "Groceries"))
          .getString("conversationId");
      assertThat(aide.db().number("select count(*) from lists")).isEqualTo(1);
      SCRIPT.add(FakeOpenAi.toolCall("deleteList", new JsonObject().put("listName", "Groceries").encode()));
      assertThat(say(api, conversation, "delete my groceries list")).endsWith("Shall I go ahead?");
      Api.Response yes = api.post("/api/v1/chat", new JsonObject().put("text", "yes").put("conversationId", conversation));
      JsonObject deleted = toolCall(yes.json());
      assertThat(aide.db().number("select count(*) from lists")).as(deleted.encode()).isZero();
      assertThat(api.post("/api/v1/lists", new JsonObject().put("name", "Groceries")).status()).isEqualTo(201);

      Api.Response undone = undo(api, deleted);
      assertThat(undone.status()).as(undone.body()).isEqualTo(409);
      assertThat(undone.json().getJsonObject("error").getString("message"))
          .isEqualTo("it clashes with something made or removed since, so it was left as it is");
      assertThat(aide.db().number("select count(*) from lists")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a reminder's task comes back as the scheduler would take it up anew: no old claim, heartbeat, attempts or error")
  void taskComesBackUnclaimed() {
    try (Api api = new Api(aide.port())) {
      api.register("tam@example.com", "UTC");
      Api.Response made = api.post("/api/v1/reminders", new JsonObject().put("text", "renew passport")
          .put("dueAt", "2030-03-01T06:00:00Z"));
      assertThat(made.status()).as(made.body()).isEqualTo(201);
      String reminder = made.json().getString("id");
      String key = "reminder:" + reminder;
      aide.db().update("update scheduled_tasks set status = 'running', claimed_by = 'worker-gone-since', "
          + "heartbeat_at = now() - interval '1 hour', attempts = 2, last_error = 'timeout' where task_key = ?", key);

      JsonObject deleted = toolCall(SCRIPT.chat(api, "deleteReminders", new JsonObject().put("id", reminder)));
      assertThat(aide.db().number("select count(*) from scheduled_tasks where task_key = ?", key))
          .as(deleted.encode()).isZero();
      Api.Response undone = undo(api, deleted);
      assertThat(undone.status()).as(undone.body()).isEqualTo(200);
      assertThat(aide.db().value("select concat_ws(' ', status, claimed_by, heartbeat_at, attempts, last_error, "
          + "(next_run_at is not null)::text) from scheduled_tasks where task_key = ?", String.class, key))
          .isEqualTo("scheduled 0 true");
    }
  }

  private static String say(Api api, String conversation, String text) {
    Api.Response reply = api.post("/api/v1/chat", new JsonObject().put("text", text).put("conversationId", conversation));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonObject("reply").getString("text");
  }
}
