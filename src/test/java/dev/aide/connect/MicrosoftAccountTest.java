package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeMicrosoft;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Microsoft calendars through the real server's API, against a fake identity platform and Graph. */
@DisplayName("A Microsoft calendar account is connected with OAuth and PKCE and synced both ways through Graph delta")
class MicrosoftAccountTest {

  static final String PUBLIC_URL = "https://aide.example.org";
  private static final FakeMicrosoft microsoft = new FakeMicrosoft();
  private static final Vertx VERTX = Vertx.vertx();
  private static final WebClient BROWSER = WebClient.create(VERTX);

  @RegisterExtension
  static final AideServer aide = AideServer.create().env(microsoft.env()).env("AIDE_PUBLIC_URL", PUBLIC_URL)
      .closing(microsoft).freshEachTest().person("nora@example.com", "UTC");

  private final Api api = aide.api();

  @AfterAll
  static void closeBrowser() {
    VERTX.close().await();
  }

  @BeforeEach
  void emptyCalendar() {
    microsoft.all().forEach(e -> {
      if (!e.getBoolean("_deleted", false)) {
        microsoft.remove(e.getString("id"));
      }
    });
  }

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

  private String connected() {
    Api.Response start = local(api, "/api/v1/accounts/microsoft/connect");
    assertThat(start.status()).as(start.body()).isEqualTo(302);
    assertThat(start.header("location")).startsWith(microsoft.url() + "/common/oauth2/v2.0/authorize?")
        .contains("offline_access").contains("code_challenge_method=S256");
    var consent = BROWSER.getAbs(start.header("location")).followRedirects(false).send().await();
    String back = consent.getHeader("Location");
    assertThat(back).startsWith(PUBLIC_URL + "/api/v1/accounts/microsoft/callback?");
    Api.Response landed = local(null, back.substring(PUBLIC_URL.length()));
    assertThat(landed.header("location")).isEqualTo(PUBLIC_URL + "/?account=connected&kind=microsoft#settings");
    JsonArray items = api.get("/api/v1/accounts").json().getJsonArray("items");
    assertThat(items).hasSize(1);
    return items.getJsonObject(0).getString("id");
  }

  private JsonObject sync(String id) {
    Api.Response synced = api.post("/api/v1/accounts/" + id + "/sync", new JsonObject());
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    return synced.json();
  }

  private List<JsonObject> events() {
    return api.get("/api/v1/events?from=2027-01-01T00:00:00Z&to=2027-03-01T00:00:00Z").json().getJsonArray("items")
        .stream().map(o -> (JsonObject) o).toList();
  }

  private List<String> titles() {
    return events().stream().map(e -> e.getString("title")).toList();
  }

  @Test
  @DisplayName("connecting reads the account and its calendars; the first delta is followed page by page to its "
      + "delta link, and later ones bring changes and @removed entries; an expired delta token brings a full resync")
  void connectAndDelta() {
    microsoft.put(FakeMicrosoft.event("e1", "Dentist", "2027-01-12T08:00"));
    microsoft.put(FakeMicrosoft.event("e2", "Gym", "2027-01-13T17:00"));
    microsoft.put(FakeMicrosoft.event("e3", "Piano", "2027-01-14T16:00"));
    String id = connected();
    JsonObject account = api.get("/api/v1/accounts/" + id).json();
    assertThat(account.getString("username")).isEqualTo("nora@contoso.com");
    assertThat(account.getString("kind")).isEqualTo("microsoft");

    JsonObject first = sync(id);

    assertThat(first.getString("status")).as(first.encode()).isEqualTo("ok");
    assertThat(titles()).containsExactlyInAnyOrder("Dentist", "Gym", "Piano");
    assertThat(microsoft.requests()).anyMatch(r -> r.contains("calendarView/delta?$skiptoken="));
    assertThat(events().stream().filter(e -> e.getString("title").equals("Dentist")).findFirst().orElseThrow()
        .getString("start")).isEqualTo("2027-01-12T08:00:00Z");

    microsoft.put(FakeMicrosoft.event("e1", "Dentist (moved)", "2027-01-15T08:00"));
    microsoft.remove("e2");
    JsonObject second = sync(id).getJsonObject("lastSync");
    assertThat(titles()).containsExactlyInAnyOrder("Dentist (moved)", "Piano");
    assertThat(second.getInteger("removed")).isOne();
    assertThat(microsoft.requests()).anyMatch(r -> r.contains("calendarView/delta?$deltatoken="));

    microsoft.expireDeltaTokens();
    microsoft.remove("e3");
    JsonObject full = sync(id);
    assertThat(full.getString("status")).as(full.encode()).isEqualTo("ok");
    assertThat(titles()).containsExactly("Dentist (moved)");
  }

