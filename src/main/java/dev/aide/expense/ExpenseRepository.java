package dev.aide.expense;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Expenses and budgets, always read and written for one user; created_at comes back in that user's timezone. */
public final class ExpenseRepository {

  private static final String COLUMNS = "id, user_id, amount, currency, category, description, merchant, spent_on,"
      + " created_at";
  private static final String RETURNING = " returning " + COLUMNS
      + ", (select timezone from users where id = user_id) as timezone";
  private static final String SELECT = "select e." + COLUMNS.replace(", ", ", e.") + ", u.timezone"
      + " from expenses e join users u on u.id = e.user_id";
  private static final String PROFILE = "select timezone, default_currency from users where id = $1";
  private static final String INSERT = """
      insert into expenses (user_id, amount, currency, category, description, merchant, spent_on, source_message_id)
      values ($1, $2, $3, $4, $5, $6, $7, $8)""" + RETURNING;
  private static final String BY_ID = SELECT + " where e.user_id = $1 and e.id = $2";
  private static final String LIST = SELECT + """
       where e.user_id = $1
         and ($2::date is null or e.spent_on >= $2)
         and ($3::date is null or e.spent_on <= $3)
         and ($4::text is null or e.category = $4)
       order by e.spent_on desc, e.created_at desc
       limit $5
      """;
  private static final String BY_IDS = SELECT + " where e.user_id = $1 and e.id = any($2) order by e.spent_on, e.created_at";
  private static final String UPDATE = """
      update expenses set amount = $3, currency = $4, category = $5, description = $6, merchant = $7, spent_on = $8,
        updated_at = now()
      where user_id = $1 and id = $2""" + RETURNING;
  private static final String DELETE = "delete from expenses where user_id = $1 and id = any($2)";
  /** One query per grouping; each is a range scan of the (user_id, spent_on) index. */
  private static final String SUMMARY = """
      select %s as key, currency, sum(amount) as total, count(*) as count
      from expenses
      where user_id = $1 and spent_on >= $2 and spent_on <= $3 and ($4::text is null or category = $4)
      group by 1, currency
      order by 1, currency
      """;
  private static final String SUMMARY_BY_CATEGORY = SUMMARY.formatted("category");
  private static final String SUMMARY_BY_DAY = SUMMARY.formatted("spent_on");
  // date_trunc, not to_char: formatting every row costs more than the sum; keys are written in Java.
  private static final String SUMMARY_BY_MONTH = SUMMARY.formatted("date_trunc('month', spent_on)::date");
  private static final String PUT_BUDGET = """
      insert into budgets (user_id, category, amount, currency) values ($1, $2, $3, $4)
      on conflict (user_id, category) do update set amount = excluded.amount, currency = excluded.currency,
        updated_at = now()
      """;
  private static final String DELETE_BUDGET = "delete from budgets where user_id = $1 and category = $2";
  private static final String BUDGETS = """
      select b.category, b.amount, b.currency,
        coalesce((select sum(e.amount) from expenses e
                  where e.user_id = b.user_id and e.category = b.category and e.currency = b.currency
                    and e.spent_on >= $2 and e.spent_on <= $3), 0) as spent
      from budgets b
      where b.user_id = $1 and ($4::text is null or b.category = $4)
      order by b.category
      """;

  private final Pool pool;

  public ExpenseRepository(Pool pool) {
    this.pool = pool;
  }

  /** The person's frame for expenses: their timezone (what "today" is) and default currency. */
  public record Profile(ZoneId timezone, String defaultCurrency) {}

  /** A complete expense to write. */
  public record Draft(BigDecimal amount, String currency, String category, String description, String merchant,
                      LocalDate spentOn) {}

  public Future<Profile> profile(UUID userId) {
    return pool.preparedQuery(PROFILE).execute(Tuple.of(userId)).map(rows -> {
      Row row = rows.iterator().next();
      return new Profile(ZoneId.of(row.getString("timezone")), row.getString("default_currency").strip());
    });
  }

