package dev.aide.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake Microsoft on 127.0.0.1: the identity platform's v2.0 endpoints ({@code /{tenant}/oauth2/v2.0/authorize} and
 * {@code /token}, refresh tokens rotated on each use; no revocation endpoint, as the real one has none) and Microsoft
 * Graph v1.0: /me, /me/calendars, calendarView delta (pages of at most two events, as a server may return fewer than
 * odata.maxpagesize, linked by @odata.nextLink; then an @odata.deltaLink; deleted events as {@code @removed} entries;
 * an expired delta token answers 410 SyncStateNotFound), and events GET/PATCH/DELETE (If-Match against @odata.etag:
 * 412) and POST (one event per transactionId).
 */
public final class FakeMicrosoft implements AutoCloseable {

  public static final String CLIENT_ID = "6731de76-14a6-49ae-97bc-6eba6914391e";
  public static final String CLIENT_SECRET = "ms-secret-" + java.util.UUID.randomUUID();
  /** Events a delta page holds: two by default (tests see paging); a benchmark sets Graph's usual size. */
  private volatile int perPage = 2;

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final FakeOAuth oauth = new FakeOAuth(CLIENT_ID, CLIENT_SECRET, true);
  private final Map<String, String> calendars = new LinkedHashMap<>();
  private final Map<String, JsonObject> events = new LinkedHashMap<>();
  private final Map<String, Long> seqs = new LinkedHashMap<>();
  private final Map<String, String> calendarOf = new LinkedHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Map<String, JsonObject> subscriptions = new LinkedHashMap<>();
  private volatile String deliverTo;
  private long seq;
  private long tokenFloor;

