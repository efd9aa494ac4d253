package dev.aide.calendar;

import dev.aide.platform.time.Recurrence;
import dev.aide.calendar.EventService.Changes;
import dev.aide.calendar.EventService.Draft;
import dev.aide.conversation.Confirmations;
import dev.aide.conversation.Confirmations.Effect;
import dev.aide.conversation.Confirmations.Proposal;
import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.Quoted;
import dev.aide.conversation.ToolResults;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.time.Times;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The assistant's calendar tools: thin, acting for the conversation's user, answering in short facts. An event is
 * named by its id or by words of its title (and a day); an event without an end lasts one hour.
 */
public final class CalendarTools {

  /** How long an event lasts when neither an end nor a duration is given. */
  public static final int DEFAULT_MINUTES = 60;
  private static final int SEARCH_DAYS = 60;
  private static final int MAX_LISTED = 50;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

  private final EventService events;
  /** What an event (a series with its overrides, attendees, linked reminders and alert) is in the undo journal. */
  private static final String UNDO_KIND = "event";

  private final Confirmations confirmations;
  private final Clock clock;

  public CalendarTools(EventService events, Confirmations confirmations, Clock clock) {
    this.events = events;
    this.confirmations = confirmations;
    this.clock = clock;
    confirmations.handle("createEvent", this::create);
    confirmations.handle("changeEvent", this::change);
    confirmations.handle("cancelEvent", this::cancel);
    confirmations.handle("cancelEvents", this::cancelAll);
    confirmations.handle("setDefaultCalendar", this::chooseDefault);
  }

  @Tool(name = "createEvent", value = "Add an event to the user's calendar; the answer names existing events it overlaps")
  public String createEvent(
      @ToolMemoryId ConversationKey key,
      @P("what the event is, e.g. 'Meeting with Sam'") String title,
      @P("when it starts, ISO-8601 date-time with the user's UTC offset, e.g. 2026-11-23T15:00:00+01:00;"
          + " a date such as 2026-11-23 for an all-day event") String start,
      @P(value = "when it ends, ISO-8601 date-time; leave out to use durationMinutes", required = false) String end,
      @P(value = "how long it lasts in minutes when no end is given (default 60)", required = false)
      Integer durationMinutes,
      @P(value = "where it takes place", required = false) String location,
      @P(value = "RFC 5545 RRULE for a repeating event, e.g. FREQ=WEEKLY;BYDAY=MO", required = false) String rrule,
      @P(value = "true for an all-day event", required = false) Boolean allDay,
      @P(value = "alert the user this many minutes before the event (and before each occurrence), 0 to 40320;"
          + " leave out for no alert", required = false) Integer alertMinutes,
      @P(value = "the name of the user's calendar to put it in, e.g. 'Work', when they name one; leave out for"
          + " their default calendar", required = false) String calendar) {
    return ToolResults.attempt("start and end must be ISO-8601 date-times such as 2026-11-23T15:00:00+01:00.", () -> {
      boolean wholeDay = Boolean.TRUE.equals(allDay);
      JsonObject targets = new JsonObject().put("title", title).put("location", location).put("rrule", rrule)
          .put("allDay", wholeDay).put("alertMinutes", alertMinutes);
      Calendar named = null;
      if (calendar != null && !calendar.isBlank()) {
        Calendars.Choice choice = calendars(key, calendar);
        if (choice.message() != null) {
          return choice.message();
        }
        named = choice.calendar();
        targets.put("calendarId", named.id().toString()).put("calendarName", named.name());
      }
      String when;
      if (wholeDay) {
        LocalDate day = date(start, key.timezone());
        LocalDate last = end == null || end.isBlank() ? day.plusDays(1) : date(end, key.timezone());
        LocalDate endDate = last.isAfter(day) ? last : last.plusDays(1);
        targets.put("startDate", day.toString()).put("endDate", endDate.toString());
        when = endDate.equals(day.plusDays(1)) ? "on " + DAY.format(day) + " (all day)"
            : "from " + DAY.format(day) + " to " + DAY.format(endDate.minusDays(1)) + " (all day)";
      } else {
        OffsetDateTime from = instant(start, key.timezone());
        OffsetDateTime to;
        if (end != null && !end.isBlank()) {
          to = instant(end, key.timezone());
        } else {
          if (durationMinutes != null && (durationMinutes < 1 || durationMinutes > 60 * 24 * 14)) {
            return "Error: durationMinutes must be between 1 and 20160.";
          }
          to = from.plusMinutes(durationMinutes == null ? DEFAULT_MINUTES : durationMinutes);
        }
        targets.put("start", from.toString()).put("end", to.toString()).put("timezone", key.timezone().getId());
        when = "on " + spoken(from, key.timezone());
      }
      return confirmations.act(key, Proposal.of("createEvent", Effect.CHANGE, 1, targets,
          "add " + Quoted.of(title) + " " + when + (location == null ? "" : " at " + Quoted.of(location))
              + (rrule == null ? "" : ", repeating " + rrule)
              + (named == null ? "" : " in the calendar " + Quoted.of(named.name()))));
    });
  }

