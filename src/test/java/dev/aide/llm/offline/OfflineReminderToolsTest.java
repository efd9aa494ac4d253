package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.reminder.ReminderTools;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The offline model turns reminder requests into the tool calls an LLM would make")
class OfflineReminderToolsTest {

  // What the system prompt tells the model: Wednesday 18 November 2026, 10:15 in Paris.
  private static final String SYSTEM = "Current date and time for the user: 2026-11-18T10:15+01:00[Europe/Paris] (Wednesday)";

  private final OfflineChatModel model = new OfflineChatModel();

  static Stream<Arguments> phrasings() {
    return Stream.of(
        Arguments.of("remind me to call mom tomorrow at 5pm", "createReminder", "{\"text\":\"call mom\",\"dueAt\":\"2026-11-19T17:00:00+01:00\"}"),
        Arguments.of("don't let me forget to buy milk on Friday at 9", "createReminder", "{\"text\":\"buy milk\",\"dueAt\":\"2026-11-20T09:00:00+01:00\"}"),
        Arguments.of("set a reminder for next Monday morning to send the report", "createReminder", "{\"text\":\"send the report\",\"dueAt\":\"2026-11-23T09:00:00+01:00\"}"),
        Arguments.of("remind me to stretch in 20 minutes", "createReminder", "{\"text\":\"stretch\",\"dueAt\":\"2026-11-18T10:35:00+01:00\"}"),
        Arguments.of("remind me to pay rent on 3 March at 14:30", "createReminder", "{\"text\":\"pay rent\",\"dueAt\":\"2027-03-03T14:30:00+01:00\"}"),
        Arguments.of("what are my reminders?", "listReminders", "{}"),
        Arguments.of("show my reminders", "listReminders", "{}"),
        Arguments.of("mark call mom as done", "completeReminder", "{\"text\":\"call mom\"}"),
        Arguments.of("mark the reminder to buy milk as done", "completeReminder", "{\"text\":\"buy milk\"}"),
        Arguments.of("tick off the call mom reminder as done", "completeReminder", "{\"text\":\"call mom\"}"),
        Arguments.of("done with the report reminder", "completeReminder", "{\"text\":\"report\"}"),
        Arguments.of("cancel the reminder to call mom", "deleteReminders", "{\"text\":\"call mom\"}"),
        Arguments.of("delete the call mom reminder", "deleteReminders", "{\"text\":\"call mom\"}"),
        Arguments.of("remove my reminder about the dentist", "deleteReminders", "{\"text\":\"the dentist\"}"),
        Arguments.of("delete all reminders about rent", "deleteReminders", "{\"text\":\"rent\"}"),
        Arguments.of("snooze it for 10 minutes", "snoozeReminder", "{\"minutes\":10}"),
        Arguments.of("snooze that for an hour", "snoozeReminder", "{\"minutes\":60}"),
        Arguments.of("snooze call mom for 2 hours", "snoozeReminder", "{\"minutes\":120,\"text\":\"call mom\"}"),
        Arguments.of("remind me again in 15 minutes", "snoozeReminder", "{\"minutes\":15}"),
        Arguments.of("move the call mom reminder to 6pm", "changeReminder", "{\"text\":\"call mom\",\"newTimeOfDay\":\"18:00\"}"),
        Arguments.of("reschedule the reminder to buy milk to Saturday at 10am", "changeReminder", "{\"text\":\"buy milk\",\"newDueAt\":\"2026-11-21T10:00:00+01:00\"}"),
        Arguments.of("change the dentist reminder to tomorrow at 8", "changeReminder", "{\"text\":\"dentist\",\"newDueAt\":\"2026-11-19T08:00:00+01:00\"}"),
        Arguments.of("remind me 10 minutes before the dentist", "remindBeforeEvent", "{\"event\":\"dentist\",\"minutesBefore\":10}"),
        Arguments.of("remind me an hour before my flight to pack", "remindBeforeEvent", "{\"event\":\"flight\",\"minutesBefore\":60,\"text\":\"pack\"}"),
        Arguments.of("please remind me half an hour before the team meeting", "remindBeforeEvent", "{\"event\":\"team meeting\",\"minutesBefore\":30}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("phrasings")
  @DisplayName("with every tool on offer, no other skill takes a reminder request")
  void throughTheWholeModel(String text, String tool, String arguments) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call).as("no tool call for: " + text).isNotNull();
    assertThat(call.name()).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject(arguments));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("phrasings")
  @DisplayName("each phrasing becomes exactly the expected tool call")
  void toolCall(String text, String tool, String arguments) {
    ChatResponse response = model.chat(ChatRequest.builder()
        .messages(SystemMessage.from(SYSTEM), UserMessage.from(text))
        .toolSpecifications(ToolSpecifications.toolSpecificationsFrom(ReminderTools.class))
        .build());

    assertThat(response.aiMessage().hasToolExecutionRequests()).as(response.aiMessage().text()).isTrue();
    ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().get(0);
    assertThat(call.name()).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject(arguments));
  }
}
