package dev.aide.expense;

import dev.aide.conversation.Confirmations;
import dev.aide.conversation.Confirmations.Effect;
import dev.aide.conversation.Confirmations.Proposal;
import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.Quoted;
import dev.aide.conversation.ToolResults;
import dev.aide.platform.error.DomainException;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
  private final Confirmations confirmations;

  public ExpenseTools(ExpenseService expenses, Confirmations confirmations) {
    this.expenses = expenses;
    this.confirmations = confirmations;
    confirmations.handle("logExpense", this::log);
    confirmations.handle("changeExpense", this::change);
    confirmations.handle("deleteExpenses", this::delete);
    confirmations.handle("setBudget", this::budget);
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
      BigDecimal value = amount(amount);
      LocalDate day = date(spentOn, "spentOn");
      JsonObject targets = new JsonObject().put("amount", value.toPlainString()).put("currency", currency)
          .put("category", category).put("description", description).put("merchant", merchant)
          .put("spentOn", day == null ? null : day.toString());
      return confirmations.act(key, Proposal.of("logExpense", Effect.CHANGE, 1, targets, "log "
          + value.toPlainString() + (currency == null ? "" : " " + currency)
          + (description == null ? "" : " for " + Quoted.of(description))
          + (merchant == null ? "" : " at " + Quoted.of(merchant)) + (day == null ? "" : " on " + DAY.format(day))));
    });
  }

  @Tool(name = "findExpenses", value = "List the user's expenses, newest first, optionally within dates or a category")
  public String findExpenses(
      @ToolMemoryId ConversationKey key,
      @P(value = "first day, ISO date", required = false) String from,
      @P(value = "last day (inclusive), ISO date", required = false) String to,
      @P(value = "category", required = false) String category) {
    return ToolResults.attempt(() -> {
      List<Expense> found = expenses.list(key.userId(), date(from, "from"), date(to, "to"), category, SHOWN + 1).await();
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
      Expense old = expenses.get(key.userId(), uuid(id)).await();
      BigDecimal value = amount == null ? null : amount(amount);
      LocalDate day = date(spentOn, "spentOn");
      JsonObject targets = new JsonObject().put("id", old.id().toString())
          .put("amount", value == null ? null : value.toPlainString()).put("currency", currency)
          .put("category", category).put("descriptionSet", description != null).put("description", description)
          .put("spentOn", day == null ? null : day.toString());
      // A new description replaces the person's words, as a note's new text does.
      Effect effect = description != null && old.description() != null ? Effect.REMOVE : Effect.CHANGE;
      return confirmations.act(key, Proposal.of("changeExpense", effect, 1, targets,
          "change the expense " + line(old)));
    });
  }

  @Tool(name = "deleteExpenses", value = "Delete the user's expenses, by ids or by a filter (dates, category). "
      + "Deleting more than one, or by a filter, is confirmed by the user: Aide asks them itself.")
  public String deleteExpenses(
      @ToolMemoryId ConversationKey key,
      @P(value = "expense ids, as listed by findExpenses", required = false) List<String> ids,
      @P(value = "first day, ISO date", required = false) String from,
      @P(value = "last day (inclusive), ISO date", required = false) String to,
      @P(value = "category", required = false) String category) {
    return ToolResults.attempt(() -> {
      List<Expense> targets;
      boolean byFilter = false;
      if (ids != null && !ids.isEmpty()) {
        List<UUID> uuids = new ArrayList<>();
        for (String id : ids) {
          uuids.add(uuid(id));
        }
        targets = expenses.getAll(key.userId(), uuids).await();
        if (targets.size() < uuids.stream().distinct().count()) {
          return "Error: " + (uuids.size() - targets.size()) + " of those expense ids do not exist; nothing was deleted.";
        }
      } else if (from != null || to != null || category != null) {
        targets = expenses.list(key.userId(), date(from, "from"), date(to, "to"), category, 10_000).await();
        byFilter = true;
      } else {
        return "Error: say which expenses to delete: ids, or a date range or category.";
      }
      if (targets.isEmpty()) {
        return "No expenses matched; nothing was deleted.";
      }
      String what = targets.size() == 1 ? "delete " + line(targets.get(0))
          : "delete " + targets.size() + " expenses (" + totals(targets) + ")";
      Proposal proposal = Proposal.of("deleteExpenses", Effect.REMOVE, targets.size(), new JsonObject()
          .put("ids", new JsonArray(targets.stream().map(e -> e.id().toString()).toList())), what);
      // A filter names whatever matches it, not items the person picked: "all of them" is asked about.
      return confirmations.act(key, byFilter ? proposal.everything() : proposal);
    });
  }

  private String log(ConversationKey key, JsonObject t) {
    Expense e = expenses.create(key.userId(), new ExpenseService.NewExpense(new BigDecimal(t.getString("amount")),
        t.getString("currency"), t.getString("category"), t.getString("description"), t.getString("merchant"),
        day(t.getString("spentOn"))), key.messageId()).await();
    confirmations.created(key, "expense", e.id());
    return "Logged " + Money.spoken(e.amount(), e.currency()) + (e.description() == null ? "" : " for " + Quoted.of(e.description()))
        + (e.merchant() == null ? "" : " at " + Quoted.of(e.merchant())) + " (" + category(e.category()) + ") on "
        + DAY.format(e.spentOn()) + ".";
  }

  private String change(ConversationKey key, JsonObject t) {
    String amount = t.getString("amount");
    confirmations.touching(key, "expense", t.getString("id"));
    Expense e = expenses.update(key.userId(), UUID.fromString(t.getString("id")), new ExpenseService.Changes(
        amount == null ? null : new BigDecimal(amount), t.getString("currency"), t.getString("category"),
        t.getBoolean("descriptionSet"), t.getString("description"), false, null, day(t.getString("spentOn")))).await();
    return "Changed: " + line(e) + ".";
  }

  private String delete(ConversationKey key, JsonObject t) {
    List<UUID> ids = t.getJsonArray("ids").stream().map(o -> UUID.fromString((String) o)).toList();
    List<Expense> still = expenses.getAll(key.userId(), ids).await();
    still.forEach(e -> confirmations.touching(key, "expense", e.id()));
    int deleted = expenses.deleteAll(key.userId(), ids).await();
    String gone = deleted < ids.size() ? " (" + (ids.size() - deleted) + " had already gone)" : "";
    if (deleted == 0) {
      return "Those expenses had already gone; nothing was deleted.";
    }
    return (deleted == 1 && still.size() == 1 ? "Deleted " + line(still.get(0))
        : "Deleted " + deleted + " expenses (" + totals(still) + ")") + gone + ".";
  }

  private String budget(ConversationKey key, JsonObject t) {
    confirmations.touching(key, "budget", ExpenseService.category(t.getString("category")));
    Budget b = expenses.putBudget(key.userId(), t.getString("category"), new BigDecimal(t.getString("amount")),
        t.getString("currency")).await();
    return "Budget set: " + Money.spoken(b.amount(), b.currency()) + " a month for " + category(b.category()) + "; "
        + Money.spoken(b.spent(), b.currency()) + " spent so far in " + MONTH.format(b.month()) + ", "
        + Money.spoken(b.remaining(), b.currency()) + " left.";
  }

  private static LocalDate day(String iso) {
    return iso == null ? null : LocalDate.parse(iso);
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
      Summary s = expenses.summary(key.userId(), date(from, "from"), date(to, "to"), by, category).await();
      String period = SHORT.format(s.from()) + " to " + SHORT.format(s.to());
      String what = s.category() == null ? "" : " on " + category(s.category());
      if (s.groups().isEmpty()) {
        return "You spent nothing" + what + " from " + period + ".";
      }
      String total = s.totals().values().stream()
          .map(t -> Money.spoken(t.total(), t.currency()) + " (" + count(t.count()) + ")")
          .collect(Collectors.joining(" and "));
      StringBuilder out = new StringBuilder("You spent " + total + what + " from " + period + ".");
      if (s.category() == null || by != Summary.GroupBy.CATEGORY) {
        s.groups().forEach(g -> out.append("\n- ").append(by == Summary.GroupBy.CATEGORY ? category(g.key()) : g.key())
            .append(": ")
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
      BigDecimal value = amount(amount);
      String normalised = ExpenseService.category(category);
      return confirmations.act(key, Proposal.of("setBudget", Effect.CHANGE, 1, new JsonObject()
              .put("category", normalised).put("amount", value.toPlainString()).put("currency", currency),
          "set a monthly budget of " + value.toPlainString() + (currency == null ? "" : " " + currency) + " for "
              + category(normalised)));
    });
  }

  @Tool(name = "budgetStatus", value = "How the user's monthly budgets stand this month: spent and remaining")
  public String budgetStatus(
      @ToolMemoryId ConversationKey key,
      @P(value = "only this category", required = false) String category) {
    return ToolResults.attempt(() -> {
      List<Budget> budgets = expenses.budgets(key.userId(), null, category).await();
      if (budgets.isEmpty()) {
        return category == null ? "You have no budgets yet." : "You have no budget for " + category(category.strip().toLowerCase(Locale.ROOT)) + ".";
      }
      YearMonth month = budgets.get(0).month();
      StringBuilder out = new StringBuilder(budgets.size() == 1 ? "" : "Budgets for " + MONTH.format(month) + ":");
      for (Budget b : budgets) {
        String line = category(b.category()) + ": " + Money.spoken(b.spent(), b.currency()) + " of "
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
        + (e.description() == null ? "" : " " + Quoted.of(e.description())) + " (" + category(e.category()) + ")";
  }

  /** Aide's own category names as they are; a category the person made up is their text, quoted. */
  static String category(String category) {
    return ExpenseService.isSuggested(category) ? category : Quoted.of(category);
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
      throw DomainException.invalid(field + " '" + value + "' is not an ISO date such as 2026-11-18");
    }
  }

  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id == null ? "" : id.strip());
    } catch (IllegalArgumentException e) {
      throw DomainException.notFound("expense " + id);
    }
  }

  private static Summary.GroupBy groupBy(String value) {
    try {
      return Summary.GroupBy.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("groupBy must be category, day or month");
    }
  }

}
