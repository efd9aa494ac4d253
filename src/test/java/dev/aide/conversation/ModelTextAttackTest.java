package dev.aide.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 item 5, through the real server and an OpenAI-compatible model: text PostgreSQL refuses (NUL) in what the
 * model writes — its reply, its tool arguments — never fails a turn after a tool wrote. The reply is stored with
 * U+FFFD where the NUL was; tool arguments are refused before the tool runs, as the API refuses such a body.
 */
@DisplayName("A NUL from the model never fails a turn that wrote: the reply is stored with U+FFFD, the arguments are refused")
class ModelTextAttackTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);
  private static final String[] TABLES = {"notes", "reminders", "list_items", "expenses", "events", "pending_actions"};

  private static volatile Function<JsonObject, FakeOpenAi.Reply> behaviour;
  private static final FakeOpenAi model = new FakeOpenAi(request -> behaviour.apply(request));

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).model(model)
      .freshEachTest()
      .person("nul@example.com", "Europe/Paris");

  private Api api;

  @BeforeEach
  void client() {
    model.requests().clear();
    api = aide.api();
  }

  @Test
  @DisplayName("a note saved, then a reply with a NUL: 200, the note kept, the reply stored and remembered with U+FFFD")
  void nulInTheReplyAfterAWrite() {
    behaviour = request -> FakeOpenAi.lastRole(request).equals("tool")
        ? FakeOpenAi.text("Saved\u0000 it for you.")
        : FakeOpenAi.toolCall("createNote", new JsonObject().put("content", "buy milk").encode());

    Api.Response first = api.post("/api/v1/chat", new JsonObject().put("text", "note: buy milk"));

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().getJsonObject("reply").getString("text")).isEqualTo("Saved\uFFFD it for you.");
    assertThat(aide.db().strings("select content from notes")).containsExactly("buy milk");
    assertThat(aide.db().strings("select content from messages where role = 'assistant'"))
        .containsExactly("Saved\uFFFD it for you.");

    // The memory was stored with the turn: the next turn's request carries the reply as it was stored.
    behaviour = request -> FakeOpenAi.text("Anything else?");
    Api.Response second = api.post("/api/v1/chat", new JsonObject().put("text", "thanks")
        .put("conversationId", first.json().getString("conversationId")));
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    List<JsonObject> said = FakeOpenAi.messages(model.requests().get(model.requests().size() - 1), "assistant");
    assertThat(said).extracting(m -> m.getString("content")).contains("Saved\uFFFD it for you.");
  }

  @Test
  @DisplayName("half an emoji (a lone surrogate) in the reply and the arguments: stored and answered alike, with U+FFFD")
  void loneSurrogate() {
    behaviour = request -> FakeOpenAi.lastRole(request).equals("tool")
        ? FakeOpenAi.text("Saved \uD83D.").asciiOnly()
        : FakeOpenAi.toolCall("createNote", new JsonObject().put("content", "party \uD83C").encode()).asciiOnly();

    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "note: party"));

    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    assertThat(chat.json().getJsonObject("reply").getString("text")).isEqualTo("Saved \uFFFD.");
    assertThat(aide.db().strings("select content from messages where role = 'assistant'")).containsExactly("Saved \uFFFD.");
    assertThat(aide.db().strings("select arguments->>'content' from tool_calls")).containsExactly("party \uFFFD");
  }

  @Test
  @DisplayName("a reply that is only a NUL after a write: 200 and the write reported, never an error")
  void replyOfOnlyNul() {
    behaviour = request -> FakeOpenAi.lastRole(request).equals("tool")
        ? FakeOpenAi.text("\u0000")
        : FakeOpenAi.toolCall("createReminder", new JsonObject().put("text", "call mom")
            .put("dueAt", "2026-11-19T17:00:00+01:00").encode());

    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom tomorrow at 5pm"));

    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    assertThat(chat.json().getJsonObject("reply").getString("text")).isEqualTo("\uFFFD");
    assertThat(aide.db().strings("select text from reminders")).containsExactly("call mom");
    assertThat(chat.json().getJsonArray("toolCalls").getJsonObject(0).getString("result"))
        .isEqualTo("Reminder set: «call mom» on Thu 19 Nov 2026 at 17:00.");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      // an argument the tool does not even read: the API refuses the whole body for it, and so does a tool
      "createReminder|{\"text\":\"call mom\",\"dueAt\":\"2026-11-19T17:00:00+01:00\",\"note\":\"x\\u0000y\"}",
      "createReminder|{\"text\":\"call\\u0000mom\",\"dueAt\":\"2026-11-19T17:00:00+01:00\"}",
      "createNote|{\"content\":\"buy milk\",\"tags\":[\"home\\u0000\"]}",
      "createNote|{\"content\":\"buy milk\",\"\\u0000\":\"field name\"}",
      "addToList|{\"listName\":\"grocery\",\"items\":[{\"text\":\"eggs\",\"unit\":\"\\u0000\"}]}",
      "logExpense|{\"amount\":\"12.50\",\"description\":\"lunch\",\"merchant\":\"Caf\\u0000\"}",
      "createEvent|{\"title\":\"dentist\\u0000\",\"start\":\"2026-11-20T10:00:00+01:00\"}",
      "scheduleMessage|{\"content\":\"call John\",\"at\":\"2026-11-20T18:00:00+01:00\",\"x\":[{\"y\":\"\\u0000\"}]}",
      // another control character the API refuses, and a raw NUL that is not even valid JSON
      "createNote|{\"content\":\"buy\\u0001milk\"}",
      "createNote|{\"content\":\"buy\u0000milk\"}",
      "searchNotes|{\"query\":\"milk\\u0000\"}",
  })
  @DisplayName("a NUL or control character anywhere in a tool's arguments: refused before the tool runs, nothing written, 200")
  void controlCharactersInArguments(String call) {
    String tool = call.substring(0, call.indexOf('|'));
    String arguments = call.substring(call.indexOf('|') + 1);
    behaviour = request -> FakeOpenAi.lastRole(request).equals("tool")
        ? FakeOpenAi.text("Sorry, let me try that differently.")
        : FakeOpenAi.toolCall(tool, arguments);

    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "hello"));

    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    assertThat(chat.json().getJsonObject("reply").getString("text")).isEqualTo("Sorry, let me try that differently.");
    JsonObject ran = chat.json().getJsonArray("toolCalls").getJsonObject(0);
    assertThat(ran.getString("result")).startsWith("Error: ").contains("must not contain control characters")
        .endsWith("Nothing was done; call it again without them.");
    assertThat(ran.getBoolean("failed")).isTrue();
    for (String table : TABLES) {
      assertThat(aide.db().number("select count(*) from " + table)).as(table).isZero();
    }
    // What the model sent is kept as it can be stored, with U+FFFD for a NUL.
    String stored = aide.db().strings("select arguments::text from tool_calls").get(0);
    assertThat(stored).doesNotContain("\\u0000").doesNotContain("\u0000");
    assertThat(model.requests()).hasSize(2);
  }

  @Test
  @DisplayName("NULs in several parallel calls and in the reply: the clean call runs, the others are refused, the turn is stored")
  void parallelCalls() {
    behaviour = request -> FakeOpenAi.lastRole(request).equals("tool")
        ? FakeOpenAi.text("Done\u0000.")
        : FakeOpenAi.toolCalls(
            "createNote", new JsonObject().put("content", "gate code 4411").encode(),
            "createNote", new JsonObject().put("content", "wifi\u0000tulip").encode());

    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "note the gate code and the wifi"));

    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    assertThat(aide.db().strings("select content from notes")).containsExactly("gate code 4411");
    JsonArray calls = chat.json().getJsonArray("toolCalls");
    assertThat(calls.getJsonObject(1).getString("result"))
        .isEqualTo("Error: content must not contain control characters such as U+0000 (NUL); only tabs and line "
            + "breaks are allowed. Nothing was done; call it again without them.");
    assertThat(aide.db().number("select count(*) from tool_calls")).isEqualTo(2);
    assertThat(aide.db().strings("select content from messages where role = 'assistant'")).containsExactly("Done\uFFFD.");
  }
}
