package dev.aide.calendar;

import dev.aide.calendar.CalendarEvent.Attendee;
import dev.aide.calendar.CalendarEvent.Status;
import dev.aide.calendar.EventService.Changes;
import dev.aide.calendar.EventService.Draft;
import dev.aide.platform.error.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.ExDate;
import net.fortuna.ical4j.model.property.Trigger;

/**
 * Imports an uploaded .ics file into the user's primary calendar through the EventService: each VEVENT becomes an
 * event (RRULE, EXDATE, attendees and status carried over), VEVENTs with a RECURRENCE-ID change or cancel one
 * occurrence of their series. Times with a TZID keep that zone (an IANA one; others are converted to instants in the
 * user's zone), floating times are read in the user's zone, dates make all-day events. A UID already imported is
 * skipped, so importing a file twice changes nothing. A file the parser rejects is refused whole (422); an event the
 * calendar's rules refuse is reported in {@code errors} and the others are imported. A VALARM before the start
 * becomes the event's alert.
 */
public final class IcsImport {

  private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

  private final EventService events;
  private final EventRepository repository;
  private final FeedRepository feeds;
  private final Vertx vertx;

  public IcsImport(EventService events, EventRepository repository, FeedRepository feeds, Vertx vertx) {
    this.events = events;
    this.repository = repository;
    this.feeds = feeds;
    this.vertx = vertx;
  }

  /** What an import did: events created, events skipped (already imported), and why others were not. */
  public record Result(int imported, int skipped, List<String> errors) {}

  /** A series or single event of the file with the overrides of its occurrences. */
  record Item(String uid, VEvent master, List<VEvent> overrides) {}

  /** The file's events, and the UIDs of overrides whose series the file does not hold. */
  record Parsed(List<Item> items, List<String> orphans) {}

  private static final class Tally {
    int imported;
    int skipped;
    final List<String> errors = new ArrayList<>();
  }

  public Future<Result> run(UUID userId, String ics) {
    return vertx.executeBlocking(() -> parse(ics), false).compose(parsed -> repository.userTimezone(userId)
        .compose(userZone -> feeds.knownUids(userId, parsed.items().stream().map(Item::uid).toList())
            .compose(known -> {
              Tally tally = new Tally();
              parsed.orphans().forEach(uid -> tally.errors.add(uid + ": an occurrence (RECURRENCE-ID) whose series"
                  + " is not in the file"));
              Future<Void> chain = Future.succeededFuture();
              for (Item item : parsed.items()) {
                if (known.contains(item.uid())) {
                  tally.skipped++;
                  continue;
                }
                chain = chain.compose(v -> importOne(userId, item, userZone, tally)
                    .recover(e -> {
                      tally.errors.add(item.uid() + ": " + e.getMessage());
                      return Future.succeededFuture();
                    }));
              }
              return chain.map(v -> new Result(tally.imported, tally.skipped, tally.errors));
            })));
  }

