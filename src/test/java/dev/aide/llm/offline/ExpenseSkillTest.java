package dev.aide.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonObject;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The offline model understands expense requests in everyday English")
class ExpenseSkillTest {

  // Wednesday 18 November 2026, 10:15 in Paris.
  private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-11-18T10:15:00+01:00[Europe/Paris]");
  private static final Set<String> TOOLS = Set.of("logExpense", "findExpenses", "changeExpense", "deleteExpenses",
      "spendingSummary", "setBudget", "budgetStatus", "createReminder", "listReminders");

  static Stream<Arguments> phrasings() {
    return Stream.of(
      Arguments.of("delete my expenses from yesterday", "deleteExpenses",
          "{\"from\":\"2026-11-17\",\"to\":\"2026-11-17\"}"),
      Arguments.of("remove all my food expenses this week", "deleteExpenses",
          "{\"from\":\"2026-11-16\",\"to\":\"2026-11-18\",\"category\":\"food\"}"),
      Arguments.of("delete my taxi expenses", "deleteExpenses", "{\"category\":\"transport\"}"),
      Arguments.of("I spent $12.50 on lunch", "logExpense",
          "{\"amount\":\"12.50\",\"currency\":\"USD\",\"category\":\"food\",\"description\":\"lunch\"}"),
      Arguments.of("spent 12 euros on groceries yesterday", "logExpense",
          "{\"amount\":\"12\",\"currency\":\"EUR\",\"category\":\"groceries\",\"description\":\"groceries\",\"spentOn\":\"2026-11-17\"}"),
      Arguments.of("€8 coffee", "logExpense",
          "{\"amount\":\"8\",\"currency\":\"EUR\",\"category\":\"food\",\"description\":\"coffee\"}"),
      Arguments.of("paid 1,200 yen for a taxi", "logExpense",
          "{\"amount\":\"1200\",\"currency\":\"JPY\",\"category\":\"transport\",\"description\":\"taxi\"}"),
      Arguments.of("lunch was 15 dollars", "logExpense",
          "{\"amount\":\"15\",\"currency\":\"USD\",\"category\":\"food\",\"description\":\"lunch\"}"),
      Arguments.of("add an expense of 40 GBP for train tickets", "logExpense",
          "{\"amount\":\"40\",\"currency\":\"GBP\",\"category\":\"transport\",\"description\":\"train tickets\"}"),
      Arguments.of("log 23.40 for dinner", "logExpense",
          "{\"amount\":\"23.40\",\"category\":\"food\",\"description\":\"dinner\"}"),
      Arguments.of("how much did I spend on food this month", "spendingSummary",
          "{\"from\":\"2026-11-01\",\"to\":\"2026-11-18\",\"category\":\"food\"}"),
      Arguments.of("what did I spend last week", "spendingSummary",
          "{\"from\":\"2026-11-09\",\"to\":\"2026-11-15\",\"groupBy\":\"category\"}"),
      Arguments.of("how much have I spent this month", "spendingSummary",
          "{\"from\":\"2026-11-01\",\"to\":\"2026-11-18\",\"groupBy\":\"category\"}"),
      Arguments.of("set a food budget of 400 dollars", "setBudget",
          "{\"category\":\"food\",\"amount\":\"400\",\"currency\":\"USD\"}"),
      Arguments.of("how much budget do I have left for groceries", "budgetStatus",
          "{\"category\":\"groceries\"}"),
      Arguments.of("£3.20 for a coffee at Pret", "logExpense",
          "{\"amount\":\"3.20\",\"currency\":\"GBP\",\"category\":\"food\",\"description\":\"coffee\",\"merchant\":\"Pret\"}"),
      Arguments.of("spent $60 on gas on Monday", "logExpense",
          "{\"amount\":\"60\",\"currency\":\"USD\",\"category\":\"transport\",\"description\":\"gas\",\"spentOn\":\"2026-11-16\"}"),
      Arguments.of("I just spent 45 bucks on movie tickets last Friday", "logExpense",
          "{\"amount\":\"45\",\"currency\":\"USD\",\"category\":\"entertainment\",\"description\":\"movie tickets\",\"spentOn\":\"2026-11-13\"}"),
      Arguments.of("dinner at Luigi's was €54.30", "logExpense",
          "{\"amount\":\"54.30\",\"currency\":\"EUR\",\"category\":\"food\",\"description\":\"dinner\",\"merchant\":\"Luigi's\"}"),
      Arguments.of("paid $1,250 rent", "logExpense",
          "{\"amount\":\"1250\",\"currency\":\"USD\",\"category\":\"housing\",\"description\":\"rent\"}"),
      Arguments.of("spent 30 quid on flowers for mum", "logExpense",
          "{\"amount\":\"30\",\"currency\":\"GBP\",\"category\":\"gifts\",\"description\":\"flowers for mum\"}"),
      Arguments.of("¥980 for the metro", "logExpense",
          "{\"amount\":\"980\",\"currency\":\"JPY\",\"category\":\"transport\",\"description\":\"metro\"}"),
      Arguments.of("spent EUR 19.99 on a book", "logExpense",
          "{\"amount\":\"19.99\",\"currency\":\"EUR\",\"category\":\"education\",\"description\":\"book\"}"),
      Arguments.of("I spent 200 CHF on a hotel 2 days ago", "logExpense",
          "{\"amount\":\"200\",\"currency\":\"CHF\",\"category\":\"travel\",\"description\":\"hotel\",\"spentOn\":\"2026-11-16\"}"),
      Arguments.of("$4 coffee this morning", "logExpense",
          "{\"amount\":\"4\",\"currency\":\"USD\",\"category\":\"food\",\"description\":\"coffee\"}"),
      Arguments.of("Uber home 18 dollars", "logExpense",
          "{\"amount\":\"18\",\"currency\":\"USD\",\"category\":\"transport\",\"description\":\"Uber home\"}"),
      Arguments.of("bought shoes for $89.95", "logExpense",
          "{\"amount\":\"89.95\",\"currency\":\"USD\",\"category\":\"shopping\",\"description\":\"shoes\"}"),
      Arguments.of("spent 75 on the electric bill", "logExpense",
          "{\"amount\":\"75\",\"category\":\"utilities\",\"description\":\"electric bill\"}"),
      Arguments.of("log 9.50 for sushi on Nov 3", "logExpense",
          "{\"amount\":\"9.50\",\"category\":\"food\",\"description\":\"sushi\",\"spentOn\":\"2026-11-03\"}"),
      Arguments.of("record an expense of 12 for parking on 2026-11-10", "logExpense",
          "{\"amount\":\"12\",\"category\":\"transport\",\"description\":\"parking\",\"spentOn\":\"2026-11-10\"}"),
      Arguments.of("paid $35 at the pharmacy", "logExpense",
          "{\"amount\":\"35\",\"currency\":\"USD\",\"category\":\"health\",\"merchant\":\"pharmacy\"}"),
      Arguments.of("spent 1,000,000 yen on a trip", "logExpense",
          "{\"amount\":\"1000000\",\"currency\":\"JPY\",\"category\":\"travel\",\"description\":\"trip\"}"),
      Arguments.of("I paid 22 pounds for the cinema the day before yesterday", "logExpense",
          "{\"amount\":\"22\",\"currency\":\"GBP\",\"category\":\"entertainment\",\"description\":\"cinema\",\"spentOn\":\"2026-11-16\"}"),
      Arguments.of("spent $15 on stuff", "logExpense",
          "{\"amount\":\"15\",\"currency\":\"USD\",\"category\":\"other\",\"description\":\"stuff\"}"),
      Arguments.of("how much did I spend on transport last month", "spendingSummary",
          "{\"from\":\"2026-10-01\",\"to\":\"2026-10-31\",\"category\":\"transport\"}"),
      Arguments.of("how much did I spend on coffee this week", "spendingSummary",
          "{\"from\":\"2026-11-16\",\"to\":\"2026-11-18\",\"category\":\"food\"}"),
      Arguments.of("what did I spend today", "spendingSummary",
          "{\"from\":\"2026-11-18\",\"to\":\"2026-11-18\",\"groupBy\":\"category\"}"),
      Arguments.of("how much did I spend in October", "spendingSummary",
          "{\"from\":\"2026-10-01\",\"to\":\"2026-10-31\",\"groupBy\":\"category\"}"),
      Arguments.of("how much have I spent this year by month", "spendingSummary",
          "{\"from\":\"2026-01-01\",\"to\":\"2026-11-18\",\"groupBy\":\"month\"}"),
      Arguments.of("what did I spend yesterday", "spendingSummary",
          "{\"from\":\"2026-11-17\",\"to\":\"2026-11-17\",\"groupBy\":\"category\"}"),
      Arguments.of("how much did I spend this month per day", "spendingSummary",
          "{\"from\":\"2026-11-01\",\"to\":\"2026-11-18\",\"groupBy\":\"day\"}"),
      Arguments.of("show my expenses", "findExpenses",
          "{}"),
      Arguments.of("list my expenses this week", "findExpenses",
          "{\"from\":\"2026-11-16\",\"to\":\"2026-11-18\"}"),
      Arguments.of("set my groceries budget to €300", "setBudget",
          "{\"category\":\"groceries\",\"amount\":\"300\",\"currency\":\"EUR\"}"),
      Arguments.of("budget 200 dollars for eating out", "setBudget",
          "{\"category\":\"food\",\"amount\":\"200\",\"currency\":\"USD\"}"),
      Arguments.of("set a budget of $150 for entertainment", "setBudget",
          "{\"category\":\"entertainment\",\"amount\":\"150\",\"currency\":\"USD\"}"),
      Arguments.of("how much is left in my food budget", "budgetStatus",
          "{\"category\":\"food\"}"),
      Arguments.of("am I over budget", "budgetStatus",
          "{}"),
      Arguments.of("show my budgets", "budgetStatus",
          "{}"),
      Arguments.of("what's my travel budget status", "budgetStatus",
          "{\"category\":\"travel\"}"),
      Arguments.of("I spent 12 on dinner last night", "logExpense",
          "{\"amount\":\"12\",\"category\":\"food\",\"description\":\"dinner\",\"spentOn\":\"2026-11-17\"}"));
  }