  @Test
  @DisplayName("events changed, made and deleted in Aide are written back to Graph (PATCH with If-Match, POST with a "
      + "transactionId, DELETE); a repeating event made in Aide is not; a rotated refresh token is kept")
  void writeBack() {
    microsoft.put(FakeMicrosoft.event("e1", "Dentist", "2027-01-12T08:00"));
    microsoft.put(FakeMicrosoft.event("e2", "Gym", "2027-01-13T17:00"));
    String id = connected();
    sync(id);
    String calendarId = api.get("/api/v1/accounts/" + id).json().getJsonArray("calendars").getJsonObject(0)
        .getString("calendarId");
    Map<String, String> ids = new java.util.HashMap<>();
    events().forEach(e -> ids.put(e.getString("title"), e.getString("eventId")));

    int editsFrom = microsoft.requests().size();
    api.patch("/api/v1/events/" + ids.get("Dentist"), new JsonObject().put("title", "Dentist (Dr Roy)"));
    Api.Response made = api.post("/api/v1/events", new JsonObject().put("title", "Team dinner")
        .put("start", "2027-01-23T19:00:00Z").put("end", "2027-01-23T22:00:00Z").put("calendarId", calendarId));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    Api.Response weekly = api.post("/api/v1/events", new JsonObject().put("title", "Yoga")
        .put("start", "2027-01-20T07:00:00Z").put("end", "2027-01-20T08:00:00Z").put("calendarId", calendarId)
        .put("rrule", "FREQ=WEEKLY;COUNT=3"));
    assertThat(weekly.status()).as(weekly.body()).isEqualTo(201);
    api.delete("/api/v1/events/" + ids.get("Gym"));
    // The access token expires: the refresh rotates the refresh token, and the new one must be the one kept.
    microsoft.oauth().expireAccessTokens();

    JsonObject after = sync(id);

    assertThat(after.getString("status")).as(after.encode()).isEqualTo("ok");
    // Each write brings the account's own sync forward, which may run before this one and write some of them back:
    // the three changes are counted where they arrive, each written once, whichever sync wrote it.
    assertThat(after.getJsonObject("lastSync").getInteger("pushed")).isBetween(0, 3);
    assertThat(microsoft.requests().subList(editsFrom, microsoft.requests().size()).stream()
        .filter(r -> r.matches("(PATCH|POST|DELETE) /v1\\.0/me/(events|calendars/[^/ ]+/events)(/[^/ ?]+)?([ ?].*)?")))
        .as("three changes written back, each once").hasSize(3);
    assertThat(after.getJsonObject("lastSync").getInteger("skipped")).isOne();
    assertThat(microsoft.get("e1").getString("subject")).isEqualTo("Dentist (Dr Roy)");
    assertThat(microsoft.get("e2").getBoolean("_deleted")).isTrue();
    List<JsonObject> dinners = microsoft.all().stream().filter(e -> "Team dinner".equals(e.getString("subject")))
        .toList();
    assertThat(dinners).hasSize(1);
    assertThat(dinners.getFirst().getString("transactionId")).isEqualTo(made.json().getString("id"));
    assertThat(microsoft.all()).noneMatch(e -> "Yoga".equals(e.getString("subject")));
    assertThat(microsoft.requests()).anyMatch(r -> r.startsWith("PATCH /v1.0/me/events/e1"));

    microsoft.oauth().expireAccessTokens();
    JsonObject again = sync(id);
    assertThat(again.getString("status")).as("the rotated refresh token was stored").isEqualTo("ok");
    assertThat(again.getJsonObject("lastSync").getInteger("pushed")).isZero();
    assertThat(titles()).contains("Dentist (Dr Roy)", "Team dinner", "Yoga").doesNotContain("Gym");
  }

