package dev.aide.calendar;

import dev.aide.calendar.Availability.Slot;
import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.Quoted;
import dev.aide.conversation.ToolResults;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The assistant's availability tools: free slots in a period ("when am I free tomorrow afternoon for an hour?") and
 * whether a time is free ("am I free on Friday at 3?"), answered in the person's time. At most
 * {@value #MAX_SLOTS} slots are named; the rest are counted.
 */
public final class AvailabilityTools {

  public static final int MAX_SLOTS = 6;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

  private final AvailabilityService availability;
  private final Clock clock;

  public AvailabilityTools(AvailabilityService availability, Clock clock) {
    this.availability = availability;
    this.clock = clock;
  }

  @Tool(name = "findFreeSlots", value = "Find the user's free time within their working hours in a period, e.g. for"
      + " 'when am I free tomorrow afternoon for an hour?'")
  public String findFreeSlots(
      @ToolMemoryId ConversationKey key,
      @P("start of the period, ISO-8601 date-time with the user's UTC offset") String from,
      @P("end of the period (exclusive), ISO-8601 date-time with the user's UTC offset") String to,
      @P(value = "how long the free time must be, in minutes (default 30)", required = false) Integer durationMinutes) {
    return ToolResults.attempt("from and to must be ISO-8601 date-times such as 2026-11-19T12:00:00+01:00.", () -> {
      ZoneId zone = key.timezone();
      OffsetDateTime start = instant(from, zone);
      OffsetDateTime end = instant(to, zone);
      int minutes = durationMinutes == null ? 30 : durationMinutes;
      if (minutes < 1 || minutes > 24 * 60) {
        return "Error: durationMinutes must be between 1 and 1440.";
      }
      List<Slot> slots = availability.freeSlots(key.userId(), start, end, Duration.ofMinutes(minutes)).await();
      if (slots.isEmpty()) {
        return "No free time of " + length(minutes) + " within your working hours " + period(start, end, zone) + ".";
      }
      Map<LocalDate, List<String>> byDay = new LinkedHashMap<>();
      slots.stream().limit(MAX_SLOTS).forEach(s -> byDay.computeIfAbsent(
          s.start().atZoneSameInstant(zone).toLocalDate(), d -> new ArrayList<>()).add(span(s.start(), s.end(), zone)));
      LocalDate today = LocalDate.now(clock.withZone(zone));
      List<String> parts = new ArrayList<>();
      byDay.forEach((day, spans) -> parts.add(dayName(day, today)
          + ": " + String.join(", ", spans)));
      String out = "Free " + String.join("; ", parts) + ".";
      if (slots.size() > MAX_SLOTS) {
        out += " (" + (slots.size() - MAX_SLOTS) + " more later.)";
      }
      return out;
    });
  }

  @Tool(name = "isFree", value = "Check whether the user is free at a given time, e.g. 'am I free on Friday at 3?';"
      + " the answer names the events in the way")
  public String isFree(
      @ToolMemoryId ConversationKey key,
      @P("start of the time, ISO-8601 date-time with the user's UTC offset") String start,
      @P(value = "end of the time, ISO-8601 date-time; leave out for one hour", required = false) String end) {
    return ToolResults.attempt("start and end must be ISO-8601 date-times such as 2026-11-20T15:00:00+01:00.", () -> {
      ZoneId zone = key.timezone();
      OffsetDateTime from = instant(start, zone);
      OffsetDateTime to = end == null || end.isBlank() ? from.plusHours(1) : instant(end, zone);
      AvailabilityService.Check check = availability.check(key.userId(), from, to).await();
      String when = DAY.format(from.atZoneSameInstant(zone)) + " " + span(from, to, zone);
      if (check.free()) {
        return "Yes, you're free on " + when + (check.withinWorkingHours() ? "" : " (outside your working hours)") + ".";
      }
      return "No, on " + when + " you have " + String.join("; ", check.conflicts().stream()
          .map(o -> Quoted.of(o.title()) + " " + span(o.start(), o.end(), zone)).toList()) + ".";
    });
  }

  /** "today (Wed 18 Nov)", "tomorrow (Thu 19 Nov)", otherwise "Fri 20 Nov". */
  private static String dayName(LocalDate day, LocalDate today) {
    return day.equals(today) ? "today (" + DAY.format(day) + ")"
        : day.equals(today.plusDays(1)) ? "tomorrow (" + DAY.format(day) + ")" : DAY.format(day);
  }

  private static String span(OffsetDateTime start, OffsetDateTime end, ZoneId zone) {
    ZonedDateTime a = start.atZoneSameInstant(zone);
    ZonedDateTime b = end.atZoneSameInstant(zone);
    return TIME.format(a) + "–" + (b.toLocalDate().equals(a.toLocalDate()) ? "" : DAY.format(b) + " ") + TIME.format(b);
  }

  private static String period(OffsetDateTime from, OffsetDateTime to, ZoneId zone) {
    ZonedDateTime a = from.atZoneSameInstant(zone);
    ZonedDateTime b = to.atZoneSameInstant(zone);
    return "from " + DAY.format(a) + " " + TIME.format(a) + " to " + DAY.format(b) + " " + TIME.format(b);
  }

  private static String length(int minutes) {
    return minutes % 60 == 0 ? (minutes / 60) + (minutes == 60 ? " hour" : " hours") : minutes + " minutes";
  }

  /** Models sometimes drop the offset: a local date-time is read in the user's timezone. */
  private static OffsetDateTime instant(String value, ZoneId zone) {
    String v = value == null ? "" : value.strip();
    try {
      return OffsetDateTime.parse(v);
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(v).atZone(zone).toOffsetDateTime();
    }
  }
}
