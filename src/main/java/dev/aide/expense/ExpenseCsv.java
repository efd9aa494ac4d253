package dev.aide.expense;

import java.util.List;
import java.util.regex.Pattern;

/** Expenses as RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line end. */
public final class ExpenseCsv {

  /** The most rows one export holds. */
  public static final int MAX_ROWS = 100_000;
  private static final String FORMULA_START = "=+-@\t\r";
  private static final Pattern NUMBER = Pattern.compile("^[+-]?[0-9]+([.,][0-9]+)?$");
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
          .append(dev.aide.platform.time.Times.iso(e.createdAt()))
          .append("\r\n");
    }
    return out.toString();
  }

  /**
   * A text cell as RFC 4180 writes it, neutralised against formula injection as OWASP recommends: a cell that starts
   * with = + - @, a tab or a carriage return would be run as a formula by Excel, LibreOffice or Google Sheets
   * ({@code =HYPERLINK(…)}, {@code @SUM(…)}), so it gets a leading single quote and is shown as the text it is. A cell
   * that is just a number ({@code -12.50}, {@code +3}) cannot be a formula and stays a number.
   */
  static String field(String value) {
    if (value == null) {
      return "";
    }
    if (!value.isEmpty() && FORMULA_START.indexOf(value.charAt(0)) >= 0 && !NUMBER.matcher(value).matches()) {
      value = "'" + value;
    }
    if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }
}
