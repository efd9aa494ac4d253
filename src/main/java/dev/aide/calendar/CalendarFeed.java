package dev.aide.calendar;

import dev.aide.calendar.CalendarEvent.Attendee;
import dev.aide.platform.error.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import net.fortuna.ical4j.model.DateList;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.parameter.PartStat;
import net.fortuna.ical4j.model.parameter.TzId;
import net.fortuna.ical4j.model.parameter.Value;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.ExDate;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.RRule;
import net.fortuna.ical4j.model.property.RecurrenceId;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * A person's private iCalendar feed: a long random token names it in a public URL that calendar applications poll;
 * only the token's SHA-256 is stored. The feed holds every event that is not deleted: series with RRULE and EXDATE
 * (cancelled occurrences), overrides as VEVENTs with RECURRENCE-ID, times with TZID and a VTIMEZONE per zone used
 * (UTC times where ical4j knows no definition of the zone), all-day events as dates.
 */
public final class CalendarFeed {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int TOKEN_BYTES = 32;

  private final FeedRepository feeds;
  private final EventRepository events;
  private final Vertx vertx;
  private final String publicUrl;

  public CalendarFeed(FeedRepository feeds, EventRepository events, Vertx vertx, URI publicUrl) {
    this.feeds = feeds;
    this.events = events;
    this.vertx = vertx;
    this.publicUrl = publicUrl.toString().replaceAll("/+$", "");
  }

  /** Creates the user's feed, or rotates it (the previous URL stops working); answers the new URL. */
  public Future<String> rotate(UUID userId) {
    byte[] bytes = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return feeds.save(userId, hash(token)).map(v -> publicUrl + "/calendar/feed/" + token + ".ics");
  }

  /** Revokes the user's feed (nothing to do if there is none). */
  public Future<Void> revoke(UUID userId) {
    return feeds.delete(userId).mapEmpty();
  }

  /** The iCalendar text of the feed this token names, or not found when no live feed has it. */
  public Future<String> render(String token) {
    return feeds.owner(hash(token))
        .map(owner -> owner.orElseThrow(() -> DomainException.notFound("calendar feed")))
        .compose(events::all)
        .compose(list -> vertx.executeBlocking(() -> ics(list, Instant.now()), false));
  }

  static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The VCALENDAR text of these events. */
  static String ics(List<CalendarEvent> events, Instant now) {
    return ics(events, now, null);
  }

  /**
   * The VCALENDAR text of these events, each series under the UID {@code uid} names when given (a copy of another
   * calendar's event keeps that calendar's UID), else its Aide id; with the alert as a VALARM when {@code uid} is
   * given.
   */
  static String ics(List<CalendarEvent> events, Instant now, java.util.function.Function<CalendarEvent, String> uid) {
    TimeZoneRegistry registry = TimeZoneRegistryFactory.getInstance().createRegistry();
    net.fortuna.ical4j.model.Calendar calendar = new net.fortuna.ical4j.model.Calendar();
    calendar.add(new ProdId("-//Aide//EN"));
    calendar.add(ImmutableVersion.VERSION_2_0);
    calendar.add(ImmutableCalScale.GREGORIAN);
    calendar.add(new XProperty("X-WR-CALNAME", "Aide"));

    Map<UUID, List<CalendarEvent>> overrides = new LinkedHashMap<>();
    List<CalendarEvent> masters = new ArrayList<>();
    for (CalendarEvent e : events) {
      if (e.seriesId() == null) {
        masters.add(e);
      } else {
        overrides.computeIfAbsent(e.seriesId(), k -> new ArrayList<>()).add(e);
      }
    }
    TreeSet<String> zones = new TreeSet<>();
    List<VEvent> vevents = new ArrayList<>();
    for (CalendarEvent master : masters) {
      List<CalendarEvent> own = overrides.getOrDefault(master.id(), List.of());
      List<OffsetDateTime> cancelled = new ArrayList<>(master.exdates());
      own.stream().filter(o -> o.status() == CalendarEvent.Status.CANCELLED)
          .forEach(o -> cancelled.add(o.originalStart()));
      String id = uid == null ? master.id() + "@aide" : uid.apply(master);
      VEvent first = vevent(id, master, master, cancelled, registry, zones);
      if (uid != null) {
        stamped(first, master, now);
      }
      vevents.add(first);
      for (CalendarEvent o : own) {
        if (o.status() != CalendarEvent.Status.CANCELLED) {
          vevents.add(vevent(id, o, master, List.of(), registry, zones));
        }
      }
    }
    zones.forEach(zone -> calendar.add(registry.getTimeZone(zone).getVTimeZone()));
    vevents.forEach(calendar::add);
    return calendar.toString();
  }

