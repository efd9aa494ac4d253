package dev.aide.expense;

import dev.aide.expense.ExpenseRepository.Draft;
import dev.aide.expense.ExpenseRepository.Profile;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import dev.aide.platform.time.DateRange;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules of expenses and budgets, shared by the REST API and the assistant's tools. Categories are free text
 * normalised to lower case; {@link #CATEGORIES} is the suggested set, and any other name is the person's own.
 */
public final class ExpenseService {

  public static final List<String> CATEGORIES = List.of("food", "groceries", "transport", "housing", "utilities",
      "health", "entertainment", "shopping", "travel", "education", "gifts", "other");
  public static final String DEFAULT_CATEGORY = "other";
  public static final int MAX_DESCRIPTION = 500;
  public static final int MAX_MERCHANT = 200;
  private static final Pattern CATEGORY = Pattern.compile("^[a-z0-9][a-z0-9 &'/_-]{0,39}$");
  private static final Set<String> KNOWN = Set.copyOf(CATEGORIES);

  private final ExpenseRepository expenses;
  private final Clock clock;

  public ExpenseService(ExpenseRepository expenses, Clock clock) {
    this.expenses = expenses;
    this.clock = clock;
  }

  /** What a person gives for a new expense; null currency, category and date take their defaults. */
  public record NewExpense(BigDecimal amount, String currency, String category, String description, String merchant,
                           LocalDate spentOn) {}

  /** A partial change: null leaves a field alone; description and merchant can be emptied with their flag. */
  public record Changes(BigDecimal amount, String currency, String category, boolean descriptionSet,
                        String description, boolean merchantSet, String merchant, LocalDate spentOn) {}

  public static boolean isSuggested(String category) {
    return KNOWN.contains(category);
  }

  public Future<Expense> create(UUID userId, NewExpense input, UUID sourceMessageId) {
    return expenses.profile(userId).compose(profile -> {
      String currency = input.currency() == null ? profile.defaultCurrency() : Money.currency(input.currency(), "currency");
      Draft draft = draft(input.amount(), currency, input.category() == null ? DEFAULT_CATEGORY : input.category(),
          input.description(), input.merchant(), input.spentOn() == null ? today(profile) : input.spentOn());
      return expenses.insert(userId, draft, sourceMessageId);
    });
  }

  public Future<List<Expense>> list(UUID userId, LocalDate from, LocalDate to, String category, int limit) {
    return Future.<Void>succeededFuture().compose(v -> {
      checkRange(from, to);
      return expenses.list(userId, from, to, category == null ? null : category(category), limit);
    });
  }

  public Future<Expense> get(UUID userId, UUID id) {
    return expenses.find(userId, id).map(found -> found.orElseThrow(() -> DomainException.notFound("expense")));
  }

  public Future<List<Expense>> getAll(UUID userId, List<UUID> ids) {
    return expenses.findAll(userId, ids);
  }

  public Future<Expense> update(UUID userId, UUID id, Changes c) {
    return get(userId, id).compose(old -> {
      String currency = c.currency() == null ? old.currency() : Money.currency(c.currency(), "currency");
      Draft draft = draft(c.amount() == null ? old.amount() : c.amount(), currency,
          c.category() == null ? old.category() : c.category(),
          c.descriptionSet() ? c.description() : old.description(), c.merchantSet() ? c.merchant() : old.merchant(),
          c.spentOn() == null ? old.spentOn() : c.spentOn());
      return expenses.update(userId, id, draft);
    }).map(found -> found.orElseThrow(() -> DomainException.notFound("expense")));
  }

  public Future<Void> delete(UUID userId, UUID id) {
    return expenses.delete(userId, List.of(id)).compose(n -> n == 1
        ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("expense")));
  }

  /** Deletes those of the ids the user owns; answers how many. */
  public Future<Integer> deleteAll(UUID userId, List<UUID> ids) {
    return ids.isEmpty() ? Future.succeededFuture(0) : expenses.delete(userId, ids);
  }

  /** Totals for a period (default: this month so far in the user's timezone), both ends inclusive. */
  public Future<Summary> summary(UUID userId, LocalDate from, LocalDate to, Summary.GroupBy groupBy, String category) {
    return expenses.profile(userId).compose(profile -> {
      LocalDate today = today(profile);
      LocalDate start = from != null ? from : (to != null ? to : today).withDayOfMonth(1);
      LocalDate end = to != null ? to : (from != null && from.isAfter(today) ? from : today);
      checkRange(start, end);
      String cat = category == null ? null : category(category);
      Summary.GroupBy by = groupBy == null ? Summary.GroupBy.CATEGORY : groupBy;
      return expenses.summary(userId, start, end, cat, by).map(groups -> new Summary(start, end, by, cat, groups));
    });
  }

  public Future<Budget> putBudget(UUID userId, String category, BigDecimal amount, String currency) {
    return expenses.profile(userId).compose(profile -> {
      String cat = category(category);
      String cur = currency == null ? profile.defaultCurrency() : Money.currency(currency, "currency");
      Money.checkScale(positive(amount), cur, "amount");
      YearMonth month = YearMonth.from(today(profile));
      return expenses.putBudget(userId, cat, amount, cur)
          .compose(v -> expenses.budgets(userId, month, cat))
          .map(list -> list.get(0));
    });
  }

  public Future<Void> deleteBudget(UUID userId, String category) {
    return Future.<Void>succeededFuture().compose(v -> expenses.deleteBudget(userId, category(category)))
        .compose(deleted -> deleted ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("budget")));
  }

  /** Budgets with spent and remaining in a month (default: the current one in the user's timezone). */
  public Future<List<Budget>> budgets(UUID userId, YearMonth month, String category) {
    return expenses.profile(userId).compose(profile -> expenses.budgets(userId,
        month != null ? DateRange.check(month, "month") : YearMonth.from(today(profile)),
        category == null ? null : category(category)));
  }

  /** Today in the user's timezone. */
  public Future<LocalDate> today(UUID userId) {
    return expenses.profile(userId).map(this::today);
  }

  private LocalDate today(Profile profile) {
    return LocalDate.now(clock.withZone(profile.timezone()));
  }

  private static Draft draft(BigDecimal amount, String currency, String category, String description, String merchant,
                             LocalDate spentOn) {
    Money.checkScale(positive(amount), currency, "amount");
    DateRange.check(spentOn, "spentOn");
    return new Draft(amount, currency, category(category), text(description, "description", MAX_DESCRIPTION),
        text(merchant, "merchant", MAX_MERCHANT), spentOn);
  }

  private static BigDecimal positive(BigDecimal amount) {
    if (amount == null) {
      throw DomainException.invalid("amount is required");
    }
    if (amount.signum() <= 0) {
      throw DomainException.invalid("amount must be greater than zero");
    }
    if (amount.precision() - amount.scale() > 15 || amount.stripTrailingZeros().scale() > 4) {
      throw DomainException.invalid("amount must have at most 15 whole digits and 4 decimals");
    }
    return amount;
  }

  /** Lower case, single spaces: "Eating Out " and "eating  out" are one category. */
  public static String category(String category) {
    String normalised = category == null ? "" : category.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    if (!CATEGORY.matcher(normalised).matches()) {
      throw DomainException.invalid("category must be 1 to 40 letters, digits, spaces or - & ' / _, e.g. food");
    }
    return normalised;
  }

  private static String text(String value, String field, int max) {
    return Texts.optional(value, field, max);
  }

  private static void checkRange(LocalDate from, LocalDate to) {
    DateRange.check(from, "from");
    DateRange.check(to, "to");
    if (from != null && to != null && from.isAfter(to)) {
      throw DomainException.invalid("from must not be after to");
    }
  }
}