  public FakeMicrosoft() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      requests.add(ctx.request().method() + " " + ctx.request().uri());
      ctx.next();
    });
    router.get("/:tenant/oauth2/v2.0/authorize").handler(ctx -> oauth.authorize(ctx.request()));
    router.post("/:tenant/oauth2/v2.0/token").handler(ctx -> oauth.token(ctx.request()));
    router.route("/v1.0/*").handler(ctx -> {
      if (!oauth.authorized(ctx.request())) {
        error(ctx, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
      } else {
        ctx.next();
      }
    });
    router.route("/v1.0/*").handler(BodyHandler.create());
    router.get("/v1.0/me").handler(ctx -> json(ctx, 200, new JsonObject().put("id", "87d349ed-44d7-43e1-9a83-5f2406dee5bd")
        .put("displayName", "Nora").put("mail", "nora@contoso.com").put("userPrincipalName", "nora@contoso.com")));
    router.get("/v1.0/me/calendars").handler(this::calendars);
    router.get("/v1.0/me/calendars/:id/calendarView/delta").handler(this::delta);
    router.post("/v1.0/me/calendars/:id/events").handler(this::create);
    router.get("/v1.0/me/events/:id").handler(this::get);
    router.post("/v1.0/subscriptions").handler(this::subscribe);
    router.delete("/v1.0/subscriptions/:id").handler(this::unsubscribe);
    router.patch("/v1.0/me/events/:id").handler(this::patch);
    router.delete("/v1.0/me/events/:id").handler(this::delete);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    calendars.put("AAMkAGI2TGuLAAA=", "Calendar");
  }

  public FakeOAuth oauth() {
    return oauth;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public Map<String, String> env() {
    return Map.of("AIDE_MICROSOFT_CLIENT_ID", CLIENT_ID, "AIDE_MICROSOFT_CLIENT_SECRET", CLIENT_SECRET,
        "AIDE_MICROSOFT_LOGIN_URL", url(), "AIDE_MICROSOFT_GRAPH_URL", url() + "/v1.0");
  }

  /** Notifications to addresses under {@code publicUrl} are sent to {@code local} instead (Aide in the test). */
  public void deliverTo(String publicUrl, String local) {
    this.deliverTo = publicUrl + "|" + local;
  }

  public synchronized List<JsonObject> subscriptions() {
    return subscriptions.values().stream().map(JsonObject::copy).toList();
  }

  private String target(String address) {
    String[] route = deliverTo.split("\\|");
    return address.replace(route[0], route[1]);
  }

  /**
   * Sends a change notification for every subscription, with its clientState (or {@code forged} instead, when not
   * null), as Graph does; answers the receiver's status codes. Blocking (the test's thread).
   */
  public List<Integer> notifyChanged(String forged) {
    io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(vertx);
    List<Integer> statuses = new ArrayList<>();
    for (JsonObject s : subscriptions()) {
      JsonObject note = new JsonObject().put("subscriptionId", s.getString("id"))
          .put("clientState", forged != null ? forged : s.getString("clientState")).put("changeType", "updated")
          .put("resource", "Users/87d349ed/Events/AAMkAGI2").put("tenantId", "84bd8158-6d4d-4958-8b9f-9d6445542f95")
          .put("subscriptionExpirationDateTime", s.getString("expirationDateTime"));
      statuses.add(client.postAbs(target(s.getString("notificationUrl")))
          .sendJsonObject(new JsonObject().put("value", new JsonArray().add(note))).await().statusCode());
    }
    client.close();
    return statuses;
  }

  /**
   * Graph validates a new subscription's notification URL first: a POST with ?validationToken= that must be
   * answered 200, text/plain, with the token, within 10 seconds; otherwise the subscription is refused.
   */
  private void subscribe(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String url = body == null ? null : body.getString("notificationUrl");
    if (url == null || !url.startsWith("https://") || body.getString("resource") == null) {
      error(ctx, 400, "InvalidRequest", "The notification URL must be https.");
      return;
    }
    String token = "Validation: Testing client application reachability for subscription Request-Id: "
        + java.util.UUID.randomUUID();
    io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(vertx);
    client.postAbs(target(url)).addQueryParam("validationToken", token).timeout(10_000).send()
        .onComplete(ar -> {
          client.close();
          if (ar.failed() || ar.result().statusCode() != 200 || !token.equals(ar.result().bodyAsString())
              || !String.valueOf(ar.result().getHeader("Content-Type")).startsWith("text/plain")) {
            error(ctx, 400, "ValidationError", "Subscription validation request failed. Notification endpoint must "
                + "respond with 200 OK to validation request.");
            return;
          }
          JsonObject made = body.copy().put("id", java.util.UUID.randomUUID().toString())
              .put("applicationId", CLIENT_ID);
          synchronized (this) {
            subscriptions.put(made.getString("id"), made);
          }
          JsonObject shown = made.copy();
          shown.remove("clientState");
          json(ctx, 201, shown);
        });
  }

  private synchronized void unsubscribe(RoutingContext ctx) {
    if (subscriptions.remove(ctx.pathParam("id")) == null) {
      error(ctx, 404, "ResourceNotFound", "The object was not found.");
      return;
    }
    ctx.response().setStatusCode(204).end();
  }

  /** How many events a delta page holds from now on. */
  public void pageSize(int events) {
    this.perPage = events;
  }

  public String calendarId() {
    return calendars.keySet().iterator().next();
  }

  public List<String> requests() {
    return List.copyOf(requests);
  }

  public synchronized void expireDeltaTokens() {
    tokenFloor = seq + 1;
  }

  /** An event as Graph shows it, at this time in UTC, for an hour. */
  public static JsonObject event(String id, String subject, String startUtc) {
    LocalDateTime start = LocalDateTime.parse(startUtc);
    return new JsonObject().put("id", id).put("subject", subject)
        .put("body", new JsonObject().put("contentType", "text").put("content", ""))
        .put("start", new JsonObject().put("dateTime", start + ":00.0000000").put("timeZone", "UTC"))
        .put("end", new JsonObject().put("dateTime", start.plusHours(1) + ":00.0000000").put("timeZone", "UTC"))
        .put("isAllDay", false).put("type", "singleInstance").put("showAs", "busy")
        .put("location", new JsonObject().put("displayName", ""));
  }

  /** Adds or replaces an event as the person would in Outlook. */
  public synchronized JsonObject put(JsonObject event) {
    JsonObject e = event.copy();
    String id = e.getString("id");
    JsonObject before = events.get(id);
    e.put("iCalUId", e.getString("iCalUId", before != null ? before.getString("iCalUId") : "040000008200E001" + id));
    calendarOf.putIfAbsent(id, calendarId());
    return store(e);
  }

  public synchronized JsonObject get(String id) {
    JsonObject e = events.get(id);
    return e == null ? null : e.copy();
  }

  public synchronized List<JsonObject> all() {
    return events.values().stream().map(JsonObject::copy).toList();
  }

  /** Deletes the event as the person would: it is gone, and the next delta says @removed. */
  public synchronized void remove(String id) {
    store(events.get(id).copy().put("_deleted", true));
  }

  private JsonObject store(JsonObject e) {
    seq++;
    e.put("@odata.etag", "W/\"DwAAABYAAAA" + seq + "\"").put("changeKey", "DwAAABYAAAA" + seq)
        .put("lastModifiedDateTime", Instant.now().toString());
    events.put(e.getString("id"), e);
    seqs.put(e.getString("id"), seq);
    return visible(e);
  }

  private static JsonObject visible(JsonObject e) {
    JsonObject copy = e.copy();
    copy.remove("_deleted");
    return copy;
  }

  private synchronized void calendars(RoutingContext ctx) {
    JsonArray value = new JsonArray();
    calendars.forEach((id, name) -> value.add(new JsonObject().put("id", id).put("name", name)
        .put("canEdit", true).put("isDefaultCalendar", true)));
    json(ctx, 200, new JsonObject().put("@odata.context", url() + "/v1.0/$metadata#me/calendars").put("value", value));
  }

  private synchronized void delta(RoutingContext ctx) {
    String calendar = ctx.pathParam("id");
    var q = ctx.queryParams();
    long base = 0;
    long snapshot = seq;
    int offset = 0;
    if (q.get("$skiptoken") != null) {
      String[] p = q.get("$skiptoken").split("\\.");
      offset = Integer.parseInt(p[0]);
      base = Long.parseLong(p[1]);
      snapshot = Long.parseLong(p[2]);
    } else if (q.get("$deltatoken") != null) {
      base = Long.parseLong(q.get("$deltatoken"));
      if (base < tokenFloor) {
        error(ctx, 410, "SyncStateNotFound", "The sync state generation is not found; a full sync is required.");
        return;
      }
    } else if (q.get("startDateTime") == null || q.get("endDateTime") == null) {
      error(ctx, 400, "ErrorInvalidParameter", "startDateTime and endDateTime are required.");
      return;
    }
    boolean incremental = base > 0;
    long from = base;
    long to = snapshot;
    List<JsonObject> all = new ArrayList<>();
    events.forEach((id, e) -> {
      long s = seqs.get(id);
      if (calendar.equals(calendarOf.get(id)) && s > from && s <= to && (incremental || !e.getBoolean("_deleted", false))) {
        all.add(e);
      }
    });
    all.sort(Comparator.comparing(e -> seqs.get(e.getString("id"))));
    JsonArray value = new JsonArray();
    for (JsonObject e : all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + perPage))) {
      value.add(e.getBoolean("_deleted", false) ? new JsonObject().put("@odata.type", "#microsoft.graph.event")
          .put("id", e.getString("id")).put("@removed", new JsonObject().put("reason", "deleted")) : visible(e));
    }
    String self = url() + "/v1.0/me/calendars/" + URLEncoder.encode(calendar, StandardCharsets.UTF_8)
        + "/calendarView/delta";
    JsonObject page = new JsonObject().put("@odata.context", url() + "/v1.0/$metadata#Collection(event)")
        .put("value", value);
    if (offset + perPage < all.size()) {
      page.put("@odata.nextLink", self + "?$skiptoken=" + (offset + perPage) + "." + base + "." + snapshot);
    } else {
      page.put("@odata.deltaLink", self + "?$deltatoken=" + snapshot);
    }
    json(ctx, 200, page);
  }

  private synchronized void get(RoutingContext ctx) {
    JsonObject e = events.get(ctx.pathParam("id"));
    if (e == null || e.getBoolean("_deleted", false)) {
      error(ctx, 404, "ErrorItemNotFound", "The specified object was not found in the store.");
      return;
    }
    json(ctx, 200, visible(e));
  }

  private synchronized void create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String transaction = body.getString("transactionId");
    if (transaction != null) {
      for (JsonObject e : events.values()) {
        if (transaction.equals(e.getString("transactionId"))) {
          json(ctx, 201, visible(e));
          return;
        }
      }
    }
    String id = "AAMkAGI2" + java.util.UUID.randomUUID().toString().replace("-", "") + "=";
    body.put("id", id).put("type", "singleInstance");
    calendarOf.put(id, ctx.pathParam("id"));
    json(ctx, 201, put(body));
  }

  private synchronized void patch(RoutingContext ctx) {
    JsonObject e = events.get(ctx.pathParam("id"));
    if (e == null || e.getBoolean("_deleted", false)) {
      error(ctx, 404, "ErrorItemNotFound", "The specified object was not found in the store.");
      return;
    }
    String ifMatch = ctx.request().getHeader("If-Match");
    if (ifMatch != null && !ifMatch.equals(e.getString("@odata.etag"))) {
      error(ctx, 412, "ErrorIrresolvableConflict", "The change key passed in the request does not match the current "
          + "change key for the item.");
      return;
    }
    JsonObject merged = e.copy();
    ctx.body().asJsonObject().forEach(entry -> merged.put(entry.getKey(), entry.getValue()));
    json(ctx, 200, store(merged));
  }

  private synchronized void delete(RoutingContext ctx) {
    JsonObject e = events.get(ctx.pathParam("id"));
    if (e == null || e.getBoolean("_deleted", false)) {
      error(ctx, 404, "ErrorItemNotFound", "The specified object was not found in the store.");
      return;
    }
    String ifMatch = ctx.request().getHeader("If-Match");
    if (ifMatch != null && !ifMatch.equals(e.getString("@odata.etag"))) {
      error(ctx, 412, "ErrorIrresolvableConflict", "The change key does not match.");
      return;
    }
    store(e.copy().put("_deleted", true));
    ctx.response().setStatusCode(204).end();
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; odata.metadata=minimal")
        .end(body.encode());
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    json(ctx, status, new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)));
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
