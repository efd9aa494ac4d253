package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.RadicaleServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("CalDAV sync: truncated change lists, deletions of changed events, refused occurrences and size caps")
class CalDavLeftoversTest {

  private static final RadicaleServer radicale = RadicaleServer.start(Map.of());
  private static final Vertx VERTX = Vertx.vertx();
  private static final AtomicInteger PEOPLE = new AtomicInteger();

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("ida@example.com", "Europe/Paris");

  private final Api api = aide.api();
  private final String user = "ida" + PEOPLE.incrementAndGet();
  private final String password = "pw-" + UUID.randomUUID();

  @AfterAll
  static void stop() {
    radicale.close();
    VERTX.close().await();
  }

  private static String payload(String name) {
    try (var in = CalDavLeftoversTest.class.getResourceAsStream("/payload/caldav/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String connect(String url) {
    Api.Response created = api.post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
        .put("url", url).put("username", user).put("password", password));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    // the scheduler's first sync (at once) is over: the test's syncs are then the only ones
    await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number("select count(*) from scheduled_tasks "
        + "where task_key = ? and status = 'scheduled' and next_run_at > now() + interval '1 minute'",
        "account-sync:" + id) == 1);
    return id;
  }

  private JsonObject sync(String accountId) {
    Api.Response synced = api.post("/api/v1/accounts/" + accountId + "/sync", new JsonObject());
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    return synced.json();
  }

  private String onServer(String path) {
    return radicale.get(user, path).body().replace("\r\n ", "").replace("\n ", "");
  }

  @Test
  @DisplayName("an event deleted on the server after it was changed in Aide goes back to the server with Aide's "
      + "change and a note, not deleted in Aide")
  void deletedOnServerChangedInAide() {
    radicale.password(user, password);
    assertThat(radicale.makeCalendar(user, "work", "Work").status()).isEqualTo(201);
    String path = "/" + user + "/work/dentist.ics";
    assertThat(radicale.put(user, path, payload("dentist.ics")).status()).isEqualTo(201);
    String id = connect(radicale.url());
    sync(id);
    String eventId = aide.db().value("select id::text from events where title = 'Dentist'", String.class);

    assertThat(radicale.delete(user, path).status()).isEqualTo(200);
    assertThat(api.patch("/api/v1/events/" + eventId, new JsonObject().put("title", "Dentist, moved to 11"))
        .status()).isEqualTo(200);
    sync(id);
    sync(id);   // the first may have joined the sync the change brought forward

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(onServer(path)).contains("SUMMARY:Dentist\\, moved to 11").contains("UID:dentist-1@example.com")
            .contains("was deleted on the server after it was changed in Aide"));
    JsonObject event = api.get("/api/v1/events/" + eventId).json();
    assertThat(event.getString("title")).isEqualTo("Dentist, moved to 11");
    assertThat(event.getString("description")).contains("Aide's version was put back there");
    JsonObject quiet = sync(id).getJsonObject("lastSync");
    assertThat(quiet.getInteger("pushed") + quiet.getInteger("pulled") + quiet.getInteger("removed")).isZero();

    // unchanged in Aide, a deletion on the server is one here too
    assertThat(radicale.delete(user, path).status()).isEqualTo(200);
    assertThat(sync(id).getJsonObject("lastSync").getInteger("removed")).isOne();
    assertThat(api.get("/api/v1/events/" + eventId).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a changed occurrence Aide's calendar refuses is told to the person once; the rest of the series is "
      + "copied and the account stays ok")
  void refusedOccurrence() {
    radicale.password(user, password);
    assertThat(radicale.makeCalendar(user, "work", "Work").status()).isEqualTo(201);
    String stray = """
        BEGIN:VEVENT
        UID:standup-1@example.com
        DTSTAMP:20261201T080000Z
        RECURRENCE-ID;TZID=Europe/Paris:20270119T090000
        DTSTART;TZID=Europe/Paris:20270119T100000
        DTEND;TZID=Europe/Paris:20270119T101500
        SUMMARY:Standup on a Tuesday
        END:VEVENT
        END:VCALENDAR
        """.replace("\n", "\r\n");
    String standup = payload("standup.ics").replace("\r\n", "\n").replace("\n", "\r\n").replace("END:VCALENDAR\r\n", stray);
    assertThat(radicale.put(user, "/" + user + "/work/standup.ics", standup).status()).isEqualTo(201);
    String id = connect(radicale.url());
    JsonObject account = sync(id);

    assertThat(account.getString("status")).isEqualTo("ok");
    assertThat(aide.db().number("select count(*) from events where title = 'Standup (afternoon)'")).isOne();
    assertThat(aide.db().number("select count(*) from events where title = 'Standup on a Tuesday'")).isZero();
    List<String> told = aide.db().strings("select body from notifications where source_key like 'account-refused:%'");
    assertThat(told).hasSize(1);
    assertThat(told.get(0)).contains("the occurrence 20270119T090000 of «Standup»").contains("Work: ");
    sync(id);
    assertThat(aide.db().number("select count(*) from notifications where source_key like 'account-refused:%'")).isOne();
  }

