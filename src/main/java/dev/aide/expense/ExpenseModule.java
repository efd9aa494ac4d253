package dev.aide.expense;

import dev.aide.conversation.ConversationModule;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import io.vertx.ext.web.Router;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Expenses and monthly budgets per category, summed by category, day or month. */
public final class ExpenseModule implements Feature {

  private final Platform platform;
  private final ConversationModule conversation;
  private final ExpenseRepository rows;
  private final ExpenseService expenses;

  public ExpenseModule(Platform platform, ConversationModule conversation) {
    this.platform = platform;
    this.conversation = conversation;
    this.rows = new ExpenseRepository(platform.pool());
    this.expenses = new ExpenseService(rows, platform.clock());
  }

  public ExpenseService expenses() {
    return expenses;
  }

  @Override
  public void routes(Router api) {
    new ExpenseRoutes(expenses).mount(api);
  }

  @Override
  public List<Object> tools() {
    return List.of(new ExpenseTools(expenses, conversation.confirmations()));
  }

  @Override
  public Map<String, Exporter> exports() {
    Map<String, Exporter> parts = new LinkedHashMap<>();
    parts.put("expenses", (userId, zone) -> Exports.of(rows.list(userId, null, null, null, Exports.ALL),
        Expense::toJson));
    parts.put("budgets", (userId, zone) -> Exports.of(rows.budgets(userId,
        YearMonth.now(platform.clock().withZone(zone)), null), Budget::toJson));
    return parts;
  }
}
