package dev.aide.expense;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import dev.aide.platform.time.DateRange;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** /expenses (list, create, read, update, delete, summary, CSV export) and /budgets. */
public final class ExpenseRoutes {

  private static final JsonFactory JSON = new JsonFactory();
  private static final String[] FIELDS = {"amount", "currency", "category", "description", "merchant", "spentOn"};

  private final ExpenseService expenses;

  public ExpenseRoutes(ExpenseService expenses) {
    this.expenses = expenses;
  }

  public void mount(Router api) {
    api.get("/expenses").handler(this::list);
    api.post("/expenses").handler(this::create);
    api.get("/expenses/summary").handler(this::summary);
    api.get("/expenses/export.csv").handler(this::export);
    api.get("/expenses/:id").handler(this::get);
    api.patch("/expenses/:id").handler(this::update);
    api.delete("/expenses/:id").handler(this::delete);
    api.get("/budgets").handler(this::budgets);
    api.put("/budgets/:category").handler(this::putBudget);
    api.delete("/budgets/:category").handler(this::deleteBudget);
  }

  private void list(RoutingContext ctx) {
    Replies.json(ctx, 200, expenses.list(Authenticated.userId(ctx), date(ctx, "from"), date(ctx, "to"),
        ctx.queryParams().get("category"), Params.limit(ctx, 100, 1000))
        .map(list -> Replies.items(list, Expense::toJson)));
  }

  private void create(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly(FIELDS);
    BigDecimal amount = amount(ctx, true);
    var input = new ExpenseService.NewExpense(amount, body.optionalString("currency", 3),
        body.optionalString("category", 40), body.optionalString("description", ExpenseService.MAX_DESCRIPTION),
        body.optionalString("merchant", ExpenseService.MAX_MERCHANT), date(body.optionalString("spentOn", 10), "spentOn"));
    Replies.json(ctx, 201, expenses.create(Authenticated.userId(ctx), input, null).map(Expense::toJson));
  }

  private void get(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "expense");
    Replies.json(ctx, 200, expenses.get(Authenticated.userId(ctx), id).map(Expense::toJson));
  }

  private void update(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "expense");
    JsonBody body = JsonBody.of(ctx).allowOnly(FIELDS).changes("amount", "currency", "category", "spentOn");
    var changes = new ExpenseService.Changes(amount(ctx, false), body.optionalString("currency", 3),
        body.optionalString("category", 40), body.has("description"),
        body.optionalString("description", ExpenseService.MAX_DESCRIPTION), body.has("merchant"),
        body.optionalString("merchant", ExpenseService.MAX_MERCHANT), date(body.optionalString("spentOn", 10), "spentOn"));
    Replies.json(ctx, 200, expenses.update(Authenticated.userId(ctx), id, changes).map(Expense::toJson));
  }

  private void delete(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "expense");
    Replies.noContent(ctx, expenses.delete(Authenticated.userId(ctx), id));
  }

  private void summary(RoutingContext ctx) {
    Summary.GroupBy groupBy = groupBy(ctx.queryParams().get("groupBy"));
    Replies.json(ctx, 200, expenses.summary(Authenticated.userId(ctx), date(ctx, "from"), date(ctx, "to"), groupBy,
        ctx.queryParams().get("category")).map(Summary::toJson));
  }

  private void export(RoutingContext ctx) {
    LocalDate from = date(ctx, "from");
    LocalDate to = date(ctx, "to");
    // Up to 100,000 rows: the text is built on a worker, not on the event loop.
    expenses.list(Authenticated.userId(ctx), from, to, ctx.queryParams().get("category"), ExpenseCsv.MAX_ROWS)
        .compose(list -> ctx.vertx().executeBlocking(() -> ExpenseCsv.write(list.reversed()), false))
        .onSuccess(csv -> ctx.response().setStatusCode(200)
            .putHeader("content-type", "text/csv; charset=utf-8; header=present")
            .putHeader("content-disposition", "attachment; filename=\"expenses.csv\"")
            .end(csv))
        .onFailure(ctx::fail);
  }

  private void budgets(RoutingContext ctx) {
    String month = ctx.queryParams().get("month");
    YearMonth ym;
    try {
      ym = month == null || month.isBlank() ? null : YearMonth.parse(month.strip());
    } catch (DateTimeParseException e) {
      throw DomainException.invalid("month must be a year and month such as 2026-11");
    }
    Replies.json(ctx, 200, expenses.budgets(Authenticated.userId(ctx), ym, ctx.queryParams().get("category"))
        .map(list -> Replies.items(list, Budget::toJson)));
  }

  private void putBudget(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("amount", "currency");
    BigDecimal amount = amount(ctx, true);
    Replies.json(ctx, 200, expenses.putBudget(Authenticated.userId(ctx), ctx.pathParam("category"), amount,
        body.optionalString("currency", 3)).map(Budget::toJson));
  }

  private void deleteBudget(RoutingContext ctx) {
    Replies.noContent(ctx, expenses.deleteBudget(Authenticated.userId(ctx), ctx.pathParam("category")));
  }

  /**
   * The amount read from the JSON text itself, never through a double: a number token's digits or a string, both
   * held to a plain decimal ("12.50"); 1e3, NaN, "12,50" and negatives are refused.
   */
  private static BigDecimal amount(RoutingContext ctx, boolean required) {
    try (JsonParser parser = JSON.createParser(ctx.body().asString())) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (!name.equals("amount")) {
          parser.skipChildren();
          continue;
        }
        return switch (value) {
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_STRING -> Money.amount(parser.getText(), "amount");
          case VALUE_NULL -> throw DomainException.invalid(required ? "amount is required" : "amount cannot be null");
          default -> throw DomainException.invalid("amount must be a decimal string such as \"12.50\" or a number");
        };
      }
    } catch (IOException e) {
      throw new DomainException(DomainException.Kind.MALFORMED, "invalid_json", "The request body is not valid JSON");
    }
    if (required) {
      throw DomainException.invalid("amount is required");
    }
    return null;
  }

  private static Summary.GroupBy groupBy(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Summary.GroupBy.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("groupBy must be category, day or month");
    }
  }

  private static LocalDate date(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    return value == null || value.isBlank() ? null : date(value, name);
  }

  private static LocalDate date(String value, String name) {
    if (value == null) {
      return null;
    }
    LocalDate date;
    try {
      date = LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw DomainException.invalid(name + " must be a date such as 2026-11-18");
    }
    return DateRange.check(date, name);
  }

}
