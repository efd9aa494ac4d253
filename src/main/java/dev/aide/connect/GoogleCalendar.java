package dev.aide.connect;

import dev.aide.calendar.CalendarEvent;
import dev.aide.calendar.SyncedEvents;
import dev.aide.connect.CalDavException.Reason;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Google Calendar API v3: calendarList for the calendars; events.list with singleEvents=false and showDeleted=true,
 * from the stored nextSyncToken (410 Gone: the token expired, everything is listed again), page by page. A recurring
 * event is its master (RRULE/EXDATE/RDATE lines in {@code recurrence}) with its changed occurrences (items with
 * recurringEventId and originalStartTime; cancelled ones become EXDATEs), written into Aide as one calendar object;
 * when an incremental list brings part of a series, the whole series is read again by its iCalUID. A cancelled master
 * is a deleted event. Aide's changes go back with events.patch (If-Match: the etag), events.insert (an id made from the
 * Aide event's, so a repeated insert is refused with 409 and adopted) and events.delete.
 */
final class GoogleCalendar extends OAuthCalendar {

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
  /** Events a page of the listing holds: Google's largest (its default is 250), so a big calendar takes few requests. */
  private static final int PAGE_SIZE = 2500;

  GoogleCalendar(ConnectedAccountRepository accounts, SyncedEvents events, Clock clock) {
    super(accounts, events, clock);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String events(RemoteJson api, ConnectedAccount.Collection c) {
    return api.url("/calendars/" + enc(c.href()) + "/events");
  }

  private static RemoteJson.Reply require(RemoteJson.Reply r, String what) {
    if (!r.ok() || r.json() == null) {
      throw new CalDavException(Reason.PROTOCOL, "Google answered " + r.status() + " to " + what);
    }
    return r;
  }

  @Override
  Identity discover(RemoteJson api) {
    List<CalDavSync.Found> found = new ArrayList<>();
    String username = null;
    String page = null;
    int pages = 0;
    do {
      pages = nextPage(pages, "Google");
      JsonObject list = require(api.get(api.url("/users/me/calendarList?maxResults=250"
          + (page == null ? "" : "&pageToken=" + enc(page)))), "calendarList.list").json();
      for (Object o : list.getJsonArray("items", new JsonArray())) {
        if (!(o instanceof JsonObject item) || item.getString("id") == null || item.getBoolean("deleted", false)
            || item.getString("id").length() > CalDavSync.MAX_HREF) {
          continue;
        }
        if (item.getBoolean("primary", false)) {
          username = item.getString("id");
        }
        String name = item.getString("summaryOverride", item.getString("summary"));
        found.add(new CalDavSync.Found(item.getString("id"), SyncedEvents.calendarName(name)));
      }
      page = list.getString("nextPageToken");
    } while (page != null);
    return new Identity(username == null ? "Google account" : username.length() > 500 ? username.substring(0, 500)
        : username, found);
  }

  @Override
  Delta changes(RemoteJson api, ConnectedAccount.Collection c) {
    String token = c.syncToken();
    List<JsonObject> items = new ArrayList<>();
    String page = null;
    String next;
    int pages = 0;
    while (true) {
      pages = nextPage(pages, "Google");
      String url = events(api, c) + "?maxResults=" + PAGE_SIZE + "&showDeleted=true&singleEvents=false"
          + (token == null ? "" : "&syncToken=" + enc(token)) + (page == null ? "" : "&pageToken=" + enc(page));
      RemoteJson.Reply r = api.get(url);
      if (r.status() == 410 && token != null) {
        // "Sync token is no longer valid, a full sync is required."
        token = null;
        page = null;
        items.clear();
        continue;
      }
      JsonObject list = require(r, "events.list").json();
      list.getJsonArray("items", new JsonArray()).forEach(o -> {
        if (o instanceof JsonObject item && item.getString("id") != null) {
          items.add(item);
        }
      });
      page = list.getString("nextPageToken");
      if (page == null) {
        next = list.getString("nextSyncToken");
        break;
      }
    }
    boolean full = token == null;
    Map<String, List<JsonObject>> series = new LinkedHashMap<>();
    for (JsonObject item : items) {
      series.computeIfAbsent(item.getString("recurringEventId", item.getString("id")), k -> new ArrayList<>()).add(item);
    }
    Map<String, Remote> changed = new LinkedHashMap<>();
    Set<String> removed = new LinkedHashSet<>();
    for (Map.Entry<String, List<JsonObject>> entry : series.entrySet()) {
      String id = entry.getKey();
      List<JsonObject> group = entry.getValue();
      JsonObject master = master(id, group);
      boolean partial = !full && (master == null || recurring(master) || group.size() > 1);
      if (partial && !(master != null && "cancelled".equals(master.getString("status")))) {
        String uid = group.stream().map(i -> i.getString("iCalUID")).filter(u -> u != null).findFirst().orElse(null);
        if (uid == null) {
          continue;
        }
        group = byUid(api, c, uid, id);
        master = master(id, group);
      }
      if (master == null) {
        continue;
      }
      if ("cancelled".equals(master.getString("status"))) {
        removed.add(id);
        continue;
      }
      changed.put(id, remote(master, group));
    }
    return new Delta(changed, removed, next, full);
  }

  private static JsonObject master(String id, List<JsonObject> group) {
    return group.stream().filter(i -> id.equals(i.getString("id")) && i.getString("recurringEventId") == null)
        .findFirst().orElse(null);
  }

  /** The series (master and changed occurrences, cancelled ones too) with this iCalUID, whose master is {@code id}. */
  private static List<JsonObject> byUid(RemoteJson api, ConnectedAccount.Collection c, String uid, String id) {
    List<JsonObject> out = new ArrayList<>();
    String page = null;
    int pages = 0;
    do {
      pages = nextPage(pages, "Google");
      JsonObject list = require(api.get(events(api, c) + "?showDeleted=true&singleEvents=false&maxResults=250"
          + "&iCalUID=" + enc(uid) + (page == null ? "" : "&pageToken=" + enc(page))), "events.list").json();
      list.getJsonArray("items", new JsonArray()).forEach(o -> {
        if (o instanceof JsonObject item && (id.equals(item.getString("id"))
            || id.equals(item.getString("recurringEventId")))) {
          out.add(item);
        }
      });
      page = list.getString("nextPageToken");
    } while (page != null);
    return out;
  }

  private Remote remote(JsonObject master, List<JsonObject> group) {
    String id = master.getString("id");
    List<JsonObject> exceptions = group.stream().filter(i -> i != master && i.getString("recurringEventId") != null)
        .toList();
    return new Remote(id, master.getString("etag"), ics(master, exceptions), instant(master.getString("updated")),
        own(id), !exceptions.isEmpty());
  }

  /** The Aide event a Google event was inserted from: Aide gives it the event's UUID in hex as its id. */
  private static UUID own(String id) {
    if (id == null || !id.matches("[0-9a-f]{32}")) {
      return null;
    }
    return UUID.fromString(id.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
  }

  static Instant instant(String rfc3339) {
    if (rfc3339 == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(rfc3339).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A master and its changed occurrences as one calendar object. */
  static String ics(JsonObject master, List<JsonObject> exceptions) {
    String zone = master.getJsonObject("start", new JsonObject()).getString("timeZone");
    IcsText ics = new IcsText().begin();
    body(ics, master, master.getString("iCalUID", master.getString("id")), zone);
    for (Object line : master.getJsonArray("recurrence", new JsonArray())) {
      if (line instanceof String s && s.matches("(?i)(RRULE|EXDATE|RDATE|EXRULE)[;:].*")) {
        ics.line(s);
      }
    }
    List<JsonObject> kept = new ArrayList<>();
    for (JsonObject e : exceptions) {
      if ("cancelled".equals(e.getString("status"))) {
        time(ics, "EXDATE", e.getJsonObject("originalStartTime"), zone);
      } else {
        kept.add(e);
      }
    }
    ics.end();
    for (JsonObject e : kept) {
      ics.begin();
      body(ics, e, master.getString("iCalUID", master.getString("id")), zone);
      time(ics, "RECURRENCE-ID", e.getJsonObject("originalStartTime"), zone);
      ics.end();
    }
    return ics.finish();
  }

  private static void body(IcsText ics, JsonObject e, String uid, String zone) {
    ics.text("UID", uid);
    Instant updated = instant(e.getString("updated"));
    if (updated != null) {
      ics.utc("DTSTAMP", updated).utc("LAST-MODIFIED", updated);
    }
    ics.text("SUMMARY", e.getString("summary", "(no title)"));
    ics.text("DESCRIPTION", e.getString("description"));
    ics.text("LOCATION", e.getString("location"));
    time(ics, "DTSTART", e.getJsonObject("start"), zone);
    time(ics, "DTEND", e.getJsonObject("end"), zone);
    if ("tentative".equals(e.getString("status"))) {
      ics.line("STATUS:TENTATIVE");
    }
  }

  private static void time(IcsText ics, String name, JsonObject t, String seriesZone) {
    if (t == null) {
      return;
    }
    if (t.getString("date") != null) {
      ics.date(name, LocalDate.parse(t.getString("date")));
      return;
    }
    Instant at = instant(t.getString("dateTime"));
    if (at != null) {
      ics.time(name, at, t.getString("timeZone", seriesZone));
    }
  }

  /** Aide's event as Google's JSON, for insert and patch: the fields Aide models, nothing else touched. */
  static JsonObject json(CalendarEvent e) {
    JsonObject body = new JsonObject().put("summary", e.title())
        .put("description", e.description() == null ? "" : e.description())
        .put("location", e.location() == null ? "" : e.location())
        .put("status", e.status() == CalendarEvent.Status.TENTATIVE ? "tentative"
            : e.status() == CalendarEvent.Status.CANCELLED ? "cancelled" : "confirmed");
    String zone = e.timezone() == null ? "UTC" : e.timezone().getId();
    if (e.allDay()) {
      body.put("start", new JsonObject().put("date", e.startDate().toString()))
          .put("end", new JsonObject().put("date", e.endDate().toString()));
    } else {
      body.put("start", new JsonObject().put("dateTime", e.start().withOffsetSameInstant(ZoneOffset.UTC).toString())
              .put("timeZone", zone))
          .put("end", new JsonObject().put("dateTime", e.end().withOffsetSameInstant(ZoneOffset.UTC).toString())
              .put("timeZone", zone));
    }
    JsonArray recurrence = new JsonArray();
    if (e.rrule() != null) {
      recurrence.add("RRULE:" + e.rrule().replaceFirst("(?i)^RRULE:", ""));
      for (OffsetDateTime ex : e.exdates() == null ? List.<OffsetDateTime>of() : e.exdates()) {
        recurrence.add(e.allDay() ? "EXDATE;VALUE=DATE:" + ex.toLocalDate().format(DateTimeFormatter.BASIC_ISO_DATE)
            : "EXDATE;TZID=" + zone + ":" + LOCAL.format(ex.atZoneSameInstant(ZoneId.of(zone))));
      }
    }
    return body.put("recurrence", recurrence);
  }

  /**
   * Whether the event repeats: its recurrence lists a rule or a date. An empty list (what Aide writes for a one-off,
   * to clear a rule) is a one-off, so its change is read from the listing alone, without asking for its series.
   */
  private static boolean recurring(JsonObject master) {
    JsonArray recurrence = master.getJsonArray("recurrence");
    return recurrence != null && !recurrence.isEmpty();
  }

  @Override
  Remote current(RemoteJson api, ConnectedAccount.Collection c, String href) {
    RemoteJson.Reply r = api.get(events(api, c) + "/" + enc(href));
    if (r.status() == 404 || r.status() == 410) {
      return null;
    }
    JsonObject master = require(r, "events.get").json();
    if ("cancelled".equals(master.getString("status"))) {
      return null;
    }
    List<JsonObject> group = !recurring(master) || master.getString("iCalUID") == null ? List.of(master)
        : byUid(api, c, master.getString("iCalUID"), href);
    return remote(master, group.contains(master) ? group : List.of(master));
  }

  @Override
  Written update(RemoteJson api, ConnectedAccount.Collection c, String href, String etag, CalendarEvent e) {
    RemoteJson.Reply r = api.send(HttpMethod.PATCH, events(api, c) + "/" + enc(href), json(e),
        etag == null ? Map.of() : Map.of("If-Match", etag));
    if (r.status() == 412 || r.status() == 404 || r.status() == 410) {
      return null;
    }
    return new Written(href, require(r, "events.patch").json().getString("etag"));
  }

  @Override
  boolean delete(RemoteJson api, ConnectedAccount.Collection c, String href, String etag) {
    RemoteJson.Reply r = api.send(HttpMethod.DELETE, events(api, c) + "/" + enc(href), null,
        etag == null ? Map.of() : Map.of("If-Match", etag));
    if (r.status() == 412) {
      return false;
    }
    if (!r.ok() && r.status() != 404 && r.status() != 410) {
      throw new CalDavException(Reason.PROTOCOL, "Google answered " + r.status() + " to events.delete");
    }
    return true;
  }

  @Override
  Written create(RemoteJson api, ConnectedAccount.Collection c, String pendingHref, UUID eventId, CalendarEvent e) {
    RemoteJson.Reply r = api.send(HttpMethod.POST, events(api, c), json(e).put("id", pendingHref), Map.of());
    if (r.status() == 409) {
      // The id is taken: an earlier insert of this event got through. Aide's version goes over it.
      Remote current = current(api, c, pendingHref);
      Written written = current == null ? null : update(api, c, pendingHref, current.etag(), e);
      if (written != null) {
        return written;
      }
    }
    JsonObject made = require(r, "events.insert").json();
    return new Written(made.getString("id", pendingHref), made.getString("etag"));
  }

  /** A watch channel for the calendar's events (events.watch): a week, Google's longest. */
  @Override
  ConnectedAccountRepository.Push watch(RemoteJson api, ConnectedAccount.Collection c, String address, String secret) {
    String id = UUID.randomUUID().toString();
    JsonObject channel = require(api.send(HttpMethod.POST, events(api, c) + "/watch", new JsonObject().put("id", id)
        .put("type", "web_hook").put("address", address).put("token", secret)
        .put("params", new JsonObject().put("ttl", "604800")), Map.of()), "events.watch").json();
    String expiration = channel.getString("expiration");
    return new ConnectedAccountRepository.Push(channel.getString("id", id), channel.getString("resourceId"),
        expiration != null && expiration.matches("\\d{1,15}") ? Instant.ofEpochMilli(Long.parseLong(expiration))
            : clock.instant().plus(java.time.Duration.ofDays(7)));
  }

  @Override
  void unwatch(RemoteJson api, ConnectedAccountRepository.Push push) {
    api.send(HttpMethod.POST, api.url("/channels/stop"), new JsonObject().put("id", push.id())
        .put("resourceId", push.resource()), Map.of());
  }

  @Override
  String pendingHref(UUID eventId) {
    return eventId.toString().replace("-", "");
  }
}
