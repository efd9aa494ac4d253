package dev.aide.expense;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.YearMonth;

/**
 * A monthly budget for one category and how it stands in a month: spent counts the expenses of that category in the
 * budget's currency (other currencies are not converted), remaining may be negative when the budget is exceeded.
 */
public record Budget(String category, BigDecimal amount, String currency, YearMonth month, BigDecimal spent) {

  public BigDecimal remaining() {
    return amount.subtract(spent);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("category", category)
        .put("amount", Money.format(amount, currency))
        .put("currency", currency)
        .put("month", month.toString())
        .put("spent", Money.format(spent, currency))
        .put("remaining", Money.format(remaining(), currency));
  }
}