  @Tool(name = "setDefaultCalendar", value = "Choose the calendar new events go to from now on when the user names"
      + " none (\"from now on put events in my work calendar\")")
  public String setDefaultCalendar(
      @ToolMemoryId ConversationKey key,
      @P("the name of one of the user's calendars, e.g. 'Work'") String calendar) {
    return ToolResults.attempt("name a calendar.", () -> {
      Calendars.Choice choice = calendars(key, calendar);
      if (choice.message() != null) {
        return choice.message();
      }
      Calendar chosen = choice.calendar();
      return confirmations.act(key, Proposal.of("setDefaultCalendar", Effect.CHANGE, 1, new JsonObject()
              .put("calendarId", chosen.id().toString()).put("calendarName", chosen.name()),
          "put new events in the calendar " + Quoted.of(chosen.name()) + " from now on"));
    });
  }

  private String chooseDefault(ConversationKey key, JsonObject t) {
    events.chooseForNewEvents(key.userId(), UUID.fromString(t.getString("calendarId"))).await();
    return "New events go to the calendar " + Quoted.of(t.getString("calendarName"))
        + " from now on, unless you name another.";
  }

  /** The calendar of the person's that a tool call names, or why none is meant. */
  private Calendars.Choice calendars(ConversationKey key, String name) {
    return Calendars.choose(events.calendars(key.userId()).await(), name);
  }

  @Tool(name = "findEvents", value = "List what is on the user's calendar between two instants, optionally only"
      + " events whose title or place contains some text")
  public String findEvents(
      @ToolMemoryId ConversationKey key,
      @P("start of the period, ISO-8601 date-time with the user's UTC offset") String from,
      @P("end of the period (exclusive), ISO-8601 date-time with the user's UTC offset") String to,
      @P(value = "only events whose title or location contains this text", required = false) String text) {
    return ToolResults.attempt("from and to must be ISO-8601 date-times such as 2026-11-23T00:00:00+01:00.", () -> {
      OffsetDateTime start = instant(from, key.timezone());
      OffsetDateTime end = instant(to, key.timezone());
      List<Occurrence> found = events.find(key.userId(), key.timezone(), start, end, text).await();
      String period = period(start, end, key.timezone());
      if (found.isEmpty()) {
        return "Nothing on your calendar " + period + (text == null || text.isBlank() ? "" : " matching " + Quoted.of(text)) + ".";
      }
      StringBuilder out = new StringBuilder("On your calendar ").append(period).append(':');
      found.stream().limit(MAX_LISTED).forEach(o -> out.append("\n- ").append(summary(o, key.timezone())));
      if (found.size() > MAX_LISTED) {
        out.append("\n… and ").append(found.size() - MAX_LISTED).append(" more.");
      }
      return out.toString();
    });
  }

