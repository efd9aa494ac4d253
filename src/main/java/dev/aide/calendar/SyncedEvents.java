package dev.aide.calendar;

import dev.aide.calendar.EventService.Changes;
import dev.aide.calendar.EventService.Draft;
import dev.aide.conversation.Quoted;
import dev.aide.platform.error.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import net.fortuna.ical4j.model.component.VEvent;

/**
 * Events copied from a calendar elsewhere (a CalDAV account's): written from the iCalendar text of one calendar object
 * (a series with its changed occurrences, or a single event) and read back as such text, under the object's UID, for
 * writing back. Each event has a version, the latest change of the series or its occurrences, so a copier tells a
 * change made in Aide from its own writes. They are ordinary events of an ordinary (not primary) calendar: the agenda,
 * free time, alerts and the feed see them.
 */
public final class SyncedEvents {

  /** Every field a copied event takes from the server's text. */
  private static final Set<String> ALL = Set.of("title", "description", "location", "start", "end", "timezone",
      "allDay", "status", "rrule", "exdates", "attendees", "alertMinutes");

  private final EventService events;
  private final EventRepository rows;
  private final Vertx vertx;

  SyncedEvents(EventService events, EventRepository rows, Vertx vertx) {
    this.events = events;
    this.rows = rows;
    this.vertx = vertx;
  }

  /**
   * An event's version: when it (or an occurrence of it) last changed, whether it was deleted, and the calendar it is
   * in now (another than its copy's: moved there by the person).
   */
  public record Version(Instant at, boolean deleted, UUID calendarId) {

    /** Moved by the person to another calendar than that one: gone from it, as if deleted there. */
    public boolean movedOutOf(UUID calendar) {
      return !deleted && calendarId != null && !calendarId.equals(calendar);
    }
  }

  /**
   * A calendar object written into Aide: the event, the object's UID, and why each changed occurrence Aide's calendar
   * refused was left out (empty when none was).
   */
  public record Written(UUID eventId, String uid, List<String> refused) {}

  /** What a calendar object says, for a conflict: its event in a line, and when it was last changed (or null). */
  public record Remote(String summary, Instant lastModified) {}

  /** The event as iCalendar text for the server, its title and times for a person to read, and its version. */
  public record Local(UUID eventId, String ics, String summary, Instant version) {}

  /** A new calendar of the person's, not primary, to copy another calendar into. */
  public Future<UUID> createCalendar(UUID userId, String name) {
    return events.createCalendar(userId, calendarName(name), null).map(Calendar::id);
  }

  /**
   * The same in the caller's transaction (with the row that records where it is copied from). The name is the other
   * calendar's, cleaned: control characters dropped, cut to 200 characters, "Calendar" when nothing is left.
   */
  public Future<UUID> createCalendar(SqlClient tx, UUID userId, String name) {
    return rows.insertCalendar(tx, userId, calendarName(name), null).map(Calendar::id);
  }

  /** A calendar's name from another calendar's: no control characters, at most 200 characters. */
  public static String calendarName(String name) {
    String clean = name == null ? "" : name.replaceAll("[\\p{Cntrl}\\x{2028}\\x{2029}]", " ").strip();
    if (clean.isEmpty()) {
      return "Calendar";
    }
    return clean.length() <= 200 ? clean
        : clean.substring(0, Character.isHighSurrogate(clean.charAt(199)) ? 199 : 200).strip();
  }

  /** Deletes calendars with their events for good (an account disconnected), in the caller's transaction. */
  public Future<Void> deleteCalendars(SqlClient tx, UUID userId, List<UUID> calendarIds) {
    return rows.deleteCalendars(tx, userId, calendarIds);
  }

