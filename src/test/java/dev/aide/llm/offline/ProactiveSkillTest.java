package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Now is Wednesday 18 November 2026, 10:15 in Paris (+01:00). */
@DisplayName("The offline model understands \"message me at …\" requests in many phrasings")
class ProactiveSkillTest {

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @DisplayName("each phrasing gives exactly the expected tool call")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      message me at 6pm: call John                              | scheduleMessage | {"content":"call John","at":"2026-11-18T18:00:00+01:00"}
      Message me at 6pm: Call John.                             | scheduleMessage | {"content":"Call John","at":"2026-11-18T18:00:00+01:00"}
      text me tomorrow at 9 saying buy milk                     | scheduleMessage | {"content":"buy milk","at":"2026-11-19T09:00:00+01:00"}
      send me a message in 20 minutes: check the oven           | scheduleMessage | {"content":"check the oven","at":"2026-11-18T10:35:00+01:00"}
      can you text me on Friday at 8am: pay the rent            | scheduleMessage | {"content":"pay the rent","at":"2026-11-20T08:00:00+01:00"}
      please message me tonight saying take the bins out        | scheduleMessage | {"content":"take the bins out","at":"2026-11-18T20:00:00+01:00"}
      send me a text at 18:30: leave for the station            | scheduleMessage | {"content":"leave for the station","at":"2026-11-18T18:30:00+01:00"}
      text me at 5pm to call the garage                         | scheduleMessage | {"content":"call the garage","at":"2026-11-18T17:00:00+01:00"}
      message me in an hour: is the laundry done?               | scheduleMessage | {"content":"is the laundry done?","at":"2026-11-18T11:15:00+01:00"}
      drop me a line on 3 March at 9 that says happy birthday Ana | scheduleMessage | {"content":"happy birthday Ana","at":"2027-03-03T09:00:00+01:00"}
      text me "good luck with the interview" tomorrow at 8am    | scheduleMessage | {"content":"good luck with the interview","at":"2026-11-19T08:00:00+01:00"}
      message me: stretch your legs in 30 minutes               | scheduleMessage | {"content":"stretch your legs","at":"2026-11-18T10:45:00+01:00"}
      write to me next Monday morning saying book the flights   | scheduleMessage | {"content":"book the flights","at":"2026-11-23T09:00:00+01:00"}
      shoot me a quick message at noon: lunch with Sam at Pret  | scheduleMessage | {"content":"lunch with Sam at Pret","at":"2026-11-18T12:00:00+01:00"}
      hey aide, text me tomorrow to say the plumber comes at 2  | scheduleMessage | {"content":"the plumber comes at 2","at":"2026-11-19T09:00:00+01:00"}
      what messages have I scheduled?                           | listScheduledMessages | {}
      show my scheduled messages                                | listScheduledMessages | {}
      cancel the message about John                             | cancelScheduledMessage | {"text":"John"}
      don't send the message saying buy milk                    | cancelScheduledMessage | {"text":"buy milk"}
      """)
  void phrasings(String text, String tool, String arguments) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call).as("a tool call for \"%s\"", text).isNotNull();
    assertThat(call.name()).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject(arguments));
  }

  @ParameterizedTest(name = "\"{0}\" is still a reminder")
  @DisplayName("reminder phrasings are never taken for messages")
  @ValueSource(strings = {"remind me to text John at 6pm", "ping me to check the oven in 20 minutes",
      "remind me to send a message to Sam tomorrow", "set a reminder to message the landlord on Friday at 10",
      "notify me at 5pm to call mom", "don't let me forget to text Ana tonight"})
  void remindersStayReminders(String text) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call).as("a tool call for \"%s\"", text).isNotNull();
    assertThat(call.name()).isEqualTo("createReminder");
  }

  @Test
  @DisplayName("without a time it asks when, and the answer schedules the message")
  void asksWhen() {
    AiMessage question = OfflineTurn.answer("text me: call John");
    assertThat(question.hasToolExecutionRequests()).isFalse();
    assertThat(question.text()).isEqualTo("When should I send you \"call John\"?");

    ChatRequest answer = ChatRequest.builder()
        .messages(List.of(SystemMessage.from("Current date and time for the user: " + OfflineTurn.NOW + " (Wednesday)"),
            UserMessage.from("text me: call John"), question, UserMessage.from("tomorrow at 5pm")))
        .toolSpecifications(OfflineTurn.tools())
        .build();
    AiMessage reply = new OfflineChatModel().chat(answer).aiMessage();

    assertThat(reply.hasToolExecutionRequests()).isTrue();
    ToolExecutionRequest call = reply.toolExecutionRequests().get(0);
    assertThat(call.name()).isEqualTo("scheduleMessage");
    assertThat(new JsonObject(call.arguments()))
        .isEqualTo(new JsonObject().put("content", "call John").put("at", "2026-11-19T17:00:00+01:00"));
  }

  @Test
  @DisplayName("a time it cannot read in front of the message is not guessed at")
  void unreadableTime() {
    assertThat(OfflineTurn.call("message me whenever you like: call John")).isNull();
  }
}
