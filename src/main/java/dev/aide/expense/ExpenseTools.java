package dev.aide.expense;

import static dev.aide.platform.database.Blocking.join;

import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.ToolResults;
import dev.aide.platform.http.ApiException;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/** The assistant's expense and budget tools: thin, acting for the conversation's user, answering in short facts. */
public final class ExpenseTools {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
  private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
  private static final int SHOWN = 20;

  private final ExpenseService expenses;

  public ExpenseTools(ExpenseService expenses) {
    this.expenses = expenses;
  }

  @Tool(name = "logExpense", value = "Record money the user spent")
  public String logExpense(
      @ToolMemoryId ConversationKey key,
      @P("the amount as a decimal, e.g. 12.50") String amount,
      @P(value = "ISO-4217 currency code, e.g. USD, EUR; omit for the user's default currency", required = false)
      String currency,
      @P(value = "category: food, groceries, transport, housing, utilities, health, entertainment, shopping, travel,"
          + " education, gifts, other, or the user's own", required = false) String category,
      @P(value = "what it was, e.g. lunch", required = false) String description,
      @P(value = "where: the shop, restaurant or company", required = false) String merchant,
      @P(value = "the day it was spent, as an ISO date such as 2026-11-18; omit for today", required = false)
      String spentOn) {
    return ToolResults.attempt(() -> {
      Expense e = join(expenses.create(key.userId(), new ExpenseService.NewExpense(amount(amount), currency,
          category, description, merchant, date(spentOn, "spentOn")), key.messageId()));
      return "Logged " + Money.spoken(e.amount(), e.currency()) + (e.description() == null ? "" : " for " + e.description())
          + (e.merchant() == null ? "" : " at " + e.merchant()) + " (" + e.category() + ") on " + DAY.format(e.spentOn()) + ".";
    });
  }

  @Tool(name = "findExpenses", value = "List the user's expenses, newest first, optionally within dates or a category")
  public String findExpenses(
      @ToolMemoryId ConversationKey key,
      @P(value = "first day, ISO date", required = false) String from,
      @P(value = "last day (inclusive), ISO date", required = false) String to,
      @P(value = "category", required = false) String category) {
    return ToolResults.attempt(() -> {
      List<Expense> found = join(expenses.list(key.userId(), date(from, "from"), date(to, "to"), category, SHOWN + 1));
      if (found.isEmpty()) {
        return "No expenses found.";
      }
      StringBuilder out = new StringBuilder("Expenses:");
      found.stream().limit(SHOWN).forEach(e -> out.append("\n- ").append(line(e)));
      if (found.size() > SHOWN) {
        out.append("\n(only the newest ").append(SHOWN).append(" shown; narrow the dates to see the others)");
      }
      return out.toString();
    });
  }

  @Tool(name = "changeExpense", value = "Change one of the user's expenses, found by its id")
  public String changeExpense(
      @ToolMemoryId ConversationKey key,
      @P("the expense id, as listed by findExpenses") String id,
      @P(value = "new amount, e.g. 12.50", required = false) String amount,
      @P(value = "new ISO-4217 currency", required = false) String currency,
      @P(value = "new category", required = false) String category,
      @P(value = "new description", required = false) String description,
      @P(value = "new day, ISO date", required = false) String spentOn) {
    return ToolResults.attempt(() -> {
      UUID uuid = uuid(id);
      Expense e = join(expenses.update(key.userId(), uuid, new ExpenseService.Changes(
          amount == null ? null : amount(amount), currency, category, description != null, description, false, null,
          date(spentOn, "spentOn"))));
      return "Changed: " + line(e) + ".";
    });
  }

  @Tool(name = "deleteExpenses", value = "Delete the user's expenses, by ids or by a filter (dates, category). "
      + "Deleting more than one needs the user's confirmation: call without confirm first.")
  public String deleteExpenses(
      @ToolMemoryId ConversationKey key,
      @P(value = "expense ids, as listed by findExpenses", required = false) List<String> ids,
      @P(value = "first day, ISO date", required = false) String from,
      @P(value = "last day (inclusive), ISO date", required = false) String to,
      @P(value = "category", required = false) String category,
      @P(value = "true only after the user confirmed deleting more than one expense", required = false)
      Boolean confirm) {
    return ToolResults.attempt(() -> {
      List<Expense> targets;
      if (ids != null && !ids.isEmpty()) {
        List<UUID> uuids = new ArrayList<>();
        for (String id : ids) {
          uuids.add(uuid(id));
        }
        targets = join(expenses.getAll(key.userId(), uuids));
        if (targets.size() < uuids.stream().distinct().count()) {
          return "Error: " + (uuids.size() - targets.size()) + " of those expense ids do not exist; nothing was deleted.";
        }
      } else if (from != null || to != null || category != null) {
        targets = join(expenses.list(key.userId(), date(from, "from"), date(to, "to"), category, 10_000));
      } else {
        return "Error: say which expenses to delete: ids, or a date range or category.";
      }
      if (targets.isEmpty()) {
        return "No expenses matched; nothing was deleted.";
      }
      if (targets.size() > 1 && !Boolean.TRUE.equals(confirm)) {
        return "This would delete " + targets.size() + " expenses (" + totals(targets)
            + "). Ask the user to confirm, then call again with confirm=true.";
      }
      int deleted = join(expenses.deleteAll(key.userId(), targets.stream().map(Expense::id).toList()));
      return deleted == 1 ? "Deleted " + line(targets.get(0)) + "."
          : "Deleted " + deleted + " expenses (" + totals(targets) + ").";
    });
  }