  private Future<Void> importOne(UUID userId, Item item, ZoneId userZone, Tally tally) {
    Draft draft;
    try {
      draft = draft(item.master(), userZone);
      carried(item, draft);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return events.create(userId, draft).map(created -> created.event()).compose(event ->
        feeds.setUid(userId, event.id(), item.uid())
            .recover(e -> events.delete(userId, event.id()).compose(v -> Future.failedFuture(
                DomainException.conflict("already imported"))))
            .map(v -> {
              tally.imported++;
              return event;
            }))
        .compose(series -> {
          Future<Void> chain = Future.succeededFuture();
          for (VEvent override : item.overrides()) {
            chain = chain.compose(v -> override(userId, series, override, userZone)
                .recover(e -> {
                  tally.errors.add(item.uid() + " (one occurrence): " + e.getMessage());
                  return Future.succeededFuture();
                }));
          }
          return chain;
        });
  }

  /**
   * A series is refused whole, before anything is written, when it has more changed or cancelled occurrences than
   * the calendar lets one series carry (each would otherwise fail on its own, one write and one error at a time).
   */
  static void carried(Item item, Draft draft) {
    long cancelled = item.overrides().stream().filter(v -> v.getProperty(Property.STATUS)
        .map(p -> p.getValue().equalsIgnoreCase("CANCELLED")).orElse(false)).count();
    long changed = item.overrides().size() - cancelled;
    long exdates = cancelled + (draft.exdates() == null ? 0 : draft.exdates().size());
    if (changed > EventService.MAX_OVERRIDES) {
      throw DomainException.invalid("a repeating event may have at most " + EventService.MAX_OVERRIDES
          + " changed occurrences; this one has " + changed);
    }
    if (draft.rrule() != null && exdates > EventService.MAX_EXDATES) {
      throw DomainException.invalid("a repeating event may have at most " + EventService.MAX_EXDATES
          + " cancelled occurrences (EXDATE and cancelled RECURRENCE-IDs); this one has " + exdates);
    }
  }

  private Future<Void> override(UUID userId, CalendarEvent series, VEvent v, ZoneId userZone) {
    return override(events, userId, series, v, userZone);
  }

  /** Writes what a VEVENT with a RECURRENCE-ID says of one occurrence of the series: changed, or cancelled. */
  static Future<Void> override(EventService events, UUID userId, CalendarEvent series, VEvent v, ZoneId userZone) {
    DateProperty<Temporal> rid = v.<DateProperty<Temporal>>getProperty(Property.RECURRENCE_ID).orElseThrow();
    OffsetDateTime originalStart = instant(rid.getDate(), zoneOf(rid, series.timezone()), series.timezone());
    Draft d = draft(v, userZone);
    if (d.status() == Status.CANCELLED) {
      return events.cancelOccurrence(userId, series.id(), originalStart);
    }
    Changes changes = new Changes(Set.of("title", "description", "location", "start", "end", "status"), d);
    return events.changeOccurrence(userId, series.id(), originalStart, changes).mapEmpty();
  }

  /** The VEVENTs of the file grouped by UID; a parse failure is invalid, with the parser's message. */
  static Parsed parse(String ics) {
    net.fortuna.ical4j.model.Calendar calendar;
    try {
      calendar = new CalendarBuilder().build(new StringReader(ics));
    } catch (ParserException | IOException | RuntimeException e) {
      throw DomainException.invalid("the file is not valid iCalendar: " + e.getMessage());
    }
    Map<String, VEvent> masters = new LinkedHashMap<>();
    Map<String, List<VEvent>> overrides = new LinkedHashMap<>();
    int anonymous = 0;
    for (Component c : calendar.getComponents(Component.VEVENT)) {
      VEvent v = (VEvent) c;
      if (v.getProperty(Property.DTSTART).isEmpty()) {
        throw DomainException.invalid("the file is not valid iCalendar: a VEVENT has no DTSTART");
      }
      String uid = v.getProperty(Property.UID).map(Property::getValue).map(String::strip)
          .filter(s -> !s.isEmpty()).orElse(null);
      if (uid == null) {
        uid = "no-uid-" + (++anonymous) + "-" + UUID.randomUUID();
      }
      if (uid.length() > 1000) {
        throw DomainException.invalid("the file is not valid iCalendar: a UID is longer than 1000 characters");
      }
      if (v.getProperty(Property.RECURRENCE_ID).isPresent()) {
        overrides.computeIfAbsent(uid, k -> new ArrayList<>()).add(v);
      } else {
        masters.putIfAbsent(uid, v);
      }
    }
    List<Item> items = masters.entrySet().stream()
        .map(e -> new Item(e.getKey(), e.getValue(), overrides.getOrDefault(e.getKey(), List.of()))).toList();
    List<String> orphans = overrides.keySet().stream().filter(uid -> !masters.containsKey(uid)).toList();
    return new Parsed(items, orphans);
  }

  /** The event a VEVENT describes, in the terms of EventService (which checks it). */
  static Draft draft(VEvent v, ZoneId userZone) {
    DateProperty<Temporal> dtstart = v.<DateProperty<Temporal>>getProperty(Property.DTSTART).orElseThrow();
    Temporal start = dtstart.getDate();
    String tzid = dtstart.getParameter(Parameter.TZID).map(Parameter::getValue).filter(ZONES::contains).orElse(null);
    // A UTC start (…Z) is kept in UTC, so a recurring series does not shift an hour at the user's DST change.
    if (tzid == null && (start instanceof java.time.Instant
        || start instanceof java.time.ZonedDateTime z && z.getOffset().equals(java.time.ZoneOffset.UTC)
        || start instanceof java.time.OffsetDateTime o && o.getOffset().equals(java.time.ZoneOffset.UTC))) {
      tzid = "UTC";
    }
    ZoneId zone = tzid != null ? ZoneId.of(tzid) : userZone;
    Optional<DateProperty<Temporal>> dtend = v.getProperty(Property.DTEND);
    Optional<TemporalAmount> duration = v.<net.fortuna.ical4j.model.property.Duration>getProperty(Property.DURATION)
        .map(net.fortuna.ical4j.model.property.Duration::getDuration);
    String rrule = v.getProperty(Property.RRULE).map(Property::getValue).orElse(null);
    Status status = v.getProperty(Property.STATUS).map(p -> switch (p.getValue().toUpperCase(Locale.ROOT)) {
      case "TENTATIVE" -> Status.TENTATIVE;
      case "CANCELLED" -> Status.CANCELLED;
      default -> Status.CONFIRMED;
    }).orElse(null);
    List<OffsetDateTime> exdates = new ArrayList<>();
    for (Property p : v.getProperties(Property.EXDATE)) {
      @SuppressWarnings("unchecked")
      ExDate<Temporal> exdate = (ExDate<Temporal>) p;
      ZoneId exZone = zoneOf(exdate, zone);
      exdate.getDates().forEach(t -> exdates.add(instant(t, exZone, zone)));
    }
    String title = text(v, Property.SUMMARY, EventService.MAX_TITLE);
    String description = text(v, Property.DESCRIPTION, EventService.MAX_TEXT);
    String location = text(v, Property.LOCATION, EventService.MAX_TEXT);
    List<Attendee> attendees = attendees(v);
    if (start instanceof LocalDate date) {
      LocalDate end = dtend.map(DateProperty::getDate).filter(LocalDate.class::isInstance).map(LocalDate.class::cast)
          .orElseGet(() -> duration.map(d -> date.plus(d instanceof Period p ? p
              : Period.ofDays((int) Math.max(1, ((Duration) d).toDays())))).orElse(date.plusDays(1)));
      return new Draft(null, title == null ? "(no title)" : title, description, location, null, null, date, end,
          zone.getId(), true, status, rrule, exdates, attendees, alertMinutes(v));
    }
    OffsetDateTime from = instant(start, zone, zone);
    OffsetDateTime to = dtend.map(e -> instant(e.getDate(), zoneOf(e, zone), zone))
        .orElseGet(() -> duration.map(d -> from.plus(d)).orElse(null));
    if (to == null) {
      throw DomainException.invalid("the event has neither DTEND nor DURATION");
    }
    return new Draft(null, title == null ? "(no title)" : title, description, location, from, to, null, null,
        tzid, false, status, rrule, exdates, attendees, alertMinutes(v));
  }

  /**
   * The alert a VEVENT asks for: its first VALARM whose TRIGGER is a duration at or before the start, in whole minutes.
   * Absolute triggers, ones relative to the end or after the start, and ones more than four weeks ahead are left out.
   */
  private static Integer alertMinutes(VEvent v) {
    for (VAlarm alarm : v.getAlarms()) {
      Trigger trigger = alarm.<Trigger>getProperty(Property.TRIGGER).orElse(null);
      if (trigger == null || trigger.isAbsolute() || trigger.getDuration() == null
          || trigger.getParameter(Parameter.RELATED).map(r -> "END".equalsIgnoreCase(r.getValue())).orElse(false)) {
        continue;
      }
      TemporalAmount offset = trigger.getDuration();
      Duration before;
      if (offset instanceof Duration d) {
        before = d.negated();
      } else if (offset instanceof Period p && p.getYears() == 0 && p.getMonths() == 0) {
        before = Duration.ofDays(-p.getDays());
      } else {
        continue;
      }
      if (!before.isNegative() && before.toMinutes() <= EventService.MAX_ALERT_MINUTES) {
        return (int) before.toMinutes();
      }
    }
    return null;
  }

  /** The IANA zone a property's TZID names, or the fallback. */
  private static ZoneId zoneOf(Property p, ZoneId fallback) {
    return p.getParameter(Parameter.TZID).map(Parameter::getValue).filter(ZONES::contains).map(ZoneId::of)
        .orElse(fallback);
  }

  /** An iCalendar value as an instant: floating times in {@code floating}, dates at the start of day there. */
  private static OffsetDateTime instant(Temporal t, ZoneId floating, ZoneId dateZone) {
    if (t instanceof ZonedDateTime z) {
      return z.toOffsetDateTime();
    }
    if (t instanceof OffsetDateTime o) {
      return o;
    }
    if (t instanceof Instant i) {
      return i.atOffset(ZoneOffset.UTC);
    }
    if (t instanceof LocalDateTime l) {
      return l.atZone(floating).toOffsetDateTime();
    }
    if (t instanceof LocalDate d) {
      return d.atStartOfDay(dateZone).toOffsetDateTime();
    }
    throw DomainException.invalid("unsupported date value " + t);
  }

  private static String text(VEvent v, String name, int max) {
    String value = v.getProperty(name).map(Property::getValue).map(String::strip).filter(s -> !s.isEmpty())
        .orElse(null);
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  private static List<Attendee> attendees(VEvent v) {
    List<Attendee> out = new ArrayList<>();
    for (Property p : v.getProperties(Property.ATTENDEE)) {
      String email = p.getValue().replaceFirst("(?i)^mailto:", "").strip().toLowerCase(Locale.ROOT);
      if (!email.matches("^[^@\\s]+@[^@\\s]+$") || email.length() > 320
          || out.stream().anyMatch(a -> a.email().equals(email))) {
        continue;
      }
      String name = p.getParameter(Parameter.CN).map(Parameter::getValue).orElse(null);
      Attendee.Response response = p.getParameter(Parameter.PARTSTAT).map(s -> switch (s.getValue()) {
        case "ACCEPTED" -> Attendee.Response.ACCEPTED;
        case "DECLINED" -> Attendee.Response.DECLINED;
        case "TENTATIVE" -> Attendee.Response.TENTATIVE;
        default -> Attendee.Response.NEEDS_ACTION;
      }).orElse(null);
      out.add(new Attendee(email, name, response));
      if (out.size() == 100) {
        break;
      }
    }
    return out;
  }
}