  /** A CalDAV server of its own: principal /p/, home /cal/, the calendars given, and sync-collection answers. */
  private static HttpServer fake(int calendars, Function<String, String> syncAnswer, List<String> seen) {
    Pattern href = Pattern.compile("<d:href>([^<]+)</d:href>");
    return VERTX.createHttpServer().requestHandler((HttpServerRequest req) -> req.body().onSuccess(buffer -> {
      String body = buffer.toString();
      seen.add(req.method() + " " + req.path() + " " + body.replaceAll("\\s+", " "));
      String answer;
      if (body.contains("current-user-principal")) {
        answer = one("/", "<d:current-user-principal><d:href>/p/</d:href></d:current-user-principal>");
      } else if (body.contains("calendar-home-set")) {
        answer = one("/p/", "<c:calendar-home-set><d:href>/cal/</d:href></c:calendar-home-set>");
      } else if (body.contains("supported-calendar-component-set")) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < calendars; i++) {
          list.append(response("/cal/c" + i + "/", "<d:resourcetype><d:collection/><c:calendar/></d:resourcetype>"
              + "<d:displayname>Cal " + i + "</d:displayname>"));
        }
        answer = multistatus(list.toString(), "");
      } else if (body.contains("sync-collection")) {
        Matcher token = Pattern.compile("<d:sync-token>([^<]*)</d:sync-token>").matcher(body);
        answer = syncAnswer.apply(req.path() + "|" + (token.find() ? token.group(1) : ""));
      } else if (body.contains("calendar-multiget")) {
        StringBuilder list = new StringBuilder();
        Matcher m = href.matcher(body);
        while (m.find()) {
          String name = m.group(1).replaceAll(".*/", "").replace(".ics", "");
          list.append(response(m.group(1), "<d:getetag>\"e-" + name + "\"</d:getetag><c:calendar-data>"
              + "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fake//EN\r\nBEGIN:VEVENT\r\nUID:" + name
              + "@fake\r\nDTSTAMP:20261201T080000Z\r\nDTSTART:20270105T100000Z\r\nDTEND:20270105T110000Z\r\n"
              + "SUMMARY:Fake " + name + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n</c:calendar-data>"));
        }
        answer = multistatus(list.toString(), "");
      } else {
        req.response().setStatusCode(404).end();
        return;
      }
      req.response().setStatusCode(207).putHeader("Content-Type", "application/xml; charset=utf-8").end(answer);
    })).listen(0, "127.0.0.1").await();
  }

  private static String response(String href, String prop) {
    return "<d:response><d:href>" + href + "</d:href><d:propstat><d:prop>" + prop + "</d:prop>"
        + "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>";
  }

  private static String one(String href, String prop) {
    return multistatus(response(href, prop), "");
  }

  private static String multistatus(String responses, String token) {
    return "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">"
        + responses + (token.isEmpty() ? "" : "<d:sync-token>" + token + "</d:sync-token>") + "</d:multistatus>";
  }

  private static String objects(String calendar, int from, int to) {
    StringBuilder out = new StringBuilder();
    for (int i = from; i < to; i++) {
      out.append(response(calendar + "o" + i + ".ics", "<d:getetag>\"e-o" + i + "\"</d:getetag>"));
    }
    return out.toString();
  }

  private static final String TRUNCATED = "<d:response><d:href>/cal/c0/</d:href>"
      + "<d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>";

