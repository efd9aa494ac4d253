package dev.aide.calendar;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One occurrence in a window: a single event, or one instance of a recurring series (eventId is the series,
 * originalStart the instance's RECURRENCE-ID, which the occurrence endpoints take to change or cancel it).
 */
public record Occurrence(UUID eventId, String title, OffsetDateTime start, OffsetDateTime end,
                         OffsetDateTime originalStart, boolean allDay, String location, CalendarEvent.Status status) {

  public boolean recurring() {
    return originalStart != null;
  }

  public boolean overlaps(OffsetDateTime from, OffsetDateTime to) {
    return start.isBefore(to) && end.isAfter(from);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("eventId", eventId.toString())
        .put("title", title)
        .put("start", Times.iso(start))
        .put("end", Times.iso(end))
        .put("originalStart", Times.iso(originalStart))
        .put("recurring", recurring())
        .put("allDay", allDay)
        .put("location", location)
        .put("status", status.wire());
  }
}