  /**
   * Writes the calendar object {@code ics} into the calendar: a new event, or over {@code existing} (its changed
   * occurrences replaced by the object's). Answers the event's id. Refused (invalid) when the text holds no VEVENT or
   * the calendar's rules refuse it; nothing is written then, except that an existing event may keep older occurrences.
   */
  public Future<Written> write(UUID userId, UUID calendarId, UUID existing, String ics) {
    return vertx.executeBlocking(() -> IcsImport.parse(ics), false).compose(parsed -> {
      if (parsed.items().isEmpty()) {
        return Future.failedFuture(DomainException.invalid("the calendar object holds no event"));
      }
      IcsImport.Item item = parsed.items().getFirst();
      return rows.userTimezone(userId).compose(zone -> {
        Draft draft = IcsImport.draft(item.master(), zone);
        IcsImport.carried(item, draft);
        Draft placed = new Draft(calendarId, draft.title(), draft.description(), draft.location(), draft.start(),
            draft.end(), draft.startDate(), draft.endDate(), draft.timezone(), draft.allDay(), draft.status(),
            draft.rrule(), draft.exdates() == null ? List.of() : draft.exdates(), draft.attendees(),
            draft.alertMinutes());
        Future<Optional<CalendarEvent>> current = existing == null ? Future.succeededFuture(Optional.empty())
            : rows.find(userId, existing);
        return current.compose(found -> found.isEmpty()
            ? events.insert(userId, placed)
            : events.update(userId, existing, new Changes(ALL, withDefaults(placed)))
                .compose(updated -> events.dropOverrides(userId, existing)).map(existing))
            .compose(id -> overrides(userId, id, item.overrides(), zone)
                .map(refused -> new Written(id, item.uid(), refused)));
      });
    });
  }

  /** Status and alert absent from the text mean confirmed and none, as a new event would have them. */
  private static Draft withDefaults(Draft d) {
    return new Draft(d.calendarId(), d.title(), d.description(), d.location(), d.start(), d.end(), d.startDate(),
        d.endDate(), d.timezone(), d.allDay(), d.status() == null ? CalendarEvent.Status.CONFIRMED : d.status(),
        d.rrule(), d.exdates(), d.attendees() == null ? List.of() : d.attendees(), d.alertMinutes());
  }

