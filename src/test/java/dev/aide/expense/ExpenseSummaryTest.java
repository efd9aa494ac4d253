package dev.aide.expense;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Spending is summed exactly by category, day and month, each currency on its own")
class ExpenseSummaryTest {

  // Wednesday 18 November 2026, 10:15 in Paris.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T09:15:00Z"), ZoneOffset.UTC);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK)
      .freshEachTest()
      .person("sum@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @BeforeEach
  void client() {
    add("0.10", "USD", "food", "2026-11-01");
    add("0.20", "USD", "food", "2026-11-01");
    add("19.99", "USD", "transport", "2026-11-02");
    add("8", "EUR", "food", "2026-11-02");
    add("1200", "JPY", "transport", "2026-11-17");
    add("5.01", "USD", "food", "2026-10-31");
    add("100", "USD", "travel", "2026-12-01");
  }

  @Test
  @DisplayName("by category: 0.10 + 0.20 is exactly 0.30, and euros and yen are not added to dollars")
  void byCategory() {
    JsonObject summary = api.get("/api/v1/expenses/summary?from=2026-11-01&to=2026-11-30&groupBy=category").json();

    assertThat(summary.getString("from")).isEqualTo("2026-11-01");
    assertThat(summary.getString("to")).isEqualTo("2026-11-30");
    assertThat(summary.getString("groupBy")).isEqualTo("category");
    assertThat(summary.containsKey("currency")).isFalse();
    assertThat(summary.getJsonArray("groups")).isEqualTo(new JsonArray()
        .add(group("food", "8.00", "EUR", 1))
        .add(group("food", "0.30", "USD", 2))
        .add(group("transport", "1200", "JPY", 1))
        .add(group("transport", "19.99", "USD", 1)));
    assertThat(summary.getJsonArray("totals")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("currency", "EUR").put("total", "8.00").put("count", 1))
        .add(new JsonObject().put("currency", "JPY").put("total", "1200").put("count", 1))
        .add(new JsonObject().put("currency", "USD").put("total", "20.29").put("count", 3)));
  }

  @Test
  @DisplayName("by day and by month, inclusive of both ends")
  void byDayAndMonth() {
    JsonArray days = api.get("/api/v1/expenses/summary?from=2026-10-31&to=2026-11-02&groupBy=day").json()
        .getJsonArray("groups");
    assertThat(days).isEqualTo(new JsonArray()
        .add(group("2026-10-31", "5.01", "USD", 1))
        .add(group("2026-11-01", "0.30", "USD", 2))
        .add(group("2026-11-02", "8.00", "EUR", 1))
        .add(group("2026-11-02", "19.99", "USD", 1)));

    JsonObject months = api.get("/api/v1/expenses/summary?from=2026-10-01&to=2026-12-31&groupBy=month").json();
    assertThat(months.getJsonArray("groups")).isEqualTo(new JsonArray()
        .add(group("2026-10", "5.01", "USD", 1))
        .add(group("2026-11", "8.00", "EUR", 1))
        .add(group("2026-11", "1200", "JPY", 1))
        .add(group("2026-11", "20.29", "USD", 3))
        .add(group("2026-12", "100.00", "USD", 1)));
  }

  @Test
  @DisplayName("one category in one currency names its currency; with no dates the summary is this month so far")
  void defaultsAndOneCurrency() {
    JsonObject food = api.get("/api/v1/expenses/summary?category=Food&from=2026-10-01&to=2026-11-30").json();
    assertThat(food.getString("currency")).isNull();
    JsonObject transport = api.get("/api/v1/expenses/summary?category=transport&from=2026-11-01&to=2026-11-10").json();
    assertThat(transport.getString("currency")).isEqualTo("USD");
    assertThat(transport.getJsonArray("totals").getJsonObject(0).getString("total")).isEqualTo("19.99");

    JsonObject month = api.get("/api/v1/expenses/summary").json();
    assertThat(month.getString("from")).isEqualTo("2026-11-01");
    assertThat(month.getString("to")).isEqualTo("2026-11-18");
    assertThat(month.getJsonArray("groups")).hasSize(4);
  }

  @Test
  @DisplayName("a budget's remaining amount counts only its category, its currency and its month")
  void budgetsRemaining() {
    put("food", new JsonObject().put("amount", "10"));
    put("transport", new JsonObject().put("amount", "5000").put("currency", "JPY"));
    add("12.00", "USD", "food", "2026-11-18");

    JsonArray items = api.get("/api/v1/budgets").json().getJsonArray("items");
    assertThat(items).isEqualTo(new JsonArray()
        .add(new JsonObject().put("category", "food").put("amount", "10.00").put("currency", "USD")
            .put("month", "2026-11").put("spent", "12.30").put("remaining", "-2.30"))
        .add(new JsonObject().put("category", "transport").put("amount", "5000").put("currency", "JPY")
            .put("month", "2026-11").put("spent", "1200").put("remaining", "3800")));
    assertThat(api.get("/api/v1/budgets?month=2026-10").json().getJsonArray("items").getJsonObject(0)
        .getString("spent")).isEqualTo("5.01");
  }

  private void add(String amount, String currency, String category, String day) {
    Api.Response r = api.post("/api/v1/expenses", new JsonObject().put("amount", amount).put("currency", currency)
        .put("category", category).put("spentOn", day));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private void put(String category, JsonObject body) {
    Api.Response r = api.send(HttpMethod.PUT, "/api/v1/budgets/" + category, body.toBuffer(), "application/json");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static JsonObject group(String key, String total, String currency, int count) {
    return new JsonObject().put("key", key).put("total", total).put("currency", currency).put("count", count);
  }
}
