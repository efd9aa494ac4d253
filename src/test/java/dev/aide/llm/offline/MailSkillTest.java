package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The offline model turns questions about the inbox into summarizeUnreadMail and findMail calls")
class MailSkillTest {

  private static Arguments find(String text, String from, String... words) {
    JsonObject arguments = new JsonObject();
    if (from != null) {
      arguments.put("from", from);
    }
    if (words.length > 0) {
      arguments.put("words", new JsonArray(List.of(words)));
    }
    return Arguments.of(text, "findMail", arguments.encode());
  }

  private static Arguments summary(String text) {
    return Arguments.of(text, "summarizeUnreadMail", "{}");
  }

  static Stream<Arguments> phrasings() {
    return Stream.of(
        summary("anything important in my inbox?"),
        summary("Anything important in my inbox"),
        summary("what's important in my inbox?"),
        summary("What’s new in my email today?"),
        summary("is there anything urgent in my mailbox"),
        summary("any new email?"),
        summary("Any new emails"),
        summary("any mail for me?"),
        summary("new emails?"),
        summary("do I have unread mail"),
        summary("did I get any emails today?"),
        summary("have I got any new mail"),
        summary("how many unread emails do I have?"),
        summary("check my email"),
        summary("please check my inbox"),
        summary("can you summarize my unread mail"),
        summary("my inbox?"),
        summary("how's my inbox looking"),
        find("did the landlord email me about the deposit?", "landlord", "deposit"),
        find("Did my landlord send me an email about the deposit refund", "landlord", "deposit", "refund"),
        find("has Ana emailed me", "ana"),
        find("did Ana Costa reply to my email?", "ana costa"),
        find("the email from the landlord about the deposit", "landlord", "deposit"),
        find("find the email from the landlord about the deposit", "landlord", "deposit"),
        find("show me the emails from Sam", "sam"),
        find("emails from the bank", "bank"),
        find("any mail from Ana today?", "ana"),
        find("did I get an email from the school about the trip", "school", "trip"),
        find("where is the mail about the invoice", null, "invoice"),
        find("search for emails about the concert tickets", null, "concert", "tickets"),
        find("read the email from Bob", "bob"),
        find("what did the landlord say in his email?", "landlord"),
        find("What did Ana write in her last mail about the trip", "ana", "trip"));
  }

  @ParameterizedTest(name = "\"{0}\" → {1} {2}")
  @MethodSource("phrasings")
  @DisplayName("a phrasing gives exactly the expected mail tool call through the whole offline model")
  void phrasing(String text, String tool, String expected) {
    ToolExecutionRequest call = OfflineTurn.call(text);
    assertThat(call).as(text + " → " + OfflineTurn.answer(text).text()).isNotNull();
    assertThat(call.name()).as(text).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).as(text).isEqualTo(new JsonObject(expected));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"remind me to check my email at 5", "remind me to email the landlord tomorrow at 9am",
      "don't let me forget to answer Ana's email tomorrow at 10", "mail the package", "mail the package tomorrow",
      "email John's number to me later", "note: the landlord's email is jo@example.net",
      "add check email to my to-do list", "did you email me", "what's on my calendar tomorrow",
      "when am I free on Thursday", "schedule a call about the email with Sam tomorrow at 3pm",
      "has Ana written to me", "what did you say in the email", "I spent 12 euros on postage to mail a parcel"})
  @DisplayName("reminders, sending, notes, lists, calendar and expenses that mention mail are not read as inbox "
      + "questions")
  void leavesOthers(String text) {
    ToolExecutionRequest call = OfflineTurn.call(text);
    assertThat(call == null ? null : call.name()).as(text + " → " + OfflineTurn.answer(text).text())
        .isNotIn("summarizeUnreadMail", "findMail");
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @MethodSource("reminders")
  @DisplayName("a reminder about mail stays a reminder")
  void remindersStayReminders(String text) {
    ToolExecutionRequest call = OfflineTurn.call(text);
    assertThat(call).as(text + " → " + OfflineTurn.answer(text).text()).isNotNull();
    assertThat(call.name()).isEqualTo("createReminder");
    assertThat(new JsonObject(call.arguments()).getString("text")).containsIgnoringCase("email");
  }

  static Stream<String> reminders() {
    return Stream.of("remind me to check my email at 5", "remind me to check my email at 5pm",
        "remind me to email the landlord tomorrow at 9am");
  }

  @Test
  @DisplayName("without the mail tools on offer an inbox question is not made a mail call")
  void onlyWhenOffered() {
    List<ToolSpecification> noMail = OfflineTurn.tools().stream()
        .filter(t -> !t.name().equals("summarizeUnreadMail") && !t.name().equals("findMail")).toList();
    ChatRequest request = ChatRequest.builder()
        .messages(SystemMessage.from("Current date and time for the user: " + OfflineTurn.NOW + " (Wednesday)"),
            UserMessage.from("anything important in my inbox?"))
        .toolSpecifications(noMail).build();
    assertThat(new MailSkill().understand(new OfflineRequest("anything important in my inbox?", OfflineTurn.NOW,
        java.util.Set.of("createReminder"), java.util.Optional.empty()))).isEmpty();
    var ai = new OfflineChatModel().chat(request).aiMessage();
    assertThat(ai.hasToolExecutionRequests() ? ai.toolExecutionRequests().get(0).name() : null)
        .isNotIn("summarizeUnreadMail", "findMail");
  }
}
