package dev.aide.expense;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Money a person spent on a day: an exact amount in an ISO-4217 currency, a category, what it was and where. */
public record Expense(UUID id, UUID userId, BigDecimal amount, String currency, String category, String description,
                      String merchant, LocalDate spentOn, OffsetDateTime createdAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("amount", Money.format(amount, currency))
        .put("currency", currency)
        .put("category", category)
        .put("description", description)
        .put("merchant", merchant)
        .put("spentOn", spentOn.toString())
        .put("createdAt", Times.iso(createdAt));
  }
}