  @Test
  @DisplayName("a sync-collection answer cut short with 507 goes on from the token it gave until the list is whole")
  void truncatedChanges() {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server = fake(1, key -> switch (key) {
      case "/cal/c0/|" -> multistatus(objects("/cal/c0/", 0, 3) + TRUNCATED, "http://fake/t1");
      case "/cal/c0/|http://fake/t1" -> multistatus(objects("/cal/c0/", 3, 5) + TRUNCATED, "http://fake/t2");
      default -> multistatus("", "http://fake/t3");
    }, seen);
    String id = connect("http://127.0.0.1:" + server.actualPort() + "/");

    JsonObject account = sync(id);

    assertThat(account.getString("status")).as(account.encode()).isEqualTo("ok");
    assertThat(aide.db().strings("select title from events order by title"))
        .containsExactly("Fake o0", "Fake o1", "Fake o2", "Fake o3", "Fake o4");
    assertThat(aide.db().value("select sync_token from caldav_collections", String.class)).isEqualTo("http://fake/t3");
    assertThat(seen.stream().filter(r -> r.contains("sync-collection") && r.contains("http://fake/t2"))).isNotEmpty();
    server.close().await();
  }

  @Test
  @DisplayName("more calendars than Aide copies: the first 50 and a clear reason; more objects in a calendar than "
      + "Aide copies, or a 507 without a new token: that calendar is not synced, with a clear reason")
  void caps() {
    List<String> seen = new CopyOnWriteArrayList<>();
    String many = reasonAfterSync(fake(CalDavSync.MAX_CALENDARS + 2, key -> multistatus("", "http://fake/empty"), seen));
    assertThat(many).isEqualTo("the account has 52 calendars; Aide copies 50 of them");
    assertThat(aide.db().number("select count(*) from caldav_collections")).isEqualTo(50L);
    assertThat(aide.db().strings("select body from notifications")).anyMatch(b -> b.contains("52 calendars"));

    String big = reasonAfterSync(fake(1, key -> multistatus(objects("/cal/c0/", 0, CalDavSync.MAX_OBJECTS + 1),
        "http://fake/x"), seen));
    assertThat(big).isEqualTo("the calendar Cal 0 was not synced: it holds more than " + CalDavSync.MAX_OBJECTS
        + " events, more than Aide copies from one calendar");

    String stuck = reasonAfterSync(fake(1, key -> multistatus(objects("/cal/c0/", 0, 2) + TRUNCATED, ""), seen));
    assertThat(stuck).isEqualTo("the calendar Cal 0 was not synced: the server cut its list of changes short (507) "
        + "without a new sync token to go on from");
    assertThat(aide.db().number("select count(*) from events")).isZero();
  }

  /** Connects an account on the server, syncs it, and answers the account's reason (its status must be error). */
  private String reasonAfterSync(HttpServer server) {
    try {
      JsonObject account = sync(connect("http://127.0.0.1:" + server.actualPort() + "/"));
      assertThat(account.getString("status")).as(account.encode()).isEqualTo("error");
      assertThat(account.getJsonObject("lastSync").getBoolean("ok")).isFalse();
      return account.getString("reason");
    } finally {
      server.close().await();
    }
  }

