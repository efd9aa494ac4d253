package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeGoogle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Google Calendar accounts through the real server's API, against a fake Google speaking OAuth 2.0 and Calendar v3. */
@DisplayName("A Google Calendar account is connected with OAuth and PKCE and synced both ways")
class GoogleAccountTest {

  static final String PUBLIC_URL = "https://aide.example.org";
  private static final FakeGoogle google = new FakeGoogle();
  private static final dev.aide.support.ManualClock CLOCK = new dev.aide.support.ManualClock(java.time.Instant.now());
  private static final Vertx VERTX = Vertx.vertx();
  private static final WebClient BROWSER = WebClient.create(VERTX);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).env(google.env()).env("AIDE_PUBLIC_URL", PUBLIC_URL)
      .closing(google).freshEachTest().person("nora@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @AfterAll
  static void closeBrowser() {
    VERTX.close().await();
  }

  @BeforeEach
  void emptyCalendar() {
    google.oauth().expiresIn(3599);
    google.events(google.email()).forEach(e -> {
      if (!"cancelled".equals(e.getString("status"))) {
        google.cancel(google.email(), e.getString("id"));
      }
    });
  }

  /** A GET of an absolute URL, as a browser would send it, without following the redirect. */
  private static io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> browse(String url) {
    return BROWSER.getAbs(url).followRedirects(false).send().await();
  }

  /** A GET of Aide's path with the person's token (or none), not following the redirect. */
  private static Api.Response local(Api as, String path) {
    var request = BROWSER.get(aide.port(), "127.0.0.1", path).followRedirects(false);
    if (as != null && as.token() != null) {
      request.bearerTokenAuthentication(as.token());
    }
    var r = request.send().await();
    Map<String, String> headers = new java.util.HashMap<>();
    r.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
    return new Api.Response(r.statusCode(), r.bodyAsString() == null ? "" : r.bodyAsString(), headers);
  }

  /** Follows the connect redirect to the fake's consent page, which sends the browser back with a code. */
  private String callbackUrl(Api as) {
    Api.Response start = local(as, "/api/v1/accounts/google/connect");
    assertThat(start.status()).as(start.body()).isEqualTo(302);
    var consent = browse(start.header("location"));
    assertThat(consent.statusCode()).as(consent.bodyAsString()).isEqualTo(302);
    String back = consent.getHeader("Location");
    assertThat(back).startsWith(PUBLIC_URL + "/api/v1/accounts/google/callback?");
    return back.substring(PUBLIC_URL.length());
  }

  /** The browser arriving at Aide's callback (no token: a navigation carries none); answers where it is sent. */
  private String arrive(String callbackPath) {
    Api.Response landed = local(null, callbackPath);
    assertThat(landed.status()).as(landed.body()).isEqualTo(302);
    return landed.header("location");
  }

  private String connected() {
    String landing = arrive(callbackUrl(api));
    assertThat(landing).isEqualTo(PUBLIC_URL + "/?account=connected&kind=google#settings");
    JsonArray items = api.get("/api/v1/accounts").json().getJsonArray("items");
    assertThat(items).hasSize(1);
    return items.getJsonObject(0).getString("id");
  }

  private JsonObject sync(String id) {
    Api.Response synced = api.post("/api/v1/accounts/" + id + "/sync", new JsonObject());
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    return synced.json();
  }

  private static JsonObject timed(String id, String summary, String start, String end) {
    return new JsonObject().put("id", id).put("summary", summary)
        .put("start", new JsonObject().put("dateTime", start).put("timeZone", "Europe/Paris"))
        .put("end", new JsonObject().put("dateTime", end).put("timeZone", "Europe/Paris"));
  }

  private List<JsonObject> events(String from, String to) {
    return api.get("/api/v1/events?from=" + from + "&to=" + to).json().getJsonArray("items").stream()
        .map(o -> (JsonObject) o).toList();
  }

  private List<String> titles() {
    return events("2027-01-01T00:00:00Z", "2027-03-01T00:00:00Z").stream().map(e -> e.getString("title")).toList();
  }

  @Test
  @DisplayName("connecting follows the provider's consent page back to the callback with a code and the state; the "
      + "code is exchanged with the PKCE verifier, the tokens are sealed, the calendars copied, and no token is shown")
  void connectFlow() {
    google.put(google.email(), timed("dentist1", "Dentist", "2027-01-12T09:00:00+01:00", "2027-01-12T10:00:00+01:00"));
    java.util.Set<String> earlier = google.oauth().refreshTokens();

    String id = connected();

    String query = google.oauth().authorizeQueries().getLast();
    assertThat(query).contains("code_challenge_method=S256").contains("code_challenge=").contains("state=")
        .contains("access_type=offline").contains("client_id=" + FakeGoogle.CLIENT_ID);
    assertThat(google.oauth().grants()).contains("authorization_code");
    JsonObject account = api.get("/api/v1/accounts/" + id).json();
    assertThat(account.getString("kind")).isEqualTo("google");
    assertThat(account.getString("username")).isEqualTo(google.email());
    assertThat(account.getString("status")).isEqualTo("ok");
    assertThat(account.getJsonArray("calendars").getJsonObject(0).getString("name")).isEqualTo(google.email());
    assertThat(sync(id).getJsonObject("lastSync").getBoolean("ok")).isTrue();
    assertThat(titles()).containsExactly("Dentist");
    String refresh = google.oauth().refreshTokens().stream().filter(t -> !earlier.contains(t)).findFirst().orElseThrow();
    String everything = api.get("/api/v1/accounts").body() + api.get("/api/v1/me/export").body();
    assertThat(everything).doesNotContain(refresh).doesNotContain("access-");
    assertThat(aide.db().number("select count(*) from linked_accounts where position(convert_to(?, 'UTF8') in secret) > 0",
        refresh)).isZero();
    assertThat(aide.db().number("select count(*) from oauth_states")).as("the state is used up").isZero();
  }

  @Test
  @DisplayName("a replayed, unknown or expired state, and a person who declines, connect nothing and land on the "
      + "settings page with the reason; a kind without a client id and an unknown kind are clear errors")
  void badStates() {
    String callback = callbackUrl(api);
    assertThat(arrive(callback)).endsWith("?account=connected&kind=google#settings");
    assertThat(arrive(callback)).as("replayed").isEqualTo(PUBLIC_URL + "/?account_error=state_invalid#settings");
    assertThat(arrive("/api/v1/accounts/google/callback?state=made-up&code=x"))
        .endsWith("account_error=state_invalid#settings");
    assertThat(arrive("/api/v1/accounts/google/callback?code=x")).endsWith("account_error=state_invalid#settings");

    String late = callbackUrl(api);
    // Past by Aide's clock (this test's, which stands still), not the database's.
    aide.db().update("update oauth_states set expires_at = ?::timestamptz", CLOCK.instant().minusSeconds(1).toString());
    int grants = google.oauth().grants().size();
    assertThat(arrive(late)).endsWith("account_error=state_expired#settings");
    assertThat(google.oauth().grants()).as("no code exchanged").hasSize(grants);

    String forMicrosoft = callbackUrl(api).replace("/google/", "/microsoft/");
    assertThat(local(null, forMicrosoft).header("location")).endsWith("account_error=state_invalid#settings");

    google.oauth().decline(true);
    try {
      assertThat(arrive(callbackUrl(api))).endsWith("account_error=access_denied#settings");
    } finally {
      google.oauth().decline(false);
    }
    assertThat(api.get("/api/v1/accounts").json().getJsonArray("items")).hasSize(1);

    Api.Response microsoft = api.get("/api/v1/accounts/microsoft/connect");
    assertThat(microsoft.status()).isEqualTo(503);
    assertThat(microsoft.body()).contains("AIDE_MICROSOFT_CLIENT_ID");
    assertThat(api.get("/api/v1/accounts/yahoo/connect").status()).isEqualTo(404);
    assertThat(aide.client().get("/api/v1/accounts/google/connect").status()).as("signed in only").isEqualTo(401);
    Api.Response json = api.send(io.vertx.core.http.HttpMethod.GET, "/api/v1/accounts/google/connect", null, null,
        Map.of("Accept", "application/json"));
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.json().getString("url")).startsWith(google.url() + "/o/oauth2/v2/auth?");
  }

  @Test
  @DisplayName("a state is bound to the person who asked: arriving with another person's session connects the account "
      + "for the state's owner only, and the other person cannot see it")
  void anotherPersonsState() {
    Api ida = aide.signUp("ida@example.com", "UTC");
    String callback = callbackUrl(api);

    Api.Response landed = local(ida, callback);

    assertThat(landed.header("location")).endsWith("account=connected&kind=google#settings");
    assertThat(ida.get("/api/v1/accounts").json().getJsonArray("items")).isEmpty();
    String id = api.get("/api/v1/accounts").json().getJsonArray("items").getJsonObject(0).getString("id");
    assertThat(ida.get("/api/v1/accounts/" + id).status()).isEqualTo(404);
    assertThat(ida.post("/api/v1/accounts/" + id + "/sync", new JsonObject()).status()).isEqualTo(404);
    assertThat(ida.delete("/api/v1/accounts/" + id).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("syncing now while a sync of the account runs waits for it and syncs once more: an event added after "
      + "the running sync read the calendar is in Aide when the answer comes")
  void syncNowDuringASync() throws Exception {
    String id = connected();
    sync(id);
    io.vertx.core.Promise<Void> release = google.holdListings();
    // Threads of the test's own: the common pool may be busy with another class's leftovers.
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      int before = google.requests().size();
      java.util.concurrent.Future<JsonObject> first = threads.submit(() -> sync(id));
      await().atMost(java.time.Duration.ofSeconds(20)).until(() -> google.requests().subList(before,
          google.requests().size()).stream().anyMatch(r -> r.startsWith("GET /calendar/v3/calendars/")
          && r.contains("/events?")));
      google.put(google.email(), timed("late1", "Late", "2027-01-15T12:00:00+01:00", "2027-01-15T13:00:00+01:00"));
      java.util.concurrent.Future<JsonObject> second = threads.submit(() -> sync(id));
      // The second request reaches Aide while the first sync waits on Google (released half a second later).
      await().pollDelay(java.time.Duration.ofMillis(500)).until(() -> true);
      release.tryComplete();

      JsonObject answered = second.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answered.getString("status")).as(answered.encode()).isEqualTo("ok");
      assertThat(titles()).contains("Late");
      assertThat(first.get(30, java.util.concurrent.TimeUnit.SECONDS).getString("status")).isEqualTo("ok");
    } finally {
      // Never left holding: the next tests list events too.
      release.tryComplete();
    }
  }

  @Test
  @DisplayName("an access token Google refuses (401) is refreshed and the request sent again; an expired one is "
      + "refreshed before it is used")
  void tokenRefresh() {
    String id = connected();
    int grants = google.oauth().grants().size();
    google.oauth().expireAccessTokens();
    google.put(google.email(), timed("lunch1", "Lunch", "2027-01-13T12:00:00+01:00", "2027-01-13T13:00:00+01:00"));

    JsonObject after = sync(id);

    assertThat(after.getString("status")).as(after.encode()).isEqualTo("ok");
    assertThat(titles()).contains("Lunch");
    assertThat(google.oauth().grants().subList(grants, google.oauth().grants().size())).containsExactly("refresh_token");
    assertThat(google.requests().stream().filter(r -> r.startsWith("GET /calendar/v3")).count()).isPositive();

    // Tokens that live 10 minutes, and 10 minutes pass (on Aide's clock): refreshed before use, never refused.
    google.oauth().expiresIn(600);
    google.oauth().expireAccessTokens();
    sync(id);
    int before = google.oauth().grants().size();
    int refused = google.unauthorized();
    CLOCK.advance(java.time.Duration.ofMinutes(10));
    assertThat(sync(id).getString("status")).isEqualTo("ok");
    assertThat(google.oauth().grants().subList(before, google.oauth().grants().size())).as("refreshed ahead of expiry")
        .isNotEmpty().containsOnly("refresh_token");
    assertThat(google.unauthorized()).isEqualTo(refused);
  }

  @Test
  @DisplayName("a refresh token Google no longer takes (revoked or expired) makes the account's status error with the "
      + "reason, and the person is told once")
  void revokedRefreshToken() {
    String id = connected();
    sync(id);
    google.oauth().revokeAll();
    google.oauth().expireAccessTokens();

    JsonObject failed = sync(id);
    JsonObject again = sync(id);

    assertThat(failed.getString("status")).isEqualTo("error");
    assertThat(failed.getString("reason")).contains("no longer gives Aide access").contains("connect the account again");
    assertThat(again.getString("status")).isEqualTo("error");
    JsonArray notices = api.get("/api/v1/notifications").json().getJsonArray("items");
    assertThat(notices).hasSize(1);
    assertThat(notices.getJsonObject(0).getString("body")).contains("Google").doesNotContain("refresh-");

    // Connecting again replaces the tokens of the same account and makes it ok.
    assertThat(arrive(callbackUrl(api))).endsWith("account=connected&kind=google#settings");
    assertThat(api.get("/api/v1/accounts").json().getJsonArray("items")).hasSize(1);
    assertThat(sync(id).getString("status")).isEqualTo("ok");
  }

  @Test
  @DisplayName("changes come incrementally with the sync token; a sync token Google no longer takes (410 Gone) "
      + "brings a full resync, which deletes what is gone")
  void incrementalAndGone() {
    google.put(google.email(), timed("a1", "Alpha", "2027-01-12T09:00:00+01:00", "2027-01-12T10:00:00+01:00"));
    google.put(google.email(), timed("b1", "Beta", "2027-01-13T09:00:00+01:00", "2027-01-13T10:00:00+01:00"));
    String id = connected();
    sync(id);
    assertThat(titles()).containsExactlyInAnyOrder("Alpha", "Beta");

    google.put(google.email(), timed("a1", "Alpha moved", "2027-01-14T09:00:00+01:00", "2027-01-14T10:00:00+01:00"));
    google.cancel(google.email(), "b1");
    JsonObject incremental = sync(id).getJsonObject("lastSync");
    assertThat(titles()).containsExactly("Alpha moved");
    assertThat(incremental.getInteger("removed")).isOne();
    assertThat(google.requests().getLast()).contains("syncToken=st-");

    google.put(google.email(), timed("c1", "Gamma", "2027-01-15T09:00:00+01:00", "2027-01-15T10:00:00+01:00"));
    google.expireSyncTokens();
    int from = google.requests().size();
    JsonObject full = sync(id);

    assertThat(full.getString("status")).as(full.encode()).isEqualTo("ok");
    List<String> made = google.requests().subList(from, google.requests().size());
    assertThat(made.stream().filter(r -> r.contains("/events?") && r.contains("syncToken="))).hasSize(1);
    assertThat(made.stream().filter(r -> r.contains("/events?") && !r.contains("syncToken="))).isNotEmpty();
    assertThat(titles()).containsExactlyInAnyOrder("Alpha moved", "Gamma");
  }

  @Test
  @DisplayName("a recurring event comes with its RRULE and EXDATE, a changed occurrence as an override and a "
      + "cancelled one left out")
  void recurring() {
    google.put(google.email(), timed("standup", "Standup", "2027-01-11T09:00:00+01:00", "2027-01-11T09:15:00+01:00")
        .put("recurrence", new JsonArray().add("RRULE:FREQ=WEEKLY;COUNT=4")));
    String id = connected();
    sync(id);
    google.put(google.email(), timed("standup_20270118T080000Z", "Standup (late)", "2027-01-18T10:00:00+01:00",
        "2027-01-18T10:15:00+01:00").put("recurringEventId", "standup")
        .put("originalStartTime", new JsonObject().put("dateTime", "2027-01-18T09:00:00+01:00")
            .put("timeZone", "Europe/Paris")).put("iCalUID", "standup@google.com"));
    google.put(google.email(), timed("standup_20270125T080000Z", "Standup", "2027-01-25T09:00:00+01:00",
        "2027-01-25T09:15:00+01:00").put("recurringEventId", "standup").put("status", "cancelled")
        .put("originalStartTime", new JsonObject().put("dateTime", "2027-01-25T09:00:00+01:00")
            .put("timeZone", "Europe/Paris")).put("iCalUID", "standup@google.com"));

    JsonObject after = sync(id);

    assertThat(after.getString("status")).as(after.encode()).isEqualTo("ok");
    List<JsonObject> occurrences = events("2027-01-01T00:00:00Z", "2027-03-01T00:00:00Z");
    assertThat(occurrences.stream().map(e -> e.getString("title") + " " + e.getString("start")).toList())
        .containsExactly("Standup 2027-01-11T09:00:00+01:00", "Standup (late) 2027-01-18T10:00:00+01:00",
            "Standup 2027-02-01T09:00:00+01:00");
    assertThat(google.requests().stream().filter(r -> r.contains("iCalUID=standup%40google.com"))).isNotEmpty();
  }

  @Test
  @DisplayName("an event the person moves out of the Google calendar into their own is deleted at Google and stays "
      + "in Aide, in the calendar it was moved to")
  void movedOut() {
    google.put(google.email(), timed("walk1", "Walk", "2027-01-15T08:00:00+01:00", "2027-01-15T09:00:00+01:00"));
    String id = connected();
    sync(id);
    String walk = events("2027-01-01T00:00:00Z", "2027-03-01T00:00:00Z").getFirst().getString("eventId");
    Api.Response own = api.post("/api/v1/calendars", new JsonObject().put("name", "Mine"));
    assertThat(own.status()).as(own.body()).isEqualTo(201);
    String mine = own.json().getString("id");

    Api.Response moved = api.patch("/api/v1/events/" + walk, new JsonObject().put("calendarId", mine));
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    JsonObject after = sync(id);

    assertThat(after.getJsonObject("lastSync").getInteger("pushed")).as(after.encode()).isOne();
    assertThat(google.event(google.email(), "walk1").getString("status")).isEqualTo("cancelled");
    JsonObject kept = api.get("/api/v1/events/" + walk).json();
    assertThat(kept.getString("calendarId")).isEqualTo(mine);
    assertThat(kept.getString("title")).isEqualTo("Walk");
    assertThat(sync(id).getJsonObject("lastSync").getInteger("pushed")).as("nothing twice").isZero();
    assertThat(api.get("/api/v1/events/" + walk).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("events changed, made and deleted in Aide are written back (patch with If-Match, insert, delete), and "
      + "a conflict keeps the later change with the other in the description")
  void writeBack() {
    google.put(google.email(), timed("dentist1", "Dentist", "2027-01-12T09:00:00+01:00", "2027-01-12T10:00:00+01:00"));
    google.put(google.email(), timed("gym1", "Gym", "2027-01-14T18:00:00+01:00", "2027-01-14T19:00:00+01:00"));
    String id = connected();
    sync(id);
    String calendarId = api.get("/api/v1/accounts/" + id).json().getJsonArray("calendars").getJsonObject(0)
        .getString("calendarId");
    Map<String, String> ids = new java.util.HashMap<>();
    events("2027-01-01T00:00:00Z", "2027-03-01T00:00:00Z").forEach(e -> ids.put(e.getString("title"),
        e.getString("eventId")));

    int editsFrom = google.requests().size();
    assertThat(api.patch("/api/v1/events/" + ids.get("Dentist"), new JsonObject().put("title", "Dentist (Dr Roy)")
        .put("location", "12 rue Oberkampf")).status()).isEqualTo(200);
    Api.Response made = api.post("/api/v1/events", new JsonObject().put("title", "Team dinner")
        .put("start", "2027-01-23T19:00:00+01:00").put("end", "2027-01-23T22:00:00+01:00")
        .put("calendarId", calendarId));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(api.delete("/api/v1/events/" + ids.get("Gym")).status()).isEqualTo(204);
    String etagBefore = google.event(google.email(), "dentist1").getString("etag");

    JsonObject after = sync(id);

    assertThat(after.getString("status")).as(after.encode()).isEqualTo("ok");
    // Each write brings the account's own sync forward, which may run before this one and write some of them back:
    // the three changes are counted where they arrive, each written once, whichever sync wrote it.
    assertThat(after.getJsonObject("lastSync").getInteger("pushed")).isBetween(0, 3);
    assertThat(google.requests().subList(editsFrom, google.requests().size()).stream()
        .filter(r -> r.matches("(PATCH|PUT|POST|DELETE) /calendar/v3/calendars/[^ ]*/events(/[^/ ?]*)?([ ?].*)?")))
        .as("three changes written back, each once").hasSize(3);
    JsonObject dentist = google.event(google.email(), "dentist1");
    assertThat(dentist.getString("summary")).isEqualTo("Dentist (Dr Roy)");
    assertThat(dentist.getString("location")).isEqualTo("12 rue Oberkampf");
    assertThat(google.requests()).anyMatch(r -> r.startsWith("PATCH /calendar/v3/calendars/") && r.contains("dentist1"));
    assertThat(etagBefore).isNotEqualTo(dentist.getString("etag"));
    String inserted = made.json().getString("id").replace("-", "");
    assertThat(google.event(google.email(), inserted).getString("summary")).isEqualTo("Team dinner");
    assertThat(google.event(google.email(), "gym1").getString("status")).isEqualTo("cancelled");
    int before = google.requests().size();
    assertThat(sync(id).getJsonObject("lastSync").getInteger("pushed")).as("nothing twice").isZero();
    assertThat(google.requests().subList(before, google.requests().size()))
        .as("one-off events Aide wrote (with an empty recurrence) are read from the listing, not asked for as series")
        .noneMatch(r -> r.contains("iCalUID="));
    assertThat(google.events(google.email()).stream().filter(e -> "Team dinner".equals(e.getString("summary"))))
        .hasSize(1);

    // Both sides change the dentist; Google's change is the later one.
    api.patch("/api/v1/events/" + ids.get("Dentist"), new JsonObject().put("title", "Dentist (Aide)"));
    google.put(google.email(), google.event(google.email(), "dentist1").put("summary", "Dentist (Google)"));
    JsonObject conflict = sync(id);
    assertThat(conflict.getJsonObject("lastSync").getInteger("conflicts")).isOne();
    JsonObject kept = api.get("/api/v1/events/" + ids.get("Dentist")).json();
    assertThat(kept.getString("title")).isEqualTo("Dentist (Google)");
    assertThat(kept.getString("description")).contains("Sync conflict").contains("Dentist (Aide)");
    assertThat(google.event(google.email(), "dentist1").getString("description")).contains("Sync conflict");
  }

  @Test
  @DisplayName("disconnecting revokes the refresh token at Google and deletes the account with its copied calendars")
  void disconnectRevokes() {
    google.put(google.email(), timed("dentist1", "Dentist", "2027-01-12T09:00:00+01:00", "2027-01-12T10:00:00+01:00"));
    java.util.Set<String> earlier = google.oauth().refreshTokens();
    String id = connected();
    sync(id);
    List<String> before = google.oauth().refreshTokens().stream().filter(t -> !earlier.contains(t)).toList();
    assertThat(before).hasSize(1);
    assertThat(google.oauth().isRevoked(before.getFirst())).isFalse();

    assertThat(api.delete("/api/v1/accounts/" + id).status()).isEqualTo(204);

    assertThat(before).allMatch(t -> google.oauth().isRevoked(t));
    assertThat(api.get("/api/v1/accounts").json().getJsonArray("items")).isEmpty();
    assertThat(titles()).isEmpty();
    assertThat(google.requests()).anyMatch(r -> r.equals("POST /revoke"));
    assertThat(URI.create(PUBLIC_URL).getHost()).isEqualTo("aide.example.org");
  }

  @Test
  @DisplayName("with an https AIDE_PUBLIC_URL each calendar gets a watch channel; a notification with its token brings "
      + "the sync forward, a forged token is refused, and disconnecting stops the channel")
  void push() {
    google.deliverTo(PUBLIC_URL, aide.baseUrl());
    // Accounts earlier tests connected to the same fake calendar are synced by the scheduler now and then, and with an
    // https AIDE_PUBLIC_URL each sync of theirs may open a channel too: a full suite once counted one of theirs here.
    aide.db().update("delete from linked_accounts");
    String id = connected();
    java.util.Set<String> older = new java.util.HashSet<>();
    google.channels().forEach(c -> older.add(c.getString("id")));
    sync(id);
    List<JsonObject> opened = google.channels().stream().filter(c -> !older.contains(c.getString("id"))).toList();
    assertThat(opened).hasSize(1);
    JsonObject channel = opened.getFirst();
    assertThat(channel.getString("address")).isEqualTo(PUBLIC_URL + "/webhooks/google/calendar");
    assertThat(sync(id).getString("status")).isEqualTo("ok");
    assertThat(google.channels().stream().filter(c -> !older.contains(c.getString("id")))).as("not renewed each sync")
        .hasSize(1);

    Api.Response forged = aide.client().send(io.vertx.core.http.HttpMethod.POST, "/webhooks/google/calendar",
        io.vertx.core.buffer.Buffer.buffer(), null, Map.of("X-Goog-Channel-ID", channel.getString("id"),
            "X-Goog-Channel-Token", "forged", "X-Goog-Resource-State", "exists"));
    assertThat(forged.status()).isEqualTo(403);

    google.put(google.email(), timed("pushed1", "Pushed", "2027-01-16T09:00:00+01:00", "2027-01-16T10:00:00+01:00"));
    assertThat(google.notifyChanged(google.email()).get(channel.getString("id"))).isEqualTo(200);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> titles().contains("Pushed"));

    assertThat(api.delete("/api/v1/accounts/" + id).status()).isEqualTo(204);
    assertThat(google.channels()).noneMatch(c -> c.getString("id").equals(channel.getString("id")));
  }
}
