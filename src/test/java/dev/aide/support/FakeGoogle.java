package dev.aide.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake Google on 127.0.0.1: the OAuth 2.0 endpoints ({@code /o/oauth2/v2/auth}, {@code /token}, {@code /revoke},
 * through {@link FakeOAuth}) and Calendar API v3 under {@code /calendar/v3}: calendarList.list, events.list with
 * syncToken/pageToken/showDeleted/iCalUID (an expired sync token answers 410 Gone, "fullSyncRequired"), events.get,
 * insert (409 for an id taken), patch and delete (412 when If-Match is not the etag). Every event change takes the
 * next sequence number, which sync tokens count in; deleted events stay, cancelled, for incremental lists.
 */
public final class FakeGoogle implements AutoCloseable {

  public static final String CLIENT_ID = "aide-test.apps.googleusercontent.com";
  public static final String CLIENT_SECRET = "google-secret-" + java.util.UUID.randomUUID();

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final FakeOAuth oauth = new FakeOAuth(CLIENT_ID, CLIENT_SECRET, false);
  private final Map<String, Calendar> calendars = new LinkedHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger unauthorized = new java.util.concurrent.atomic.AtomicInteger();
  private final Map<String, JsonObject> channels = new LinkedHashMap<>();
  private String deliverTo;
  private long seq;
  private long tokenFloor;
  private String email = "nora@gmail.com";

  private static final class Calendar {
    final String id;
    final String summary;
    final Map<String, JsonObject> events = new LinkedHashMap<>();
    final Map<String, Long> seqs = new LinkedHashMap<>();

    Calendar(String id, String summary) {
      this.id = id;
      this.summary = summary;
    }
  }

  private volatile io.vertx.core.Future<Void> held;