  public Future<Expense> insert(UUID userId, Draft d, UUID sourceMessageId) {
    return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] {userId, d.amount(), d.currency(), d.category(),
        d.description(), d.merchant(), d.spentOn(), sourceMessageId})).map(rows -> toExpense(rows.iterator().next()));
  }

  public Future<Optional<Expense>> find(UUID userId, UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(userId, id)).map(ExpenseRepository::first);
  }

  public Future<List<Expense>> findAll(UUID userId, List<UUID> ids) {
    return pool.preparedQuery(BY_IDS).execute(Tuple.tuple().addUUID(userId).addArrayOfUUID(ids.toArray(UUID[]::new))).map(ExpenseRepository::all);
  }

  public Future<List<Expense>> list(UUID userId, LocalDate from, LocalDate to, String category, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(userId, from, to, category, limit)).map(ExpenseRepository::all);
  }

  public Future<Optional<Expense>> update(UUID userId, UUID id, Draft d) {
    return pool.preparedQuery(UPDATE).execute(Tuple.from(new Object[] {userId, id, d.amount(), d.currency(),
        d.category(), d.description(), d.merchant(), d.spentOn()})).map(ExpenseRepository::first);
  }

  /** Deletes those of the ids that belong to the user; answers how many went. */
  public Future<Integer> delete(UUID userId, List<UUID> ids) {
    return pool.preparedQuery(DELETE).execute(Tuple.tuple().addUUID(userId).addArrayOfUUID(ids.toArray(UUID[]::new))).map(RowSet::rowCount);
  }

  public Future<List<Summary.Group>> summary(UUID userId, LocalDate from, LocalDate to, String category,
                                             Summary.GroupBy groupBy) {
    String sql = switch (groupBy) {
      case CATEGORY -> SUMMARY_BY_CATEGORY;
      case DAY -> SUMMARY_BY_DAY;
      case MONTH -> SUMMARY_BY_MONTH;
    };
    return pool.preparedQuery(sql).execute(Tuple.of(userId, from, to, category)).map(rows -> {
      List<Summary.Group> groups = new ArrayList<>(rows.size());
      rows.forEach(row -> groups.add(new Summary.Group(key(row, groupBy), row.getString("currency").strip(),
          row.getBigDecimal("total"), row.getLong("count"))));
      return groups;
    });
  }

  public Future<Void> putBudget(UUID userId, String category, BigDecimal amount, String currency) {
    return pool.preparedQuery(PUT_BUDGET).execute(Tuple.of(userId, category, amount, currency)).mapEmpty();
  }

  public Future<Boolean> deleteBudget(UUID userId, String category) {
    return pool.preparedQuery(DELETE_BUDGET).execute(Tuple.of(userId, category)).map(rows -> rows.rowCount() == 1);
  }

  /** The budgets (or the one of a category) with what was spent against each in the month. */
  public Future<List<Budget>> budgets(UUID userId, YearMonth month, String category) {
    return pool.preparedQuery(BUDGETS).execute(Tuple.of(userId, month.atDay(1), month.atEndOfMonth(), category))
        .map(rows -> {
          List<Budget> budgets = new ArrayList<>(rows.size());
          rows.forEach(row -> budgets.add(new Budget(row.getString("category"), row.getBigDecimal("amount"),
              row.getString("currency").strip(), month, row.getBigDecimal("spent"))));
          return budgets;
        });
  }

  private static String key(Row row, Summary.GroupBy groupBy) {
    return switch (groupBy) {
      case CATEGORY -> row.getString("key");
      case DAY -> row.getLocalDate("key").toString();
      case MONTH -> YearMonth.from(row.getLocalDate("key")).toString();
    };
  }

  private static Optional<Expense> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toExpense(it.next())) : Optional.empty();
  }

  private static List<Expense> all(RowSet<Row> rows) {
    List<Expense> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(toExpense(row)));
    return list;
  }

  private static Expense toExpense(Row row) {
    ZoneId zone = ZoneId.of(row.getString("timezone"));
    return new Expense(row.getUUID("id"), row.getUUID("user_id"), row.getBigDecimal("amount"),
        row.getString("currency").strip(), row.getString("category"), row.getString("description"),
        row.getString("merchant"), row.getLocalDate("spent_on"),
        row.getOffsetDateTime("created_at").atZoneSameInstant(zone).toOffsetDateTime());
  }
}
