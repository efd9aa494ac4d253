package dev.aide.platform.input;

import dev.aide.platform.error.DomainException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The rule for tags people put on notes and memories: a word of letters, digits, '-' or '_', lower-cased. */
public final class Tags {

  public static final int MAX_TAGS = 20;
  public static final int MAX_TAG = 50;
  private static final Pattern TAG = Pattern.compile("^[\\p{L}\\p{N}_-]+$");

  private Tags() {}

  /** Tags are lower-cased, a leading '#' dropped, duplicates removed, order kept; null is none. */
  public static List<String> normalize(List<String> tags) {
    if (tags == null) {
      return List.of();
    }
    if (tags.size() > MAX_TAGS) {
      throw DomainException.invalid("at most " + MAX_TAGS + " tags");
    }
    LinkedHashSet<String> clean = new LinkedHashSet<>();
    for (String tag : tags) {
      clean.add(one(tag));
    }
    return new ArrayList<>(clean);
  }

  /** One tag, normalized, or invalid. */
  public static String one(String tag) {
    String t = tag == null ? "" : tag.strip();
    if (t.startsWith("#")) {
      t = t.substring(1);
    }
    t = t.toLowerCase(Locale.ROOT);
    if (t.isEmpty() || t.length() > MAX_TAG || !TAG.matcher(t).matches()) {
      throw DomainException.invalid("a tag is a word of letters, digits, '-' or '_' (at most " + MAX_TAG + " characters)");
    }
    return t;
  }
}
