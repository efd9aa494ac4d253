package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests as a voice transcript brings them (lower case, no punctuation, numbers in words), through the offline model
 * as Aide builds it: phrasing rules, then intents by the in-process embedding model. Now is Wednesday 18 November 2026,
 * 10:15 in Paris.
 */
@DisplayName("The offline model understands requests as people speak them")
class SpokenRequestsTest {

  private static final Set<String> REMOVALS = Set.of("cancelEvent", "cancelEvents", "deleteReminders", "removeFromList", "clearList",
      "deleteNotes", "deleteExpenses", "cancelScheduledMessage", "forget");

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @DisplayName("an alarm is a reminder at that time, listed and removed as one")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      wake me up at 6                          | createReminder  | {"text":"Wake up","dueAt":"2026-11-19T06:00:00+01:00"}
      wake me up at six                        | createReminder  | {"text":"Wake up","dueAt":"2026-11-19T06:00:00+01:00"}
      set an alarm for 7:30 tomorrow           | createReminder  | {"text":"Alarm","dueAt":"2026-11-19T07:30:00+01:00"}
      set an alarm for seven thirty tomorrow   | createReminder  | {"text":"Alarm","dueAt":"2026-11-19T07:30:00+01:00"}
      alarm every weekday at 7 am              | createReminder  | {"text":"Alarm","dueAt":"2026-11-19T07:00:00+01:00","rrule":"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}
      set a timer for ten minutes              | createReminder  | {"text":"Timer","dueAt":"2026-11-18T10:25:00+01:00"}
      what alarms do I have                    | listReminders   | {}
      do i have an alarm set                   | listReminders   | {}
      cancel my 6 am alarm                     | deleteReminders | {"dueAt":"06:00"}
      turn off the six am alarm                | deleteReminders | {"dueAt":"06:00"}
      delete all my alarms                     | deleteReminders | {"all":true}
      cancel the yoga alarm                    | deleteReminders | {"text":"yoga"}
      """)
  void alarms(String text, String tool, String arguments) {
    expectCall(text, tool, arguments);
  }

  @Test
  @DisplayName("a new alarm says that it is a reminder, after the tool's own answer")
  void alarmSaysSo() {
    AiMessage call = OfflineTurn.answer("wake me up at 6");
    String reply = relay(call, "Reminder set: «Wake up» on Thu 19 Nov 2026 at 06:00.");

    assertThat(reply).isEqualTo("Reminder set: \"Wake up\" on Thu 19 Nov 2026 at 06:00.\n" + IntentSkill.NO_ALARM_CLOCK);
  }

  @Test
  @DisplayName("an alarm without a time is asked about, and the answer sets it")
  void alarmWithoutTime() {
    AiMessage asked = OfflineTurn.answer("set an alarm");
    assertThat(asked.hasToolExecutionRequests()).isFalse();
    assertThat(asked.text()).isEqualTo(IntentSkill.ASK_ALARM_TIME);

    AiMessage answered = new OfflineChatModel().chat(ChatRequest.builder()
        .messages(SystemMessage.from("Current date and time for the user: " + OfflineTurn.NOW + " (Wednesday)"),
            UserMessage.from("set an alarm"), AiMessage.from(IntentSkill.ASK_ALARM_TIME), UserMessage.from("6:30"))
        .toolSpecifications(OfflineTurn.tools()).build()).aiMessage();
    assertThat(answered.toolExecutionRequests()).hasSize(1);
    assertThat(new JsonObject(answered.toolExecutionRequests().get(0).arguments()))
        .isEqualTo(new JsonObject().put("text", "Alarm").put("dueAt", "2026-11-18T18:30:00+01:00"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @DisplayName("a removal that does not say which item reads the candidates out and asks which one, removing nothing")
  @ValueSource(strings = {"delete item", "remove it", "cancel it", "delete the next event on the calendar",
      "remove item three", "delete meeting", "remove that item from my list", "please remove this item from the list"})
  void vagueRemovalAsks(String text) {
    AiMessage answer = OfflineTurn.answer(text);

    if (answer.hasToolExecutionRequests()) {
      assertThat(answer.toolExecutionRequests().get(0).name()).isNotIn(REMOVALS);
    }
    assertThat(answer.text()).as("the question for \"%s\"", text).endsWith("?");
  }

  @Test
  @DisplayName("a vague removal's question follows the listing of the candidates")
  void questionAfterCandidates() {
    AiMessage call = OfflineTurn.answer("delete item");

    assertThat(call.toolExecutionRequests().get(0).name()).isEqualTo("findEvents");
    assertThat(relay(call, "Your calendar from Wed 18 Nov: «Dentist» Fri 20 Nov 09:00–10:00."))
        .isEqualTo("Your calendar from Wed 18 Nov: Dentist Fri 20 Nov 09:00–10:00.\nWhich one should I cancel?");
  }

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @DisplayName("\"all\" asks the tools for everything, which they confirm with the person before deleting")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      delete all my reminders        | deleteReminders | {"all":true}
      cancel all reminders           | deleteReminders | {"all":true}
      clear my reminders             | deleteReminders | {"all":true}
      remove everything from my grocery list | clearList | {"listName":"grocery"}
      clear my calendar for tomorrow | cancelEvents | {"from":"2026-11-19T00:00:00+01:00","to":"2026-11-20T00:00:00+01:00"}
      clear my schedule              | cancelEvents | {"from":"2026-11-18T00:00:00+01:00","to":"2027-01-17T00:00:00+01:00"}
      completely clear my calendar please | cancelEvents | {"from":"2026-11-18T00:00:00+01:00","to":"2027-01-17T00:00:00+01:00"}
      clear my day from meetings     | cancelEvents | {"from":"2026-11-18T00:00:00+01:00","to":"2026-11-19T00:00:00+01:00"}
      remove alarms set for tomorrow | deleteReminders | {"from":"2026-11-19T00:00:00+01:00","to":"2026-11-20T00:00:00+01:00"}
      delete all my events this week | cancelEvents | {"from":"2026-11-18T00:00:00+01:00","to":"2026-11-23T00:00:00+01:00"}
      """)
  void everything(String text, String tool, String arguments) {
    expectCall(text, tool, arguments);
  }

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @DisplayName("a removal that names only when proposes what is on then (a clock time its minute, a part of the day its"
      + " hours), which the tool lists and asks the person about before anything goes")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      erase my appointment for march seven     | cancelEvents    | {"from":"2027-03-07T00:00:00+01:00","to":"2027-03-08T00:00:00+01:00"}
      cancel my meeting on the fourteenth      | cancelEvents    | {"from":"2026-12-14T00:00:00+01:00","to":"2026-12-15T00:00:00+01:00"}
      remove my calendar event at one pm today | cancelEvents    | {"from":"2026-11-18T13:00:00+01:00","to":"2026-11-18T13:01:00+01:00"}
      remove meeting for wednesday morning     | cancelEvents    | {"from":"2026-11-25T05:00:00+01:00","to":"2026-11-25T12:00:00+01:00"}
      please delete the wednesday evening alarm | deleteReminders | {"from":"2026-11-25T17:00:00+01:00","to":"2026-11-26T00:00:00+01:00"}
      turn off the six am alarm for wednesday  | deleteReminders | {"dueAt":"2026-11-25T06:00:00+01:00"}
      """)
  void removalByTime(String text, String tool, String arguments) {
    expectCall(text, tool, arguments);
  }

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @DisplayName("lists: an item with no list named comes off the one list that holds it; a list said to go is deleted")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      remove milk from the list                 | removeFromList | {"items":["milk"]}
      we're out of paint so take bathroom painting off the list | removeFromList | {"items":["bathroom painting"]}
      please delete list titled kickball         | deleteList     | {"listName":"kickball"}
      delete my packing list                     | deleteList     | {"listName":"packing"}
      what's on my list                          | listLists      | {}
      what's on my to do list for today          | showList       | {"listName":"to do"}
      create a new list for school supplies      | createList     | {"listName":"school supplies"}
      start a packing list                       | createList     | {"listName":"packing"}
      """)
  void listsUnnamed(String text, String tool, String arguments) {
    expectCall(text, tool, arguments);
  }

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @DisplayName("a question whether something is there is a read; words that say what is wanted outweigh the examples")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      did you put the dentist on my calendar for friday | findEvents | {"from":"2026-11-20T00:00:00+01:00","to":"2026-11-21T00:00:00+01:00"}
      is my flight booked for tomorrow            | findEvents     | {"from":"2026-11-19T00:00:00+01:00","to":"2026-11-20T00:00:00+01:00"}
      do i have anything going on this saturday between two and four pm | findEvents | {"from":"2026-11-21T00:00:00+01:00","to":"2026-11-22T00:00:00+01:00"}
      create an appointment starting at four pm at the clinic on december second for my checkup | createEvent | {"title":"clinic for my checkup","start":"2026-12-02T16:00:00+01:00","end":"2026-12-02T17:00:00+01:00"}
      remind me about the school play            | -              | When should I remind you to the school play?
      please delete all reminders of sunday      | deleteReminders | {"from":"2026-11-22T00:00:00+01:00","to":"2026-11-23T00:00:00+01:00"}
      tell me to water the plants at six pm      | createReminder | {"text":"water the plants","dueAt":"2026-11-18T18:00:00+01:00"}
      have you set an alarm for tomorrow morning | listReminders | {}
      """)
  void wordsOutweighExamples(String text, String tool, String expected) {
    AiMessage answer = OfflineTurn.answer(text);

    if (tool.equals("-")) {
      assertThat(answer.hasToolExecutionRequests()).as("a question for \"%s\"", text).isFalse();
      assertThat(answer.text()).isEqualTo(expected);
      return;
    }
    assertThat(answer.hasToolExecutionRequests()).as("a tool call for \"%s\"", text).isTrue();
    assertThat(answer.toolExecutionRequests().get(0).name()).isEqualTo(tool);
    assertThat(new JsonObject(answer.toolExecutionRequests().get(0).arguments())).isEqualTo(new JsonObject(expected));
  }

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @DisplayName("times said in words, anywhere in the sentence, and recurrences with the time first")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      remind me every Friday at 5pm to submit my hours   | createReminder | {"text":"submit my hours","dueAt":"2026-11-20T17:00:00+01:00","rrule":"FREQ=WEEKLY;BYDAY=FR"}
      remind me every day at 7am to take my vitamins     | createReminder | {"text":"take my vitamins","dueAt":"2026-11-19T07:00:00+01:00","rrule":"FREQ=DAILY"}
      remind me to water the plants every other tuesday at nine am | createReminder | {"text":"water the plants","dueAt":"2026-11-24T09:00:00+01:00","rrule":"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"}
      remind me to pay the rent on the first of every month at 9 | createReminder | {"text":"pay the rent","dueAt":"2026-12-01T09:00:00+01:00","rrule":"FREQ=MONTHLY;BYMONTHDAY=1"}
      put meeting with pawel for tomorrow ten am         | createEvent    | {"title":"meeting with pawel","start":"2026-11-19T10:00:00+01:00","end":"2026-11-19T11:00:00+01:00"}
      remind me of the meeting on the twenty second of january at three pm | createReminder | {"text":"meeting","dueAt":"2027-01-22T15:00:00+01:00"}
      """)
  void spokenTimes(String text, String tool, String arguments) {
    expectCall(text, tool, arguments);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @DisplayName("a request outside Aide's reach gets one sentence of what Aide can do, not the help text")
  @ValueSource(strings = {"what are the upcoming concerts in dallas", "what's the weather like in paris",
      "play some music"})
  void outOfReach(String text) {
    AiMessage answer = OfflineTurn.answer(text);

    assertThat(answer.hasToolExecutionRequests()).isFalse();
    assertThat(answer.text()).isEqualTo(IntentSkill.OUT_OF_REACH);
  }

  @Test
  @DisplayName("reading a list never writes")
  void readsNeverWrite() {
    for (String text : new String[] {"say the list", "what's on my shopping list", "what alarms are set",
        "is there anything on tomorrow evening", "what do i have on friday"}) {
      AiMessage answer = OfflineTurn.answer(text);
      if (answer.hasToolExecutionRequests()) {
        assertThat(answer.toolExecutionRequests().get(0).name()).as(text)
            .isIn("showList", "listLists", "listReminders", "findEvents");
      }
    }
  }

  /** What the offline model answers once the tool has run with that result. */
  private static String relay(AiMessage call, String result) {
    ToolExecutionRequest request = call.toolExecutionRequests().get(0);
    return new OfflineChatModel().chat(ChatRequest.builder()
        .messages(SystemMessage.from("Current date and time for the user: " + OfflineTurn.NOW), UserMessage.from("…"),
            call, ToolExecutionResultMessage.from(request, result))
        .toolSpecifications(OfflineTurn.tools()).build()).aiMessage().text();
  }

  private static void expectCall(String text, String tool, String arguments) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call).as("a tool call for \"%s\"", text).isNotNull();
    assertThat(call.name()).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject(arguments));
  }
}
