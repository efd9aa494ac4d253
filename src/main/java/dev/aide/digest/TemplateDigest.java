package dev.aide.digest;

import dev.aide.expense.Money;
import io.vertx.core.Future;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The digest without a model: the same three sections every day, in plain text that reads well in any channel. */
public final class TemplateDigest implements DigestWriter {

  public static final String MODEL = "template";
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM", Locale.ENGLISH);

  @Override
  public Future<Written> write(DigestData data, int attempt) {
    return Future.succeededFuture(new Written(text(data), MODEL, null, null, null));
  }

  static String text(DigestData data) {
    StringBuilder out = new StringBuilder("Your day, ").append(DAY.format(data.date())).append('\n');
    out.append("\nToday\n");
    items(out, data.agenda(), data.moreAgenda(), "Nothing on your calendar.", "more on your calendar");
    out.append("\nReminders\n");
    items(out, data.reminders(), data.moreReminders(), "No reminders due today.", "more reminders");
    out.append("\nYesterday's spending\n");
    if (data.spending().isEmpty()) {
      out.append("No spending recorded.\n");
    }
    for (DigestData.Spending spending : data.spending()) {
      out.append("• ").append(Money.spoken(spending.total(), spending.currency())).append(": ")
          .append(spending.categories().stream()
              .map(c -> c.category() + " " + Money.spoken(c.total(), spending.currency()))
              .collect(Collectors.joining(", ")))
          .append('\n');
    }
    return out.toString().stripTrailing();
  }

  private static void items(StringBuilder out, List<DigestData.Item> items, int more, String none, String moreText) {
    if (items.isEmpty()) {
      out.append(none).append('\n');
    }
    for (DigestData.Item item : items) {
      out.append("• ").append(item.time()).append(' ').append(item.text());
      if (item.location() != null) {
        out.append(" (").append(item.location()).append(')');
      }
      out.append('\n');
    }
    if (more > 0) {
      out.append("…and ").append(more).append(' ').append(moreText).append('\n');
    }
  }
}