  @Tool(name = "changeEvent", value = "Change or move an event, one occurrence of a repeating event, or its whole"
      + " series, or set or remove its alert. Name the event by eventId or by words of its title (and the date of"
      + " the occurrence).")
  public String changeEvent(
      @ToolMemoryId ConversationKey key,
      @P(value = "the event's id, from findEvents", required = false) String eventId,
      @P(value = "words of the event's title, e.g. 'dentist'", required = false) String title,
      @P(value = "the date of the occurrence, e.g. 2026-11-20", required = false) String date,
      @P(value = "the exact start of the occurrence, from findEvents", required = false) String occurrenceStart,
      @P(value = "true to change every occurrence of a repeating event", required = false) Boolean wholeSeries,
      @P(value = "new start: ISO-8601 date-time, or just a time such as 16:00 to keep the day", required = false)
      String newStart,
      @P(value = "new end: ISO-8601 date-time or a time; leave out to keep the length", required = false) String newEnd,
      @P(value = "new title", required = false) String newTitle,
      @P(value = "new location", required = false) String newLocation,
      @P(value = "alert the user this many minutes before the event (for a repeating event: before every"
          + " occurrence), 0 to 40320", required = false) Integer alertMinutes,
      @P(value = "true to remove the event's alert", required = false) Boolean removeAlert,
      @P(value = "make the whole event repeat: an RFC 5545 RRULE such as FREQ=WEEKLY; 'none' to stop it repeating",
          required = false) String newRrule,
      @P(value = "move the whole event (every occurrence) to the user's calendar of this name, e.g. 'Work'",
          required = false) String newCalendar) {
    return ToolResults.attempt("times must be ISO-8601 date-times such as 2026-11-23T16:00:00+01:00, or a time such as 16:00.", () -> {
      Target target = resolve(key, eventId, title, date, occurrenceStart, Boolean.TRUE.equals(wholeSeries));
      if (target.message() != null) {
        return target.message();
      }
      LocalDate day = target.start().atZoneSameInstant(key.timezone()).toLocalDate();
      OffsetDateTime start = newStart == null || newStart.isBlank() ? null : at(newStart, day, key.timezone());
      OffsetDateTime end = newEnd == null || newEnd.isBlank() ? null
          : at(newEnd, start == null ? day : start.atZoneSameInstant(key.timezone()).toLocalDate(), key.timezone());
      boolean titled = newTitle != null && !newTitle.isBlank();
      boolean placed = newLocation != null && !newLocation.isBlank();
      boolean alertChanged = alertMinutes != null || Boolean.TRUE.equals(removeAlert);
      boolean repeatChanged = newRrule != null && !newRrule.isBlank();
      String rrule = !repeatChanged || newRrule.strip().equalsIgnoreCase("none") ? null
          : Recurrence.check(newRrule.strip(), target.start().atZoneSameInstant(key.timezone()), Recurrence.HOURLY);
      Calendar moveTo = null;
      if (newCalendar != null && !newCalendar.isBlank()) {
        Calendars.Choice choice = calendars(key, newCalendar);
        if (choice.message() != null) {
          return choice.message();
        }
        moveTo = choice.calendar();
      }
      if (moveTo != null) {
        // One occurrence's override is moved with its series: one calendar holds them all.
        CalendarEvent current = events.get(key.userId(), target.eventId()).await();
        UUID whole = current.seriesId() != null ? current.seriesId() : current.id();
        CalendarEvent series = whole.equals(current.id()) ? current : events.get(key.userId(), whole).await();
        if (series.calendarId().equals(moveTo.id())) {
          if (start == null && end == null && !titled && !placed && !alertChanged && !repeatChanged) {
            return Quoted.of(series.title()) + " is in the calendar " + Quoted.of(moveTo.name())
                + " already; nothing was changed.";
          }
          moveTo = null;
        }
      }
      if (start == null && end == null && !titled && !placed && !alertChanged && !repeatChanged && moveTo == null) {
        return "Error: say what to change: newStart, newEnd, newTitle, newLocation, alertMinutes, removeAlert,"
            + " newRrule or newCalendar.";
      }
      if (repeatChanged && target.originalStart() != null && (start != null || end != null || titled || placed)) {
        return "Error: change the repetition of the whole series on its own, apart from one occurrence's changes.";
      }
      if (alertMinutes != null && (alertMinutes < 0 || alertMinutes > EventService.MAX_ALERT_MINUTES)) {
        return "Error: alertMinutes must be between 0 and " + EventService.MAX_ALERT_MINUTES + ".";
      }
      JsonObject targets = new JsonObject().put("eventId", target.eventId().toString())
          .put("originalStart", target.originalStart() == null ? null : target.originalStart().toString())
          .put("start", start == null ? null : start.toString()).put("end", end == null ? null : end.toString())
          .put("newTitle", titled ? newTitle : null).put("newLocation", placed ? newLocation : null)
          .put("alertChanged", alertChanged).put("alert", Boolean.TRUE.equals(removeAlert) ? null : alertMinutes)
          .put("repeatChanged", repeatChanged).put("rrule", rrule)
          .put("calendarId", moveTo == null ? null : moveTo.id().toString())
          .put("calendarName", moveTo == null ? null : moveTo.name());
      List<String> changes = new java.util.ArrayList<>();
      if (start != null) {
        changes.add("start " + spoken(start, key.timezone()));
      }
      if (end != null) {
        changes.add("end " + spoken(end, key.timezone()));
      }
      if (titled) {
        changes.add("be called " + Quoted.of(newTitle));
      }
      if (placed) {
        changes.add("take place at " + Quoted.of(newLocation));
      }
      if (alertChanged) {
        changes.add(Boolean.TRUE.equals(removeAlert) ? "have no alert" : "alert " + alertMinutes + " minutes before");
      }
      if (repeatChanged) {
        changes.add(rrule == null ? "stop repeating" : "repeat " + Recurrence.spoken(rrule));
      }
      if (moveTo != null) {
        changes.add("be in the calendar " + Quoted.of(moveTo.name()) + (target.originalStart() != null
            ? " (every occurrence)" : ""));
      }
      // A new title replaces the person's words; no alert, or a start far later, silences what would reach them.
      Effect effect = titled || Boolean.TRUE.equals(removeAlert) ? Effect.REMOVE
          : Effect.ofMove(target.start().toInstant(), start == null ? null : start.toInstant(), clock.instant());
      return confirmations.act(key, Proposal.of("changeEvent", effect, 1, targets, "change "
          + Quoted.of(target.title()) + (target.originalStart() != null ? " (this occurrence)" : "") + " to "
          + String.join(", ", changes)));
    });
  }

