package dev.aide.undo;

import static dev.aide.undo.ToolScript.toolCall;
import static dev.aide.undo.ToolScript.undo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Undo of what the assistant's tools changed, through POST /api/v1/changes/{id}/undo")
class UndoApiTest {

  /** The tool calls the model makes, one per turn, in order; after a tool ran it says "Done." */
  private static final ToolScript SCRIPT = new ToolScript();

  @RegisterExtension
  static final AideServer aide = AideServer.create().model(SCRIPT.model()).freshEachTest();

  @BeforeEach
  void emptyScript() {
    SCRIPT.clear();
  }

  @Test
  @DisplayName("a note created, changed and deleted in chat: each Undo puts back exactly what was there, same id")
  void noteCreatedChangedDeleted() {
    try (Api api = new Api(aide.port())) {
      api.register("ada@example.com", "Europe/Paris");
      JsonObject created = toolCall(SCRIPT.chat(api, "createNote", new JsonObject().put("content", "the plumber is Jo")
          .put("tags", new JsonArray().add("home"))));
      String noteId = aide.db().value("select id::text from notes", String.class);
      String asCreated = row("notes", noteId);

      JsonObject changed = toolCall(SCRIPT.chat(api, "updateNote", new JsonObject().put("id", noteId)
          .put("content", "the plumber is Max")));
      assertThat(aide.db().value("select content from notes", String.class)).isEqualTo("the plumber is Max");
      Api.Response undoChange = undo(api, changed);
      assertThat(undoChange.status()).as(undoChange.body()).isEqualTo(200);
      assertThat(undoChange.json().getString("tool")).isEqualTo("updateNote");
      assertThat(row("notes", noteId)).as("the note as it was, updated_at included").isEqualTo(asCreated);

      JsonObject deleted = toolCall(SCRIPT.chat(api, "deleteNotes", new JsonObject().put("ids", new JsonArray().add(noteId))));
      assertThat(aide.db().number("select count(*) from notes")).isZero();
      assertThat(undo(api, deleted).status()).isEqualTo(200);
      assertThat(row("notes", noteId)).as("back with the same id and everything it had").isEqualTo(asCreated);
      assertThat(api.get("/api/v1/notes/" + noteId).json().getJsonArray("tags")).containsExactly("home");

      assertThat(undo(api, created).status()).as("the create, undone last: the note is as it was made").isEqualTo(200);
      assertThat(aide.db().number("select count(*) from notes")).isZero();
    }
  }

