package dev.aide.calendar;

import dev.aide.auth.WorkingHours;
import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Free time, computed without I/O: the parts of a window that fall inside the person's working hours and outside
 * their events, each at least a requested length.
 *
 * <p>Choices: working hours are wall-clock times in the person's timezone on their working days, so a day of a
 * daylight-saving change keeps 09:00–17:00 local (and a working-hours bound inside a spring-forward gap moves
 * forward, as java.time does). Cancelled occurrences take no time. All-day events (holidays, birthdays, "working
 * from home") do not block time, the same rule as the calendar's conflicts; tentative events do. Overlapping and
 * touching events are merged. The parts of day that callers turn into windows are: morning 09:00–12:00,
 * afternoon 12:00–17:00, evening 17:00–21:00 — clipped to working hours here like any window.
 */
public final class Availability {

  private Availability() {}

  /** A free stretch of time, shown in the person's timezone. */
  public record Slot(OffsetDateTime start, OffsetDateTime end) {

    public Duration length() {
      return Duration.between(start, end);
    }

    public JsonObject toJson() {
      return new JsonObject().put("start", Times.iso(start)).put("end", Times.iso(end));
    }
  }

  /** Whether an occurrence takes up time: not cancelled and not all-day. */
  public static boolean blocks(Occurrence o) {
    return o.status() != CalendarEvent.Status.CANCELLED && !o.allDay();
  }

  /** The occurrences that take up time in [start, end), ordered by start. */
  public static List<Occurrence> conflicts(List<Occurrence> occurrences, OffsetDateTime start, OffsetDateTime end) {
    return occurrences.stream().filter(Availability::blocks).filter(o -> o.overlaps(start, end))
        .sorted(Comparator.comparing((Occurrence o) -> o.start().toInstant())).toList();
  }

  /** Whether [start, end) lies within one working day's hours. */
  public static boolean withinWorkingHours(OffsetDateTime start, OffsetDateTime end, WorkingHours hours, ZoneId zone) {
    LocalDate day = start.atZoneSameInstant(zone).toLocalDate();
    if (!hours.days().contains(day.getDayOfWeek())) {
      return false;
    }
    Instant open = ZonedDateTime.of(day, hours.start(), zone).toInstant();
    Instant close = ZonedDateTime.of(day, hours.end(), zone).toInstant();
    return !start.toInstant().isBefore(open) && !end.toInstant().isAfter(close);
  }

  /**
   * The free slots in [from, to) within working hours, each at least {@code minimum} long, in order. A slot is the
   * whole free stretch (callers may book its first {@code minimum}); stretches never span two working days.
   */
  public static List<Slot> freeSlots(List<Occurrence> occurrences, OffsetDateTime from, OffsetDateTime to,
                                     WorkingHours hours, ZoneId zone, Duration minimum) {
    List<Instant[]> busy = merged(occurrences);
    List<Slot> out = new ArrayList<>();
    if (!to.isAfter(from) || !hours.end().isAfter(hours.start())) {
      return out;
    }
    Instant windowStart = from.toInstant();
    Instant windowEnd = to.toInstant();
    LocalDate last = to.atZoneSameInstant(zone).toLocalDate();
    for (LocalDate day = from.atZoneSameInstant(zone).toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
      if (!hours.days().contains(day.getDayOfWeek())) {
        continue;
      }
      Instant open = max(ZonedDateTime.of(day, hours.start(), zone).toInstant(), windowStart);
      Instant close = min(ZonedDateTime.of(day, hours.end(), zone).toInstant(), windowEnd);
      Instant cursor = open;
      for (Instant[] b : busy) {
        if (!cursor.isBefore(close)) {
          break;
        }
        if (!b[1].isAfter(cursor)) {
          continue;
        }
        if (b[0].isAfter(cursor)) {
          add(out, cursor, min(b[0], close), minimum, zone);
        }
        cursor = max(cursor, b[1]);
      }
      if (cursor.isBefore(close)) {
        add(out, cursor, close, minimum, zone);
      }
    }
    return out;
  }

  /** The busy intervals of the occurrences that block time, sorted and merged (touching ones too). */
  static List<Instant[]> merged(List<Occurrence> occurrences) {
    List<Instant[]> intervals = occurrences.stream().filter(Availability::blocks)
        .map(o -> new Instant[] {o.start().toInstant(), o.end().toInstant()})
        .sorted(Comparator.comparing((Instant[] i) -> i[0])).toList();
    List<Instant[]> merged = new ArrayList<>();
    for (Instant[] i : intervals) {
      Instant[] previous = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (previous != null && !i[0].isAfter(previous[1])) {
        previous[1] = max(previous[1], i[1]);
      } else {
        merged.add(new Instant[] {i[0], i[1]});
      }
    }
    return merged;
  }

  private static void add(List<Slot> out, Instant start, Instant end, Duration minimum, ZoneId zone) {
    if (Duration.between(start, end).compareTo(minimum) >= 0) {
      out.add(new Slot(start.atZone(zone).toOffsetDateTime(), end.atZone(zone).toOffsetDateTime()));
    }
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
