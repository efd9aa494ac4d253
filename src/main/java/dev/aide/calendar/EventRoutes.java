package dev.aide.calendar;

import dev.aide.auth.Authenticated;
import dev.aide.calendar.CalendarEvent.Attendee;
import dev.aide.calendar.CalendarEvent.Status;
import dev.aide.calendar.EventService.Changes;
import dev.aide.calendar.EventService.Draft;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import dev.aide.platform.time.DateRange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * /events: occurrences in a window, create (with conflicts), read, update, soft delete, and change or cancel one
 * occurrence of a series at /events/{id}/occurrences/{originalStart}; /calendars: list and create.
 */
public final class EventRoutes {

  private static final String[] EVENT_FIELDS = {"calendarId", "title", "description", "location", "start", "end",
      "timezone", "allDay", "status", "rrule", "exdates", "attendees", "alertMinutes"};
  private static final String[] NOT_NULLABLE = {"calendarId", "title", "start", "end", "timezone", "allDay", "status",
      "exdates", "attendees"};
  private static final String[] OCCURRENCE_FIELDS = {"title", "description", "location", "start", "end", "status"};

  private final EventService events;

  public EventRoutes(EventService events) {
    this.events = events;
  }

  public void mount(Router api) {
    api.get("/events").handler(this::list);
    api.post("/events").handler(this::create);
    api.get("/events/:id").handler(this::get);
    api.patch("/events/:id").handler(this::update);
    api.delete("/events/:id").handler(this::delete);
    api.patch("/events/:id/occurrences/:originalStart").handler(this::changeOccurrence);
    api.delete("/events/:id/occurrences/:originalStart").handler(this::cancelOccurrence);
    api.get("/calendars").handler(this::calendars);
    api.post("/calendars").handler(this::createCalendar);
  }

  private void list(RoutingContext ctx) {
    String text = ctx.queryParams().get("q");
    Replies.json(ctx, 200, events.find(Authenticated.userId(ctx), Params.instant(ctx, "from"),
        Params.instant(ctx, "to"), text).map(list -> Replies.items(list, Occurrence::toJson)));
  }

  private void create(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly(EVENT_FIELDS);
    Draft draft = draft(body, ctx.body().asJsonObject());
    Replies.json(ctx, 201, events.create(Authenticated.userId(ctx), draft).map(created -> created.event().toJson()
        .put("conflicts", new JsonArray(created.conflicts().stream().map(Occurrence::toJson).toList()))));
  }

