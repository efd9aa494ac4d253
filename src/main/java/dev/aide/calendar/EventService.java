package dev.aide.calendar;

import dev.aide.platform.time.Recurrence;
import dev.aide.calendar.CalendarEvent.Attendee;
import dev.aide.calendar.CalendarEvent.Status;
import dev.aide.calendar.EventRepository.EventData;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import dev.aide.platform.time.DateRange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rules of the calendar, shared by the REST API and the assistant's tools: validation, recurrence expansion into
 * occurrences, overrides and cancellations of single occurrences, and conflicts with existing events.
 *
 * <p>Choices: a window may span at most {@value #MAX_WINDOW_DAYS} days and each series gives at most
 * {@value #MAX_PER_SERIES} occurrences in it. Conflicts are checked for a new event's first occurrence; cancelled
 * and all-day events are never conflicts. Cancelling
 * one occurrence adds its start to the series' exception dates; changing one writes an override row. Moving a series
 * (its start, timezone or all-day flag) drops its overrides and exception dates, which named the old times. An alert
 * ({@code alertMinutes}, 0 to {@value #MAX_ALERT_MINUTES}) belongs to a single event or a whole series; every write
 * runs the {@link EventRepository.AfterWrite} work (the alert's task) in its own transaction.
 */
public final class EventService {

  public static final int MAX_TITLE = 500;
  public static final int MAX_TEXT = 5000;
  public static final int MAX_WINDOW_DAYS = 400;
  public static final int MAX_PER_SERIES = 2000;
  /** Alerts go at most four weeks before an event. */
  public static final int MAX_ALERT_MINUTES = 40320;
  /**
   * What one series may carry: exception dates (cancelled occurrences) and overrides (changed ones). Each is an
   * occurrence its alert steps over when it looks for the next one, so together they bound that walk.
   */
  public static final int MAX_EXDATES = 1000;
  public static final int MAX_OVERRIDES = 1000;
  /**
   * What one person's calendar may hold: events in all (series and single ones), and repeating series among them.
   * A window's listing, and every new event's conflict check, expands each series that reaches into it from its
   * start, so the series are what the work grows with.
   */
  public static final int MAX_EVENTS = 20_000;
  public static final int MAX_SERIES = 1_000;
  private static final EventRepository.Limits LIMITS =
      new EventRepository.Limits(MAX_EVENTS, MAX_SERIES, MAX_OVERRIDES, MAX_EXDATES);
  private static final int MAX_ATTENDEES = 100;
  private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

  private final EventRepository events;
  private final Function<Supplier<List<Occurrence>>, Future<List<Occurrence>>> expander;
  private final EventRepository.AfterWrite afterWrite;

  public EventService(EventRepository events) {
    this(events, work -> Future.succeededFuture(work.get()), EventRepository.AfterWrite.NOTHING);
  }

  /** Expands recurrences on a Vert.x worker, since a window can hold thousands of occurrences. */
  public EventService(EventRepository events, Vertx vertx) {
    this(events, vertx, EventRepository.AfterWrite.NOTHING);
  }

  /** As above, and runs {@code afterWrite} in the transaction of every write (it keeps event alerts in step). */
  public EventService(EventRepository events, Vertx vertx, EventRepository.AfterWrite afterWrite) {
    this(events, work -> vertx.executeBlocking(work::get, false), afterWrite);
  }

  private EventService(EventRepository events, Function<Supplier<List<Occurrence>>, Future<List<Occurrence>>> expander,
                       EventRepository.AfterWrite afterWrite) {
    this.events = events;
    this.expander = expander;
    this.afterWrite = afterWrite;
  }

  /** What a person asks for: every field optional here; the service decides what is required. */
  public record Draft(UUID calendarId, String title, String description, String location, OffsetDateTime start,
                      OffsetDateTime end, LocalDate startDate, LocalDate endDate, String timezone, Boolean allDay,
                      Status status, String rrule, List<OffsetDateTime> exdates, List<Attendee> attendees,
                      Integer alertMinutes) {}

  /** A partial update: the fields present and their new values (a present null clears an optional field). */
  public record Changes(Set<String> fields, Draft values) {
    public boolean has(String field) {
      return fields.contains(field);
    }
  }

  /** A new event and the existing occurrences it overlaps. */
  public record Created(CalendarEvent event, List<Occurrence> conflicts) {}

  public Future<Created> create(UUID userId, Draft draft) {
    return events.userTimezone(userId)
        .compose(userZone -> {
          // Checked before the primary calendar is made on first use: a refused event writes nothing at all.
          prepare(draft, draft.calendarId(), userZone, null, null);
          return calendar(userId, draft.calendarId()).map(calendarId -> prepare(draft, calendarId, userZone, null, null));
        })
        .compose(data -> events.insert(userId, data, LIMITS, afterWrite).recover(EventService::explained))
        .compose(id -> get(userId, id))
        .compose(event -> conflicts(userId, event).map(conflicts -> new Created(event, conflicts)));
  }

  /**
   * Creates an event without looking for the occurrences it overlaps: for events copied from another calendar, where
   * nobody is told. Answers its id.
   */
  public Future<UUID> insert(UUID userId, Draft draft) {
    return events.userTimezone(userId)
        .compose(userZone -> calendar(userId, draft.calendarId())
            .map(calendarId -> prepare(draft, calendarId, userZone, null, null)))
        .compose(data -> events.insert(userId, data, LIMITS, afterWrite).recover(EventService::explained));
  }

  /** Removes every changed or cancelled-by-override occurrence of a series (its exception dates stay). */
  public Future<Void> dropOverrides(UUID userId, UUID seriesId) {
    return events.dropOverrides(userId, seriesId, afterWrite);
  }

  public Future<CalendarEvent> get(UUID userId, UUID id) {
    return events.find(userId, id).map(found -> found.orElseThrow(() -> DomainException.notFound("event")));
  }

  public Future<CalendarEvent> update(UUID userId, UUID id, Changes changes) {
    return get(userId, id).compose(current -> {
      if (current.seriesId() != null && (changes.has("rrule") || changes.has("exdates"))) {
        throw DomainException.invalid("an occurrence override cannot repeat; change the series instead");
      }
      if (current.seriesId() != null && changes.has("alertMinutes")) {
        throw DomainException.invalid("an occurrence has its series' alert; change the series instead");
      }
      if (current.seriesId() != null && changes.has("calendarId") && changes.values().calendarId() != null
          && !changes.values().calendarId().equals(current.calendarId())) {
        // A series and its changed occurrences are one calendar object: one calendar holds them all.
        throw DomainException.invalid("an occurrence is in its series' calendar; move the series instead");
      }
      Draft merged = merge(draftOf(current), changes);
      UUID calendarId = merged.calendarId();
      return calendar(userId, calendarId).compose(checked -> {
        EventData data = prepare(merged, checked, current.timezone(), current.seriesId(),
            current.originalStart());
        boolean moved = current.recurring() && (!data.start().toInstant().equals(current.start().toInstant())
            || !data.timezone().equals(current.timezone()) || data.allDay() != current.allDay());
        if (moved && !changes.has("exdates")) {
          data = withExdates(data, List.of());
        }
        return events.update(userId, id, data, moved, LIMITS, afterWrite).recover(EventService::explained);
      });
    }).compose(updated -> get(userId, id));
  }

  /** Soft-deletes an event (a series with its overrides); deleting an override cancels the occurrence it replaced. */
  public Future<Void> delete(UUID userId, UUID id) {
    return get(userId, id).compose(event -> event.seriesId() != null
        ? events.cancelOccurrence(userId, event.seriesId(), event.originalStart(), LIMITS, afterWrite)
            .recover(EventService::explained)
        : events.softDelete(userId, id, afterWrite).compose(deleted -> deleted
            ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("event"))));
  }

  /** Changes one occurrence of a series: writes (or rewrites) the override that replaces it. */
  public Future<CalendarEvent> changeOccurrence(UUID userId, UUID seriesId, OffsetDateTime originalStart,
                                                Changes changes) {
    return occurrenceOf(userId, seriesId, originalStart).compose(series ->
        events.findOverride(userId, seriesId, originalStart).compose(existing -> {
          Draft base = existing.map(EventService::draftOf).orElseGet(() -> occurrenceDraft(series, originalStart));
          EventData data = prepare(merge(base, changes), series.calendarId(), series.timezone(), seriesId,
              originalStart);
          return (existing.isPresent()
              ? events.update(userId, existing.get().id(), data, false, LIMITS, afterWrite).map(existing.get().id())
              : events.insert(userId, data, LIMITS, afterWrite)).recover(EventService::explained);
        })).compose(id -> get(userId, id));
  }

  /** Cancels one occurrence of a series. */
  public Future<Void> cancelOccurrence(UUID userId, UUID seriesId, OffsetDateTime originalStart) {
    return occurrenceOf(userId, seriesId, originalStart)
        .compose(series -> events.cancelOccurrence(userId, seriesId, originalStart, LIMITS, afterWrite)
            .recover(EventService::explained));
  }

  /** A limit the repository found reached, as the person reads it (422); any other failure as it was. */
  private static <T> Future<T> explained(Throwable failure) {
    if (!(failure instanceof EventRepository.LimitReached full)) {
      return Future.failedFuture(failure);
    }
    return Future.failedFuture(DomainException.invalid(switch (full.what()) {
      case EVENTS -> "your calendar holds " + MAX_EVENTS + " events, as many as it may; delete some first";
      case SERIES -> "your calendar holds " + MAX_SERIES + " repeating events, as many as it may; delete some first";
      case OVERRIDES -> "this repeating event has " + MAX_OVERRIDES + " changed occurrences, as many as it may;"
          + " change the whole series, or end it and start a new one";
      case EXDATES -> "this repeating event has " + MAX_EXDATES + " cancelled occurrences (exdates), as many as it"
          + " may; end the series and start a new one instead";
    }));
  }

  /** Every occurrence overlapping [from, to), recurring events expanded, ordered by start. */
  public Future<List<Occurrence>> occurrences(UUID userId, OffsetDateTime from, OffsetDateTime to) {
    return occurrences(userId, null, from, to);
  }

  private Future<List<Occurrence>> occurrences(UUID userId, ZoneId known, OffsetDateTime from, OffsetDateTime to) {
    return Future.<Void>succeededFuture().compose(v -> {
      window(from, to);
      return known != null ? Future.succeededFuture(known) : events.userTimezone(userId);
    }).compose(zone -> events.window(userId, from, to).compose(w -> expander.apply(() -> expand(w, from, to, zone))));
  }

  /** The occurrences in a window whose title, location or description contain the text (any case). */
  public Future<List<Occurrence>> find(UUID userId, OffsetDateTime from, OffsetDateTime to, String text) {
    return find(userId, null, from, to, text);
  }

  /** The same for a person whose timezone the caller has read already (a turn has): one statement fewer. */
  public Future<List<Occurrence>> find(UUID userId, ZoneId zone, OffsetDateTime from, OffsetDateTime to, String text) {
    if (text == null || text.isBlank()) {
      return occurrences(userId, zone, from, to);
    }
    String needle = text.strip().toLowerCase(Locale.ROOT);
    return occurrences(userId, zone, from, to).map(list -> list.stream()
        .filter(o -> contains(o.title(), needle) || contains(o.location(), needle)).toList());
  }

  /** How many occurrences of a series start at or after an instant (up to a cap), for confirmations. */
  public int remainingOccurrences(CalendarEvent series, Instant after, int cap) {
    if (!series.recurring()) {
      return series.start().toInstant().isBefore(after) ? 0 : 1;
    }
    Set<Instant> excluded = new HashSet<>();
    series.exdates().forEach(t -> excluded.add(t.toInstant()));
    return Recurrence.starts(series.rrule(), series.localStart(), 1, after, after.plus(3650, ChronoUnit.DAYS),
        excluded, cap).size();
  }

  public Future<List<Calendar>> calendars(UUID userId) {
    return events.calendars(userId);
  }

  /** New events go to this calendar from now on (the primary one: as when nothing was chosen). */
  public Future<Void> chooseForNewEvents(UUID userId, UUID calendarId) {
    return events.chooseForNewEvents(userId, calendarId).compose(chosen -> chosen ? Future.<Void>succeededFuture()
        : Future.failedFuture(DomainException.notFound("calendar")));
  }

  public Future<Calendar> createCalendar(UUID userId, String name, String color) {
    return Future.<Void>succeededFuture().compose(v -> {
      String n = name == null ? "" : Texts.checkCharacters(name, "name").strip();
      if (n.isEmpty() || n.length() > 200) {
        throw DomainException.invalid("name is required, at most 200 characters");
      }
      if (color != null && !color.matches("^#[0-9a-fA-F]{6}$")) {
        throw DomainException.invalid("color must be a hex colour such as #4285f4");
      }
      return events.insertCalendar(userId, n, color);
    });
  }

  private Future<CalendarEvent> occurrenceOf(UUID userId, UUID seriesId, OffsetDateTime originalStart) {
    if (!DateRange.contains(originalStart.toLocalDate())) {
      return Future.failedFuture(DomainException.notFound("occurrence"));
    }
    return get(userId, seriesId).map(series -> {
      if (!series.recurring()) {
        throw DomainException.invalid("this event does not repeat; change or delete the event itself");
      }
      Instant instant = originalStart.toInstant();
      boolean excluded = series.exdates().stream().anyMatch(t -> t.toInstant().equals(instant));
      if (excluded || !Recurrence.occursAt(series.rrule(), series.localStart(), instant)) {
        throw DomainException.notFound("occurrence");
      }
      return series;
    });
  }

  private Future<List<Occurrence>> conflicts(UUID userId, CalendarEvent event) {
    if (event.allDay() || event.status() == Status.CANCELLED) {
      return Future.succeededFuture(List.of());
    }
    return occurrences(userId, event.start(), event.end()).map(list -> list.stream()
        .filter(o -> !o.eventId().equals(event.id()) && !o.allDay()).toList());
  }

  private Future<UUID> calendar(UUID userId, UUID calendarId) {
    if (calendarId == null) {
      return events.calendarForNewEvents(userId);
    }
    return events.calendarExists(userId, calendarId).map(exists -> {
      if (!exists) {
        throw DomainException.invalid("calendarId names no calendar of yours");
      }
      return calendarId;
    });
  }

  private static List<Occurrence> expand(EventRepository.Window w, OffsetDateTime from, OffsetDateTime to,
                                         ZoneId userZone) {
    List<Occurrence> out = new ArrayList<>(w.singles().size());
    for (CalendarEvent e : w.singles()) {
      out.add(new Occurrence(e.seriesId() != null ? e.seriesId() : e.id(), e.title(), e.start(), e.end(),
          e.originalStart(), e.allDay(), e.location(), e.status()));
    }
    for (CalendarEvent s : w.series()) {
      Set<Instant> excluded = new HashSet<>(w.skip().getOrDefault(s.id(), Set.of()));
      s.exdates().forEach(t -> excluded.add(t.toInstant()));
      long millis = s.duration().toMillis();
      long days = s.allDay() ? ChronoUnit.DAYS.between(s.startDate(), s.endDate()) : 0;
      for (Instant start : Recurrence.starts(s.rrule(), s.localStart(), millis, from.toInstant(), to.toInstant(),
          excluded, MAX_PER_SERIES)) {
        ZonedDateTime local = start.atZone(s.timezone());
        Instant end = s.allDay() ? local.toLocalDate().plusDays(days).atStartOfDay(s.timezone()).toInstant()
            : start.plusMillis(millis);
        out.add(new Occurrence(s.id(), s.title(), start.atZone(userZone).toOffsetDateTime(),
            end.atZone(userZone).toOffsetDateTime(), start.atZone(userZone).toOffsetDateTime(), s.allDay(),
            s.location(), s.status()));
      }
    }
    out.sort(Comparator.comparing((Occurrence o) -> o.start().toInstant()).thenComparing(Occurrence::title));
    return out;
  }

  private static void window(OffsetDateTime from, OffsetDateTime to) {
    if (from == null || to == null) {
      throw DomainException.invalid("from and to are required, ISO-8601 date-times with offset");
    }
    DateRange.check(from, "from");
    DateRange.check(to, "to");
    if (!to.isAfter(from)) {
      throw DomainException.invalid("to must be after from");
    }
    if (Duration.between(from, to).toDays() > MAX_WINDOW_DAYS) {
      throw DomainException.invalid("the window must span at most " + MAX_WINDOW_DAYS + " days");
    }
  }

  /** Checks a complete draft and computes what is stored: instants, all-day dates, where a series ends. */
  private static EventData prepare(Draft d, UUID calendarId, ZoneId fallbackZone, UUID seriesId,
                                   OffsetDateTime originalStart) {
    String title = d.title() == null ? "" : Texts.checkCharacters(d.title(), "title").strip();
    if (title.isEmpty()) {
      throw DomainException.invalid("title is required");
    }
    if (title.length() > MAX_TITLE) {
      throw DomainException.invalid("title must be at most " + MAX_TITLE + " characters");
    }
    ZoneId zone = zone(d.timezone(), fallbackZone);
    boolean allDay = Boolean.TRUE.equals(d.allDay());
    OffsetDateTime start;
    OffsetDateTime end;
    LocalDate startDate = null;
    LocalDate endDate = null;
    if (allDay) {
      startDate = d.startDate() != null ? d.startDate()
          : d.start() != null ? d.start().atZoneSameInstant(zone).toLocalDate() : null;
      if (startDate == null) {
        throw DomainException.invalid("start is required (a date such as 2026-12-24 for an all-day event)");
      }
      endDate = d.endDate() != null ? d.endDate()
          : d.end() != null ? d.end().atZoneSameInstant(zone).toLocalDate() : startDate.plusDays(1);
      DateRange.check(startDate, "start");
      DateRange.check(endDate, "end");
      if (!endDate.isAfter(startDate)) {
        throw DomainException.invalid("end must be after start (the end date of an all-day event is exclusive)");
      }
      start = startDate.atStartOfDay(zone).toOffsetDateTime();
      end = endDate.atStartOfDay(zone).toOffsetDateTime();
    } else {
      if (d.start() == null) {
        throw DomainException.invalid("start is required, an ISO-8601 date-time with offset");
      }
      if (d.end() == null) {
        throw DomainException.invalid("end is required, an ISO-8601 date-time with offset");
      }
      start = DateRange.check(d.start(), "start");
      end = DateRange.check(d.end(), "end");
      if (!end.isAfter(start)) {
        throw DomainException.invalid("end must be after start");
      }
    }
    // Longer than the widest window the calendar is read in, an event could not be shown (or checked for conflicts)
    // whole: refused before anything is written.
    if (Duration.between(start, end).toDays() > MAX_WINDOW_DAYS) {
      throw DomainException.invalid("an event may last at most " + MAX_WINDOW_DAYS + " days");
    }
    if (d.exdates() != null) {
      if (d.exdates().size() > MAX_EXDATES) {
        throw DomainException.invalid(exdatesRule());
      }
      d.exdates().forEach(t -> DateRange.check(t, "exdates"));
    }
    String rrule = null;
    OffsetDateTime recursUntil = null;
    if (d.rrule() != null && !d.rrule().isBlank()) {
      try {
        rrule = Recurrence.check(d.rrule(), start.atZoneSameInstant(zone), Recurrence.HOURLY);
        Duration length = Duration.between(start, end);
        recursUntil = Recurrence.lastStart(rrule, start.atZoneSameInstant(zone))
            .map(last -> last.plus(length).atOffset(java.time.ZoneOffset.UTC))
            .orElse(null);
      } catch (IllegalArgumentException e) {
        throw DomainException.invalid(e.getMessage());
      }
    }
    List<Attendee> attendees = attendees(d.attendees());
    Integer alert = d.alertMinutes();
    if (alert != null && (alert < 0 || alert > MAX_ALERT_MINUTES)) {
      throw DomainException.invalid("alertMinutes must be a whole number from 0 to " + MAX_ALERT_MINUTES);
    }
    return new EventData(calendarId, seriesId, originalStart, title, text(d.description(), "description"),
        text(d.location(), "location"), start, end, zone, allDay, startDate, endDate,
        d.status() == null ? Status.CONFIRMED : d.status(), rrule,
        rrule == null || d.exdates() == null ? List.of() : d.exdates(), recursUntil, attendees,
        seriesId == null ? alert : null);
  }

  /** What exdates may be; the HTTP edge says the same when it reads them. */
  static String exdatesRule() {
    return "exdates must be an array of at most " + MAX_EXDATES + " date-times (a repeating event's cancelled"
        + " occurrences)";
  }

  private static ZoneId zone(String timezone, ZoneId fallback) {
    if (timezone == null) {
      return fallback;
    }
    if (!ZONES.contains(timezone)) {
      throw DomainException.invalid("timezone must be an IANA timezone such as Europe/Paris");
    }
    return ZoneId.of(timezone);
  }

  private static String text(String value, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Texts.checkCharacters(value, field);
    if (value.length() > MAX_TEXT) {
      throw DomainException.invalid(field + " must be at most " + MAX_TEXT + " characters");
    }
    return value.strip();
  }

  private static List<Attendee> attendees(List<Attendee> attendees) {
    if (attendees == null) {
      return List.of();
    }
    if (attendees.size() > MAX_ATTENDEES) {
      throw DomainException.invalid("at most " + MAX_ATTENDEES + " attendees");
    }
    Set<String> seen = new HashSet<>();
    List<Attendee> out = new ArrayList<>();
    for (Attendee a : attendees) {
      String email = a.email() == null ? ""
          : Texts.checkCharacters(a.email(), "attendee email").strip().toLowerCase(Locale.ROOT);
      Texts.checkCharacters(a.name(), "attendee name");
      if (!email.matches("^[^@\\s]+@[^@\\s]+$") || email.length() > 320) {
        throw DomainException.invalid("attendee email must be an email address");
      }
      if (!seen.add(email)) {
        throw DomainException.invalid("attendee " + email + " is listed twice");
      }
      out.add(new Attendee(email, a.name() == null || a.name().isBlank() ? null : a.name().strip(),
          a.response() == null ? Attendee.Response.NEEDS_ACTION : a.response()));
    }
    return out;
  }

  private static Draft draftOf(CalendarEvent e) {
    return new Draft(e.calendarId(), e.title(), e.description(), e.location(), e.allDay() ? null : e.start(),
        e.allDay() ? null : e.end(), e.startDate(), e.endDate(), e.timezone().getId(), e.allDay(), e.status(),
        e.rrule(), e.exdates(), e.attendees(), e.alertMinutes());
  }

  /** The draft of one occurrence of a series, as the series would produce it. */
  private static Draft occurrenceDraft(CalendarEvent s, OffsetDateTime originalStart) {
    OffsetDateTime start = originalStart.atZoneSameInstant(s.start().getOffset()).toOffsetDateTime();
    LocalDate date = originalStart.atZoneSameInstant(s.timezone()).toLocalDate();
    return new Draft(s.calendarId(), s.title(), s.description(), s.location(), s.allDay() ? null : start,
        s.allDay() ? null : start.plus(s.duration()), s.allDay() ? date : null,
        s.allDay() ? date.plusDays(ChronoUnit.DAYS.between(s.startDate(), s.endDate())) : null,
        s.timezone().getId(), s.allDay(), s.status(), null, List.of(), s.attendees(), null);
  }

  /** Applies changes to a draft; a new start without a new end keeps the length (the event is moved). */
  private static Draft merge(Draft base, Changes c) {
    Draft v = c.values();
    boolean startChanged = c.has("start");
    boolean endChanged = c.has("end");
    OffsetDateTime start = startChanged ? v.start() : base.start();
    LocalDate startDate = startChanged ? v.startDate() : base.startDate();
    OffsetDateTime end = endChanged ? v.end() : base.end();
    LocalDate endDate = endChanged ? v.endDate() : base.endDate();
    if (startChanged && !endChanged) {
      if (base.start() != null && base.end() != null && start != null) {
        end = start.plus(Duration.between(base.start(), base.end()));
      } else if (base.startDate() != null && base.endDate() != null && startDate != null) {
        endDate = startDate.plusDays(ChronoUnit.DAYS.between(base.startDate(), base.endDate()));
      } else {
        end = null;
        endDate = null;
      }
    }
    return new Draft(
        c.has("calendarId") ? v.calendarId() : base.calendarId(),
        c.has("title") ? v.title() : base.title(),
        c.has("description") ? v.description() : base.description(),
        c.has("location") ? v.location() : base.location(),
        start, end, startDate, endDate,
        c.has("timezone") ? v.timezone() : base.timezone(),
        c.has("allDay") ? v.allDay() : base.allDay(),
        c.has("status") ? v.status() : base.status(),
        c.has("rrule") ? v.rrule() : base.rrule(),
        c.has("exdates") ? v.exdates() : base.exdates(),
        c.has("attendees") ? v.attendees() : base.attendees(),
        c.has("alertMinutes") ? v.alertMinutes() : base.alertMinutes());
  }

  private static EventData withExdates(EventData d, List<OffsetDateTime> exdates) {
    return new EventData(d.calendarId(), d.seriesId(), d.originalStart(), d.title(), d.description(), d.location(),
        d.start(), d.end(), d.timezone(), d.allDay(), d.startDate(), d.endDate(), d.status(), d.rrule(), exdates,
        d.recursUntil(), d.attendees(), d.alertMinutes());
  }

  private static boolean contains(String value, String needle) {
    return value != null && value.toLowerCase(Locale.ROOT).contains(needle);
  }
}
