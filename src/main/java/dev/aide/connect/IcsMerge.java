package dev.aide.connect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Write-back that keeps what Aide does not model: Aide's text of an event, with each VEVENT given back the
 * properties the server's copy of the same VEVENT (master, or the occurrence of the same RECURRENCE-ID) had and Aide
 * does not write — URL, CATEGORIES, ORGANIZER, CLASS, ATTACH, X- properties and the like — its attendees' parameters
 * (their answers, names) for the addresses Aide keeps, and the alarms after the first (Aide models one alert, the
 * first). Read at the text level, lines unfolded (RFC 5545 3.1) and folded again at 75 octets.
 */
final class IcsMerge {

  /** What Aide writes of an event: from Aide's text only, even when absent (removed in Aide). */
  private static final Set<String> MODELLED = Set.of("UID", "DTSTAMP", "LAST-MODIFIED", "DTSTART", "DTEND",
      "DURATION", "RECURRENCE-ID", "SUMMARY", "DESCRIPTION", "LOCATION", "STATUS", "RRULE", "EXDATE", "ATTENDEE");

  private IcsMerge() {}

  /** Aide's text merged with the server's last copy; Aide's own text when the server's cannot be read. */
  static String merge(String server, String aide) {
    try {
      Map<String, Block> serverEvents = new HashMap<>();
      List<String> serverLines = unfold(server);
      for (int i = 0; i < serverLines.size(); i++) {
        if (serverLines.get(i).equalsIgnoreCase("BEGIN:VEVENT")) {
          int end = end(serverLines, i, "VEVENT");
          Block b = Block.of(serverLines.subList(i + 1, end));
          serverEvents.putIfAbsent(b.key(), b);
          i = end;
        }
      }
      List<String> aideLines = unfold(aide);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < aideLines.size(); i++) {
        String line = aideLines.get(i);
        if (!line.equalsIgnoreCase("BEGIN:VEVENT")) {
          out.add(line);
          continue;
        }
        int end = end(aideLines, i, "VEVENT");
        Block mine = Block.of(aideLines.subList(i + 1, end));
        Block theirs = serverEvents.get(mine.key());
        out.add(line);
        out.addAll(theirs == null ? mine.lines() : mine.with(theirs));
        out.add(aideLines.get(end));
        i = end;
      }
      StringBuilder text = new StringBuilder();
      out.forEach(l -> text.append(fold(l)).append("\r\n"));
      return text.toString();
    } catch (RuntimeException e) {
      return aide;
    }
  }

  /** A VEVENT's properties (unfolded lines) and its sub-components (VALARMs), each as its lines. */
  private record Block(List<String> props, List<List<String>> parts) {

    static Block of(List<String> lines) {
      List<String> props = new ArrayList<>();
      List<List<String>> parts = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (name(line).equals("BEGIN")) {
          String type = line.substring(6).strip().toUpperCase(Locale.ROOT);
          int end = end(lines, i, type);
          parts.add(new ArrayList<>(lines.subList(i, end + 1)));
          i = end;
        } else {
          props.add(line);
        }
      }
      return new Block(props, parts);
    }

    String key() {
      return props.stream().filter(p -> name(p).equals("RECURRENCE-ID")).map(IcsMerge::value).findFirst()
          .orElse("");
    }

    List<String> lines() {
      List<String> out = new ArrayList<>(props);
      parts.forEach(out::addAll);
      return out;
    }

    /** These properties, with the server's unmodelled ones, attendees' parameters and later alarms. */
    List<String> with(Block server) {
      Map<String, String> attendees = new HashMap<>();
      Set<String> mine = new HashSet<>();
      props.forEach(p -> mine.add(name(p)));
      for (String p : server.props) {
        if (name(p).equals("ATTENDEE")) {
          attendees.putIfAbsent(value(p).toLowerCase(Locale.ROOT), p);
        }
      }
      List<String> out = new ArrayList<>();
      for (String p : props) {
        out.add(name(p).equals("ATTENDEE") ? attendees.getOrDefault(value(p).toLowerCase(Locale.ROOT), p) : p);
      }
      for (String p : server.props) {
        String name = name(p);
        if (!MODELLED.contains(name) && !mine.contains(name)) {
          out.add(p);
        }
      }
      List<List<String>> alarms = new ArrayList<>();
      List<List<String>> others = new ArrayList<>();
      for (List<String> part : server.parts) {
        (part.getFirst().equalsIgnoreCase("BEGIN:VALARM") ? alarms : others).add(part);
      }
      parts.forEach(out::addAll);
      alarms.stream().skip(1).forEach(out::addAll);
      others.forEach(out::addAll);
      return out;
    }
  }

  private static int end(List<String> lines, int begin, String type) {
    int depth = 0;
    for (int i = begin; i < lines.size(); i++) {
      String name = name(lines.get(i));
      String what = value(lines.get(i)).strip();
      if (name.equals("BEGIN") && what.equalsIgnoreCase(type)) {
        depth++;
      } else if (name.equals("END") && what.equalsIgnoreCase(type) && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("no END:" + type);
  }

  private static List<String> unfold(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.replaceAll("\r?\n[ \t]", "").split("\r?\n")) {
      if (!line.isEmpty()) {
        out.add(line);
      }
    }
    return out;
  }

  /** A content line's property name, upper case. */
  private static String name(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != ';' && line.charAt(i) != ':') {
      i++;
    }
    return line.substring(0, i).toUpperCase(Locale.ROOT);
  }

  /** A content line's value: after the first colon outside a quoted parameter. */
  private static String value(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ':' && !quoted) {
        return line.substring(i + 1);
      }
    }
    return "";
  }

  /** A line folded at 75 octets, never inside a character. */
  private static String fold(String line) {
    if (line.getBytes(StandardCharsets.UTF_8).length <= 75) {
      return line;
    }
    StringBuilder out = new StringBuilder();
    int octets = 0;
    int limit = 75;
    for (int i = 0; i < line.length(); ) {
      int cp = line.codePointAt(i);
      int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (octets + size > limit) {
        out.append("\r\n ");
        octets = 0;
        limit = 74;
      }
      out.appendCodePoint(cp);
      octets += size;
      i += Character.charCount(cp);
    }
    return out.toString();
  }
}
