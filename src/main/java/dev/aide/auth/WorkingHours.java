package dev.aide.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** When the person works: a daily window on some days of the week (free-slot search and the system prompt use it). */
public record WorkingHours(LocalTime start, LocalTime end, List<DayOfWeek> days) {

  public static final WorkingHours DEFAULT = new WorkingHours(LocalTime.of(9, 0), LocalTime.of(17, 0),
      List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY));

  public JsonObject toJson() {
    return new JsonObject()
        .put("start", start.toString())
        .put("end", end.toString())
        .put("days", new JsonArray(days.stream().map(DayOfWeek::getValue).toList()));
  }

  /** "Mon–Fri 09:00–17:00", for the system prompt. */
  public String describe() {
    String dayNames = days.stream().map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)).collect(Collectors.joining(", "));
    return dayNames + " " + start + "–" + end;
  }
}