  @Tool(name = "cancelEvent", value = "Cancel (delete) an event, one occurrence of a repeating event, or its whole"
      + " series. Name the event by eventId or by words of its title (and the date of the occurrence). Cancelling a"
      + " series with several occurrences to come is confirmed by the user: Aide asks them itself.")
  public String cancelEvent(
      @ToolMemoryId ConversationKey key,
      @P(value = "the event's id, from findEvents", required = false) String eventId,
      @P(value = "words of the event's title, e.g. 'dentist'", required = false) String title,
      @P(value = "the date of the occurrence, e.g. 2026-11-20", required = false) String date,
      @P(value = "the exact start of the occurrence, from findEvents", required = false) String occurrenceStart,
      @P(value = "true to cancel every occurrence of a repeating event", required = false) Boolean wholeSeries) {
    return ToolResults.attempt("occurrenceStart must be an ISO-8601 date-time and date a date such as 2026-11-20.", () -> {
      Target target = resolve(key, eventId, title, date, occurrenceStart, Boolean.TRUE.equals(wholeSeries));
      if (target.message() != null) {
        return target.message();
      }
      if (target.originalStart() != null) {
        var at = target.start().atZoneSameInstant(key.timezone());
        return confirmations.act(key, Proposal.of("cancelEvent", Effect.REMOVE, 1, new JsonObject()
                .put("eventId", target.eventId().toString()).put("originalStart", target.originalStart().toString())
                .put("start", target.start().toString()),
            "cancel " + Quoted.of(target.title()) + " on " + DAY.format(at) + " at " + TIME.format(at)));
      }
      CalendarEvent event = events.get(key.userId(), target.eventId()).await();
      JsonObject targets = new JsonObject().put("eventId", event.id().toString());
      if (event.recurring()) {
        boolean endless = Recurrence.lastStart(event.rrule(), event.localStart()).isEmpty();
        int upcoming = endless ? Integer.MAX_VALUE : events.remainingOccurrences(event, clock.instant(), 1000);
        Proposal series = Proposal.of("cancelEvent", Effect.REMOVE, upcoming, targets, "cancel "
            + (endless ? "every upcoming occurrence" : upcoming + " upcoming occurrences") + " of "
            + Quoted.of(event.title()) + " (" + Recurrence.spoken(event.rrule()) + (endless ? ", repeating without end" : "")
            + ")");
        return confirmations.act(key, upcoming > 1 ? series.everything() : series);
      }
      return confirmations.act(key, Proposal.of("cancelEvent", Effect.REMOVE, 1, targets,
          "cancel " + Quoted.of(event.title()) + " " + when(event, key.timezone())));
    });
  }