  @Test
  @DisplayName("connecting at a server's root that is no CalDAV root takes its /.well-known/caldav redirect on the same "
      + "origin and stores where it led; a redirect to another host over http is refused, nothing sent there")
  void wellKnown() {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer caldav = fake(1, key -> multistatus("", "http://fake/t"), seen);
    HttpServer front = VERTX.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (req.path().equals("/.well-known/caldav")) {
        req.response().setStatusCode(301).putHeader("Location", "/p/").end();
      } else if (req.path().equals("/")) {
        req.response().setStatusCode(404).end();
      } else {
        // the rest as the fake CalDAV server answers it, relayed
        VERTX.createHttpClient().request(req.method(), caldav.actualPort(), "127.0.0.1", req.uri())
            .compose(r -> r.send(body)).compose(r -> r.body().map(b -> {
              req.response().setStatusCode(r.statusCode()).putHeader("Content-Type", "application/xml").end(b);
              return b;
            }));
      }
    })).listen(0, "127.0.0.1").await();
    String url = "http://127.0.0.1:" + front.actualPort() + "/";

    String id = connect(url);
    JsonObject account = sync(id);

    assertThat(account.getString("url")).isEqualTo(url + "p/");
    assertThat(account.getString("status")).as(account.encode()).isEqualTo("ok");
    assertThat(account.getJsonArray("calendars").getJsonObject(0).getString("name")).isEqualTo("Cal 0");
    front.close().await();

    List<String> elsewhere = new CopyOnWriteArrayList<>();
    HttpServer other = VERTX.createHttpServer().requestHandler(req -> {
      elsewhere.add(req.method() + " " + req.path());
      req.response().setStatusCode(207).end();
    }).listen(0, "127.0.0.2").await();
    HttpServer away = VERTX.createHttpServer().requestHandler(req -> req.response()
        .setStatusCode(req.path().equals("/.well-known/caldav") ? 301 : 404)
        .putHeader("Location", "http://127.0.0.2:" + other.actualPort() + "/dav/").end()).listen(0, "127.0.0.1").await();
    Api.Response refused = api.post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
        .put("url", "http://127.0.0.1:" + away.actualPort() + "/").put("username", user).put("password", password));
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().getJsonObject("error").getString("message"))
        .contains("/.well-known/caldav points to http://127.0.0.2, which Aide does not follow");
    assertThat(elsewhere).isEmpty();
    assertThat(aide.db().number("select count(*) from linked_accounts")).isOne();
    other.close().await();
    away.close().await();
    caldav.close().await();
  }
  @Test
  @DisplayName("a /.well-known/caldav that redirects to itself, back and forth, to a URL with credentials or another "
      + "host, or with a huge Location is refused with a clear reason after a bounded number of requests, nothing "
      + "stored")
  void wellKnownMisdirections() {
    List<String> elsewhere = new CopyOnWriteArrayList<>();
    HttpServer other = VERTX.createHttpServer().requestHandler(req -> {
      elsewhere.add(req.method() + " " + req.path());
      req.response().setStatusCode(207).end();
    }).listen(0, "127.0.0.2").await();
    String huge = "/" + "a".repeat(5000);
    String vast = "/" + "b".repeat(60_000);
    Map<String, String> locations = new java.util.LinkedHashMap<>();
    locations.put("itself", "/.well-known/caldav");
    locations.put("back and forth", "/there");
    locations.put("credentials", "http://127.0.0.1:PORT@127.0.0.2:" + other.actualPort() + "/dav/");
    locations.put("no scheme", "//127.0.0.2:" + other.actualPort() + "/dav/");
    locations.put("huge", huge);
    locations.put("vast", vast);
    for (Map.Entry<String, String> entry : locations.entrySet()) {
      List<String> seen = new CopyOnWriteArrayList<>();
      HttpServer server = VERTX.createHttpServer(
          new io.vertx.core.http.HttpServerOptions().setMaxInitialLineLength(70_000)).requestHandler(req -> {
            seen.add(req.method() + " " + req.path());
            boolean redirect = req.path().equals("/.well-known/caldav") || req.path().equals("/there");
            String location = req.path().equals("/there") ? "/.well-known/caldav" : entry.getValue();
            if (redirect) {
              req.response().setStatusCode(301).putHeader("Location", location
                  .replace("PORT", String.valueOf(req.localAddress().port()))).end();
            } else {
              req.response().setStatusCode(404).end();
            }
          }).listen(0, "127.0.0.1").await();
      Api.Response refused = api.post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
          .put("url", "http://127.0.0.1:" + server.actualPort() + "/").put("username", user).put("password", password));
      assertThat(refused.status()).as(entry.getKey() + ": " + refused.body()).isEqualTo(422);
      assertThat(refused.json().getJsonObject("error").getString("message")).as(entry.getKey())
          .startsWith("cannot connect the account").hasSizeLessThan(3000);
      assertThat(seen.size()).as(entry.getKey() + ": " + seen).isLessThanOrEqualTo(4);
      assertThat(seen.stream().filter(r -> r.endsWith("/.well-known/caldav")).count()).as(entry.getKey())
          .isLessThanOrEqualTo(2);
      server.close().await();
    }
    assertThat(elsewhere).isEmpty();
    assertThat(aide.db().number("select count(*) from linked_accounts")).isZero();
    other.close().await();
  }
}