  @Test
  @DisplayName("a reminder snoozed in chat gets back its time and its scheduled task; one created is deleted with its task")
  void reminderSnoozedAndCreated() {
    try (Api api = new Api(aide.port())) {
      api.register("ben@example.com", "UTC");
      String id = api.post("/api/v1/reminders", new JsonObject().put("text", "call the bank")
          .put("dueAt", "2030-03-01T09:00:00Z")).json().getString("id");
      String reminder = row("reminders", id);
      String task = taskRow("reminder:" + id);

      JsonObject snoozed = toolCall(SCRIPT.chat(api, "snoozeReminder", new JsonObject().put("id", id).put("minutes", 30)));
      assertThat(snoozed.getString("result")).startsWith("Snoozed");
      assertThat(row("reminders", id)).isNotEqualTo(reminder);
      assertThat(undo(api, snoozed).status()).isEqualTo(200);
      assertThat(row("reminders", id)).isEqualTo(reminder);
      assertThat(taskRow("reminder:" + id)).as("the task fires at the old time again").isEqualTo(task);

      JsonObject created = toolCall(SCRIPT.chat(api, "createReminder", new JsonObject().put("text", "water the plants")
          .put("dueAt", "2030-03-02T09:00:00Z")));
      String newId = aide.db().value("select id::text from reminders where text = 'water the plants'", String.class);
      assertThat(aide.db().number("select count(*) from scheduled_tasks where task_key = ?", "reminder:" + newId))
          .isEqualTo(1);
      assertThat(undo(api, created).status()).isEqualTo(200);
      assertThat(aide.db().number("select count(*) from reminders where id = ?::uuid", newId)).isZero();
      assertThat(aide.db().number("select count(*) from scheduled_tasks where task_key = ?", "reminder:" + newId))
          .isZero();
      assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a list's item checked off is unchecked by Undo; the list deleted after the person's yes comes back with its items")
  void listCheckedOffAndDeleted() {
    try (Api api = new Api(aide.port())) {
      api.register("cleo@example.com", "UTC");
      JsonObject added = toolCall(SCRIPT.chat(api, "addToList", new JsonObject().put("listName", "groceries")
          .put("items", new JsonArray().add(new JsonObject().put("text", "milk")).add(new JsonObject().put("text", "eggs")))));
      assertThat(added.getString("undo")).isNotNull();
      String listId = aide.db().value("select id::text from lists", String.class);
      List<String> items = aide.db().strings("select to_jsonb(i)::text from list_items i order by position");

      JsonObject checked = toolCall(SCRIPT.chat(api, "checkOffItems", new JsonObject().put("listName", "groceries")
          .put("items", new JsonArray().add("milk"))));
      assertThat(aide.db().number("select count(*) from list_items where done")).isEqualTo(1);
      assertThat(undo(api, checked).status()).isEqualTo(200);
      assertThat(aide.db().strings("select to_jsonb(i)::text from list_items i order by position")).isEqualTo(items);

      JsonObject asked = SCRIPT.chat(api, "deleteList", new JsonObject().put("listName", "groceries"));
      assertThat(toolCall(asked).containsKey("undo")).as("nothing was deleted yet: the person is asked").isFalse();
      JsonObject yes = api.post("/api/v1/chat", new JsonObject().put("text", "yes")
          .put("conversationId", asked.getString("conversationId"))).json();
      JsonObject deleted = toolCall(yes);
      assertThat(deleted.getString("name")).isEqualTo("deleteList");
      assertThat(aide.db().number("select count(*) from lists")).isZero();
      assertThat(aide.db().number("select count(*) from list_items")).isZero();

      assertThat(undo(api, deleted).status()).isEqualTo(200);
      assertThat(aide.db().value("select id::text from lists", String.class)).isEqualTo(listId);
      assertThat(aide.db().strings("select to_jsonb(i)::text from list_items i order by position"))
          .as("the items with their ids, positions and marks").isEqualTo(items);
    }
  }

  @Test
  @DisplayName("an event cancelled in chat is back in the calendar after Undo, as it was")
  void eventCancelled() {
    try (Api api = new Api(aide.port())) {
      api.register("dan@example.com", "UTC");
      String id = api.post("/api/v1/events", new JsonObject().put("title", "Dentist")
          .put("start", "2030-03-01T09:00:00Z").put("end", "2030-03-01T10:00:00Z")).json().getString("id");
      String event = row("events", id);

      JsonObject cancelled = toolCall(SCRIPT.chat(api, "cancelEvent", new JsonObject().put("eventId", id)));
      assertThat(cancelled.getString("result")).startsWith("Cancelled");
      assertThat(api.get("/api/v1/events/" + id).status()).isEqualTo(404);
      assertThat(undo(api, cancelled).status()).isEqualTo(200);
      assertThat(row("events", id)).isEqualTo(event);
      assertThat(api.get("/api/v1/events/" + id).json().getString("title")).isEqualTo("Dentist");
    }
  }

  @Test
  @DisplayName("a memory forgotten in chat comes back by Undo with its vectors, so recall finds it again")
  void memoryForgotten() {
    try (Api api = new Api(aide.port())) {
      api.register("kim@example.com", "UTC");
      toolCall(SCRIPT.chat(api, "remember", new JsonObject().put("content", "My sister Anna's birthday is 3 May")));
      String id = aide.db().value("select id::text from memories", String.class);
      String memory = row("memories", id);
      List<String> vectors = aide.db().strings("select to_jsonb(v)::text from memory_vectors v order by model");
      assertThat(vectors).as("embedded when remembered").isNotEmpty();

      JsonObject forgotten = toolCall(SCRIPT.chat(api, "forget", new JsonObject().put("query", id)));
      assertThat(aide.db().number("select count(*) from memories")).as(forgotten.encode()).isZero();
      assertThat(undo(api, forgotten).status()).isEqualTo(200);
      assertThat(row("memories", id)).isEqualTo(memory);
      assertThat(aide.db().strings("select to_jsonb(v)::text from memory_vectors v order by model")).isEqualTo(vectors);
      assertThat(api.get("/api/v1/memories/search?q=Anna%20birthday").json().getJsonArray("items").getJsonObject(0)
          .getString("id")).isEqualTo(id);
    }
  }

  @Test
  @DisplayName("one occurrence of a weekly event moved and another cancelled in chat: Undo of each leaves the series as it was")
  void occurrencesChangedAndCancelled() {
    try (Api api = new Api(aide.port())) {
      api.register("lou@example.com", "UTC");
      String id = api.post("/api/v1/events", new JsonObject().put("title", "Standup")
          .put("start", "2030-03-04T09:00:00Z").put("end", "2030-03-04T09:15:00Z").put("rrule", "FREQ=WEEKLY")
          .put("alertMinutes", 10)).json().getString("id");
      List<String> series = aide.db().strings("select to_jsonb(e)::text from events e order by created_at");
      String alert = taskRow("event-alert:" + id);

      JsonObject moved = toolCall(SCRIPT.chat(api, "changeEvent", new JsonObject().put("eventId", id)
          .put("occurrenceStart", "2030-03-11T09:00:00Z").put("newStart", "2030-03-11T10:00:00Z")));
      assertThat(moved.getBoolean("failed")).as(moved.encode()).isFalse();
      assertThat(aide.db().number("select count(*) from events where series_id is not null")).as(moved.encode())
          .isEqualTo(1);
      JsonObject cancelled = toolCall(SCRIPT.chat(api, "cancelEvent", new JsonObject().put("eventId", id)
          .put("occurrenceStart", "2030-03-18T09:00:00Z")));
      assertThat(aide.db().strings("select to_jsonb(e)::text from events e order by created_at"))
          .as(cancelled.encode()).isNotEqualTo(series);

      assertThat(undo(api, cancelled).status()).isEqualTo(200);
      assertThat(undo(api, moved).status()).isEqualTo(200);
      assertThat(aide.db().strings("select to_jsonb(e)::text from events e order by created_at")).isEqualTo(series);
      assertThat(taskRow("event-alert:" + id)).isEqualTo(alert);
    }
  }

  @Test
  @DisplayName("a budget changed in chat gets its amount back; a scheduled message cancelled in chat is pending again, its task too")
  void budgetAndScheduledMessage() {
    try (Api api = new Api(aide.port())) {
      api.register("max@example.com", "UTC");
      toolCall(SCRIPT.chat(api, "setBudget", new JsonObject().put("category", "Food").put("amount", "400").put("currency", "EUR")));
      String budget = aide.db().value("select to_jsonb(b)::text from budgets b", String.class);
      JsonObject raised = toolCall(SCRIPT.chat(api, "setBudget", new JsonObject().put("category", "food").put("amount", "450.25")
          .put("currency", "EUR")));
      assertThat(undo(api, raised).status()).isEqualTo(200);
      assertThat(aide.db().value("select to_jsonb(b)::text from budgets b", String.class)).isEqualTo(budget);

      String id = api.post("/api/v1/proactive-messages", new JsonObject().put("content", "stretch")
          .put("scheduledFor", "2030-03-01T09:00:00Z")).json().getString("id");
      String message = row("proactive_messages", id);
      String task = taskRow("proactive:" + id);
      JsonObject cancelled = toolCall(SCRIPT.chat(api, "cancelScheduledMessage", new JsonObject().put("id", id)));
      assertThat(aide.db().value("select status from proactive_messages", String.class)).as(cancelled.encode())
          .isEqualTo("cancelled");
      assertThat(undo(api, cancelled).status()).isEqualTo(200);
      assertThat(row("proactive_messages", id)).isEqualTo(message);
      assertThat(taskRow("proactive:" + id)).isEqualTo(task);
    }
  }

  @Test
  @DisplayName("an expense logged in chat is removed by Undo; a second Undo of it is refused (409)")
  void expenseLoggedTwice() {
    try (Api api = new Api(aide.port())) {
      api.register("eve@example.com", "UTC");
      JsonObject logged = toolCall(SCRIPT.chat(api, "logExpense", new JsonObject().put("amount", "12.50").put("currency", "EUR")
          .put("category", "food").put("description", "lunch")));
      assertThat(aide.db().number("select count(*) from expenses")).isEqualTo(1);
      assertThat(undo(api, logged).status()).isEqualTo(200);
      assertThat(aide.db().number("select count(*) from expenses")).isZero();

      Api.Response again = undo(api, logged);
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.errorCode()).isEqualTo("conflict");
      assertThat(again.body()).contains("already been undone");
    }
  }

  @Test
  @DisplayName("a note changed since the chat made it is not undone (409) and stays as the person left it")
  void changedSince() {
    try (Api api = new Api(aide.port())) {
      api.register("fay@example.com", "UTC");
      JsonObject created = toolCall(SCRIPT.chat(api, "createNote", new JsonObject().put("content", "gate code 1234")));
      String noteId = aide.db().value("select id::text from notes", String.class);
      assertThat(api.patch("/api/v1/notes/" + noteId, new JsonObject().put("content", "gate code 9876")).status())
          .isEqualTo(200);
      String edited = row("notes", noteId);

      Api.Response refused = undo(api, created);
      assertThat(refused.status()).as(refused.body()).isEqualTo(409);
      assertThat(refused.body()).contains("changed since");
      assertThat(row("notes", noteId)).isEqualTo(edited);
      assertThat(aide.db().value("select undone_at is null from undo_changes", Boolean.class))
          .as("still open: refused, not used up").isTrue();
    }
  }

  @Test
  @DisplayName("a list deleted and a new one of the same name made since: Undo is refused (409), both left as they are")
  void clashWithSomethingNew() {
    try (Api api = new Api(aide.port())) {
      api.register("gus@example.com", "UTC");
      toolCall(SCRIPT.chat(api, "addToList", new JsonObject().put("listName", "packing")
          .put("items", new JsonArray().add(new JsonObject().put("text", "socks")))));
      JsonObject asked = SCRIPT.chat(api, "deleteList", new JsonObject().put("listName", "packing"));
      JsonObject deleted = toolCall(api.post("/api/v1/chat", new JsonObject().put("text", "yes")
          .put("conversationId", asked.getString("conversationId"))).json());
      String fresh = api.post("/api/v1/lists", new JsonObject().put("name", "Packing")).json().getString("id");

      Api.Response refused = undo(api, deleted);
      assertThat(refused.status()).as(refused.body()).isEqualTo(409);
      assertThat(aide.db().strings("select id::text from lists")).containsExactly(fresh);
      assertThat(aide.db().number("select count(*) from list_items")).isZero();
    }
  }

  @Test
  @DisplayName("another person's change, an unknown id, garbage and NUL in the id: 404, nothing undone")
  void othersAndGarbage() {
    JsonObject created;
    try (Api owner = new Api(aide.port())) {
      owner.register("hal@example.com", "UTC");
      created = toolCall(SCRIPT.chat(owner, "createNote", new JsonObject().put("content", "mine")));
    }
    try (Api other = new Api(aide.port())) {
      other.register("ivy@example.com", "UTC");
      assertThat(undo(other, created).status()).isEqualTo(404);
      assertThat(other.post("/api/v1/changes/" + java.util.UUID.randomUUID() + "/undo", new JsonObject()).status())
          .isEqualTo(404);
      assertThat(other.post("/api/v1/changes/not-an-id/undo", new JsonObject()).status()).isEqualTo(404);
      assertThat(other.post("/api/v1/changes/%00/undo", new JsonObject()).status()).isIn(400, 404);
      assertThat(other.post("/api/v1/changes/" + created.getString("undo") + "%00/undo", new JsonObject()).status())
          .isIn(400, 404);
    }
    assertThat(aide.db().number("select count(*) from notes")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from undo_changes where undone_at is null")).isEqualTo(1);
  }

  @Test
  @DisplayName("a reloaded chat offers Undo for its changes (GET messages), and no longer for one undone or expired")
  void messagesCarryHandles() {
    try (Api api = new Api(aide.port())) {
      api.register("jo@example.com", "UTC");
      JsonObject first = SCRIPT.chat(api, "createNote", new JsonObject().put("content", "first"));
      String conversation = first.getString("conversationId");
      SCRIPT.add(FakeOpenAi.toolCall("createNote", new JsonObject().put("content", "second").encode()));
      JsonObject second = api.post("/api/v1/chat", new JsonObject().put("text", "please")
          .put("conversationId", conversation)).json();
      SCRIPT.add(FakeOpenAi.toolCall("searchNotes", new JsonObject().encode()));
      api.post("/api/v1/chat", new JsonObject().put("text", "what notes?").put("conversationId", conversation));

      assertThat(handles(api, conversation)).as("the two creates; a search changes nothing")
          .containsExactly(toolCall(first).getString("undo"), toolCall(second).getString("undo"));
      assertThat(undo(api, toolCall(first)).status()).isEqualTo(200);
      aide.db().update("update undo_changes set expires_at = now() - interval '1 second' where id = ?::uuid",
          toolCall(second).getString("undo"));
      assertThat(handles(api, conversation)).isEmpty();
      Api.Response expired = undo(api, toolCall(second));
      assertThat(expired.status()).isEqualTo(409);
      assertThat(expired.body()).contains("too old");
      assertThat(aide.db().number("select count(*) from notes")).isEqualTo(1);
    }
  }




  private static List<String> handles(Api api, String conversation) {
    Api.Response messages = api.get("/api/v1/conversations/" + conversation + "/messages");
    assertThat(messages.status()).as(messages.body()).isEqualTo(200);
    return messages.json().getJsonArray("items").stream()
        .map(m -> (JsonObject) m).flatMap(m -> m.getJsonArray("toolCalls").stream().map(c -> (JsonObject) c))
        .map(c -> c.getString("undo")).filter(java.util.Objects::nonNull).toList();
  }

  private static String row(String table, String id) {
    return aide.db().value("select to_jsonb(t)::text from " + table + " t where id = ?::uuid", String.class, id);
  }

  private static String taskRow(String key) {
    return aide.db().value("select to_jsonb(t)::text from scheduled_tasks t where task_key = ?", String.class, key);
  }
}