  @Tool(name = "cancelEvents", value = "Cancel every event between two instants (optionally only those whose title"
      + " contains some text): each one-off event, and each occurrence of a repeating one in the period (the series"
      + " stays). Always confirmed by the user: Aide asks them itself")
  public String cancelEvents(
      @ToolMemoryId ConversationKey key,
      @P("start of the period, ISO-8601 date-time with the user's UTC offset") String from,
      @P("end of the period (exclusive), ISO-8601 date-time with the user's UTC offset") String to,
      @P(value = "only events whose title or location contains this text", required = false) String text) {
    return ToolResults.attempt("from and to must be ISO-8601 date-times such as 2026-11-23T00:00:00+01:00.", () -> {
      OffsetDateTime start = instant(from, key.timezone());
      OffsetDateTime end = instant(to, key.timezone());
      List<Occurrence> found = events.find(key.userId(), key.timezone(), start, end, text).await().stream()
          .filter(o -> o.status() != CalendarEvent.Status.CANCELLED).limit(MAX_LISTED).toList();
      String period = period(start, end, key.timezone());
      if (found.isEmpty()) {
        return "Nothing on your calendar " + period + (text == null || text.isBlank() ? "" : " matching " + Quoted.of(text))
            + " to cancel.";
      }
      JsonArray items = new JsonArray();
      StringBuilder what = new StringBuilder("cancel ").append(found.size() == 1 ? "1 event " : found.size() + " events ")
          .append(period).append(':');
      for (Occurrence o : found) {
        JsonObject item = new JsonObject().put("eventId", o.eventId().toString()).put("start", o.start().toString());
        if (o.recurring()) {
          item.put("originalStart", o.originalStart().toString());
        }
        items.add(item);
        what.append("\n- ").append(summary(o, key.timezone()));
      }
      // everything in a period: asked about even when it is one event
      return confirmations.act(key, Proposal.of("cancelEvents", Effect.REMOVE, found.size(),
          new JsonObject().put("items", items), what.toString()).everything());
    });
  }

  /** Each event or occurrence the person said yes to; one that has gone meanwhile is counted, not an error. */
  private String cancelAll(ConversationKey key, JsonObject t) {
    int cancelled = 0;
    int gone = 0;
    for (Object o : t.getJsonArray("items")) {
      JsonObject item = (JsonObject) o;
      try {
        UUID eventId = UUID.fromString(item.getString("eventId"));
        touching(key, eventId);
        if (item.getString("originalStart") != null) {
          events.cancelOccurrence(key.userId(), eventId, OffsetDateTime.parse(item.getString("originalStart"))).await();
        } else {
          events.delete(key.userId(), eventId).await();
        }
        cancelled++;
      } catch (DomainException e) {
        if (e.kind() != DomainException.Kind.NOT_FOUND) {
          throw e;
        }
        gone++;
      }
    }
    return "Cancelled " + cancelled + (cancelled == 1 ? " event" : " events")
        + (gone == 0 ? "" : " (" + gone + " had already gone)") + ".";
  }

  private String create(ConversationKey key, JsonObject t) {
    boolean wholeDay = t.getBoolean("allDay", false);
    UUID calendarId = t.getString("calendarId") == null ? null : UUID.fromString(t.getString("calendarId"));
    Draft draft = wholeDay
        ? new Draft(calendarId, t.getString("title"), null, t.getString("location"), null, null,
            LocalDate.parse(t.getString("startDate")), LocalDate.parse(t.getString("endDate")), null, true, null,
            t.getString("rrule"), null, null, t.getInteger("alertMinutes"))
        : new Draft(calendarId, t.getString("title"), null, t.getString("location"), OffsetDateTime.parse(t.getString("start")),
            OffsetDateTime.parse(t.getString("end")), null, null, t.getString("timezone"), false, null,
            t.getString("rrule"), null, null, t.getInteger("alertMinutes"));
    EventService.Created created = events.create(key.userId(), draft).await();
    CalendarEvent e = created.event();
    confirmations.created(key, UNDO_KIND, e.id());
    StringBuilder out = new StringBuilder("Added ").append(Quoted.of(e.title())).append(' ').append(when(e, key.timezone()));
    if (e.location() != null) {
      out.append(" at ").append(Quoted.of(e.location()));
    }
    if (e.rrule() != null) {
      out.append(", repeating ").append(Recurrence.spoken(e.rrule()));
    }
    if (t.getString("calendarName") != null) {
      out.append(" in the calendar ").append(Quoted.of(t.getString("calendarName")));
    }
    out.append('.').append(alert(e));
    if (!created.conflicts().isEmpty()) {
      out.append(" It overlaps ").append(String.join("; ",
          created.conflicts().stream().map(o -> Quoted.of(o.title()) + " " + span(o, key.timezone())).toList()))
          .append('.');
    }
    return out.toString();
  }