  /** The series' alert as a display VALARM before its start (ical4j's VEvent has its DTSTAMP already). */
  private static void stamped(VEvent v, CalendarEvent master, Instant now) {
    if (master.alertMinutes() != null) {
      net.fortuna.ical4j.model.component.VAlarm alarm =
          new net.fortuna.ical4j.model.component.VAlarm(java.time.Duration.ofMinutes(-master.alertMinutes()));
      alarm.add(new net.fortuna.ical4j.model.property.Action("DISPLAY"));
      alarm.add(new Description(master.title()));
      v.add(alarm);
    }
  }

  private static VEvent vevent(String uid, CalendarEvent e, CalendarEvent master, List<OffsetDateTime> exdates,
                               TimeZoneRegistry registry, TreeSet<String> zones) {
    VEvent v = new VEvent();
    v.add(new Uid(uid));
    v.add(new LastModified(e.updatedAt().toInstant().truncatedTo(ChronoUnit.SECONDS)));
    if (e.allDay()) {
      v.add(new DtStart<>(e.startDate()));
      v.add(new DtEnd<>(e.endDate()));
    } else {
      v.add(new DtStart<>(time(e.start(), e.timezone(), registry, zones)));
      v.add(new DtEnd<>(time(e.end(), e.timezone(), registry, zones)));
    }
    if (e.seriesId() != null) {
      v.add(master.allDay()
          ? new RecurrenceId<>(e.originalStart().atZoneSameInstant(master.timezone()).toLocalDate())
          : new RecurrenceId<>(time(e.originalStart(), master.timezone(), registry, zones)));
    }
    v.add(new Summary(e.title()));
    if (e.description() != null) {
      v.add(new Description(e.description()));
    }
    if (e.location() != null) {
      v.add(new Location(e.location()));
    }
    v.add(switch (e.status()) {
      case CONFIRMED -> ImmutableStatus.VEVENT_CONFIRMED;
      case TENTATIVE -> ImmutableStatus.VEVENT_TENTATIVE;
      case CANCELLED -> ImmutableStatus.VEVENT_CANCELLED;
    });
    if (e.rrule() != null) {
      v.add(new RRule<>(e.rrule()));
      if (!exdates.isEmpty()) {
        v.add(exdate(e, exdates, registry, zones));
      }
    }
    for (Attendee a : e.attendees()) {
      net.fortuna.ical4j.model.property.Attendee attendee =
          new net.fortuna.ical4j.model.property.Attendee(URI.create("mailto:" + a.email()));
      if (a.name() != null) {
        attendee.add(new Cn(a.name()));
      }
      attendee.add(switch (a.response()) {
        case NEEDS_ACTION -> PartStat.NEEDS_ACTION;
        case ACCEPTED -> PartStat.ACCEPTED;
        case DECLINED -> PartStat.DECLINED;
        case TENTATIVE -> PartStat.TENTATIVE;
      });
      v.add(attendee);
    }
    return v;
  }

  private static ExDate<?> exdate(CalendarEvent series, List<OffsetDateTime> exdates, TimeZoneRegistry registry,
                                  TreeSet<String> zones) {
    if (series.allDay()) {
      ExDate<LocalDate> exdate = new ExDate<>(new DateList<>(exdates.stream()
          .map(t -> t.atZoneSameInstant(series.timezone()).toLocalDate()).distinct().sorted().toList()));
      exdate.add(Value.DATE);
      return exdate;
    }
    List<Temporal> times = exdates.stream().sorted()
        .map(t -> time(t, series.timezone(), registry, zones)).toList();
    ExDate<Temporal> exdate = new ExDate<>(new DateList<>(times));
    if (!times.isEmpty() && times.getFirst() instanceof ZonedDateTime) {
      exdate.add(new TzId(series.timezone().getId()));
    }
    return exdate;
  }

  /** A time in the event's zone (TZID) when ical4j has that zone's definition, otherwise in UTC. */
  private static Temporal time(OffsetDateTime t, ZoneId zone, TimeZoneRegistry registry, TreeSet<String> zones) {
    if (!(zone.normalized() instanceof ZoneOffset) && registry.getTimeZone(zone.getId()) != null) {
      zones.add(zone.getId());
      return t.atZoneSameInstant(zone).truncatedTo(ChronoUnit.SECONDS);
    }
    return t.toInstant().truncatedTo(ChronoUnit.SECONDS);
  }
}
