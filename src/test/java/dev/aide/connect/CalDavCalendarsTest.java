package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.RadicaleServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The person chooses by chat which calendar, a synced one included, takes an event; disconnecting may "
    + "keep the copied calendars")
class CalDavCalendarsTest {

  private static final RadicaleServer radicale = RadicaleServer.start(Map.of());
  private static final AtomicInteger PEOPLE = new AtomicInteger();

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("vera@example.com", "Europe/Paris");

  private final Api api = aide.api();
  private final String user = "vera" + PEOPLE.incrementAndGet();
  private final String password = "pw-" + UUID.randomUUID();

  @AfterAll
  static void stopRadicale() {
    radicale.close();
  }

  private static String payload(String name) {
    try (var in = CalDavCalendarsTest.class.getResourceAsStream("/payload/caldav/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The account connected with its "Work" calendar (the dentist in it), its first syncs done. */
  private String connected() {
    radicale.password(user, password);
    assertThat(radicale.makeCalendar(user, "work", "Work").status()).isEqualTo(201);
    assertThat(radicale.put(user, "/" + user + "/work/dentist.ics", payload("dentist.ics")).status()).isEqualTo(201);
    Api.Response created = api.post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
        .put("url", radicale.url()).put("username", user).put("password", password));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number("select count(*) from scheduled_tasks "
        + "where task_key = ? and status = 'scheduled' and next_run_at > now() + interval '1 minute'",
        "account-sync:" + id) == 1);
    assertThat(sync(id).getBoolean("ok")).isTrue();
    return id;
  }

  private JsonObject sync(String accountId) {
    Api.Response synced = api.post("/api/v1/accounts/" + accountId + "/sync", new JsonObject());
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    return synced.json().getJsonObject("lastSync");
  }

  private String workCalendarId(String accountId) {
    return api.get("/api/v1/accounts/" + accountId).json().getJsonArray("calendars").getJsonObject(0)
        .getString("calendarId");
  }

  private List<String> chat(String text) {
    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", text));
    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    return chat.json().getJsonArray("toolCalls").stream().map(c -> ((JsonObject) c).getString("name")).toList();
  }

  /** The event of that title (a series or single event), as the API gives it. */
  private JsonObject event(String title) {
    String id = aide.db().value("select id::text from events where title = '" + title
        + "' and series_id is null and deleted_at is null", String.class);
    return api.get("/api/v1/events/" + id).json();
  }

  @Test
  @DisplayName("\"… in my work calendar\" puts the new event in the synced Work calendar and it is written to the "
      + "server; an unknown calendar creates nothing")
  void namedByChat() {
    String id = connected();
    assertThat(chat("schedule planning tomorrow at 9 in my work calendar")).contains("createEvent");
    JsonObject planning = event("planning");
    assertThat(planning.getString("calendarId")).isEqualTo(workCalendarId(id));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(radicale.get(user,
        "/" + user + "/work/" + planning.getString("id") + ".ics").body()).contains("SUMMARY:planning"));

    assertThat(chat("schedule gym tomorrow at 7 in my sports calendar")).contains("createEvent");
    assertThat(aide.db().number("select count(*) from events where title = 'gym'")).isZero();

    // "put it in my work calendar" moves the event the conversation just made
    Api.Response made = api.post("/api/v1/chat", new JsonObject().put("text", "schedule review tomorrow at 11"));
    assertThat(event("review").getString("calendarId")).isNotEqualTo(workCalendarId(id));
    Api.Response put = api.post("/api/v1/chat", new JsonObject().put("text", "put it in my work calendar")
        .put("conversationId", made.json().getString("conversationId")));
    assertThat(put.json().getJsonArray("toolCalls").stream().map(c -> ((JsonObject) c).getString("name")))
        .as(put.body()).containsExactly("changeEvent");
    JsonObject review = event("review");
    assertThat(review.getString("calendarId")).isEqualTo(workCalendarId(id));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(radicale.get(user,
        "/" + user + "/work/" + review.getString("id") + ".ics").body()).contains("SUMMARY:review"));
  }

  @Test
  @DisplayName("a synced calendar chosen for new events takes them; an event moved out of it by chat is deleted "
      + "from the server and stays in Aide")
  void defaultAndMove() {
    String id = connected();
    assertThat(api.post("/api/v1/calendars", new JsonObject().put("name", "Personal")).status()).isEqualTo(201);
    assertThat(chat("from now on put events in my work calendar")).contains("setDefaultCalendar");
    assertThat(chat("schedule lunch with Ana tomorrow at 12")).contains("createEvent");
    JsonObject lunch = event("lunch with Ana");
    assertThat(lunch.getString("calendarId")).isEqualTo(workCalendarId(id));
    String lunchPath = "/" + user + "/work/" + lunch.getString("id") + ".ics";
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(radicale.get(user, lunchPath).status()).isEqualTo(200));

    assertThat(chat("move lunch with Ana to my personal calendar")).contains("changeEvent");
    assertThat(chat("move the dentist to my personal calendar")).contains("changeEvent");
    String personal = aide.db().value("select id::text from calendars where name = 'Personal'", String.class);
    assertThat(event("lunch with Ana").getString("calendarId")).isEqualTo(personal);
    assertThat(event("Dentist").getString("calendarId")).isEqualTo(personal);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(radicale.get(user, lunchPath).status()).isEqualTo(404);
      assertThat(radicale.get(user, "/" + user + "/work/dentist.ics").status()).isEqualTo(404);
    });
    sync(id);   // may join the sync that wrote the deletions; the next one starts afresh
    JsonObject again = sync(id);
    assertThat(again.getInteger("pushed")).as(again.encode()).isZero();
    assertThat(again.getInteger("removed")).isZero();
    assertThat(event("Dentist").getString("location")).isEqualTo("Rue Cler");
    assertThat(aide.db().number("select count(*) from caldav_objects")).isZero();
  }

  @Test
  @DisplayName("DELETE ?keepEvents=true keeps the copied calendars as the person's own, no longer synced; the "
      + "default deletes them and new events go back to the primary calendar")
  void keepOnDisconnect() {
    String id = connected();
    String work = workCalendarId(id);
    assertThat(api.delete("/api/v1/accounts/" + id + "?keepEvents=maybe").status()).isEqualTo(422);
    assertThat(api.get("/api/v1/accounts/" + id).status()).isEqualTo(200);

    assertThat(api.delete("/api/v1/accounts/" + id + "?keepEvents=true").status()).isEqualTo(204);
    assertThat(api.get("/api/v1/accounts/" + id).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/calendars").json().getJsonArray("items").stream()
        .map(c -> ((JsonObject) c).getString("id"))).contains(work);
    JsonObject dentist = event("Dentist");
    assertThat(dentist.getString("calendarId")).isEqualTo(work);
    assertThat(aide.db().number("select count(*) from caldav_collections")).isZero();
    assertThat(api.patch("/api/v1/events/" + dentist.getString("id"), new JsonObject().put("title", "Dentist, mine"))
        .status()).isEqualTo(200);
    assertThat(aide.db().number("select count(*) from scheduled_tasks where task_key like 'account-sync:%'")).isZero();
    assertThat(radicale.get(user, "/" + user + "/work/dentist.ics").body()).contains("SUMMARY:Dentist")
        .doesNotContain("Dentist\\, mine");

    String second = reconnect();
    String copied = workCalendarId(second);
    assertThat(chat("from now on put events in my work calendar")).contains("setDefaultCalendar");
    assertThat(aide.db().number("select count(*) from calendars where takes_new_events"))
        .as("two calendars are called Work now: the choice is ambiguous, nothing is chosen").isZero();
    aide.db().update("update calendars set name = 'Old work' where id = ?::uuid", work);
    assertThat(chat("from now on put events in my work calendar")).contains("setDefaultCalendar");
    assertThat(aide.db().value("select id::text from calendars where takes_new_events", String.class))
        .isEqualTo(copied);
    assertThat(api.delete("/api/v1/accounts/" + second).status()).isEqualTo(204);
    assertThat(aide.db().number("select count(*) from calendars where id = ?::uuid", copied)).isZero();
    assertThat(chat("schedule tea tomorrow at 5pm")).contains("createEvent");
    assertThat(aide.db().value("select c.is_primary from events e join calendars c on c.id = e.calendar_id "
        + "where e.title = 'tea'", Boolean.class)).isTrue();
    assertThat(event("Dentist, mine").getString("calendarId")).isEqualTo(work);
  }

  @Test
  @DisplayName("DELETE with a keepEvents that is not exactly true or false, said twice, or for another person's "
      + "account changes nothing; a second DELETE is 404; a default calendar kept on disconnect still takes events")
  void keepEventsRefusals() {
    String id = connected();
    String work = workCalendarId(id);
    Api other = aide.client();
    other.register("intruder@example.com", "Europe/Paris");
    assertThat(other.delete("/api/v1/accounts/" + id + "?keepEvents=true").status()).isEqualTo(404);
    assertThat(other.delete("/api/v1/accounts/" + id).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/accounts/" + id).status()).as("after the other person's").isEqualTo(200);
    for (String bogus : List.of("TRUE", "", "1", "yes", "true%20", "true&keepEvents=false", "false&keepEvents=true")) {
      assertThat(api.delete("/api/v1/accounts/" + id + "?keepEvents=" + bogus).status()).as(bogus).isEqualTo(422);
      assertThat(api.get("/api/v1/accounts/" + id).status()).as("after " + bogus).isEqualTo(200);
    }
    assertThat(api.get("/api/v1/accounts/" + id).status()).isEqualTo(200);
    assertThat(aide.db().number("select count(*) from events where calendar_id = ?::uuid", work)).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from caldav_collections")).isEqualTo(1);

    assertThat(chat("from now on put events in my work calendar")).contains("setDefaultCalendar");
    assertThat(api.delete("/api/v1/accounts/" + id + "?keepEvents=true").status()).isEqualTo(204);
    assertThat(api.delete("/api/v1/accounts/" + id + "?keepEvents=true").status()).isEqualTo(404);
    assertThat(api.delete("/api/v1/accounts/" + id).status()).isEqualTo(404);
    assertThat(aide.db().number("select count(*) from events where calendar_id = ?::uuid", work)).isEqualTo(1);
    assertThat(chat("schedule tea tomorrow at 5pm")).contains("createEvent");
    assertThat(event("tea").getString("calendarId")).as("the kept Work calendar is still the default").isEqualTo(work);
  }

  private String reconnect() {
    Api.Response created = api.post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
        .put("url", radicale.url()).put("username", user).put("password", password));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().getString("id");
  }
}
