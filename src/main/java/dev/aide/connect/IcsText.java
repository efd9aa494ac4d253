package dev.aide.connect;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/** iCalendar text for one calendar object, written from a provider's JSON (RFC 5545: escaped text, dates, times). */
final class IcsText {

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
  private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;
  private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

  private final StringBuilder text = new StringBuilder(
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Aide//Calendar sync//EN\r\n");

  IcsText begin() {
    return line("BEGIN:VEVENT");
  }

  IcsText end() {
    return line("END:VEVENT");
  }

  String finish() {
    return text + "END:VCALENDAR\r\n";
  }

  IcsText line(String line) {
    text.append(line.replaceAll("[\\r\\n]", "")).append("\r\n");
    return this;
  }

  /** A text property, escaped; nothing when the value is null or blank. */
  IcsText text(String name, String value) {
    if (value == null || value.isBlank()) {
      return this;
    }
    String escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\n")
        .replace("\r", "\n").replace("\n", "\\n");
    text.append(name).append(':').append(escaped.replaceAll("\\p{Cntrl}", " ")).append("\r\n");
    return this;
  }

  IcsText date(String name, LocalDate date) {
    return line(name + ";VALUE=DATE:" + DATE.format(date));
  }

  IcsText utc(String name, Instant at) {
    return line(name + ":" + LOCAL.format(at.atOffset(ZoneOffset.UTC)) + "Z");
  }

  /** A time in its zone when the zone is an IANA one (a series keeps its wall-clock time there), else in UTC. */
  IcsText time(String name, Instant at, String zone) {
    if (zone != null && ZONES.contains(zone) && !zone.equals("UTC")) {
      return line(name + ";TZID=" + zone + ":" + LOCAL.format(LocalDateTime.ofInstant(at, ZoneId.of(zone))));
    }
    return utc(name, at);
  }

  static boolean knownZone(String zone) {
    return zone != null && ZONES.contains(zone);
  }
}
