package dev.aide.digest;

import dev.aide.expense.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * What a day's digest is written from: the day's agenda and the reminders due in it (times are the person's wall
 * clock), and the day before's spending, totalled per currency and never across currencies. It is stored with the
 * summary as its source data and is what the model is given, as quoted data.
 *
 * @param moreAgenda    occurrences left out of {@code agenda} to keep the digest short
 * @param moreReminders reminders left out of {@code reminders}
 */
public record DigestData(LocalDate date, ZoneId zone, String name, List<Item> agenda, int moreAgenda,
                         List<Item> reminders, int moreReminders, LocalDate spentOn, List<Spending> spending) {

  /** One line of the agenda or of the reminders: a local time ("09:00–10:00", "all day", "17:00") and a text. */
  public record Item(String time, String text, String location) {}

  /** A currency's spending on one day: its total and its categories, largest first. */
  public record Spending(String currency, BigDecimal total, List<Category> categories) {}

  /** A category's total in one currency. */
  public record Category(String category, BigDecimal total, long count) {}

  public JsonObject toJson() {
    return new JsonObject()
        .put("date", date.toString())
        .put("timezone", zone.getId())
        .put("agenda", new JsonArray(agenda.stream().map(DigestData::item).toList()))
        .put("moreAgenda", moreAgenda)
        .put("reminders", new JsonArray(reminders.stream().map(DigestData::item).toList()))
        .put("moreReminders", moreReminders)
        .put("spending", new JsonObject()
            .put("date", spentOn.toString())
            .put("currencies", new JsonArray(spending.stream().map(s -> new JsonObject()
                .put("currency", s.currency())
                .put("total", Money.format(s.total(), s.currency()))
                .put("categories", new JsonArray(s.categories().stream().map(c -> new JsonObject()
                    .put("category", c.category())
                    .put("total", Money.format(c.total(), s.currency()))
                    .put("count", c.count())).toList()))).toList())));
  }

  private static JsonObject item(Item item) {
    JsonObject json = new JsonObject().put("time", item.time()).put("text", item.text());
    return item.location() == null ? json : json.put("location", item.location());
  }
}