  @Tool(name = "spendingSummary", value = "How much the user spent in a period, in total or on one category, "
      + "optionally grouped by category, day or month")
  public String spendingSummary(
      @ToolMemoryId ConversationKey key,
      @P(value = "first day, ISO date; omit for the start of this month", required = false) String from,
      @P(value = "last day (inclusive), ISO date; omit for today", required = false) String to,
      @P(value = "only this category, e.g. food", required = false) String category,
      @P(value = "category, day or month", required = false) String groupBy) {
    return ToolResults.attempt(() -> {
      Summary.GroupBy by = groupBy == null || groupBy.isBlank() ? Summary.GroupBy.CATEGORY : groupBy(groupBy);
      Summary s = join(expenses.summary(key.userId(), date(from, "from"), date(to, "to"), by, category));
      String period = SHORT.format(s.from()) + " to " + SHORT.format(s.to());
      String what = s.category() == null ? "" : " on " + s.category();
      if (s.groups().isEmpty()) {
        return "You spent nothing" + what + " from " + period + ".";
      }
      String total = s.totals().values().stream()
          .map(t -> Money.spoken(t.total(), t.currency()) + " (" + count(t.count()) + ")")
          .collect(Collectors.joining(" and "));
      StringBuilder out = new StringBuilder("You spent " + total + what + " from " + period + ".");
      if (s.category() == null || by != Summary.GroupBy.CATEGORY) {
        s.groups().forEach(g -> out.append("\n- ").append(g.key()).append(": ")
            .append(Money.spoken(g.total(), g.currency())));
      }
      return out.toString();
    });
  }

  @Tool(name = "setBudget", value = "Set the user's monthly budget for a category")
  public String setBudget(
      @ToolMemoryId ConversationKey key,
      @P("category, e.g. food") String category,
      @P("the monthly amount, e.g. 400") String amount,
      @P(value = "ISO-4217 currency; omit for the user's default", required = false) String currency) {
    return ToolResults.attempt(() -> {
      Budget b = join(expenses.putBudget(key.userId(), category, amount(amount), currency));
      return "Budget set: " + Money.spoken(b.amount(), b.currency()) + " a month for " + b.category() + "; "
          + Money.spoken(b.spent(), b.currency()) + " spent so far in " + MONTH.format(b.month()) + ", "
          + Money.spoken(b.remaining(), b.currency()) + " left.";
    });
  }

  @Tool(name = "budgetStatus", value = "How the user's monthly budgets stand this month: spent and remaining")
  public String budgetStatus(
      @ToolMemoryId ConversationKey key,
      @P(value = "only this category", required = false) String category) {
    return ToolResults.attempt(() -> {
      List<Budget> budgets = join(expenses.budgets(key.userId(), null, category));
      if (budgets.isEmpty()) {
        return category == null ? "You have no budgets yet." : "You have no budget for " + category.strip().toLowerCase(Locale.ROOT) + ".";
      }
      YearMonth month = budgets.get(0).month();
      StringBuilder out = new StringBuilder(budgets.size() == 1 ? "" : "Budgets for " + MONTH.format(month) + ":");
      for (Budget b : budgets) {
        String line = b.category() + ": " + Money.spoken(b.spent(), b.currency()) + " of "
            + Money.spoken(b.amount(), b.currency()) + " spent, "
            + (b.remaining().signum() >= 0 ? Money.spoken(b.remaining(), b.currency()) + " left"
                : Money.spoken(b.remaining().negate(), b.currency()) + " over");
        if (budgets.size() == 1) {
          out.append(Character.toUpperCase(line.charAt(0))).append(line.substring(1)).append(" in ")
              .append(MONTH.format(month)).append('.');
        } else {
          out.append("\n- ").append(line);
        }
      }
      return out.toString();
    });
  }

  private static String line(Expense e) {
    return e.id() + " " + DAY.format(e.spentOn()) + ": " + Money.spoken(e.amount(), e.currency())
        + (e.description() == null ? "" : " " + e.description()) + " (" + e.category() + ")";
  }

  private static String totals(List<Expense> list) {
    return list.stream().collect(Collectors.groupingBy(Expense::currency, java.util.TreeMap::new,
            Collectors.reducing(BigDecimal.ZERO, Expense::amount, BigDecimal::add)))
        .entrySet().stream().map(t -> Money.spoken(t.getValue(), t.getKey())).collect(Collectors.joining(" and "))
        + " in total";
  }

  private static String count(long n) {
    return n == 1 ? "1 expense" : n + " expenses";
  }

  /**
   * Models write amounts loosely ("$12.50", "1,200", "12,50"): symbols and spaces are dropped, a comma followed by
   * one or two final digits is a decimal comma, any other comma a thousands separator.
   */
  private static BigDecimal amount(String text) {
    String cleaned = text == null ? null : text.replaceAll("[\\s$€£¥]", "");
    if (cleaned != null) {
      cleaned = cleaned.matches("\\d+,\\d{1,2}") ? cleaned.replace(',', '.') : cleaned.replace(",", "");
    }
    return Money.amount(cleaned, "amount");
  }

  private static LocalDate date(String value, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(value.strip().length() > 10 ? value.strip().substring(0, 10) : value.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(field + " '" + value + "' is not an ISO date such as 2026-11-18");
    }
  }

  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id == null ? "" : id.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("expense " + id);
    }
  }

  private static Summary.GroupBy groupBy(String value) {
    try {
      return Summary.GroupBy.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("groupBy must be category, day or month");
    }
  }

}