  @Test
  @DisplayName("disconnecting a Microsoft account deletes it and its copies; there is no revocation endpoint to call")
  void disconnect() {
    microsoft.put(FakeMicrosoft.event("e1", "Dentist", "2027-01-12T08:00"));
    String id = connected();
    sync(id);

    assertThat(api.delete("/api/v1/accounts/" + id).status()).isEqualTo(204);

    assertThat(api.get("/api/v1/accounts").json().getJsonArray("items")).isEmpty();
    assertThat(titles()).isEmpty();
    assertThat(microsoft.requests()).noneMatch(r -> r.contains("revoke") || r.contains("logout"));
    assertThat(microsoft.get("e1").getString("subject")).as("the calendar there is untouched").isEqualTo("Dentist");
  }

  @Test
  @DisplayName("with an https AIDE_PUBLIC_URL each calendar gets a Graph subscription, validated by echoing its "
      + "validationToken; a notification with its clientState brings the sync forward, one without is ignored, and "
      + "disconnecting deletes the subscription")
  void push() {
    microsoft.deliverTo(PUBLIC_URL, aide.baseUrl());
    // Accounts earlier tests connected to the same fake calendar are synced by the scheduler now and then, and with an
    // https AIDE_PUBLIC_URL each sync of theirs may make a subscription too (GoogleAccountTest.push once counted one).
    aide.db().update("delete from linked_accounts");
    String id = connected();
    java.util.Set<String> older = new java.util.HashSet<>();
    microsoft.subscriptions().forEach(s -> older.add(s.getString("id")));
    sync(id);
    List<JsonObject> made = microsoft.subscriptions().stream().filter(s -> !older.contains(s.getString("id"))).toList();
    assertThat(made).hasSize(1);
    assertThat(made.getFirst().getString("notificationUrl")).isEqualTo(PUBLIC_URL + "/webhooks/microsoft/calendar");
    assertThat(made.getFirst().getString("resource")).isEqualTo("/me/calendars/" + microsoft.calendarId() + "/events");

    microsoft.put(FakeMicrosoft.event("p1", "Pushed", "2027-01-16T08:00"));
    String due = "select next_run_at::text from scheduled_tasks where task_key = ?";
    // The sync task that connecting started must have run and set its next run minutes away before the check.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> aide.db().number(
        "select count(*) from scheduled_tasks where task_key = ? and status = 'scheduled' "
            + "and next_run_at > now() + interval '1 minute'", "account-sync:" + id) == 1);
    String before = aide.db().strings(due, "account-sync:" + id).getFirst();
    assertThat(microsoft.notifyChanged("forged")).allMatch(status -> status == 202);
    assertThat(aide.db().strings(due, "account-sync:" + id).getFirst()).as("a forged clientState is ignored")
        .isEqualTo(before);

    assertThat(microsoft.notifyChanged(null)).allMatch(status -> status == 202);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> titles().contains("Pushed"));

    assertThat(api.delete("/api/v1/accounts/" + id).status()).isEqualTo(204);
    assertThat(microsoft.subscriptions()).noneMatch(s -> s.getString("id").equals(made.getFirst().getString("id")));
  }
}