  private void get(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "event");
    Replies.json(ctx, 200, events.get(Authenticated.userId(ctx), id).map(CalendarEvent::toJson));
  }

  private void update(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "event");
    JsonBody body = JsonBody.of(ctx).allowOnly(EVENT_FIELDS).changes(NOT_NULLABLE);
    JsonObject raw = ctx.body().asJsonObject();
    Changes changes = new Changes(new HashSet<>(raw.fieldNames()), draft(body, raw));
    Replies.json(ctx, 200, events.update(Authenticated.userId(ctx), id, changes).map(CalendarEvent::toJson));
  }

  private void delete(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "event");
    Replies.noContent(ctx, events.delete(Authenticated.userId(ctx), id));
  }

  private void changeOccurrence(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "event");
    OffsetDateTime originalStart = originalStart(ctx);
    JsonBody body = JsonBody.of(ctx).allowOnly(OCCURRENCE_FIELDS).changes(OCCURRENCE_FIELDS);
    JsonObject raw = ctx.body().asJsonObject();
    Changes changes = new Changes(new HashSet<>(raw.fieldNames()), draft(body, raw));
    Replies.json(ctx, 200, events.changeOccurrence(Authenticated.userId(ctx), id, originalStart, changes)
        .map(CalendarEvent::toJson));
  }

  private void cancelOccurrence(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "event");
    Replies.noContent(ctx, events.cancelOccurrence(Authenticated.userId(ctx), id, originalStart(ctx)));
  }

  private void calendars(RoutingContext ctx) {
    Replies.json(ctx, 200, events.calendars(Authenticated.userId(ctx)).map(list -> Replies.items(list, Calendar::toJson)));
  }

  private void createCalendar(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("name", "color");
    Replies.json(ctx, 201, events.createCalendar(Authenticated.userId(ctx), body.requiredString("name", 200),
        body.optionalString("color", 7)).map(Calendar::toJson));
  }

  /** An occurrence is named by its original start; one that is not a date-time names nothing: 404. */
  private static OffsetDateTime originalStart(RoutingContext ctx) {
    try {
      return OffsetDateTime.parse(ctx.pathParam("originalStart").replace(' ', '+'));
    } catch (DateTimeParseException | NullPointerException e) {
      throw DomainException.notFound("occurrence");
    }
  }

  private static Draft draft(JsonBody body, JsonObject raw) {
    Object start = when(body, "start");
    Object end = when(body, "end");
    return new Draft(body.optionalUuid("calendarId"), body.optionalString("title", EventService.MAX_TITLE),
        body.optionalString("description", EventService.MAX_TEXT),
        body.optionalString("location", EventService.MAX_TEXT),
        start instanceof OffsetDateTime t ? t : null, end instanceof OffsetDateTime t ? t : null,
        start instanceof LocalDate d ? d : null, end instanceof LocalDate d ? d : null,
        body.optionalString("timezone", 64), bool(raw, "allDay"), status(body.optionalString("status", 20)),
        body.optionalString("rrule", 500), exdates(raw), attendees(raw),
        body.optionalInteger("alertMinutes", 0, EventService.MAX_ALERT_MINUTES));
  }

  /** A date-time with offset, or for all-day events a plain date (2026-12-24). */
  private static Object when(JsonBody body, String field) {
    String value = body.optionalString(field, 64);
    if (value == null) {
      return null;
    }
    try {
      return value.length() == 10 ? DateRange.check(LocalDate.parse(value), field)
          : DateRange.check(OffsetDateTime.parse(value), field);
    } catch (DateTimeParseException e) {
      throw DomainException.invalid(field + " must be an ISO-8601 date-time with offset, e.g. 2026-11-23T17:00:00+01:00"
          + " (or a date such as 2026-12-24 for an all-day event)");
    }
  }

  private static Boolean bool(JsonObject raw, String field) {
    Object value = raw.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw DomainException.invalid(field + " must be true or false");
    }
    return (Boolean) value;
  }

  private static Status status(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Status.fromWire(value);
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("status must be confirmed, tentative or cancelled");
    }
  }

  private static List<OffsetDateTime> exdates(JsonObject raw) {
    Object value = raw.getValue("exdates");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.size() > EventService.MAX_EXDATES) {
      throw DomainException.invalid(EventService.exdatesRule());
    }
    List<OffsetDateTime> out = new ArrayList<>();
    for (Object item : array) {
      try {
        out.add(DateRange.check(OffsetDateTime.parse((String) item), "exdates"));
      } catch (ClassCastException | NullPointerException | DateTimeParseException e) {
        throw DomainException.invalid("exdates must hold ISO-8601 date-times with offset");
      }
    }
    return out;
  }

  private static List<Attendee> attendees(JsonObject raw) {
    Object value = raw.getValue("attendees");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw DomainException.invalid("attendees must be an array of {email, name, responseStatus}");
    }
    List<Attendee> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject a) || !(a.getValue("email") instanceof String email)
          || (a.getValue("name") != null && !(a.getValue("name") instanceof String))
          || (a.getValue("responseStatus") != null && !(a.getValue("responseStatus") instanceof String))) {
        throw DomainException.invalid("attendees must be an array of {email, name, responseStatus}");
      }
      Attendee.Response response = null;
      if (a.getString("responseStatus") != null) {
        try {
          response = Attendee.Response.fromWire(a.getString("responseStatus"));
        } catch (IllegalArgumentException e) {
          throw DomainException.invalid("responseStatus must be needs-action, accepted, declined or tentative");
        }
      }
      out.add(new Attendee(email, a.getString("name"), response));
    }
    return out;
  }
}