  public FakeGoogle() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      requests.add(ctx.request().method() + " " + ctx.request().uri());
      ctx.next();
    });
    router.get("/o/oauth2/v2/auth").handler(ctx -> oauth.authorize(ctx.request()));
    router.post("/token").handler(ctx -> oauth.token(ctx.request()));
    router.post("/revoke").handler(ctx -> oauth.revoke(ctx.request()));
    router.route("/calendar/v3/*").handler(ctx -> {
      if (!oauth.authorized(ctx.request())) {
        unauthorized.incrementAndGet();
        error(ctx, 401, "Request had invalid authentication credentials.");
      } else {
        ctx.next();
      }
    });
    router.route("/calendar/v3/*").handler(BodyHandler.create());
    router.get("/calendar/v3/users/me/calendarList").handler(this::calendarList);
    router.post("/calendar/v3/calendars/:cal/events/watch").handler(this::watch);
    router.post("/calendar/v3/channels/stop").handler(this::stop);
    router.get("/calendar/v3/calendars/:cal/events").handler(this::list);
    router.post("/calendar/v3/calendars/:cal/events").handler(this::insert);
    router.get("/calendar/v3/calendars/:cal/events/:id").handler(this::get);
    router.patch("/calendar/v3/calendars/:cal/events/:id").handler(this::patch);
    router.delete("/calendar/v3/calendars/:cal/events/:id").handler(this::delete);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    calendar(email, email);
  }

  public FakeOAuth oauth() {
    return oauth;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The variables that point Aide's Google client at this fake. */
  public Map<String, String> env() {
    return Map.of("AIDE_GOOGLE_CLIENT_ID", CLIENT_ID, "AIDE_GOOGLE_CLIENT_SECRET", CLIENT_SECRET,
        "AIDE_GOOGLE_AUTHORIZE_URL", url() + "/o/oauth2/v2/auth", "AIDE_GOOGLE_TOKEN_URL", url() + "/token",
        "AIDE_GOOGLE_REVOKE_URL", url() + "/revoke", "AIDE_GOOGLE_API_URL", url() + "/calendar/v3");
  }

  /** How many API requests were refused with 401 (no live access token). */
  public int unauthorized() {
    return unauthorized.get();
  }

  public String email() {
    return email;
  }

  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** Notifications to addresses under {@code publicUrl} are sent to {@code local} instead (Aide in the test). */
  public synchronized void deliverTo(String publicUrl, String local) {
    this.deliverTo = publicUrl + "|" + local;
  }

  /** The watch channels open now. */
  public synchronized List<JsonObject> channels() {
    return channels.values().stream().map(JsonObject::copy).toList();
  }

  /**
   * Sends every channel of the calendar a change notification (X-Goog-Resource-State: exists), as Google does
   * when an event changes; answers the status codes the receiver gave. Blocking (the test's thread).
   */
  public Map<String, Integer> notifyChanged(String calendarId) {
    List<JsonObject> targets;
    String[] route;
    synchronized (this) {
      targets = channels.values().stream().filter(c -> calendarId.equals(c.getString("_calendar")))
          .map(JsonObject::copy).toList();
      route = deliverTo.split("\\|");
    }
    io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(vertx);
    Map<String, Integer> statuses = new LinkedHashMap<>();
    for (JsonObject c : targets) {
      statuses.put(c.getString("id"), client.postAbs(c.getString("address").replace(route[0], route[1]))
          .putHeader("X-Goog-Channel-ID", c.getString("id")).putHeader("X-Goog-Channel-Token", c.getString("token"))
          .putHeader("X-Goog-Resource-ID", c.getString("resourceId")).putHeader("X-Goog-Resource-State", "exists")
          .putHeader("X-Goog-Message-Number", "2").send().await().statusCode());
    }
    client.close();
    return statuses;
  }

  private synchronized void watch(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    if (body == null || !"web_hook".equals(body.getString("type")) || body.getString("id") == null
        || !String.valueOf(body.getString("address")).startsWith("https://")) {
      error(ctx, 400, "Invalid channel: WebHook callback must be HTTPS");
      return;
    }
    long ttl = Long.parseLong(body.getJsonObject("params", new JsonObject()).getString("ttl", "604800"));
    JsonObject channel = new JsonObject().put("kind", "api#channel").put("id", body.getString("id"))
        .put("resourceId", "res-" + java.util.UUID.randomUUID()).put("resourceUri", url() + ctx.request().path())
        .put("token", body.getString("token"))
        .put("expiration", String.valueOf(System.currentTimeMillis() + Math.min(ttl, 604800) * 1000));
    channels.put(channel.getString("id"), channel.copy().put("address", body.getString("address"))
        .put("_calendar", ctx.pathParam("cal")));
    json(ctx, 200, channel);
  }

  private synchronized void stop(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    JsonObject channel = body == null ? null : channels.get(body.getString("id"));
    if (channel == null || !channel.getString("resourceId").equals(body.getString("resourceId"))) {
      error(ctx, 404, "Channel '" + (body == null ? "" : body.getString("id")) + "' not found for project");
      return;
    }
    channels.remove(body.getString("id"));
    ctx.response().setStatusCode(204).end();
  }

  public synchronized void calendar(String id, String summary) {
    calendars.putIfAbsent(id, new Calendar(id, summary));
  }

  /** Every sync token given so far is no longer valid (410 Gone on its next use). */
  public synchronized void expireSyncTokens() {
    tokenFloor = seq + 1;
  }

  /** Adds or replaces an event as the person would in Google Calendar; answers it as stored. */
  public synchronized JsonObject put(String calendarId, JsonObject event) {
    Calendar c = calendars.get(calendarId);
    JsonObject e = event.copy();
    String id = e.getString("id");
    JsonObject before = c.events.get(id);
    e.put("kind", "calendar#event").put("status", e.getString("status", "confirmed"))
        .put("iCalUID", e.getString("iCalUID", before != null ? before.getString("iCalUID") : id + "@google.com"))
        .put("created", before != null ? before.getString("created") : Instant.now().toString());
    return store(c, e);
  }

  public synchronized JsonObject event(String calendarId, String id) {
    JsonObject e = calendars.get(calendarId).events.get(id);
    return e == null ? null : e.copy();
  }

  public synchronized List<JsonObject> events(String calendarId) {
    return calendars.get(calendarId).events.values().stream().map(JsonObject::copy).toList();
  }

  /** Deletes an event as the person would: it stays, cancelled, for incremental syncs. */
  public synchronized void cancel(String calendarId, String id) {
    Calendar c = calendars.get(calendarId);
    store(c, c.events.get(id).copy().put("status", "cancelled"));
  }

  private JsonObject store(Calendar c, JsonObject e) {
    seq++;
    e.put("etag", "\"" + (3_000_000_000L + seq) + "\"").put("updated", Instant.now().toString());
    c.events.put(e.getString("id"), e);
    c.seqs.put(e.getString("id"), seq);
    return e.copy();
  }

  private synchronized void calendarList(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    calendars.values().forEach(c -> items.add(new JsonObject().put("kind", "calendar#calendarListEntry")
        .put("id", c.id).put("summary", c.summary).put("accessRole", "owner").put("timeZone", "Europe/Paris")
        .put("primary", c.id.equals(email) ? true : null)));
    json(ctx, 200, new JsonObject().put("kind", "calendar#calendarList").put("etag", "\"p1\"").put("items", items));
  }

  private synchronized void list(RoutingContext ctx) {
    Calendar c = calendars.get(ctx.pathParam("cal"));
    if (c == null) {
      error(ctx, 404, "Not Found");
      return;
    }
    var q = ctx.queryParams();
    String syncToken = q.get("syncToken");
    String uid = q.get("iCalUID");
    if (syncToken != null && uid != null) {
      error(ctx, 400, "Invalid request: syncToken cannot be combined with iCalUID");
      return;
    }
    long base = 0;
    long snapshot = seq;
    int offset = 0;
    if (q.get("pageToken") != null) {
      String[] p = q.get("pageToken").split("-");
      offset = Integer.parseInt(p[1]);
      base = Long.parseLong(p[2]);
      snapshot = Long.parseLong(p[3]);
    } else if (syncToken != null) {
      if (!syncToken.matches("st-\\d+") || Long.parseLong(syncToken.substring(3)) < tokenFloor) {
        json(ctx, 410, new JsonObject().put("error", new JsonObject().put("code", 410)
            .put("message", "Sync token is no longer valid, a full sync is required.")
            .put("errors", new JsonArray().add(new JsonObject().put("domain", "global")
                .put("reason", "fullSyncRequired").put("message", "Sync token is no longer valid, a full sync is required.")))));
        return;
      }
      base = Long.parseLong(syncToken.substring(3));
    }
    boolean incremental = base > 0 || syncToken != null;
    boolean showDeleted = "true".equals(q.get("showDeleted")) || incremental;
    int max = q.get("maxResults") == null ? 250 : Math.min(2500, Integer.parseInt(q.get("maxResults")));
    long from = base;
    long to = snapshot;
    List<JsonObject> all = new ArrayList<>();
    c.events.forEach((id, e) -> {
      long s = c.seqs.get(id);
      if (s > from && s <= to && (showDeleted || !"cancelled".equals(e.getString("status")))
          && (uid == null || uid.equals(e.getString("iCalUID")))) {
        all.add(e);
      }
    });
    all.sort(Comparator.comparing(e -> c.seqs.get(e.getString("id"))));
    List<JsonObject> page = all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + max));
    JsonObject answer = new JsonObject().put("kind", "calendar#events").put("summary", c.summary)
        .put("timeZone", "Europe/Paris").put("accessRole", "owner").put("items", new JsonArray(new ArrayList<>(page)));
    if (offset + max < all.size()) {
      answer.put("nextPageToken", "pg-" + (offset + max) + "-" + base + "-" + snapshot);
    } else {
      answer.put("nextSyncToken", "st-" + snapshot);
    }
    io.vertx.core.Future<Void> hold = held;
    if (hold == null) {
      json(ctx, 200, answer);
    } else {
      // Read now, answered later: a listing that began before what happens while it is held.
      hold.onComplete(v -> json(ctx, 200, answer));
    }
  }

  /**
   * From now on, event listings are read at once but answered only when the returned promise is completed (after
   * which they are answered at once again).
   */
  public synchronized io.vertx.core.Promise<Void> holdListings() {
    io.vertx.core.Promise<Void> release = io.vertx.core.Promise.promise();
    held = release.future();
    release.future().onComplete(v -> {
      synchronized (this) {
        held = null;
      }
    });
    return release;
  }

  private synchronized void get(RoutingContext ctx) {
    Calendar c = calendars.get(ctx.pathParam("cal"));
    JsonObject e = c == null ? null : c.events.get(ctx.pathParam("id"));
    if (e == null) {
      error(ctx, 404, "Not Found");
      return;
    }
    json(ctx, 200, e);
  }

  private synchronized void insert(RoutingContext ctx) {
    Calendar c = calendars.get(ctx.pathParam("cal"));
    JsonObject body = ctx.body().asJsonObject();
    String id = body.getString("id", "g" + java.util.UUID.randomUUID().toString().replace("-", ""));
    if (!id.matches("[a-v0-9]{5,1024}")) {
      error(ctx, 400, "Invalid resource id value.");
      return;
    }
    if (c.events.containsKey(id)) {
      error(ctx, 409, "The requested identifier already exists.");
      return;
    }
    body.put("id", id);
    json(ctx, 200, put(c.id, body));
  }

  private synchronized void patch(RoutingContext ctx) {
    Calendar c = calendars.get(ctx.pathParam("cal"));
    JsonObject e = c == null ? null : c.events.get(ctx.pathParam("id"));
    if (e == null) {
      error(ctx, 404, "Not Found");
      return;
    }
    String ifMatch = ctx.request().getHeader("If-Match");
    if (ifMatch != null && !ifMatch.equals(e.getString("etag"))) {
      error(ctx, 412, "Precondition Failed");
      return;
    }
    JsonObject merged = e.copy();
    ctx.body().asJsonObject().forEach(entry -> merged.put(entry.getKey(), entry.getValue()));
    json(ctx, 200, store(c, merged));
  }

  private synchronized void delete(RoutingContext ctx) {
    Calendar c = calendars.get(ctx.pathParam("cal"));
    JsonObject e = c == null ? null : c.events.get(ctx.pathParam("id"));
    if (e == null || "cancelled".equals(e.getString("status"))) {
      error(ctx, 410, "Resource has been deleted");
      return;
    }
    String ifMatch = ctx.request().getHeader("If-Match");
    if (ifMatch != null && !ifMatch.equals(e.getString("etag"))) {
      error(ctx, 412, "Precondition Failed");
      return;
    }
    store(c, e.copy().put("status", "cancelled"));
    ctx.response().setStatusCode(204).end();
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=UTF-8")
        .end(body.encode());
  }

  private static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", new JsonObject().put("code", status).put("message", message)
        .put("errors", new JsonArray().add(new JsonObject().put("domain", "global").put("message", message)))));
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