  private String change(ConversationKey key, JsonObject t) {
    UUID eventId = UUID.fromString(t.getString("eventId"));
    touching(key, eventId);
    OffsetDateTime originalStart = t.getString("originalStart") == null ? null : OffsetDateTime.parse(t.getString("originalStart"));
    OffsetDateTime start = t.getString("start") == null ? null : OffsetDateTime.parse(t.getString("start"));
    OffsetDateTime end = t.getString("end") == null ? null : OffsetDateTime.parse(t.getString("end"));
    String newTitle = t.getString("newTitle");
    String newLocation = t.getString("newLocation");
    Set<String> fields = new HashSet<>();
    if (start != null) {
      fields.add("start");
    }
    if (end != null) {
      fields.add("end");
    }
    if (newTitle != null) {
      fields.add("title");
    }
    if (newLocation != null) {
      fields.add("location");
    }
    CalendarEvent changed = null;
    if (!fields.isEmpty()) {
      Changes changes = new Changes(fields, new Draft(null, newTitle, null, newLocation, start, end, null, null,
          null, null, null, null, null, null, null));
      changed = originalStart != null
          ? events.changeOccurrence(key.userId(), eventId, originalStart, changes).await()
          : events.update(key.userId(), eventId, changes).await();
    }
    Integer alert = t.getInteger("alert");
    CalendarEvent alerted = null;
    if (t.getBoolean("alertChanged", false)) {
      // An alert belongs to the whole series, even when the other changes are to one occurrence.
      alerted = events.update(key.userId(), eventId, new Changes(Set.of("alertMinutes"),
          new Draft(null, null, null, null, null, null, null, null, null, null, null, null, null, null, alert))).await();
    }
    CalendarEvent repeated = null;
    if (t.getBoolean("repeatChanged", false)) {
      // A repetition belongs to the whole series, like an alert.
      repeated = events.update(key.userId(), eventId, new Changes(Set.of("rrule"), new Draft(null, null, null, null, null,
          null, null, null, null, null, null, t.getString("rrule"), null, null, null))).await();
    }
    CalendarEvent moved = null;
    if (t.getString("calendarId") != null) {
      // A calendar holds the whole series, like an alert: an occurrence's override moves with its series.
      UUID series = events.get(key.userId(), eventId).await().seriesId();
      UUID whole = series != null ? series : eventId;
      moved = events.update(key.userId(), whole, new Changes(Set.of("calendarId"), new Draft(
          UUID.fromString(t.getString("calendarId")), null, null, null, null, null, null, null, null, null, null, null,
          null, null, null))).await();
    }
    CalendarEvent any = changed != null ? changed : alerted != null ? alerted : repeated != null ? repeated : moved;
    StringBuilder out = new StringBuilder("Changed ").append(Quoted.of(any.title()));
    if (changed != null) {
      out.append(": now ").append(when(changed, key.timezone()))
          .append(changed.location() == null ? "" : " at " + Quoted.of(changed.location()))
          .append(originalStart != null ? " (this occurrence only)"
              : changed.recurring() ? " (every occurrence)" : "");
    }
    if (repeated != null) {
      out.append(repeated.rrule() == null ? ": it no longer repeats" : ": it repeats " + Recurrence.spoken(repeated.rrule()));
    }
    if (moved != null) {
      out.append(": it is in the calendar ").append(Quoted.of(t.getString("calendarName"))).append(" now");
    }
    out.append('.');
    if (alerted != null) {
      out.append(alert == null ? " No alert any more." : alert(alert, alerted.recurring()));
    }
    return out.toString();
  }

