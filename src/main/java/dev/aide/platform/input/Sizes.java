package dev.aide.platform.input;

import java.util.Locale;

/** Byte counts as a person reads them in a limit ("20 MB", "512 KB"), in binary units as the limits are set. */
public final class Sizes {

  private static final long KB = 1024;
  private static final long MB = 1024 * KB;

  private Sizes() {}

  public static String of(long bytes) {
    if (bytes >= MB) {
      return number((double) bytes / MB) + " MB";
    }
    if (bytes >= KB) {
      return number((double) bytes / KB) + " KB";
    }
    return bytes + " bytes";
  }

  /** Whole numbers without decimals, others with one: "20", "1.5". */
  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
  }
}
