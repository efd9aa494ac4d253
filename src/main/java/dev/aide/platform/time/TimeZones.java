package dev.aide.platform.time;

import java.time.ZoneId;
import java.util.Optional;

/**
 * The time zones a person may choose: an IANA region name (Europe/Paris, America/New_York) or UTC, so the zone's
 * daylight-saving rules come with it. Fixed offsets ("+02:00", "GMT+2") are refused for that reason, and so are the
 * SystemV names, which the IANA database dropped (2020b) and which Java keeps only for old data.
 */
public final class TimeZones {

  private TimeZones() {}

  /** The zone named by {@code id}, or empty when it is not one a person may choose. */
  public static Optional<ZoneId> parse(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String name = id.strip();
    if (name.equals("UTC")) {
      return Optional.of(ZoneId.of(name));
    }
    if (!name.contains("/") || name.startsWith("SystemV/") || !ZoneId.getAvailableZoneIds().contains(name)) {
      return Optional.empty();
    }
    return Optional.of(ZoneId.of(name));
  }
}
