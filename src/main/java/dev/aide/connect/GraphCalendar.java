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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Microsoft Graph calendars: /me/calendars, and each calendar's events through calendarView delta
 * (/me/calendars/{id}/calendarView/delta over a window from {@link #BEFORE} ago to {@link #AHEAD} ahead, fixed by the
 * first request and kept in the delta link), following @odata.nextLink to the @odata.deltaLink, which is the stored
 * token; 410 Gone: the delta expired, the window is read again whole. calendarView expands recurring series, so every
 * occurrence (and changed occurrence) is an Aide event of its own, not a series: editing one in Aide changes that
 * occurrence only. Items with @removed, and cancelled ones, are deleted. Times are asked for in UTC (Prefer:
 * outlook.timezone). Aide's changes go back with PATCH /me/events/{id} (If-Match: the @odata.etag), POST (with a
 * transactionId, the Aide event's id, so a repeated create is not made twice) and DELETE.
 */
final class GraphCalendar extends OAuthCalendar {

  static final Duration BEFORE = Duration.ofDays(30);
  static final Duration AHEAD = Duration.ofDays(365);
  private static final Map<String, String> PREFER = Map.of("Prefer",
      "outlook.timezone=\"UTC\", outlook.body-content-type=\"text\", odata.maxpagesize=200");

  GraphCalendar(ConnectedAccountRepository accounts, SyncedEvents events, Clock clock) {
    super(accounts, events, clock);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static RemoteJson.Reply require(RemoteJson.Reply r, String what) {
    if (!r.ok() || r.json() == null) {
      throw new CalDavException(Reason.PROTOCOL, "Microsoft Graph answered " + r.status() + " to " + what);
    }
    return r;
  }

  @Override
  Identity discover(RemoteJson api) {
    JsonObject me = require(api.get(api.url("/me?$select=mail,userPrincipalName")), "GET /me").json();
    String username = me.getString("mail", me.getString("userPrincipalName", "Microsoft account"));
    List<CalDavSync.Found> found = new ArrayList<>();
    String url = api.url("/me/calendars?$top=100");
    int pages = 0;
    while (url != null) {
      pages = nextPage(pages, "Microsoft Graph");
      JsonObject list = require(api.get(url), "GET /me/calendars").json();
      for (Object o : list.getJsonArray("value", new JsonArray())) {
        if (o instanceof JsonObject cal && cal.getString("id") != null
            && cal.getString("id").length() <= CalDavSync.MAX_HREF) {
          found.add(new CalDavSync.Found(cal.getString("id"), SyncedEvents.calendarName(cal.getString("name"))));
        }
      }
      url = list.getString("@odata.nextLink");
    }
    return new Identity(username.length() > 500 ? username.substring(0, 500) : username, found);
  }

  @Override
  Delta changes(RemoteJson api, ConnectedAccount.Collection c) {
    String token = c.syncToken();
    Map<String, Remote> changed = new LinkedHashMap<>();
    Set<String> removed = new LinkedHashSet<>();
    String url = token != null ? token : window(api, c);
    String next;
    int pages = 0;
    while (true) {
      pages = nextPage(pages, "Microsoft Graph");
      RemoteJson.Reply r = api.send(HttpMethod.GET, url, null, PREFER);
      if (r.status() == 410 && token != null) {
        // The delta token expired (syncStateNotFound): the window is read again whole.
        token = null;
        changed.clear();
        removed.clear();
        url = window(api, c);
        continue;
      }
      JsonObject page = require(r, "calendarView delta").json();
      for (Object o : page.getJsonArray("value", new JsonArray())) {
        if (!(o instanceof JsonObject e) || e.getString("id") == null) {
          continue;
        }
        String id = e.getString("id");
        if (e.containsKey("@removed") || e.getBoolean("isCancelled", false)) {
          changed.remove(id);
          removed.add(id);
        } else {
          removed.remove(id);
          changed.put(id, remote(e));
        }
      }
      url = page.getString("@odata.nextLink");
      if (url == null) {
        next = page.getString("@odata.deltaLink");
        break;
      }
    }
    return new Delta(changed, removed, next, token == null);
  }

  private String window(RemoteJson api, ConnectedAccount.Collection c) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.DAYS);
    return api.url("/me/calendars/" + enc(c.href()) + "/calendarView/delta?startDateTime=" + now.minus(BEFORE)
        + "&endDateTime=" + now.plus(AHEAD));
  }

  private static Remote remote(JsonObject e) {
    UUID own = null;
    String transaction = e.getString("transactionId");
    if (transaction != null && transaction.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
      own = UUID.fromString(transaction);
    }
    return new Remote(e.getString("id"), e.getString("@odata.etag"), ics(e),
        GoogleCalendar.instant(e.getString("lastModifiedDateTime")), own);
  }

  static String ics(JsonObject e) {
    IcsText ics = new IcsText().begin();
    ics.text("UID", e.getString("iCalUId", e.getString("id")) + (e.getString("seriesMasterId") == null ? ""
        : "-" + e.getString("id")));
    Instant modified = GoogleCalendar.instant(e.getString("lastModifiedDateTime"));
    if (modified != null) {
      ics.utc("DTSTAMP", modified).utc("LAST-MODIFIED", modified);
    }
    ics.text("SUMMARY", e.getString("subject", "(no title)"));
    JsonObject body = e.getJsonObject("body");
    String text = body == null ? e.getString("bodyPreview") : "html".equalsIgnoreCase(body.getString("contentType"))
        ? body.getString("content", "").replaceAll("<[^>]*>", " ").replaceAll("[ \\t]+", " ").strip()
        : body.getString("content");
    ics.text("DESCRIPTION", text);
    JsonObject location = e.getJsonObject("location");
    ics.text("LOCATION", location == null ? null : location.getString("displayName"));
    Instant start = time(e.getJsonObject("start"));
    Instant end = time(e.getJsonObject("end"));
    if (e.getBoolean("isAllDay", false) && start != null && end != null) {
      ics.date("DTSTART", start.atOffset(ZoneOffset.UTC).toLocalDate());
      ics.date("DTEND", end.atOffset(ZoneOffset.UTC).toLocalDate());
    } else if (start != null && end != null) {
      ics.utc("DTSTART", start).utc("DTEND", end);
    }
    if ("tentative".equalsIgnoreCase(e.getString("showAs"))) {
      ics.line("STATUS:TENTATIVE");
    }
    return ics.end().finish();
  }

  /** A Graph dateTimeTimeZone: the wall-clock time in its zone (UTC as asked for; an IANA zone is read too). */
  private static Instant time(JsonObject t) {
    if (t == null || t.getString("dateTime") == null) {
      return null;
    }
    try {
      LocalDateTime local = LocalDateTime.parse(t.getString("dateTime"));
      String zone = t.getString("timeZone", "UTC");
      return local.atZone(IcsText.knownZone(zone) ? ZoneId.of(zone) : ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static JsonObject json(CalendarEvent e) {
    JsonObject body = new JsonObject().put("subject", e.title())
        .put("body", new JsonObject().put("contentType", "text").put("content",
            e.description() == null ? "" : e.description()))
        .put("location", new JsonObject().put("displayName", e.location() == null ? "" : e.location()))
        .put("isAllDay", e.allDay())
        .put("showAs", e.status() == CalendarEvent.Status.TENTATIVE ? "tentative" : "busy");
    if (e.allDay()) {
      body.put("start", new JsonObject().put("dateTime", e.startDate() + "T00:00:00").put("timeZone", "UTC"))
          .put("end", new JsonObject().put("dateTime", e.endDate() + "T00:00:00").put("timeZone", "UTC"));
    } else {
      body.put("start", new JsonObject().put("dateTime", e.start().withOffsetSameInstant(ZoneOffset.UTC)
              .toLocalDateTime().toString()).put("timeZone", "UTC"))
          .put("end", new JsonObject().put("dateTime", e.end().withOffsetSameInstant(ZoneOffset.UTC)
              .toLocalDateTime().toString()).put("timeZone", "UTC"));
    }
    return body;
  }

  @Override
  String unwritable(CalendarEvent e) {
    return e.rrule() != null ? "a repeating event made in Aide is not written to a Microsoft calendar" : null;
  }

  @Override
  Remote current(RemoteJson api, ConnectedAccount.Collection c, String href) {
    RemoteJson.Reply r = api.send(HttpMethod.GET, api.url("/me/events/" + enc(href)), null, PREFER);
    if (r.status() == 404 || r.status() == 410) {
      return null;
    }
    JsonObject e = require(r, "GET event").json();
    return e.getBoolean("isCancelled", false) ? null : remote(e);
  }

  @Override
  Written update(RemoteJson api, ConnectedAccount.Collection c, String href, String etag, CalendarEvent e) {
    Map<String, String> headers = new java.util.HashMap<>(PREFER);
    if (etag != null) {
      headers.put("If-Match", etag);
    }
    RemoteJson.Reply r = api.send(HttpMethod.PATCH, api.url("/me/events/" + enc(href)), json(e), headers);
    if (r.status() == 412 || r.status() == 404) {
      return null;
    }
    return new Written(href, require(r, "PATCH event").json().getString("@odata.etag"));
  }

  @Override
  boolean delete(RemoteJson api, ConnectedAccount.Collection c, String href, String etag) {
    RemoteJson.Reply r = api.send(HttpMethod.DELETE, api.url("/me/events/" + enc(href)), null,
        etag == null ? Map.of() : Map.of("If-Match", etag));
    if (r.status() == 412) {
      return false;
    }
    if (!r.ok() && r.status() != 404) {
      throw new CalDavException(Reason.PROTOCOL, "Microsoft Graph answered " + r.status() + " to DELETE event");
    }
    return true;
  }

  @Override
  Written create(RemoteJson api, ConnectedAccount.Collection c, String pendingHref, UUID eventId, CalendarEvent e) {
    RemoteJson.Reply r = api.send(HttpMethod.POST, api.url("/me/calendars/" + enc(c.href()) + "/events"),
        json(e).put("transactionId", eventId.toString()), PREFER);
    JsonObject made = require(r, "POST event").json();
    return new Written(made.getString("id"), made.getString("@odata.etag"));
  }

  /** A subscription to the calendar's events: 4,200 minutes, under Graph's limit for events (4,230). */
  @Override
  ConnectedAccountRepository.Push watch(RemoteJson api, ConnectedAccount.Collection c, String address, String secret) {
    Instant until = clock.instant().plus(Duration.ofMinutes(4200)).truncatedTo(ChronoUnit.SECONDS);
    JsonObject made = require(api.send(HttpMethod.POST, api.url("/subscriptions"), new JsonObject()
        .put("changeType", "created,updated,deleted").put("notificationUrl", address)
        .put("resource", "/me/calendars/" + c.href() + "/events").put("expirationDateTime", until.toString())
        .put("clientState", secret), Map.of()), "POST /subscriptions").json();
    Instant expires = GoogleCalendar.instant(made.getString("expirationDateTime"));
    return new ConnectedAccountRepository.Push(made.getString("id"), null, expires == null ? until : expires);
  }

  @Override
  void unwatch(RemoteJson api, ConnectedAccountRepository.Push push) {
    api.send(HttpMethod.DELETE, api.url("/subscriptions/" + enc(push.id())), null, Map.of());
  }

  @Override
  String pendingHref(UUID eventId) {
    return "pending:" + eventId;
  }
}
