package dev.aide.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("A tool call the model gets wrong costs one tool result, never the turn")
class ModelMistakesTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);
  private static final AtomicReference<FakeOpenAi.Reply> firstAnswer = new AtomicReference<>();

  private static final FakeOpenAi model = new FakeOpenAi(request -> FakeOpenAi.lastRole(request).equals("tool")
      ? FakeOpenAi.text("Sorry, let me try that differently.")
      : firstAnswer.get());

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).model(model)
      .freshEachTest()
      .person("mo@example.com", "Europe/Paris");

  private Api api;

  @BeforeEach
  void client() {
    model.requests().clear();
    api = aide.api();
  }

  @ParameterizedTest(name = "{0} with arguments [{1}]")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "deleteEverything|{}",
      "NULL|{}",
      "''|{}",
      "createReminder|''",
      "createReminder|NULL",
      "createReminder|{not json",
      "createReminder|[1,2]",
      "createReminder|{}",
      "createReminder|'{\"text\":null,\"dueAt\":null}'",
      "deleteNotes|'{\"ids\":\"abc\"}'",
      "deleteNotes|'{\"ids\":[null]}'",
      "logExpense|'{\"amount\":{}}'",
      "addToList|'{\"listName\":\"x\",\"items\":[null, 3]}'",
      "createEvent|'{\"title\":\"x\",\"start\":\"2026-13-45\"}'",
      "remindBeforeEvent|'{\"event\":\"x\",\"minutesBefore\":\"abc\"}'",
  })
  @DisplayName("an unknown tool, no name, or empty, malformed or ill-fitting arguments: the model reads an error and its next reply is the answer")
  void mistake(String tool, String arguments) {
    firstAnswer.set(FakeOpenAi.toolCall(tool, arguments));

    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "hello"));

    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    assertThat(chat.json().getJsonObject("reply").getString("text")).isEqualTo("Sorry, let me try that differently.");
    assertThat(model.requests()).hasSize(2);
    JsonObject toolResult = lastMessage(model.requests().get(1));
    assertThat(toolResult.getString("role")).isEqualTo("tool");
    assertThat(toolResult.getString("content")).startsWith("Error");
    assertThat(aide.db().number("select count(*) from reminders") + aide.db().number("select count(*) from notes")
        + aide.db().number("select count(*) from expenses") + aide.db().number("select count(*) from events"))
        .isZero();
    assertThat(aide.db().number("select count(*) from messages where role = 'assistant'")).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} with arguments [{1}]")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {"searchNotes|''", "listReminders|''", "listReminders|NULL"})
  @DisplayName("empty arguments to a tool whose parameters are all optional simply run it")
  void emptyArgumentsOfOptionalParameters(String tool, String arguments) {
    firstAnswer.set(FakeOpenAi.toolCall(tool, arguments));

    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "hello"));

    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    assertThat(lastMessage(model.requests().get(1)).getString("content")).doesNotStartWith("Error");
  }

  @org.junit.jupiter.api.Test
  @DisplayName("a tool that does not exist is answered with the names of the tools that do")
  void unknownToolNamesTheTools() {
    firstAnswer.set(FakeOpenAi.toolCall("deleteEverything", "{}"));

    api.post("/api/v1/chat", new JsonObject().put("text", "hello"));

    assertThat(lastMessage(model.requests().get(1)).getString("content"))
        .startsWith("Error: there is no tool named \"deleteEverything\"; the tools are: ")
        .contains("createReminder", "deleteNotes", "searchNotes");
  }

  private static JsonObject lastMessage(JsonObject request) {
    var messages = request.getJsonArray("messages");
    return messages.getJsonObject(messages.size() - 1);
  }
}