  @ParameterizedTest(name = "\"{0}\" calls {1}")
  @MethodSource("phrasings")
  @DisplayName("with every tool on offer, the whole offline model still makes the expense call")
  void throughTheWholeModel(String text, String tool, String arguments) {
    ToolExecutionRequest call = OfflineTurn.call(text);

    assertThat(call).as("no tool call for: " + text).isNotNull();
    assertThat(call.name()).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject(arguments));
  }

  @ParameterizedTest(name = "\"{0}\" calls {1} {2}")
  @MethodSource("phrasings")
  @DisplayName("each phrasing becomes exactly the expected tool call")
  void toolCall(String text, String tool, String arguments) {
    ChatResponse response = new ExpenseSkill().understand(request(text)).orElseThrow();

    assertThat(response.aiMessage().toolExecutionRequests()).hasSize(1);
    ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().get(0);
    assertThat(call.name()).isEqualTo(tool);
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject(arguments));
  }

  @ParameterizedTest(name = "\"{0}\" asks how much")
  @ValueSource(strings = {"I spent", "I paid for a taxi", "spent 12,50 on lunch", "log an expense",
      "I spent some money on lunch"})
  @DisplayName("an expense without a clear amount is asked about, not guessed")
  void asksForAmount(String text) {
    ChatResponse response = new ExpenseSkill().understand(request(text)).orElseThrow();

    assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
    assertThat(response.aiMessage().text()).isEqualTo("How much was it?");
  }

  @ParameterizedTest(name = "\"{0}\" asks which")
  @ValueSource(strings = {"delete my expenses", "delete all expenses"})
  @DisplayName("a delete without a filter asks which expenses, and never deletes everything")
  void deleteNeedsFilter(String text) {
    ChatResponse response = new ExpenseSkill().understand(request(text)).orElseThrow();

    assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
    assertThat(response.aiMessage().text()).startsWith("Which expenses should I delete?");
  }

  @ParameterizedTest(name = "\"{0}\" is left to others")
  @ValueSource(strings = {"remind me to pay rent tomorrow", "what's the weather", "hello", "what are my reminders",
      "call 555 1234"})
  @DisplayName("messages that are not about expenses are left to the other skills")
  void notAnExpense(String text) {
    assertThat(new ExpenseSkill().understand(request(text))).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"I spent $12.50 on lunch", "how much did I spend on food this month"})
  @DisplayName("without the expense tools on offer the skill stays silent")
  void onlyWithTools(String text) {
    assertThat(new ExpenseSkill().understand(new OfflineRequest(text, NOW, Set.of("createReminder"), Optional.empty())))
        .isEmpty();
  }

  private static OfflineRequest request(String text) {
    return new OfflineRequest(text, NOW, TOOLS, Optional.empty());
  }
}
