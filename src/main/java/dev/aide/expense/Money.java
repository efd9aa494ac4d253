package dev.aide.expense;

import dev.aide.platform.error.DomainException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;
import java.util.regex.Pattern;

/** Exact amounts and ISO-4217 currencies: parsing, validation and writing with the currency's own decimals. */
public final class Money {

  /** What numeric(19,4) holds: up to 15 whole digits and 4 decimals. */
  private static final Pattern PLAIN_DECIMAL = Pattern.compile("^[0-9]{1,15}(\\.[0-9]{1,4})?$");

  private Money() {}

  /** A plain decimal such as "12.50" (no sign, exponent or separators), greater than zero. */
  public static BigDecimal amount(String text, String field) {
    if (text == null || !PLAIN_DECIMAL.matcher(text.strip()).matches()) {
      throw DomainException.invalid(field + " must be a positive decimal such as 12.50");
    }
    BigDecimal value = new BigDecimal(text.strip());
    if (value.signum() <= 0) {
      throw DomainException.invalid(field + " must be greater than zero");
    }
    return value;
  }

  /** An ISO-4217 code that java.util.Currency knows and that has minor units (not XXX, XAU, …); upper-cased. */
  public static String currency(String code, String field) {
    String upper = code == null ? "" : code.strip().toUpperCase(Locale.ROOT);
    if (!upper.matches("[A-Z]{3}")) {
      throw DomainException.invalid(field + " must be an ISO-4217 code such as USD or EUR");
    }
    try {
      if (Currency.getInstance(upper).getDefaultFractionDigits() < 0) {
        throw DomainException.invalid(field + " " + upper + " is not a currency of money");
      }
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid(field + " " + upper + " is not an ISO-4217 currency");
    }
    return upper;
  }

  /** Refuses more decimals than the currency has (12.345 USD, 1200.5 JPY): storing them would invent precision. */
  public static void checkScale(BigDecimal amount, String currency, String field) {
    int digits = Currency.getInstance(currency).getDefaultFractionDigits();
    if (amount.stripTrailingZeros().scale() > digits) {
      throw DomainException.invalid(field + " has more decimals than " + currency + " allows (" + digits + ")");
    }
  }

  /** The amount as the API writes it: a decimal string with the currency's decimals, e.g. "12.50", "1200". */
  public static String format(BigDecimal amount, String currency) {
    return amount.setScale(Currency.getInstance(currency).getDefaultFractionDigits(), RoundingMode.HALF_EVEN)
        .toPlainString();
  }

  /** For people: "$12.50", "€8.00", "¥1,200", "12.00 CHF". */
  public static String spoken(BigDecimal amount, String currency) {
    Currency c = Currency.getInstance(currency);
    BigDecimal scaled = amount.setScale(c.getDefaultFractionDigits(), RoundingMode.HALF_EVEN);
    String number = String.format(Locale.ROOT, "%,." + c.getDefaultFractionDigits() + "f", scaled);
    String symbol = switch (currency) {
      case "USD" -> "$";
      case "EUR" -> "€";
      case "GBP" -> "£";
      case "JPY" -> "¥";
      default -> null;
    };
    return symbol != null ? symbol + number : number + " " + currency;
  }
}
