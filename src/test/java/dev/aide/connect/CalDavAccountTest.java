package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.RadicaleServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A CalDAV account is connected and synced both ways with a real Radicale server")
class CalDavAccountTest {

  private static final RadicaleServer radicale = RadicaleServer.start(Map.of());
  private static final AtomicInteger PEOPLE = new AtomicInteger();

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("nora@example.com", "Europe/Paris");

  private final Api api = aide.api();
  /** This test's own user on the server, with a password, so tests never see one another's calendars. */
  private final String user = "nora" + PEOPLE.incrementAndGet();
  private final String password = "pw-" + UUID.randomUUID();

  @AfterAll
  static void stopRadicale() {
    radicale.close();
  }

  private static String payload(String name) {
    try (var in = CalDavAccountTest.class.getResourceAsStream("/payload/caldav/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server user with a "Work" calendar holding the standup series (an EXDATE, an override) and the dentist. */
  private void workCalendar() {
    radicale.password(user, password);
    assertThat(radicale.makeCalendar(user, "work", "Work").status()).isEqualTo(201);
    assertThat(radicale.put(user, "/" + user + "/work/standup.ics", payload("standup.ics")).status()).isEqualTo(201);
    assertThat(radicale.put(user, "/" + user + "/work/dentist.ics", payload("dentist.ics")).status()).isEqualTo(201);
  }

  private JsonObject connect() {
    Api.Response created = api.post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
        .put("url", radicale.url()).put("username", user).put("password", password));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  private JsonObject sync(String accountId) {
    Api.Response synced = api.post("/api/v1/accounts/" + accountId + "/sync", new JsonObject());
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    return synced.json();
  }

  /**
   * The account connected and its first sync done, the scheduler's included (it runs one at once, then in five
   * minutes), so the test's own syncs are the only ones.
   */
  private String connected() {
    workCalendar();
    String id = connect().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number("select count(*) from scheduled_tasks "
        + "where task_key = ? and status = 'scheduled' and next_run_at > now() + interval '1 minute'",
        "account-sync:" + id) == 1);
    assertThat(sync(id).getJsonObject("lastSync").getBoolean("ok")).isTrue();
    return id;
  }

  /** A calendar object's text with its folded lines joined (RFC 5545 folds at 75 octets). */
  private String onServer(String path) {
    return radicale.get(user, path).body().replace("\r\n ", "").replace("\n ", "");
  }

  private List<JsonObject> occurrences(Api as) {
    return as.get("/api/v1/events?from=2027-01-01T00:00:00Z&to=2027-03-01T00:00:00Z").json().getJsonArray("items")
        .stream().map(JsonObject.class::cast).toList();
  }

  private JsonObject occurrence(String title) {
    return occurrences(api).stream().filter(o -> o.getString("title").equals(title)).findFirst().orElseThrow();
  }

  private static OffsetDateTime at(String iso) {
    return OffsetDateTime.parse(iso);
  }

  @Test
  @DisplayName("discovery finds the Work calendar and the first sync copies its events, with the series' EXDATE and "
      + "override intact; no answer and no column holds the password")
  void discoveryAndInitialSync() {
    workCalendar();
    JsonObject account = connect();
    assertThat(account.getString("kind")).isEqualTo("caldav");
    assertThat(account.getString("status")).isEqualTo("ok");
    assertThat(account.getJsonArray("calendars").stream().map(c -> ((JsonObject) c).getString("name")))
        .containsExactly("Work");
    JsonObject synced = sync(account.getString("id"));
    assertThat(synced.getString("lastSyncedAt")).isNotNull();

    List<JsonObject> standups = occurrences(api).stream().filter(o -> o.getString("title").startsWith("Standup"))
        .toList();
    assertThat(standups.stream().map(o -> at(o.getString("start")).toInstant().toString()))
        .containsExactly("2027-01-04T08:00:00Z", "2027-01-18T13:00:00Z", "2027-01-25T08:00:00Z",
            "2027-02-01T08:00:00Z", "2027-02-08T08:00:00Z");
    assertThat(standups.get(1).getString("title")).isEqualTo("Standup (afternoon)");
    JsonObject series = api.get("/api/v1/events/" + standups.get(0).getString("eventId")).json();
    assertThat(series.getString("rrule")).isEqualTo("FREQ=WEEKLY;COUNT=6");
    assertThat(series.getJsonArray("exdates").stream().map(t -> at((String) t).toInstant().toString()))
        .containsExactly("2027-01-11T08:00:00Z");
    assertThat(series.getString("timezone")).isEqualTo("Europe/Paris");
    assertThat(series.getString("calendarId"))
        .isEqualTo(account.getJsonArray("calendars").getJsonObject(0).getString("calendarId"));
    JsonObject dentist = occurrence("Dentist");
    assertThat(dentist.getString("location")).isEqualTo("Rue Cler");
    // Free time counts the copied calendar: the dentist (10:00-11:00 UTC) is not free on that Wednesday.
    List<JsonObject> free = api.get("/api/v1/availability?from=2027-01-20T00:00:00Z&to=2027-01-21T00:00:00Z"
        + "&duration=30").json().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    assertThat(free).isNotEmpty().noneMatch(slot -> at(slot.getString("start")).toInstant()
        .isBefore(java.time.Instant.parse("2027-01-20T11:00:00Z")) && at(slot.getString("end")).toInstant()
        .isAfter(java.time.Instant.parse("2027-01-20T10:00:00Z")));
    assertThat(free).anyMatch(slot -> !at(slot.getString("end")).toInstant()
        .isAfter(java.time.Instant.parse("2027-01-20T10:00:00Z")));

    for (Api.Response r : List.of(api.get("/api/v1/accounts"), api.get("/api/v1/accounts/" + account.getString("id")),
        api.get("/api/v1/me/export"))) {
      assertThat(r.body()).doesNotContain(password);
    }
    assertThat(aide.db().number("select count(*) from linked_accounts where position(? in secret) > 0",
        password.getBytes(StandardCharsets.UTF_8))).isZero();
    assertThat(aide.db().number("select count(*) from linked_accounts where length(secret_nonce) = 12")).isOne();
  }

  @Test
  @DisplayName("an incremental sync takes what changed on the server since: a changed, a new and a deleted event")
  void incrementalSync() {
    String id = connected();
    radicale.put(user, "/" + user + "/work/dentist.ics", payload("dentist.ics").replace("SUMMARY:Dentist",
        "SUMMARY:Dentist (check-up)"));
    radicale.put(user, "/" + user + "/work/lunch.ics", payload("dentist.ics").replace("dentist-1", "lunch-1")
        .replace("SUMMARY:Dentist", "SUMMARY:Lunch with Sam").replace("20270120T1", "20270121T1"));
    assertThat(radicale.delete(user, "/" + user + "/work/standup.ics").status()).isEqualTo(200);

    JsonObject report = sync(id).getJsonObject("lastSync");

    assertThat(report.getInteger("pulled")).isEqualTo(2);
    assertThat(report.getInteger("removed")).isEqualTo(1);
    assertThat(report.getInteger("pushed")).isZero();
    assertThat(occurrences(api).stream().map(o -> o.getString("title")))
        .containsExactly("Dentist (check-up)", "Lunch with Sam");
    assertThat(sync(id).getJsonObject("lastSync").getInteger("pulled")).as("nothing changed since").isZero();
  }

  @Test
  @DisplayName("a change made in Aide (PATCH /events) is written back with If-Match and seen on the server; events "
      + "made in Aide in the account's calendar are created there")
  void writeBack() {
    String id = connected();
    JsonObject dentist = occurrence("Dentist");
    JsonObject calendar = api.get("/api/v1/accounts/" + id).json().getJsonArray("calendars").getJsonObject(0);
    assertThat(api.patch("/api/v1/events/" + dentist.getString("eventId"), new JsonObject()
        .put("title", "Dentist, moved").put("start", "2027-01-22T15:00:00+01:00")).status()).isEqualTo(200);
    Api.Response made = api.post("/api/v1/events", new JsonObject().put("title", "Team dinner")
        .put("start", "2027-01-23T19:00:00+01:00").put("end", "2027-01-23T22:00:00+01:00")
        .put("calendarId", calendar.getString("calendarId")));
    assertThat(made.status()).isEqualTo(201);

    JsonObject report = sync(id).getJsonObject("lastSync");

    assertThat(report.getInteger("pushed")).as(report.encode()).isEqualTo(2);
    assertThat(report.getInteger("conflicts")).isZero();
    assertThat(onServer("/" + user + "/work/dentist.ics")).contains("SUMMARY:Dentist\\, moved").contains("UID:dentist-1@example.com")
        .contains("20270122T140000Z");
    String dinner = radicale.get(user, "/" + user + "/work/" + made.json().getString("id") + ".ics").body();
    assertThat(dinner).contains("SUMMARY:Team dinner");
    JsonObject again = sync(id).getJsonObject("lastSync");
    assertThat(again.getInteger("pushed")).as("nothing left to write").isZero();
    assertThat(again.getInteger("pulled")).as("Aide's own writes are not read back as changes").isZero();
    assertThat(occurrences(api).stream().filter(o -> o.getString("title").equals("Team dinner"))).hasSize(1);
  }

  @Test
  @DisplayName("a change made in Aide, by chat (changeEvent) or PATCH, reaches the server within seconds without "
      + "anyone asking for a sync")
  void writeBackSoon() {
    String id = connected();
    java.time.LocalDate tomorrow = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Paris")).plusDays(1);
    String day = tomorrow.toString().replace("-", "");
    radicale.put(user, "/" + user + "/work/physio.ics", payload("dentist.ics").replace("dentist-1", "physio-1")
        .replace("SUMMARY:Dentist", "SUMMARY:Physio").replace("DTSTART:20270120T100000Z", "DTSTART;TZID=Europe/Paris:"
            + day + "T100000").replace("DTEND:20270120T110000Z", "DTEND;TZID=Europe/Paris:" + day + "T110000"));
    assertThat(sync(id).getJsonObject("lastSync").getInteger("pulled")).isOne();

    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "move the physio tomorrow to 3pm"));
    assertThat(chat.json().getJsonArray("toolCalls").stream().map(c -> ((JsonObject) c).getString("name")))
        .as(chat.body()).contains("changeEvent");
    String dentist = occurrence("Dentist").getString("eventId");
    api.patch("/api/v1/events/" + dentist, new JsonObject().put("location", "Rue du Bac"));

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(onServer("/" + user + "/work/physio.ics")).contains("DTSTART;TZID=Europe/Paris:" + day + "T150000");
      assertThat(onServer("/" + user + "/work/dentist.ics")).contains("LOCATION:Rue du Bac");
    });
  }

  @Test
  @DisplayName("a change on both sides is a conflict: the later one wins and the other is kept in the description, "
      + "on both sides")
  void conflicts() {
    String id = connected();
    String eventId = occurrence("Dentist").getString("eventId");
    String path = "/" + user + "/work/dentist.ics";

    api.patch("/api/v1/events/" + eventId, new JsonObject().put("title", "Dentist A"));
    radicale.put(user, path, payload("dentist.ics").replace("SUMMARY:Dentist", "SUMMARY:Dentist B")
        .replace("LAST-MODIFIED:20261201T080000Z", "LAST-MODIFIED:20990101T000000Z"));
    assertThat(sync(id).getJsonObject("lastSync").getInteger("conflicts")).isOne();
    JsonObject serverWon = api.get("/api/v1/events/" + eventId).json();
    assertThat(serverWon.getString("title")).isEqualTo("Dentist B");
    assertThat(serverWon.getString("description")).contains("the server's change was newer")
        .contains("Aide's version was: \"Dentist A\"");
    assertThat(onServer(path)).contains("SUMMARY:Dentist B").contains("Aide's version was");

    radicale.put(user, path, payload("dentist.ics").replace("SUMMARY:Dentist", "SUMMARY:Dentist C")
        .replace("LAST-MODIFIED:20261201T080000Z", "LAST-MODIFIED:20200101T000000Z"));
    api.patch("/api/v1/events/" + eventId, new JsonObject().put("title", "Dentist D"));
    assertThat(sync(id).getJsonObject("lastSync").getInteger("conflicts")).isOne();
    JsonObject aideWon = api.get("/api/v1/events/" + eventId).json();
    assertThat(aideWon.getString("title")).isEqualTo("Dentist D");
    assertThat(aideWon.getString("description")).contains("Aide's change was newer")
        .contains("The server's version was: \"Dentist C\"");
    assertThat(onServer(path)).contains("SUMMARY:Dentist D").doesNotContain("SUMMARY:Dentist C");
  }

  @Test
  @DisplayName("a wrong password, an unreachable server, TLS to a plain server and a URL that is no CalDAV server are "
      + "refused with 422 and a clear code, and nothing is stored")
  void refusedConnections() {
    workCalendar();
    int free;
    try (ServerSocket socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, JsonObject> cases = Map.of(
        "account_unauthorized", body(radicale.url(), user, "not-the-password"),
        "account_unreachable", body("http://127.0.0.1:" + free + "/", user, password),
        "account_tls", body("https://127.0.0.1:" + radicale.port() + "/", user, password),
        "account_not_caldav", body(aide.baseUrl() + "/health", user, password));
    cases.forEach((code, request) -> {
      Api.Response refused = api.post("/api/v1/accounts", request);
      assertThat(refused.status()).as(code + ": " + refused.body()).isEqualTo(422);
      assertThat(refused.errorCode()).isEqualTo(code);
      assertThat(refused.body()).doesNotContain(password).doesNotContain("not-the-password");
    });
    assertThat(aide.db().number("select count(*) from linked_accounts")).isZero();
    assertThat(aide.db().number("select count(*) from caldav_collections")).isZero();
    assertThat(api.get("/api/v1/accounts").json().getJsonArray("items")).isEmpty();
  }

  private static JsonObject body(String url, String username, String password) {
    return new JsonObject().put("kind", "caldav").put("url", url).put("username", username).put("password", password);
  }

  @Test
  @DisplayName("bad input is refused and stores nothing: another kind, a URL that is not http(s), missing fields, a "
      + "NUL byte, unknown fields, an empty body")
  void badInput() {
    List<JsonObject> bad = List.of(
        body(radicale.url(), user, password).put("kind", "google"),
        body("ftp://127.0.0.1/", user, password),
        body("not a url at all", user, password),
        body("http://someone:secret@127.0.0.1/", user, password),
        body(radicale.url(), user, password).putNull("password"),
        body(radicale.url(), "no\u0000ra", password),
        body(radicale.url(), user, password).put("token", "x"),
        body(radicale.url(), user, "x".repeat(1001)));
    for (JsonObject request : bad) {
      Api.Response refused = api.post("/api/v1/accounts", request);
      assertThat(refused.status()).as(request.encode()).isEqualTo(422);
    }
    assertThat(api.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/accounts", io.vertx.core.buffer.Buffer.buffer(),
        "application/json").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/accounts/not-an-id").status()).isEqualTo(404);
    assertThat(aide.db().number("select count(*) from linked_accounts")).isZero();
  }

  @Test
  @DisplayName("a password changed on the server and a server that stopped make the account's status error with the "
      + "reason, and the person is told once; what was synced stays, and lastSyncedAt says when")
  void errorStatus() {
    String id = connected();
    String lastSynced = api.get("/api/v1/accounts/" + id).json().getString("lastSyncedAt");
    radicale.password(user, "changed-" + UUID.randomUUID());

    JsonObject failed = sync(id);

    assertThat(failed.getString("status")).isEqualTo("error");
    assertThat(failed.getString("reason")).contains("refused the username or password");
    assertThat(failed.getString("lastSyncedAt")).isEqualTo(lastSynced);
    assertThat(failed.getString("lastAttemptAt")).isNotNull();
    assertThat(occurrences(api)).hasSize(6);
    assertThat(sync(id).getString("status")).as("still failing").isEqualTo("error");
    JsonArray notices = api.get("/api/v1/notifications").json().getJsonArray("items");
    assertThat(notices).as("told once, when the account turned to error").hasSize(1);
    assertThat(notices.getJsonObject(0).getString("kind")).isEqualTo("account");
    assertThat(notices.getJsonObject(0).getString("body")).contains("refused the username or password")
        .doesNotContain(password);

    radicale.password(user, password);
    assertThat(sync(id).getString("status")).isEqualTo("ok");

    try (RadicaleServer other = RadicaleServer.start(Map.of("ida", "ida-pw"))) {
      other.makeCalendar("ida", "home", "Home");
      other.put("ida", "/ida/home/dentist.ics", payload("dentist.ics").replace("dentist-1", "ida-1")
          .replace("SUMMARY:Dentist", "SUMMARY:Piano lesson"));
      Api.Response created = api.post("/api/v1/accounts", body(other.url(), "ida", "ida-pw"));
      assertThat(created.status()).isEqualTo(201);
      String second = created.json().getString("id");
      sync(second);
      other.close();
      JsonObject down = sync(second);
      assertThat(down.getString("status")).isEqualTo("error");
      assertThat(down.getString("reason")).contains("cannot reach");
    }
    assertThat(occurrences(api).stream().map(o -> o.getString("title"))).contains("Piano lesson");
    JsonArray listed = api.get("/api/v1/accounts").json().getJsonArray("items");
    assertThat(listed.stream().map(a -> ((JsonObject) a).getString("status"))).containsExactly("ok", "error");
  }

  @Test
  @DisplayName("another person's account is not theirs to read, sync or delete (404), and disconnecting removes the "
      + "sync and the copied calendar and events")
  void isolationAndDisconnect() {
    String id = connected();
    Api bob = aide.signUp("bob@example.com", "UTC");
    assertThat(bob.get("/api/v1/accounts/" + id).status()).isEqualTo(404);
    assertThat(bob.post("/api/v1/accounts/" + id + "/sync", new JsonObject()).status()).isEqualTo(404);
    assertThat(bob.delete("/api/v1/accounts/" + id).status()).isEqualTo(404);
    assertThat(bob.get("/api/v1/accounts").json().getJsonArray("items")).isEmpty();
    assertThat(occurrences(bob)).isEmpty();
    assertThat(aide.db().number("select count(*) from scheduled_tasks where task_key = ?", "account-sync:" + id))
        .isOne();

    assertThat(api.delete("/api/v1/accounts/" + id).status()).isEqualTo(204);

    assertThat(api.get("/api/v1/accounts/" + id).status()).isEqualTo(404);
    assertThat(occurrences(api)).isEmpty();
    assertThat(api.get("/api/v1/calendars").json().getJsonArray("items").stream()
        .map(c -> ((JsonObject) c).getString("name"))).doesNotContain("Work");
    assertThat(aide.db().number("select count(*) from scheduled_tasks where task_key = ?", "account-sync:" + id))
        .isZero();
    assertThat(aide.db().number("select count(*) from caldav_objects")).isZero();
    assertThat(radicale.get(user, "/" + user + "/work/dentist.ics").status()).as("the server keeps its events")
        .isEqualTo(200);
  }
}
