package dev.aide.calendar;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * An event in a person's calendar: a single event, a recurring series (rrule with exception dates), or an override
 * of one occurrence of a series (seriesId and originalStart set). Instants are shown in the user's timezone; the
 * event's own timezone is the one its recurrence keeps wall-clock times in. alertMinutes (null: none) asks for an
 * alert that many minutes before each occurrence; an override shows (and follows) its series' alert.
 */
public record CalendarEvent(UUID id, UUID userId, UUID calendarId, UUID seriesId, OffsetDateTime originalStart,
                            String title, String description, String location, OffsetDateTime start,
                            OffsetDateTime end, ZoneId timezone, boolean allDay, LocalDate startDate,
                            LocalDate endDate, Status status, String rrule, List<OffsetDateTime> exdates,
                            Integer alertMinutes, List<Attendee> attendees, OffsetDateTime createdAt,
                            OffsetDateTime updatedAt) {

  /** Whether the event takes place (iCalendar STATUS). */
  public enum Status {
    CONFIRMED, TENTATIVE, CANCELLED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status fromWire(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }

  /** Someone invited to an event and their answer (iCalendar PARTSTAT). */
  public record Attendee(String email, String name, Response response) {

    /** An attendee's answer. */
    public enum Response {
      NEEDS_ACTION, ACCEPTED, DECLINED, TENTATIVE;

      public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
      }

      public static Response fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
      }
    }

    public JsonObject toJson() {
      return new JsonObject().put("email", email).put("name", name).put("responseStatus", response.wire());
    }
  }

  public boolean recurring() {
    return rrule != null;
  }

  public Duration duration() {
    return Duration.between(start, end);
  }

  /** The local start in the event's own timezone: the DTSTART its recurrence is expanded from. */
  public java.time.ZonedDateTime localStart() {
    return start.atZoneSameInstant(timezone);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id.toString())
        .put("calendarId", calendarId.toString())
        .put("title", title)
        .put("description", description)
        .put("location", location)
        .put("start", Times.iso(start))
        .put("end", Times.iso(end))
        .put("timezone", timezone.getId())
        .put("allDay", allDay)
        .put("rrule", rrule)
        .put("exdates", new JsonArray(exdates.stream().map(Times::iso).toList()))
        .put("alertMinutes", alertMinutes)
        .put("status", status.wire())
        .put("attendees", new JsonArray(attendees.stream().map(Attendee::toJson).toList()))
        .put("createdAt", Times.iso(createdAt))
        .put("updatedAt", Times.iso(updatedAt));
    if (allDay) {
      json.put("startDate", startDate.toString()).put("endDate", endDate.toString());
    }
    if (seriesId != null) {
      json.put("seriesId", seriesId.toString()).put("originalStart", Times.iso(originalStart));
    }
    return json;
  }
}
