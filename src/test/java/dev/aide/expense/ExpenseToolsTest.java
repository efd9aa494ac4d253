package dev.aide.expense;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.platform.database.Database;
import dev.aide.support.Api;
import dev.aide.support.ScriptedChatModel;
import dev.aide.support.TestAide;
import dev.aide.support.TestDatabase;
import dev.aide.support.ToolHarness;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolExecution;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The expense tools run through a LangChain4j AI service for the conversation's user only")
class ExpenseToolsTest {

  // Wednesday 18 November 2026, 10:15 in Paris.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T09:15:00Z"), ZoneOffset.UTC);

  private static TestDatabase db;
  private static Vertx vertx;
  private static Pool pool;
  private static ExpenseService expenses;
  private static ToolHarness tools;
  private ScriptedChatModel model;
  private UUID user;
  private UUID other;

  @BeforeAll
  static void database() {
    db = TestDatabase.create();
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db.url(), 4);
    expenses = new ExpenseService(new ExpenseRepository(pool), CLOCK);
    tools = new ToolHarness(db, (harnessPool, confirmations) ->
        List.of(new ExpenseTools(new ExpenseService(new ExpenseRepository(harnessPool), CLOCK), confirmations)));
  }

  @AfterAll
  static void close() {
    tools.close();
    pool.close().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    db.close();
  }

  @BeforeEach
  void users() {
    db.reset();
    user = UUID.randomUUID();
    other = UUID.randomUUID();
    db.execute("insert into users (id, email, timezone, default_currency) values ('" + user
        + "', 'tia@example.com', 'Europe/Paris', 'EUR'), ('" + other + "', 'uma@example.com', 'UTC', 'USD')");
    model = tools.model();
  }

  @Test
  @DisplayName("logExpense writes one exact expense in the user's default currency and answers a short fact")
  void logExpense() {
    model.then("logExpense", new JsonObject().put("amount", "12.50").put("category", "food")
        .put("description", "lunch"));

    Result<String> result = chat("I spent 12.50 on lunch");

    assertThat(ran(result)).containsExactly("logExpense");
    assertThat(result.toolExecutions().get(0).result()).isEqualTo("Logged €12.50 for «lunch» (food) on Wed 18 Nov.");
    assertThat(db.value("select amount from expenses where user_id = ?", BigDecimal.class, user))
        .isEqualByComparingTo("12.50");
    assertThat(db.value("select currency from expenses", String.class)).isEqualTo("EUR");
    assertThat(db.value("select spent_on::text from expenses", String.class)).isEqualTo("2026-11-18");
  }

  @Test
  @DisplayName("a decimal comma is read as one (12,50 is 12.50) and a thousands comma as a separator (1,200 is 1200)")
  void commas() {
    model.then("logExpense", new JsonObject().put("amount", "12,50").put("description", "lunch"));
    model.then("logExpense", new JsonObject().put("amount", "1,200").put("description", "rent"));

    chat("I spent 12,50 on lunch and 1,200 on rent");

    assertThat(db.value("select amount from expenses where description = 'lunch'", BigDecimal.class))
        .isEqualByComparingTo("12.50");
    assertThat(db.value("select amount from expenses where description = 'rent'", BigDecimal.class))
        .isEqualByComparingTo("1200");
  }

  @Test
  @DisplayName("bad tool arguments come back as error text the model can explain, and nothing is written")
  void badArguments() {
    model.then("logExpense", new JsonObject().put("amount", "-3"));
    model.then("logExpense", new JsonObject().put("amount", "3").put("currency", "ZZZ"));
    model.then("logExpense", new JsonObject().put("amount", "3").put("spentOn", "last Tuesday"));
    model.then("changeExpense", new JsonObject().put("id", UUID.randomUUID().toString()).put("amount", "4"));

    Result<String> result = chat("log some bad things");

    assertThat(result.toolExecutions()).extracting(ToolExecution::result)
        .allSatisfy(text -> assertThat(text).startsWith("Error: "));
    assertThat(db.number("select count(*) from expenses")).isZero();
  }

  @Test
  @DisplayName("changeExpense changes only the user's own expense: another person's id is not found")
  void changeOwnOnly() {
    String mine = insert(user, "10", "food", "2026-11-17");
    String theirs = insert(other, "99", "food", "2026-11-17");
    model.then("changeExpense", new JsonObject().put("id", mine).put("amount", "11.00").put("category", "gifts"));
    model.then("changeExpense", new JsonObject().put("id", theirs).put("amount", "1"));

    Result<String> result = chat("fix that");

    assertThat(result.toolExecutions().get(0).result()).startsWith("Changed: " + mine).contains("€11.00", "(gifts)");
    assertThat(result.toolExecutions().get(1).result()).isEqualTo("Error: expense not found.");
    assertThat(db.value("select amount from expenses where id = ?::uuid", BigDecimal.class, theirs))
        .isEqualByComparingTo("99");
  }

  @Test
  @DisplayName("deleting more than one expense changes nothing and asks the person; their yes deletes exactly those")
  void confirmationRule() {
    insert(user, "3.00", "food", "2026-11-16");
    insert(user, "4.50", "food", "2026-11-17");
    insert(user, "20", "transport", "2026-11-17");
    insert(other, "7", "food", "2026-11-17");
    JsonObject filter = new JsonObject().put("category", "food");
    model.then("deleteExpenses", filter);

    Result<String> first = chat("delete my food expenses");

    assertThat(ran(first)).containsExactly("deleteExpenses");
    assertThat(first.toolExecutions().get(0).result()).isEqualTo("This needs the person's confirmation; it has been "
        + "asked: delete 2 expenses (€7.50 in total).");
    assertThat(db.number("select count(*) from expenses")).isEqualTo(4);
    // Spent after the question: not part of what the person agreed to.
    insert(user, "9.00", "food", "2026-11-18");

    assertThat(tools.answer(user, "yes, do it").orElseThrow().reply()).isEqualTo("Deleted 2 expenses (€7.50 in total).");
    assertThat(db.number("select count(*) from expenses where user_id = ?", user)).isEqualTo(2);
    assertThat(db.number("select count(*) from expenses where user_id = ?", other)).isEqualTo(1);
  }

  @Test
  @DisplayName("deleting one expense by id needs no confirmation; another person's id deletes nothing")
  void deleteOne() {
    String mine = insert(user, "3.00", "food", "2026-11-16");
    String theirs = insert(other, "7", "food", "2026-11-17");
    model.then("deleteExpenses", new JsonObject().put("ids", new io.vertx.core.json.JsonArray().add(theirs)));
    model.then("deleteExpenses", new JsonObject().put("ids", new io.vertx.core.json.JsonArray().add(mine)));

    Result<String> result = chat("delete it");

    assertThat(result.toolExecutions().get(0).result()).startsWith("Error: 1 of those expense ids do not exist");
    assertThat(result.toolExecutions().get(1).result()).startsWith("Deleted " + mine);
    assertThat(db.number("select count(*) from expenses")).isEqualTo(1);
  }

  @Test
  @DisplayName("spendingSummary answers how much was spent on food this month; findExpenses lists them")
  void summaryAndFind() {
    insert(user, "3.00", "food", "2026-11-16");
    insert(user, "4.50", "food", "2026-11-17");
    insert(user, "20", "transport", "2026-11-17");
    insert(user, "100", "food", "2026-10-30");
    insert(other, "7", "food", "2026-11-17");
    model.then("spendingSummary", new JsonObject().put("from", "2026-11-01").put("to", "2026-11-18")
        .put("category", "food"));
    model.then("spendingSummary", new JsonObject());
    model.then("findExpenses", new JsonObject().put("category", "transport"));

    Result<String> result = chat("how much did I spend on food this month");

    assertThat(ran(result)).containsExactly("spendingSummary", "spendingSummary", "findExpenses");
    assertThat(result.toolExecutions().get(0).result())
        .isEqualTo("You spent €7.50 (2 expenses) on food from 1 Nov 2026 to 18 Nov 2026.");
    assertThat(result.toolExecutions().get(1).result()).isEqualTo(
        "You spent €27.50 (3 expenses) from 1 Nov 2026 to 18 Nov 2026.\n- food: €7.50\n- transport: €20.00");
    assertThat(result.toolExecutions().get(2).result()).startsWith("Expenses:\n- ").contains("€20.00", "(transport)")
        .doesNotContain("food");
  }

  @Test
  @DisplayName("setBudget and budgetStatus tell what is left this month")
  void budgets() {
    insert(user, "120.25", "groceries", "2026-11-10");
    model.then("setBudget", new JsonObject().put("category", "groceries").put("amount", "400"));
    model.then("budgetStatus", new JsonObject().put("category", "groceries"));
    model.then("budgetStatus", new JsonObject().put("category", "travel"));

    Result<String> result = chat("set a groceries budget of 400 and tell me what's left");

    assertThat(ran(result)).containsExactly("setBudget", "budgetStatus", "budgetStatus");
    assertThat(result.toolExecutions().get(0).result()).isEqualTo(
        "Budget set: €400.00 a month for groceries; €120.25 spent so far in November 2026, €279.75 left.");
    assertThat(result.toolExecutions().get(1).result())
        .isEqualTo("Groceries: €120.25 of €400.00 spent, €279.75 left in November 2026.");
    assertThat(result.toolExecutions().get(2).result()).isEqualTo("You have no budget for travel.");
    assertThat(db.number("select count(*) from budgets where user_id = ?", user)).isEqualTo(1);
  }

  @Test
  @DisplayName("through the offline model and the chat API, \"I spent $12.50 on lunch\" is logged and confirmed")
  void offlineModelEndToEnd() {
    try (TestAide aide = TestAide.start(Map.of(), CLOCK); Api api = new Api(aide.port())) {
      api.register("vic@example.com", "Europe/Paris");

      JsonObject reply = api.post("/api/v1/chat", new JsonObject().put("text", "I spent $12.50 on lunch")).json();

      assertThat(reply.getJsonObject("reply").getString("text")).isEqualTo("Logged $12.50 for lunch (food) on Wed 18 Nov.");
      assertThat(reply.getJsonArray("toolCalls").getJsonObject(0).getString("name")).isEqualTo("logExpense");
      JsonObject expense = api.get("/api/v1/expenses").json().getJsonArray("items").getJsonObject(0);
      assertThat(expense.getString("amount")).isEqualTo("12.50");
      assertThat(expense.getString("currency")).isEqualTo("USD");

      JsonObject asked = api.post("/api/v1/chat", new JsonObject().put("text", "how much did I spend on food this month"))
          .json();
      assertThat(asked.getJsonObject("reply").getString("text"))
          .isEqualTo("You spent $12.50 (1 expense) on food from 1 Nov 2026 to 18 Nov 2026.");
    }
  }

  @Test
  @DisplayName("through the offline model, deleting today's expenses asks first and deletes them after \"yes\"")
  void offlineConfirmation() {
    try (TestAide aide = TestAide.start(Map.of(), CLOCK); Api api = new Api(aide.port())) {
      api.register("wes@example.com", "Europe/Paris");
      api.post("/api/v1/expenses", new JsonObject().put("amount", "3").put("category", "food"));
      api.post("/api/v1/expenses", new JsonObject().put("amount", "4.50").put("category", "food"));

      JsonObject asked = api.post("/api/v1/chat", new JsonObject().put("text", "delete my expenses from today")).json();

      assertThat(asked.getJsonObject("reply").getString("text"))
          .isEqualTo("I'd delete 2 expenses ($7.50 in total). Shall I go ahead?");
      assertThat(aide.db().number("select count(*) from expenses")).isEqualTo(2);

      JsonObject done = api.post("/api/v1/chat", new JsonObject().put("text", "yes")
          .put("conversationId", asked.getString("conversationId"))).json();

      assertThat(done.getJsonObject("reply").getString("text")).isEqualTo("Deleted 2 expenses ($7.50 in total).");
      assertThat(aide.db().number("select count(*) from expenses")).isZero();
    }
  }

  private Result<String> chat(String text) {
    return tools.chat(user, text);
  }

  private String insert(UUID owner, String amount, String category, String day) {
    return expenses.create(owner, new ExpenseService.NewExpense(
        new BigDecimal(amount), null, category, category + " thing", null, java.time.LocalDate.parse(day)), null).await().id()
        .toString();
  }

  private static List<String> ran(Result<String> result) {
    return result.toolExecutions().stream().map(t -> t.request().name()).toList();
  }
}