  private String cancel(ConversationKey key, JsonObject t) {
    UUID eventId = UUID.fromString(t.getString("eventId"));
    touching(key, eventId);
    if (t.getString("originalStart") != null) {
      CalendarEvent event = events.get(key.userId(), eventId).await();
      events.cancelOccurrence(key.userId(), eventId, OffsetDateTime.parse(t.getString("originalStart"))).await();
      var at = OffsetDateTime.parse(t.getString("start")).atZoneSameInstant(key.timezone());
      return "Cancelled " + Quoted.of(event.title()) + " on " + DAY.format(at) + " at " + TIME.format(at)
          + "; the other occurrences stay.";
    }
    CalendarEvent event = events.get(key.userId(), eventId).await();
    events.delete(key.userId(), event.id()).await();
    return "Cancelled " + Quoted.of(event.title()) + (event.recurring() ? " and all its occurrences"
        : " " + when(event, key.timezone())) + ".";
  }

  /**
   * The event is about to change, for undo: with its series when it is one occurrence's override, whose cancelling
   * writes the series (an exception date).
   */
  private void touching(ConversationKey key, UUID eventId) {
    confirmations.touching(key, UNDO_KIND, eventId);
    try {
      UUID series = events.get(key.userId(), eventId).await().seriesId();
      if (series != null) {
        confirmations.touching(key, UNDO_KIND, series);
      }
    } catch (DomainException e) {
      // Gone already: the action says so; there is nothing of it to keep.
    }
  }

  /** The event or occurrence a tool call names, or a message saying why it names none or several. */
  private record Target(UUID eventId, OffsetDateTime originalStart, String title, OffsetDateTime start,
                        String message) {
    static Target answer(String message) {
      return new Target(null, null, null, null, message);
    }
  }

  private Target resolve(ConversationKey key, String eventId, String title, String date, String occurrenceStart,
                         boolean wholeSeries) {
    ZoneId zone = key.timezone();
    if (occurrenceStart != null && !occurrenceStart.isBlank() && eventId != null && !eventId.isBlank()) {
      UUID id = uuid(eventId);
      CalendarEvent e = events.get(key.userId(), id).await();
      OffsetDateTime original = instant(occurrenceStart, zone);
      return e.recurring() && !wholeSeries ? new Target(id, original, e.title(), original, null)
          : new Target(id, null, e.title(), e.start(), null);
    }
    OffsetDateTime from;
    OffsetDateTime to;
    LocalDate day = date == null || date.isBlank() ? null : date(date, zone);
    if (day != null) {
      from = day.atStartOfDay(zone).toOffsetDateTime();
      to = day.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
    } else {
      from = OffsetDateTime.now(clock.withZone(zone));
      to = from.plusDays(SEARCH_DAYS);
    }
    if (eventId != null && !eventId.isBlank()) {
      UUID id = uuid(eventId);
      CalendarEvent e = events.get(key.userId(), id).await();
      if (!e.recurring() || wholeSeries) {
        return new Target(id, null, e.title(), e.start(), null);
      }
      List<Occurrence> next = events.occurrences(key.userId(), from, to).await().stream()
          .filter(o -> o.eventId().equals(id)).toList();
      return next.isEmpty() ? Target.answer("Error: " + Quoted.of(e.title()) + " has no occurrence then.")
          : new Target(id, next.get(0).originalStart(), e.title(), next.get(0).start(), null);
    }
    if (title == null || title.isBlank()) {
      return Target.answer("Error: name the event by eventId or by words of its title.");
    }
    List<Occurrence> found = events.find(key.userId(), key.timezone(), from, to, title).await();
    String when = day != null ? "on " + DAY.format(day) : "in the next " + SEARCH_DAYS + " days";
    if (found.isEmpty()) {
      return Target.answer("Error: I found no event matching " + Quoted.of(title.strip()) + " " + when + ".");
    }
    Map<UUID, Occurrence> byEvent = new LinkedHashMap<>();
    found.forEach(o -> byEvent.putIfAbsent(o.eventId(), o));
    if (byEvent.size() > 1) {
      StringBuilder out = new StringBuilder("Several events match " + Quoted.of(title.strip()) + " " + when + ":");
      byEvent.values().forEach(o -> out.append("\n- ").append(line(o, zone)));
      return Target.answer(out.append("\nWhich one? Call again with its eventId.").toString());
    }
    Occurrence o = found.get(0);
    return o.recurring() && !wholeSeries ? new Target(o.eventId(), o.originalStart(), o.title(), o.start(), null)
        : new Target(o.eventId(), null, o.title(), o.start(), null);
  }

