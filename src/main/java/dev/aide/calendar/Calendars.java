package dev.aide.calendar;

import dev.aide.conversation.Quoted;
import java.util.List;
import java.util.Locale;

/**
 * Which of a person's calendars (their own and those copied from connected accounts) a name they said means: the
 * one whose name is the same, case aside ("work", "my Work calendar"), else the only one whose name holds it. None or
 * several: the answer names the calendars there are, and nothing is done. Two calendars of the same name (two
 * accounts' "Work") are listed with their ids, and a calendar's id names it too: only among the person's own.
 */
final class Calendars {

  private Calendars() {}

  /** The calendar meant, or (calendar null) the message that says why none is. */
  record Choice(Calendar calendar, String message) {}

  static Choice choose(List<Calendar> calendars, String said) {
    String wanted = normal(said);
    java.util.Optional<Calendar> byId = calendars.stream()
        .filter(c -> c.id().toString().equalsIgnoreCase(said == null ? "" : said.strip())).findFirst();
    if (byId.isPresent()) {
      return new Choice(byId.get(), null);
    }
    if (wanted.isEmpty()) {
      return new Choice(null, "Error: name a calendar. " + listing(calendars));
    }
    List<Calendar> same = calendars.stream().filter(c -> normal(c.name()).equals(wanted)).toList();
    List<Calendar> matching = same.isEmpty()
        ? calendars.stream().filter(c -> normal(c.name()).contains(wanted)).toList() : same;
    if (matching.size() == 1) {
      return new Choice(matching.getFirst(), null);
    }
    return new Choice(null, "Error: " + (matching.isEmpty() ? "no calendar of the user's is called "
        : "several calendars of the user's match ") + Quoted.of(said.strip()) + "; nothing was done. "
        + listing(calendars) + " Ask the user which one they mean" + (twins(calendars).isEmpty() ? "."
        : "; for one of two calendars of the same name, call again with its calendarId as the name."));
  }

  /** "The user's calendars: "Calendar" (primary), "Work" (new events go here)." */
  static String listing(List<Calendar> calendars) {
    java.util.Set<String> twins = twins(calendars);
    StringBuilder out = new StringBuilder("The user's calendars: ");
    for (int i = 0; i < calendars.size(); i++) {
      Calendar c = calendars.get(i);
      out.append(i == 0 ? "" : ", ").append(Quoted.of(c.name()))
          .append(c.takesNewEvents() ? " (new events go here)" : c.primary() ? " (primary)" : "")
          .append(twins.contains(normal(c.name())) ? " [calendarId " + c.id() + "]" : "");
    }
    return out.append('.').toString();
  }

  /** The names (as compared) that more than one of the calendars has. */
  private static java.util.Set<String> twins(List<Calendar> calendars) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.Set<String> twice = new java.util.HashSet<>();
    calendars.forEach(c -> {
      if (!seen.add(normal(c.name()))) {
        twice.add(normal(c.name()));
      }
    });
    return twice;
  }

  /** A calendar's name as compared: lower case, single spaces, without "my"/"the" before or "calendar" after. */
  private static String normal(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    n = n.replaceFirst("^(?:my|the|our) ", "");
    String bare = n.replaceFirst(" ?\\bcalendar$", "").strip();
    return bare.isEmpty() ? n : bare;
  }
}