  /** Writes the changed occurrences; answers why each one refused was left out. */
  private Future<List<String>> overrides(UUID userId, UUID seriesId, List<VEvent> overrides, ZoneId zone) {
    if (overrides.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return events.get(userId, seriesId).compose(series -> {
      List<String> refused = new java.util.ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (VEvent v : overrides) {
        // An occurrence the series does not have (the server's text disagrees with itself) is left out, not fatal;
        // the caller tells the person.
        chain = chain.compose(x -> IcsImport.override(events, userId, series, v, zone).<Void>mapEmpty()
            .recover(e -> {
              refused.add("the occurrence " + recurrenceId(v) + " of " + Quoted.of(series.title()) + ": "
                  + e.getMessage());
              return Future.succeededFuture();
            }));
      }
      return chain.map(v -> List.copyOf(refused));
    });
  }

  private static String recurrenceId(VEvent v) {
    return v.getProperty(net.fortuna.ical4j.model.Property.RECURRENCE_ID).map(p -> p.getValue()).orElse("(no date)");
  }

  /** The versions of these events (series or single events), by id; a deleted one is there, marked deleted. */
  public Future<Map<UUID, Version>> versions(UUID userId, List<UUID> eventIds) {
    if (eventIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return rows.versions(userId, eventIds).map(found -> {
      Map<UUID, Version> out = new java.util.HashMap<>();
      found.forEach((id, v) -> out.put(id, new Version(v.at(), v.deleted(), v.calendarId())));
      return out;
    });
  }

  /** The event as a calendar object under {@code uid}; empty when it is deleted. */
  public Future<Optional<Local>> local(UUID userId, UUID eventId, String uid) {
    return rows.withOverrides(userId, eventId).compose(list -> {
      if (list.isEmpty() || list.getFirst().seriesId() != null) {
        return Future.succeededFuture(Optional.<Local>empty());
      }
      CalendarEvent master = list.getFirst();
      return versions(userId, List.of(eventId)).compose(v -> vertx.executeBlocking(() -> Optional.of(new Local(
          eventId, CalendarFeed.ics(list, Instant.now(), e -> uid), summary(master),
          v.get(eventId).at())), false));
    });
  }

  /** The event (a series or a single event) as Aide has it, for an API that takes fields, not text; empty when deleted. */
  public Future<Optional<CalendarEvent>> event(UUID userId, UUID eventId) {
    return rows.withOverrides(userId, eventId).map(list -> list.isEmpty() || list.getFirst().seriesId() != null
        ? Optional.<CalendarEvent>empty() : Optional.of(list.getFirst()));
  }

  /** The series and single events of a calendar, not deleted. */
  public Future<List<UUID>> inCalendar(UUID userId, UUID calendarId) {
    return rows.inCalendar(userId, calendarId);
  }

  /** Deletes a copied event that is gone from the server (a series with its occurrences). */
  public Future<Void> remove(UUID userId, UUID eventId) {
    return events.delete(userId, eventId).recover(e -> e instanceof DomainException d && d.kind() == DomainException.Kind.NOT_FOUND
        ? Future.succeededFuture() : Future.failedFuture(e));
  }

  /** Adds a paragraph at the end of the event's description: what a conflict's losing side said. */
  public Future<Void> note(UUID userId, UUID eventId, String note) {
    return rows.appendNote(userId, eventId, note);
  }

  /** One line a person reads of a calendar object's event: its title and when (or why it cannot be read). */
  public Future<Remote> describe(UUID userId, String ics) {
    return rows.userTimezone(userId).compose(zone -> vertx.executeBlocking(() -> {
      try {
        IcsImport.Parsed parsed = IcsImport.parse(ics);
        if (parsed.items().isEmpty()) {
          return new Remote("(no event)", null);
        }
        VEvent master = parsed.items().getFirst().master();
        Draft d = IcsImport.draft(master, zone);
        String when = d.start() != null ? dev.aide.platform.time.Times.iso(d.start()) + " to "
            + dev.aide.platform.time.Times.iso(d.end()) : d.startDate() + " (all day)";
        return new Remote("\"" + d.title() + "\", " + when + (d.location() == null ? "" : ", at " + d.location())
            + (d.rrule() == null ? "" : ", repeating " + d.rrule()), lastModified(master));
      } catch (RuntimeException e) {
        return new Remote("(unreadable: " + e.getMessage() + ")", null);
      }
    }, false));
  }

  /** LAST-MODIFIED, else DTSTAMP (which a client sets when it writes), as an instant; null when neither reads. */
  private static Instant lastModified(VEvent v) {
    for (String name : List.of(net.fortuna.ical4j.model.Property.LAST_MODIFIED,
        net.fortuna.ical4j.model.Property.DTSTAMP)) {
      Optional<net.fortuna.ical4j.model.Property> p = v.getProperty(name);
      if (p.isPresent() && p.get() instanceof net.fortuna.ical4j.model.property.DateProperty<?> date
          && date.getDate() instanceof java.time.temporal.Temporal t) {
        try {
          return Instant.from(t);
        } catch (java.time.DateTimeException e) {
          // A floating time: no instant.
        }
      }
    }
    return null;
  }

  /** One line a person reads: the title and when. */
  public static String summary(CalendarEvent e) {
    String when = e.allDay() ? e.startDate() + (e.endDate().equals(e.startDate().plusDays(1)) ? ""
        : " to " + e.endDate().minusDays(1))
        : dev.aide.platform.time.Times.iso(e.start()) + " to " + dev.aide.platform.time.Times.iso(e.end());
    return "\"" + e.title() + "\", " + when + (e.location() == null ? "" : ", at " + e.location())
        + (e.rrule() == null ? "" : ", repeating " + e.rrule());
  }
}
