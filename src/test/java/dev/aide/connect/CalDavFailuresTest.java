package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.RadicaleServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A CalDAV account under partial failures: calendars deleted, long names, lost records, unopenable passwords. */
@DisplayName("A CalDAV account keeps syncing through a deleted calendar, long names, a lost record and an unopenable password")
class CalDavFailuresTest {

  private static final RadicaleServer radicale = RadicaleServer.start(Map.of());
  private static final AtomicInteger PEOPLE = new AtomicInteger();

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("nora@example.com", "Europe/Paris");

  private final Api api = aide.api();
  private final String user = "cf" + PEOPLE.incrementAndGet();
  private final String password = "pw-" + UUID.randomUUID();

  @AfterAll
  static void stopRadicale() {
    radicale.close();
  }

  private static String payload(String name) {
    try (var in = CalDavFailuresTest.class.getResourceAsStream("/payload/caldav/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonObject sync(String accountId) {
    Api.Response synced = api.post("/api/v1/accounts/" + accountId + "/sync", new JsonObject());
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    return synced.json();
  }

  private String connectedWith(String... calendars) {
    radicale.password(user, password);
    for (String c : calendars) {
      assertThat(radicale.makeCalendar(user, c, c).status()).isEqualTo(201);
    }
    assertThat(radicale.put(user, "/" + user + "/" + calendars[0] + "/dentist.ics", payload("dentist.ics")).status())
        .isEqualTo(201);
    Api.Response created = api.post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
        .put("url", radicale.url()).put("username", user).put("password", password));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number("select count(*) from scheduled_tasks "
        + "where task_key = ? and status = 'scheduled' and next_run_at > now() + interval '1 minute'",
        "account-sync:" + id) == 1);
    assertThat(sync(id).getJsonObject("lastSync").getBoolean("ok")).isTrue();
    return id;
  }

  private List<String> titles() {
    return api.get("/api/v1/events?from=2027-01-01T00:00:00Z&to=2027-03-01T00:00:00Z").json().getJsonArray("items")
        .stream().map(o -> ((JsonObject) o).getString("title")).toList();
  }

  @Test
  @DisplayName("a calendar deleted on the server does not stop the account's other calendars from syncing")
  void deletedCollection() {
    String id = connectedWith("work", "home");
    assertThat(radicale.delete(user, "/" + user + "/work/").status()).isEqualTo(200);
    radicale.put(user, "/" + user + "/home/lunch.ics", payload("dentist.ics").replace("dentist-1", "lunch-1")
        .replace("SUMMARY:Dentist", "SUMMARY:Lunch"));

    JsonObject after = sync(id);

    assertThat(after.getString("status")).as(after.encode()).isEqualTo("ok");
    assertThat(titles()).contains("Lunch").doesNotContain("Dentist");
    assertThat(after.getJsonArray("calendars").stream().map(c -> ((JsonObject) c).getString("name")).toList())
        .containsExactly("home");
    assertThat(aide.db().number("select count(*) from calendars where name = 'work'")).isZero();
  }

