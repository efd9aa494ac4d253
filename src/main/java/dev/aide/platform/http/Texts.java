package dev.aide.platform.http;

/** The rule every feature applies to the text people give: trimmed, length-checked, blank meaning absent. */
public final class Texts {

  private Texts() {}

  /** Trimmed text that must not be blank: 422 naming the field otherwise. */
  public static String required(String value, String field, int max) {
    String trimmed = optional(value, field, max);
    if (trimmed == null) {
      throw ApiException.invalid(field + " is required");
    }
    return trimmed;
  }

  /** Trimmed text, or null when absent or blank. */
  public static String optional(String value, String field, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.strip();
    if (trimmed.length() > max) {
      throw ApiException.invalid(field + " must be at most " + max + " characters");
    }
    return trimmed;
  }
}
