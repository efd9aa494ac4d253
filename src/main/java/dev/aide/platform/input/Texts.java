package dev.aide.platform.input;

import dev.aide.platform.error.DomainException;

/**
 * The rule every feature applies to the text people give: trimmed, length-checked, blank meaning absent, and made
 * only of characters a person types. NUL (U+0000) cannot be stored at all (PostgreSQL's text and jsonb refuse it),
 * and the other C0 control characters but tab, line feed and carriage return are invisible, break the messages,
 * CSV and HTML Aide writes, and are never typed: all are refused as invalid, naming the field, at the HTTP edge (every string of a
 * JSON body, every query parameter) and in the services the assistant's tools call.
 */
public final class Texts {

  private Texts() {}

  /** Trimmed text that must not be blank: 422 naming the field otherwise. */
  public static String required(String value, String field, int max) {
    String trimmed = optional(value, field, max);
    if (trimmed == null) {
      throw DomainException.invalid(field + " is required");
    }
    return trimmed;
  }

  /** Trimmed text, or null when absent or blank. */
  public static String optional(String value, String field, int max) {
    if (value == null || checkCharacters(value, field).isBlank()) {
      return null;
    }
    String trimmed = value.strip();
    if (trimmed.length() > max) {
      throw DomainException.invalid(field + " must be at most " + max + " characters");
    }
    return trimmed;
  }

  /** The text itself (null passes), or invalid, naming the field and the first character refused. */
  public static String checkCharacters(String value, String field) {
    int bad = firstRefused(value);
    if (bad >= 0) {
      char c = value.charAt(bad);
      throw DomainException.invalid(field + " must not contain control characters such as "
          + String.format("U+%04X", (int) c) + (c == 0 ? " (NUL)" : "") + "; only tabs and line breaks are allowed");
    }
    return value;
  }

  /** Whether the text holds only characters Aide accepts (see the class comment). */
  public static boolean acceptable(String value) {
    return firstRefused(value) < 0;
  }

  private static int firstRefused(String value) {
    if (value == null) {
      return -1;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return i;
      }
    }
    return -1;
  }
}
