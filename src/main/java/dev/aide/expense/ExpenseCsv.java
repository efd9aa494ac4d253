package dev.aide.expense;

import java.util.List;

/** Expenses as RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line end. */
public final class ExpenseCsv {

  /** The most rows one export holds. */
  public static final int MAX_ROWS = 100_000;
  private static final String HEADER = "id,spentOn,amount,currency,category,description,merchant,createdAt";

  private ExpenseCsv() {}

  public static String write(List<Expense> expenses) {
    StringBuilder out = new StringBuilder(HEADER).append("\r\n");
    for (Expense e : expenses) {
      out.append(e.id()).append(',')
          .append(e.spentOn()).append(',')
          .append(Money.format(e.amount(), e.currency())).append(',')
          .append(e.currency()).append(',')
          .append(field(e.category())).append(',')
          .append(field(e.description())).append(',')
          .append(field(e.merchant())).append(',')
          .append(dev.aide.platform.http.Times.iso(e.createdAt()))
          .append("\r\n");
    }
    return out.toString();
  }

  static String field(String value) {
    if (value == null) {
      return "";
    }
    if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }
}