  @Test
  @DisplayName("a server calendar whose display name is longer than 200 characters is connected with its name cut "
      + "to 200")
  void longDisplayName() {
    radicale.password(user, password);
    assertThat(radicale.makeCalendar(user, "long", "L".repeat(250)).status()).isEqualTo(201);
    Api.Response created = api.post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
        .put("url", radicale.url()).put("username", user).put("password", password));
    String state = "accounts=" + aide.db().number("select count(*) from linked_accounts") + ", calendars named L…="
        + aide.db().number("select count(*) from calendars where name like 'LLLL%'") + ", sync tasks="
        + aide.db().number("select count(*) from scheduled_tasks where type = 'account-sync'");
    assertThat(created.status()).as(created.body() + " " + state).isEqualTo(201);
    assertThat(created.json().getJsonArray("calendars").getJsonObject(0).getString("name")).isEqualTo("L".repeat(200));
    assertThat(aide.db().number("select count(*) from calendars where name = ?", "L".repeat(200))).isOne();
  }

  @Test
  @DisplayName("a calendar with a long display name added on the server later is copied once, and the account keeps "
      + "syncing")
  void longDisplayNameLater() {
    String id = connectedWith("work");
    assertThat(radicale.makeCalendar(user, "long", "L".repeat(250)).status()).isEqualTo(201);
    JsonObject first = sync(id);
    JsonObject second = sync(id);
    long copies = aide.db().number("select count(*) from calendars where name like 'LLLL%'");
    assertThat(second.getString("status")).as(second.encode() + " calendars=" + copies).isEqualTo("ok");
    assertThat(copies).isOne();
  }

  @Test
  @DisplayName("an event made in Aide whose PUT reached the server but whose record did not (a crash or a timed-out "
      + "answer) is not duplicated, and the account keeps syncing")
  void putWithoutRecord() {
    String id = connectedWith("work");
    String eventId = dinnerWrittenBack(id);
    // The state a crash (or a PUT whose answer timed out) between the PUT and saveObject leaves.
    aide.db().update("delete from caldav_objects where href like ?", "%" + eventId + ".ics");

    JsonObject after = sync(id);

    assertThat(after.getString("status")).as(after.encode()).isEqualTo("ok");
    assertThat(titles().stream().filter("Team dinner"::equals)).hasSize(1);
  }

  @Test
  @DisplayName("an event made in Aide whose PUT reached the server but whose answer was lost (its object recorded, "
      + "unconfirmed) is adopted, not duplicated nor refused with 412, and later changes are written back")
  void putAnswerLost() {
    String id = connectedWith("work");
    String eventId = dinnerWrittenBack(id);
    // What a PUT whose answer never came leaves now: the object recorded before the PUT, with no etag yet.
    aide.db().update("update caldav_objects set etag = null, synced_version = null where href like ?",
        "%" + eventId + ".ics");

    JsonObject after = sync(id);
    assertThat(api.patch("/api/v1/events/" + eventId, new JsonObject().put("title", "Team dinner at 8")).status())
        .isEqualTo(200);
    JsonObject later = sync(id);

    assertThat(after.getString("status")).as(after.encode()).isEqualTo("ok");
    assertThat(later.getString("status")).as(later.encode()).isEqualTo("ok");
    assertThat(titles().stream().filter(t -> t.startsWith("Team dinner"))).containsExactly("Team dinner at 8");
    assertThat(radicale.get(user, "/" + user + "/work/" + eventId + ".ics").body()).contains("Team dinner at 8");
    assertThat(aide.db().number("select count(*) from caldav_objects where href like ?", "%" + eventId + ".ics"))
        .isOne();
  }

  @Test
  @DisplayName("an Aide change written back keeps what Aide does not model: URL, categories, organizer and the "
      + "attendees' answers, a second alarm, X- properties")
  void roundTripKeepsUnmodelled() {
    radicale.password(user, password);
    assertThat(radicale.makeCalendar(user, "work", "Work").status()).isEqualTo(201);
    String rich = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Example//Another calendar app//EN
        BEGIN:VEVENT
        UID:meet-1@example.com
        DTSTAMP:20261201T080000Z
        LAST-MODIFIED:20261201T080000Z
        DTSTART:20270120T100000Z
        DTEND:20270120T110000Z
        SUMMARY:Design review
        URL:https://meet.example.com/abc-defg-hij
        CATEGORIES:WORK,REVIEW
        X-GOOGLE-CONFERENCE:https://meet.example.com/abc-defg-hij
        ORGANIZER;CN=Sam:mailto:sam@example.com
        ATTENDEE;CN=Sam;PARTSTAT=ACCEPTED:mailto:sam@example.com
        BEGIN:VALARM
        ACTION:DISPLAY
        DESCRIPTION:soon
        TRIGGER:-PT10M
        END:VALARM
        BEGIN:VALARM
        ACTION:DISPLAY
        DESCRIPTION:tomorrow
        TRIGGER:-P1D
        END:VALARM
        END:VEVENT
        END:VCALENDAR
        """.replace("\n", "\r\n");
    assertThat(radicale.put(user, "/" + user + "/work/meet.ics", rich).status()).isEqualTo(201);
    Api.Response created = api.post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
        .put("url", radicale.url()).put("username", user).put("password", password));
    String id = created.json().getString("id");
    sync(id);
    String eventId = api.get("/api/v1/events?from=2027-01-01T00:00:00Z&to=2027-03-01T00:00:00Z").json()
        .getJsonArray("items").getJsonObject(0).getString("eventId");
    assertThat(api.patch("/api/v1/events/" + eventId, new JsonObject().put("title", "Design review (room 4)"))
        .status()).isEqualTo(200);
    assertThat(sync(id).getJsonObject("lastSync").getInteger("pushed")).isOne();

    String onServer = radicale.get(user, "/" + user + "/work/meet.ics").body().replace("\r\n ", "");
    assertThat(onServer).contains("Design review (room 4)")
        .contains("URL:https://meet.example.com/abc-defg-hij")
        .contains("CATEGORIES:WORK,REVIEW")
        .contains("X-GOOGLE-CONFERENCE")
        .contains("PARTSTAT=ACCEPTED")
        .contains("ORGANIZER")
        .contains("TRIGGER:-P1D");
  }

  @Test
  @DisplayName("a password the vault cannot open (its key gone) makes the account's status error with a reason, "
      + "not a 500 with the account still ok")
  void unopenablePassword() {
    String id = connectedWith("work");
    aide.db().update("update linked_accounts set secret_key_id = 'feedfacefeedface' where id = ?::uuid", id);

    Api.Response synced = api.post("/api/v1/accounts/" + id + "/sync", new JsonObject());

    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    assertThat(synced.json().getString("status")).isEqualTo("error");
    assertThat(synced.json().getString("reason")).contains("cannot be decrypted").contains("connect the account again");
    assertThat(synced.json().getJsonObject("lastSync").getBoolean("ok")).isFalse();
  }

  /** "Team dinner" made in Aide in the account's (first) calendar and written to the server by a sync: its id. */
  private String dinnerWrittenBack(String accountId) {
    String calendarId = api.get("/api/v1/accounts/" + accountId).json().getJsonArray("calendars").getJsonObject(0)
        .getString("calendarId");
    Api.Response made = api.post("/api/v1/events", new JsonObject().put("title", "Team dinner")
        .put("start", "2027-01-23T19:00:00+01:00").put("end", "2027-01-23T22:00:00+01:00")
        .put("calendarId", calendarId));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(sync(accountId).getJsonObject("lastSync").getInteger("pushed")).isOne();
    return made.json().getString("id");
  }
}
