package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The offline model's calendar skill turns everyday phrasings into the calendar tool calls")
class CalendarSkillTest {

  /** Wednesday 18 November 2026, 10:15 in Paris. */
  private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 10, 15, 0, 0, ZoneId.of("Europe/Paris"));
  private static final Set<String> TOOLS = Set.of("createEvent", "findEvents", "changeEvent", "cancelEvent",
      "setDefaultCalendar",
      "createReminder", "listReminders", "completeReminder", "deleteReminders", "snoozeReminder", "changeReminder");

  private static Arguments call(String text, String tool, JsonObject arguments) {
    return Arguments.of(text, tool, arguments.encode());
  }

  private static Arguments reply(String text, String answer) {
    return Arguments.of(text, "text", answer);
  }

  private static JsonObject event(String title, String start, String end) {
    return new JsonObject().put("title", title).put("start", start).put("end", end);
  }

  private static JsonObject window(String from, String to) {
    return new JsonObject().put("from", from).put("to", to);
  }

  static Stream<Arguments> phrasings() {
    return Stream.of(
        // adding events
        call("schedule a meeting with Sam tomorrow at 3pm", "createEvent",
            event("meeting with Sam", "2026-11-19T15:00:00+01:00", "2026-11-19T16:00:00+01:00")),
        call("add dentist on Friday at 9 for 45 minutes", "createEvent",
            event("dentist", "2026-11-20T09:00:00+01:00", "2026-11-20T09:45:00+01:00")),
        call("lunch with Ana next Wednesday from 12 to 1:30", "createEvent",
            event("lunch with Ana", "2026-11-25T12:00:00+01:00", "2026-11-25T13:30:00+01:00")),
        call("team standup every Monday at 9", "createEvent",
            event("team standup", "2026-11-23T09:00:00+01:00", "2026-11-23T10:00:00+01:00")
                .put("rrule", "FREQ=WEEKLY;BYDAY=MO")),
        call("Book a call with the bank on Thursday at 2pm for half an hour.", "createEvent",
            event("call with the bank", "2026-11-19T14:00:00+01:00", "2026-11-19T14:30:00+01:00")),
        call("schedule dinner with Maria on Saturday at 7:30pm", "createEvent",
            event("dinner with Maria", "2026-11-21T19:30:00+01:00", "2026-11-21T20:30:00+01:00")),
        call("add yoga every weekday at 7am for 1 hour", "createEvent",
            event("yoga", "2026-11-19T07:00:00+01:00", "2026-11-19T08:00:00+01:00")
                .put("rrule", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")),
        call("put gym every day at 6pm on my calendar", "createEvent",
            event("gym", "2026-11-18T18:00:00+01:00", "2026-11-18T19:00:00+01:00").put("rrule", "FREQ=DAILY")),
        call("schedule a call with Tom on 12/3 at 10am", "createEvent",
            event("call with Tom", "2026-12-03T10:00:00+01:00", "2026-12-03T11:00:00+01:00")),
        call("add Christmas party on December 18 from 6 to 9pm", "createEvent",
            event("Christmas party", "2026-12-18T18:00:00+01:00", "2026-12-18T21:00:00+01:00")),
        call("schedule a meeting with Sam tomorrow from 2 to 3:30", "createEvent",
            event("meeting with Sam", "2026-11-19T14:00:00+01:00", "2026-11-19T15:30:00+01:00")),
        call("book haircut at Salon Rouge on Friday at 11", "createEvent",
            event("haircut", "2026-11-20T11:00:00+01:00", "2026-11-20T12:00:00+01:00").put("location", "Salon Rouge")),
        call("schedule a doctor's appointment on 2027-01-05 at 8:30", "createEvent",
            event("doctor's appointment", "2027-01-05T08:30:00+01:00", "2027-01-05T09:30:00+01:00")),
        call("add conference on March 3rd all day", "createEvent",
            new JsonObject().put("title", "conference").put("start", "2027-03-03").put("allDay", true)),
        call("could you set up a call with Ana the day after tomorrow at noon", "createEvent",
            event("call with Ana", "2026-11-20T12:00:00+01:00", "2026-11-20T13:00:00+01:00")),
        call("schedule a 1:1 with Lee tomorrow 4-5pm", "createEvent",
            event("1:1 with Lee", "2026-11-19T16:00:00+01:00", "2026-11-19T17:00:00+01:00")),
        call("schedule a review with the team next Monday at 10 for 2 hours", "createEvent",
            event("review with the team", "2026-11-23T10:00:00+01:00", "2026-11-23T12:00:00+01:00")),
        call("add a standup on Mondays at 9:30", "createEvent",
            event("standup", "2026-11-23T09:30:00+01:00", "2026-11-23T10:30:00+01:00").put("rrule", "FREQ=WEEKLY;BYDAY=MO")),
        call("plan a trip to Lyon this weekend all day", "createEvent",
            new JsonObject().put("title", "trip to Lyon").put("start", "2026-11-21").put("allDay", true)),
        call("schedule lunch with Ana at noon on Friday", "createEvent",
            event("lunch with Ana", "2026-11-20T12:00:00+01:00", "2026-11-20T13:00:00+01:00")),
        call("please schedule a call with Bob in 3 days at 4pm for an hour and a half", "createEvent",
            event("call with Bob", "2026-11-21T16:00:00+01:00", "2026-11-21T17:30:00+01:00")),
        call("add piano lesson every Tuesday from 5 to 6", "createEvent",
            event("piano lesson", "2026-11-24T17:00:00+01:00", "2026-11-24T18:00:00+01:00")
                .put("rrule", "FREQ=WEEKLY;BYDAY=TU")),
        // with an alert
        call("schedule dentist on Friday at 9 and alert me 15 minutes before", "createEvent",
            event("dentist", "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00").put("alertMinutes", 15)),
        call("team standup every Monday at 9, notify me 10 minutes before", "createEvent",
            event("team standup", "2026-11-23T09:00:00+01:00", "2026-11-23T10:00:00+01:00")
                .put("rrule", "FREQ=WEEKLY;BYDAY=MO").put("alertMinutes", 10)),
        call("book a flight to Lisbon on December 4 at 7am with an alert a day before", "createEvent",
            event("flight to Lisbon", "2026-12-04T07:00:00+01:00", "2026-12-04T08:00:00+01:00")
                .put("alertMinutes", 1440)),
        call("add review at 4pm tomorrow for 2 hours and alert me an hour and a half before", "createEvent",
            event("review", "2026-11-19T16:00:00+01:00", "2026-11-19T18:00:00+01:00").put("alertMinutes", 90)),
        call("alert me 10 minutes before the dentist on Friday", "changeEvent",
            new JsonObject().put("title", "dentist").put("date", "2026-11-20").put("alertMinutes", 10)),
        call("remove the alert for the team standup", "changeEvent",
            new JsonObject().put("title", "team standup").put("removeAlert", true)),
        reply("schedule a meeting with Sam", "When should I schedule \"meeting with Sam\"?"),
        reply("add dentist on Friday", "What time on Fri 20 Nov should I schedule \"dentist\"?"),
        // what's on
        call("what's on my calendar tomorrow", "findEvents", window("2026-11-19T00:00:00+01:00", "2026-11-20T00:00:00+01:00")),
        call("what do I have this weekend", "findEvents", window("2026-11-21T00:00:00+01:00", "2026-11-23T00:00:00+01:00")),
        call("what's on today", "findEvents", window("2026-11-18T00:00:00+01:00", "2026-11-19T00:00:00+01:00")),
        call("What's on tomorrow?", "findEvents", window("2026-11-19T00:00:00+01:00", "2026-11-20T00:00:00+01:00")),
        call("what do I have on Friday", "findEvents", window("2026-11-20T00:00:00+01:00", "2026-11-21T00:00:00+01:00")),
        call("show me my calendar for next week", "findEvents", window("2026-11-23T00:00:00+01:00", "2026-11-30T00:00:00+01:00")),
        call("what's on my agenda this week", "findEvents", window("2026-11-18T00:00:00+01:00", "2026-11-23T00:00:00+01:00")),
        call("what's on my calendar", "findEvents", window("2026-11-18T00:00:00+01:00", "2026-11-25T00:00:00+01:00")),
        call("do I have any meetings the day after tomorrow", "findEvents",
            window("2026-11-20T00:00:00+01:00", "2026-11-21T00:00:00+01:00")),
        call("what's happening on December 24", "findEvents", window("2026-12-24T00:00:00+01:00", "2026-12-25T00:00:00+01:00")),
        call("when is my dentist appointment", "findEvents",
            window("2026-11-18T00:00:00+01:00", "2027-01-17T00:00:00+01:00").put("text", "dentist")),
        call("when does the book club start on thursday", "findEvents",
            window("2026-11-19T00:00:00+01:00", "2026-11-20T00:00:00+01:00").put("text", "book club")),
        call("when will my flight leave", "findEvents",
            window("2026-11-18T00:00:00+01:00", "2027-01-17T00:00:00+01:00").put("text", "flight")),
        call("what's my schedule for tomorrow", "findEvents", window("2026-11-19T00:00:00+01:00", "2026-11-20T00:00:00+01:00")),
        call("anything on my calendar tonight?", "findEvents", window("2026-11-18T00:00:00+01:00", "2026-11-19T00:00:00+01:00")),
        // cancelling
        call("cancel the dentist on Friday", "cancelEvent", new JsonObject().put("title", "dentist").put("date", "2026-11-20")),
        call("cancel my meeting with Sam", "cancelEvent", new JsonObject().put("title", "meeting with Sam")),
        call("delete the team standup on Monday", "cancelEvent",
            new JsonObject().put("title", "team standup").put("date", "2026-11-23")),
        call("cancel all the standups", "cancelEvent", new JsonObject().put("title", "standup").put("wholeSeries", true)),
        call("cancel the team standup series", "cancelEvent",
            new JsonObject().put("title", "team standup").put("wholeSeries", true)),
        call("call off lunch with Ana tomorrow", "cancelEvent",
            new JsonObject().put("title", "lunch with Ana").put("date", "2026-11-19")),
        call("cancel the dentist appointment on Friday", "cancelEvent",
            new JsonObject().put("title", "dentist").put("date", "2026-11-20")),
        // moving
        call("move the meeting with Sam to 4pm", "changeEvent",
            new JsonObject().put("title", "meeting with Sam").put("newStart", "16:00")),
        call("move the dentist on Friday to 10am", "changeEvent",
            new JsonObject().put("title", "dentist").put("date", "2026-11-20").put("newStart", "10:00")),
        call("reschedule lunch with Ana to Thursday at 1pm", "changeEvent",
            new JsonObject().put("title", "lunch with Ana").put("newStart", "2026-11-19T13:00:00+01:00")),
        call("push the standup to 9:30", "changeEvent", new JsonObject().put("title", "standup").put("newStart", "09:30")),
        // a repetition given to an existing event
        call("change the book club to repeat every other thursday", "changeEvent", new JsonObject()
            .put("title", "book club").put("newRrule", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH").put("wholeSeries", true)),
        call("repeat the team standup every weekday", "changeEvent", new JsonObject()
            .put("title", "team standup").put("newRrule", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR").put("wholeSeries", true)),
        call("schedule yoga at seven thirty am on saturday", "createEvent", new JsonObject().put("title", "yoga")
            .put("start", "2026-11-21T07:30:00+01:00").put("end", "2026-11-21T08:30:00+01:00")),
        // an event stated as a fact
        call("my dentist appointment is on Friday at 9am", "createEvent", new JsonObject().put("title", "dentist appointment")
            .put("start", "2026-11-20T09:00:00+01:00").put("end", "2026-11-20T10:00:00+01:00")),
        call("our flight is tomorrow at six thirty pm", "createEvent", new JsonObject().put("title", "flight")
            .put("start", "2026-11-19T18:30:00+01:00").put("end", "2026-11-19T19:30:00+01:00")),
        // a cancellation that says where the event goes instead is a move
        call("cancel the dentist on Friday and move it to Monday at 10am", "changeEvent", new JsonObject()
            .put("title", "dentist").put("date", "2026-11-20").put("newStart", "2026-11-23T10:00:00+01:00")),
        call("call off lunch with Ana tomorrow and put it on Thursday at 1pm", "changeEvent", new JsonObject()
            .put("title", "lunch with Ana").put("date", "2026-11-19").put("newStart", "2026-11-19T13:00:00+01:00")),
        reply("move the meeting with Sam to Friday", "What time on Fri 20 Nov should \"meeting with Sam\" be?"));
  }

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @MethodSource("phrasings")
  @DisplayName("a phrasing gives exactly the expected tool call or question")
  void phrasing(String text, String tool, String expected) {
    Optional<ChatResponse> response = new CalendarSkill().understand(new OfflineRequest(text, NOW, TOOLS, Optional.empty()));
    assertThat(response).as(text).isPresent();
    AiMessage message = response.get().aiMessage();
    if (tool.equals("text")) {
      assertThat(message.hasToolExecutionRequests()).as(text).isFalse();
      assertThat(message.text()).isEqualTo(expected);
    } else {
      assertThat(message.hasToolExecutionRequests()).as(text + " → " + message.text()).isTrue();
      ToolExecutionRequest call = message.toolExecutionRequests().get(0);
      assertThat(call.name()).as(text).isEqualTo(tool);
      assertThat(new JsonObject(call.arguments())).as(text).isEqualTo(new JsonObject(expected));
    }
  }

  /** A calendar the person names, in any phrasing of an event: its words go to the tool, which resolves them. */
  static Stream<Arguments> namedCalendars() {
    return Stream.of(
        call("schedule dentist on Friday at 9 in my work calendar", "createEvent",
            event("dentist", "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00").put("calendar", "work")),
        call("add lunch with Ana tomorrow at 12:30 to the Family calendar", "createEvent",
            event("lunch with Ana", "2026-11-19T12:30:00+01:00", "2026-11-19T13:30:00+01:00").put("calendar", "Family")),
        call("team standup every Monday at 9 on our shared team calendar", "createEvent",
            event("team standup", "2026-11-23T09:00:00+01:00", "2026-11-23T10:00:00+01:00")
                .put("rrule", "FREQ=WEEKLY;BYDAY=MO").put("calendar", "shared team")),
        call("book a call with the bank into my Fastmail calendar on Thursday at 2pm", "createEvent",
            event("call with the bank", "2026-11-19T14:00:00+01:00", "2026-11-19T15:00:00+01:00")
                .put("calendar", "Fastmail")),
        call("add Christmas party on December 18 all day to my family calendar", "createEvent",
            new JsonObject().put("title", "Christmas party").put("start", "2026-12-18").put("allDay", true)
                .put("calendar", "family")),
        call("put dentist on Friday at 9 on my calendar", "createEvent",
            event("dentist", "2026-11-20T09:00:00+01:00", "2026-11-20T10:00:00+01:00")),
        call("move the dentist to my work calendar", "changeEvent",
            new JsonObject().put("title", "dentist").put("newCalendar", "work").put("wholeSeries", true)),
        call("transfer lunch with Ana into the Family calendar", "changeEvent",
            new JsonObject().put("title", "lunch with Ana").put("newCalendar", "Family").put("wholeSeries", true)),
        call("from now on put events in my work calendar", "setDefaultCalendar",
            new JsonObject().put("calendar", "work")),
        call("add new appointments to the Family calendar by default", "setDefaultCalendar",
            new JsonObject().put("calendar", "Family")),
        call("use my personal calendar for new events", "setDefaultCalendar",
            new JsonObject().put("calendar", "personal")),
        call("make my work calendar the default", "setDefaultCalendar", new JsonObject().put("calendar", "work")));
  }

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @MethodSource("namedCalendars")
  @DisplayName("a calendar named \"in/on/to my X calendar\" goes with the event, a move or the default")
  void namedCalendar(String text, String tool, String expected) {
    phrasing(text, tool, expected);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"remind me to call mom tomorrow at 5pm", "set a reminder for the dentist on Friday at 9",
      "add milk to my shopping list", "what did I spend this month", "hello", "cancel my reminder",
      "what are my reminders", "thanks", "move on", "schedule", "alert me in 10 minutes to stretch",
      "ping me 5 minutes before 3pm"})
  @DisplayName("what is not a calendar request is left to the other skills")
  void notCalendar(String text) {
    assertThat(new CalendarSkill().understand(new OfflineRequest(text, NOW, TOOLS, Optional.empty()))).isEmpty();
  }

  /** Sentences that speak of a calendar, or of putting things somewhere, but choose no calendar and no default. */
  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"remind me to update my work calendar", "remind me tomorrow at 9 to update my work calendar",
      "what's in my family calendar", "what's in my family calendar tomorrow", "call mom on my way to work",
      "put the kettle on", "put all my meetings in my work calendar", "save the meetings in my work calendar",
      "add my appointments to the work calendar", "put things in the family calendar",
      "from now on put the kids to bed at 8", "put my keys in my work bag",
      "show me what's on the team calendar next week", "schedule a meeting friday at 3 in my calendar"})
  @DisplayName("the offline model sets no calendar and no default from sentences that choose none")
  void noCalendarChosen(String text) {
    ChatResponse response = new OfflineChatModel().chat(ChatRequest.builder()
        .messages(SystemMessage.from("Current date and time for the user: " + NOW), UserMessage.from(text))
        .toolSpecifications(TOOLS.stream().map(name -> ToolSpecification.builder().name(name).build()).toList())
        .build());
    for (ToolExecutionRequest call : response.aiMessage().toolExecutionRequests()) {
      assertThat(call.name()).as(text).isNotEqualTo("setDefaultCalendar");
      JsonObject args = new JsonObject(call.arguments());
      assertThat(args.containsKey("calendar") || args.containsKey("newCalendar")).as(text + " → " + args).isFalse();
    }
  }

  /** A calendar said with a move to a new time, or after the time: both go to the tool, nothing is lost. */
  static Stream<Arguments> calendarWithMore() {
    return Stream.of(
        call("move the dentist to friday at 3pm in my work calendar", "changeEvent", new JsonObject()
            .put("title", "dentist").put("newStart", "2026-11-20T15:00:00+01:00").put("newCalendar", "work")),
        call("move the dentist appointment on friday to 3pm in my work calendar", "changeEvent", new JsonObject()
            .put("title", "dentist").put("date", "2026-11-20").put("newStart", "15:00").put("newCalendar", "work")),
        call("add a meeting friday at 3 on my work calendar with Sam", "createEvent",
            event("meeting with sam", "2026-11-20T15:00:00+01:00", "2026-11-20T16:00:00+01:00")
                .put("calendar", "work")));
  }

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @MethodSource("calendarWithMore")
  @DisplayName("a calendar named with a new time or in the middle of an event keeps both")
  void calendarWithMore(String text, String tool, String expected) {
    ChatResponse response = new OfflineChatModel().chat(ChatRequest.builder()
        .messages(SystemMessage.from("Current date and time for the user: " + NOW), UserMessage.from(text))
        .toolSpecifications(TOOLS.stream().map(name -> ToolSpecification.builder().name(name).build()).toList())
        .build());
    assertThat(response.aiMessage().toolExecutionRequests()).as(text + " → " + response.aiMessage().text()).hasSize(1);
    ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().get(0);
    assertThat(call.name()).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject(expected));
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @MethodSource("routing")
  @DisplayName("the offline model still sends reminder phrasings to reminders and calendar phrasings to the calendar")
  void routing(String text, String tool) {
    ChatResponse response = new OfflineChatModel().chat(ChatRequest.builder()
        .messages(SystemMessage.from("Current date and time for the user: " + NOW), UserMessage.from(text))
        .toolSpecifications(TOOLS.stream().map(name -> ToolSpecification.builder().name(name).build()).toList())
        .build());
    assertThat(response.aiMessage().toolExecutionRequests()).extracting(ToolExecutionRequest::name).containsExactly(tool);
  }

  static Stream<Arguments> routing() {
    return Stream.of(
        Arguments.of("remind me to call mom tomorrow at 5pm", "createReminder"),
        Arguments.of("set a reminder for the dentist on Friday at 9", "createReminder"),
        Arguments.of("schedule a reminder to pay rent tomorrow at 9", "createReminder"),
        Arguments.of("what are my reminders?", "listReminders"),
        Arguments.of("cancel the reminder to call mom", "deleteReminders"),
        Arguments.of("move the call mom reminder to 6pm", "changeReminder"),
        Arguments.of("snooze call mom for 2 hours", "snoozeReminder"),
        Arguments.of("mark call mom as done", "completeReminder"),
        Arguments.of("cancel the dentist on Friday", "cancelEvent"),
        Arguments.of("move the meeting with Sam to 4pm", "changeEvent"),
        Arguments.of("schedule a meeting with Sam tomorrow at 3pm", "createEvent"),
        Arguments.of("what's on my calendar tomorrow", "findEvents"),
        Arguments.of("alert me in 10 minutes to stretch", "createReminder"),
        Arguments.of("alert me 10 minutes before the dentist", "changeEvent"),
        Arguments.of("move the dentist to my work calendar", "changeEvent"),
        Arguments.of("from now on put events in my work calendar", "setDefaultCalendar"),
        Arguments.of("schedule dentist on Friday at 9 in my work calendar", "createEvent"));
  }

  @Test
  @DisplayName("an answer to \"When should I schedule …?\" completes the event")
  void answersItsQuestion() {
    Optional<ChatResponse> response = new CalendarSkill().understand(new OfflineRequest("tomorrow at 3pm", NOW, TOOLS,
        Optional.of("When should I schedule \"meeting with Sam\"?")));
    assertThat(response).isPresent();
    ToolExecutionRequest call = response.get().aiMessage().toolExecutionRequests().get(0);
    assertThat(call.name()).isEqualTo("createEvent");
    assertThat(new JsonObject(call.arguments()))
        .isEqualTo(event("meeting with Sam", "2026-11-19T15:00:00+01:00", "2026-11-19T16:00:00+01:00"));
  }

  @Test
  @DisplayName("the table holds at least forty phrasings")
  void tableSize() {
    assertThat(phrasings().count()).isGreaterThanOrEqualTo(40);
    assertThat(List.of(1)).isNotEmpty();
  }
}
