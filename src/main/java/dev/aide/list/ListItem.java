package dev.aide.list;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.UUID;

/** One entry of a list: what, optionally how much (an exact decimal) of which unit, and whether it is done. */
public record ListItem(UUID id, UUID listId, String text, BigDecimal quantity, String unit, String category,
                       boolean done, int position) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("text", text)
        .put("quantity", quantity == null ? null : plain(quantity))
        .put("unit", unit)
        .put("category", category)
        .put("done", done)
        .put("position", position);
  }

  /** "2 kg apples", "3 bananas", "milk". */
  public String spoken() {
    if (quantity == null) {
      return text;
    }
    return plain(quantity).toPlainString() + " " + (unit == null ? "" : unit + " ") + text;
  }

  /** Whether this item names the same thing, ignoring case and a leading article. */
  public boolean sameThing(String other) {
    String a = key(text);
    String b = key(other);
    return a.equals(b) || singular(a).equals(singular(b));
  }

  private static String singular(String key) {
    if (key.endsWith("ies") && key.length() > 4) {
      return key.substring(0, key.length() - 3) + "y";
    }
    if (key.endsWith("oes") && key.length() > 4) {
      return key.substring(0, key.length() - 2);
    }
    return key.endsWith("s") && !key.endsWith("ss") && key.length() > 2 ? key.substring(0, key.length() - 1) : key;
  }

  static String key(String text) {
    return text.strip().toLowerCase(Locale.ROOT).replaceFirst("^(the|a|an|some|my)\\s+", "").replaceAll("\\s+", " ");
  }

  static BigDecimal plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
