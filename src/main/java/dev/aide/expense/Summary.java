package dev.aide.expense;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Totals of a period grouped by category, day or month; each currency is added up on its own, never converted. */
public record Summary(LocalDate from, LocalDate to, GroupBy groupBy, String category, List<Group> groups) {

  /** How expenses are grouped. */
  public enum GroupBy {
    CATEGORY, DAY, MONTH;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One group's total in one currency. */
  public record Group(String key, String currency, BigDecimal total, long count) {}

  /** The total of the whole period per currency, in currency order. */
  public Map<String, Group> totals() {
    Map<String, Group> totals = new TreeMap<>();
    for (Group g : groups) {
      totals.merge(g.currency(), new Group("total", g.currency(), g.total(), g.count()),
          (a, b) -> new Group("total", a.currency(), a.total().add(b.total()), a.count() + b.count()));
    }
    return totals;
  }

  public JsonObject toJson() {
    Map<String, Group> totals = totals();
    JsonObject json = new JsonObject()
        .put("from", from.toString())
        .put("to", to.toString())
        .put("groupBy", groupBy.wire());
    if (category != null) {
      json.put("category", category);
    }
    if (totals.size() == 1) {
      json.put("currency", totals.keySet().iterator().next());
    }
    json.put("groups", new JsonArray(groups.stream().map(g -> new JsonObject()
        .put("key", g.key()).put("total", Money.format(g.total(), g.currency())).put("currency", g.currency())
        .put("count", g.count())).toList()));
    json.put("totals", new JsonArray(totals.values().stream().map(t -> new JsonObject()
        .put("currency", t.currency()).put("total", Money.format(t.total(), t.currency())).put("count", t.count()))
        .toList()));
    return json;
  }
}