  private static UUID uuid(String value) {
    try {
      return UUID.fromString(value.strip());
    } catch (IllegalArgumentException e) {
      throw DomainException.notFound("event");
    }
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

  private static LocalDate date(String value, ZoneId zone) {
    String v = value == null ? "" : value.strip();
    return v.length() == 10 ? LocalDate.parse(v) : instant(v, zone).atZoneSameInstant(zone).toLocalDate();
  }

  /** A full date-time, or a bare time ("16:00") on the given day. */
  private static OffsetDateTime at(String value, LocalDate day, ZoneId zone) {
    String v = value.strip();
    if (v.matches("^\\d{1,2}:\\d{2}(:\\d{2})?$")) {
      return day.atTime(LocalTime.parse(v.length() == 4 ? "0" + v : v)).atZone(zone).toOffsetDateTime();
    }
    return instant(v, zone);
  }

  /** A time the model gave, as the person reads it; one beyond what a calendar can show stays as written. */
  private static String spoken(OffsetDateTime time, ZoneId zone) {
    try {
      var at = time.atZoneSameInstant(zone);
      return DAY.format(at) + " " + TIME.format(at);
    } catch (java.time.DateTimeException e) {
      return time.toString();
    }
  }

  private static String when(CalendarEvent e, ZoneId zone) {
    if (e.allDay()) {
      return e.endDate().equals(e.startDate().plusDays(1)) ? "on " + DAY.format(e.startDate()) + " (all day)"
          : "from " + DAY.format(e.startDate()) + " to " + DAY.format(e.endDate().minusDays(1)) + " (all day)";
    }
    var start = e.start().atZoneSameInstant(zone);
    var end = e.end().atZoneSameInstant(zone);
    return "on " + DAY.format(start) + " " + TIME.format(start) + "–"
        + (end.toLocalDate().equals(start.toLocalDate()) ? "" : DAY.format(end) + " ") + TIME.format(end);
  }

  private static String alert(CalendarEvent e) {
    return e.alertMinutes() == null ? "" : alert(e.alertMinutes(), e.recurring());
  }

  /** " I'll alert you 15 minutes before." */
  private static String alert(int minutes, boolean recurring) {
    String lead = minutes == 0 ? "when it starts"
        : minutes % 1440 == 0 ? plural(minutes / 1440, "day") + " before"
        : minutes % 60 == 0 ? plural(minutes / 60, "hour") + " before"
        : plural(minutes, "minute") + " before";
    return " I'll alert you " + lead + (recurring && minutes > 0 ? " each time" : "") + ".";
  }

  private static String plural(int n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  private static String span(Occurrence o, ZoneId zone) {
    var start = o.start().atZoneSameInstant(zone);
    var end = o.end().atZoneSameInstant(zone);
    if (o.allDay()) {
      return DAY.format(start) + " (all day)";
    }
    return DAY.format(start) + " " + TIME.format(start) + "–" + TIME.format(end);
  }

  /** An occurrence as the person reads it; the tools find it again by title and day. */
  private static String summary(Occurrence o, ZoneId zone) {
    return span(o, zone) + " " + Quoted.of(o.title()) + (o.location() == null ? "" : " at " + Quoted.of(o.location()))
        + (o.recurring() ? " (repeats)" : "");
  }

  /** An occurrence with the ids a model needs to name it when titles are ambiguous. */
  private static String line(Occurrence o, ZoneId zone) {
    return span(o, zone) + " " + Quoted.of(o.title()) + (o.location() == null ? "" : " at " + Quoted.of(o.location()))
        + " [eventId " + o.eventId() + (o.recurring() ? ", occurrenceStart " + Times.iso(o.originalStart()) : "") + "]";
  }

  private static String period(OffsetDateTime from, OffsetDateTime to, ZoneId zone) {
    var a = from.atZoneSameInstant(zone);
    var b = to.atZoneSameInstant(zone);
    if (a.toLocalTime().equals(LocalTime.MIDNIGHT) && b.toLocalTime().equals(LocalTime.MIDNIGHT)) {
      return b.toLocalDate().equals(a.toLocalDate().plusDays(1)) ? "on " + DAY.format(a)
          : "from " + DAY.format(a) + " to " + DAY.format(b.minusDays(1));
    }
    return "from " + DAY.format(a) + " " + TIME.format(a) + " to " + DAY.format(b) + " " + TIME.format(b);
  }
}
