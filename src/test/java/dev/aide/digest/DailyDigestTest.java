package dev.aide.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTelegram;
import dev.aide.support.ProactiveServer;
import dev.aide.support.TestAide;
import dev.aide.support.TestClock;
import dev.aide.support.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daily digest with the offline model (the template): it comes at the person's digest hour in their timezone,
 * holds the day's agenda, the reminders due and yesterday's spending per currency, follows the hour, the timezone
 * and on/off, reaches Telegram once, stays quiet after /stop, and survives a restart. The test clock runs at the
 * real pace and jumps to just before each digest.
 */
@DisplayName("Daily digest: on time in the person's timezone, with their day in it, as they set it")
class DailyDigestTest {

  private static final String TOKEN = "7000000006:AAH-fake-token-for-digest-tests_0123";
  private static final Map<String, String> ENV_WITHOUT_TELEGRAM = Map.of("AIDE_SCHEDULER_POLL_MILLIS", "200");

  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-12-01T03:00:00Z"));
  @RegisterExtension
  static final ProactiveServer server = ProactiveServer.create(TOKEN, CLOCK).freshEachTest();
  private static final FakeTelegram telegram = server.telegram();
  private static final AideServer aide = server.aide();

  @Test
  @DisplayName("at 07:00 New York time (not before) the digest lists today's events and reminders and yesterday's spending")
  void digestAtTheHour() {
    CLOCK.jumpTo(Instant.parse("2026-12-01T03:00:00Z")); // 22:00 on 30 November in New York
    try (Api api = new Api(aide.port())) {
      String userId = api.register("digest@example.com", "America/New_York").getString("id");
      Api.Response patched = api.patch("/api/v1/me", digest(true, 7));
      assertThat(patched.status()).isEqualTo(200);
      assertThat(patched.json().getJsonObject("digest")).isEqualTo(new JsonObject().put("enabled", true).put("hour", 7)
        .put("byEmail", false));
      assertThat(nextRun(aide.db(), userId)).isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));

      created(api.post("/api/v1/events", new JsonObject().put("title", "Dentist").put("location", "Main St 5")
          .put("start", "2026-12-01T09:30:00-05:00").put("end", "2026-12-01T10:15:00-05:00")));
      created(api.post("/api/v1/events", new JsonObject().put("title", "Standup")
          .put("start", "2026-11-23T09:00:00-05:00").put("end", "2026-11-23T09:15:00-05:00").put("rrule", "FREQ=DAILY")));
      created(api.post("/api/v1/events", new JsonObject().put("title", "Board meeting")
          .put("start", "2026-12-02T08:00:00-05:00").put("end", "2026-12-02T09:00:00-05:00")));
      created(api.post("/api/v1/reminders", new JsonObject().put("text", "call mom").put("dueAt", "2026-12-01T17:00:00-05:00")));
      created(api.post("/api/v1/reminders", new JsonObject().put("text", "pay rent").put("dueAt", "2026-12-02T10:00:00-05:00")));
      created(api.post("/api/v1/expenses", expense("12.50", "USD", "food", "2026-11-30")));
      created(api.post("/api/v1/expenses", expense("3", "USD", "transport", "2026-11-30")));
      created(api.post("/api/v1/expenses", expense("8", "EUR", "food", "2026-11-30")));
      created(api.post("/api/v1/expenses", expense("99", "USD", "shopping", "2026-12-01")));
      created(api.post("/api/v1/expenses", expense("41", "USD", "travel", "2026-11-29")));

      CLOCK.jumpTo(Instant.parse("2026-12-01T11:59:58.500Z"));
      await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(1)).until(() -> true);
      assertThat(ProactiveServer.notifications(api)).as("not before 07:00").isEmpty();
      await().atMost(Duration.ofSeconds(4)).until(() -> ProactiveServer.notifications(api).size() == 1);

      JsonObject notification = ProactiveServer.notifications(api).getJsonObject(0);
      assertThat(notification.getString("kind")).isEqualTo("digest");
      assertThat(notification.getString("title")).isEqualTo("Your day");
      assertThat(notification.getString("createdAt")).startsWith("2026-12-01T07:00:0").endsWith("-05:00");
      String body = notification.getString("body");
      assertThat(body).isEqualTo("""
          Your day, Tuesday 1 December

          Today
          • 09:00–09:15 Standup
          • 09:30–10:15 Dentist (Main St 5)

          Reminders
          • 17:00 call mom

          Yesterday's spending
          • €8.00: food €8.00
          • $15.50: food $12.50, transport $3.00""");

      JsonArray summaries = api.get("/api/v1/summaries?type=daily").json().getJsonArray("items");
      assertThat(summaries).hasSize(1);
      JsonObject summary = summaries.getJsonObject(0);
      assertThat(summary.getString("type")).isEqualTo("daily");
      assertThat(summary.getString("date")).isEqualTo("2026-12-01");
      assertThat(summary.getString("content")).isEqualTo(body);
      assertThat(summary.getString("model")).isEqualTo("template");
      assertThat(summary.getValue("tokenCount")).isNull();
      assertThat(summary.getString("createdAt")).endsWith("-05:00");
      assertThat(api.get("/api/v1/summaries?type=weekly").status()).isEqualTo(422);
      JsonObject source = new JsonObject(aide.db().value(
          "select source_data::text from ai_summaries where user_id = ?::uuid", String.class, userId));
      assertThat(source.getJsonArray("agenda")).hasSize(2);
      assertThat(source.getJsonObject("spending").getString("date")).isEqualTo("2026-11-30");

      // The next digest is tomorrow at 07:00, and this one is not told again.
      await().atMost(Duration.ofSeconds(2))
          .until(() -> Instant.parse("2026-12-02T12:00:00Z").equals(nextRun(aide.db(), userId)));
      assertThat(ProactiveServer.notifications(api)).hasSize(1);
    }
  }

  @Test
  @DisplayName("a digest turned off has no task and nothing arrives at its hour")
  void turnedOff() {
    CLOCK.jumpTo(Instant.parse("2026-12-01T03:00:00Z"));
    try (Api api = new Api(aide.port())) {
      String userId = api.register("off@example.com", "America/New_York").getString("id");
      assertThat(api.patch("/api/v1/me", digest(true, 7)).status()).isEqualTo(200);
      assertThat(liveTasks(aide.db(), userId)).isEqualTo(1);
      Api.Response off = api.patch("/api/v1/me", new JsonObject().put("digest", new JsonObject().put("enabled", false)));
      assertThat(off.status()).isEqualTo(200);
      assertThat(off.json().getJsonObject("digest").getBoolean("enabled")).isFalse();
      assertThat(liveTasks(aide.db(), userId)).isZero();

      CLOCK.jumpTo(Instant.parse("2026-12-01T11:59:58.500Z"));
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      assertThat(ProactiveServer.notifications(api)).isEmpty();
      assertThat(aide.db().number("select count(*) from ai_summaries")).isZero();
    }
  }

  @Test
  @DisplayName("changing the hour moves the digest to the new hour; changing the timezone moves it to that zone's hour")
  void hourAndTimezoneChanges() {
    CLOCK.jumpTo(Instant.parse("2026-12-01T03:00:00Z"));
    try (Api api = new Api(aide.port())) {
      String userId = api.register("moves@example.com", "America/New_York").getString("id");
      assertThat(api.patch("/api/v1/me", digest(true, 7)).status()).isEqualTo(200);
      assertThat(api.patch("/api/v1/me", new JsonObject().put("digest", new JsonObject().put("hour", 9))).status())
          .isEqualTo(200);
      assertThat(nextRun(aide.db(), userId)).isEqualTo(Instant.parse("2026-12-01T14:00:00Z"));

      CLOCK.jumpTo(Instant.parse("2026-12-01T11:59:58.500Z"));
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      assertThat(ProactiveServer.notifications(api)).as("nothing at the old hour").isEmpty();

      CLOCK.jumpTo(Instant.parse("2026-12-01T13:59:58.500Z"));
      await().atMost(Duration.ofSeconds(4)).until(() -> ProactiveServer.notifications(api).size() == 1);
      assertThat(ProactiveServer.notifications(api).getJsonObject(0).getString("createdAt")).startsWith("2026-12-01T09:00:0");

      // A profile change that leaves the digest alone does not move it.
      await().atMost(Duration.ofSeconds(2))
          .until(() -> Instant.parse("2026-12-02T14:00:00Z").equals(nextRun(aide.db(), userId)));
      assertThat(api.patch("/api/v1/me", new JsonObject().put("name", "Renamed")).status()).isEqualTo(200);
      assertThat(nextRun(aide.db(), userId)).isEqualTo(Instant.parse("2026-12-02T14:00:00Z"));

      assertThat(api.patch("/api/v1/me", new JsonObject().put("timezone", "Asia/Tokyo")).status()).isEqualTo(200);
      // It is 23:00 on 1 December in Tokyo: the next digest is 2 December at 09:00 Tokyo time, 00:00 UTC.
      assertThat(nextRun(aide.db(), userId)).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
    }
  }

  @Test
  @DisplayName("a Telegram user gets the digest in their chat once; /timezone moves it; after /stop nothing comes")
  void telegram() {
    CLOCK.jumpTo(Instant.parse("2026-12-01T03:00:00Z"));
    long chat = 8101;
    try (Api api = new Api(aide.port())) {
      String userId = api.register("tg-digest@example.com", "Europe/Berlin").getString("id");
      server.link(api, chat);
      assertThat(api.patch("/api/v1/me", digest(true, 8)).status()).isEqualTo(200);
      created(api.post("/api/v1/reminders", new JsonObject().put("text", "water the plants")
          .put("dueAt", "2026-12-01T18:00:00+01:00")));
      int before = server.texts(chat).size();

      CLOCK.jumpTo(Instant.parse("2026-12-01T06:59:58.500Z"));
      await().atMost(Duration.ofSeconds(4)).until(() -> server.texts(chat).size() == before + 1);
      assertThat(server.texts(chat).get(before)).startsWith("Your day, Tuesday 1 December").contains("18:00 water the plants");
      await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(2)).until(() -> true);
      assertThat(server.texts(chat)).as("sent once").hasSize(before + 1);
      assertThat(ProactiveServer.notifications(api)).as("and recorded in-app").hasSize(1);

      server.command(chat, "/timezone America/New_York");
      // 08:00 in New York: 13:00 UTC, still ahead on 1 December.
      await().atMost(Duration.ofSeconds(5))
          .until(() -> Instant.parse("2026-12-01T13:00:00Z").equals(nextRun(aide.db(), userId)));

      server.command(chat, "/stop");
      int stopped = server.texts(chat).size();
      // Past today's (already told) digest, to just before tomorrow's.
      CLOCK.jumpTo(Instant.parse("2026-12-02T03:00:00Z"));
      await().atMost(Duration.ofSeconds(4))
          .until(() -> Instant.parse("2026-12-02T13:00:00Z").equals(nextRun(aide.db(), userId)));
      CLOCK.jumpTo(Instant.parse("2026-12-02T12:59:58.500Z"));
      await().atMost(Duration.ofSeconds(4))
          .until(() -> Instant.parse("2026-12-03T13:00:00Z").equals(nextRun(aide.db(), userId)));
      await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
      assertThat(server.texts(chat)).as("nothing on Telegram while paused").hasSize(stopped);
      assertThat(ProactiveServer.notifications(api).stream().filter(n -> ((JsonObject) n).getString("kind").equals("digest")))
          .as("nor in-app").hasSize(1);
    }
  }

  @Test
  @DisplayName("a digest whose day ended while Aide was down is skipped, and the next one is at the usual hour")
  void staleCatchUp() {
    CLOCK.jumpTo(Instant.parse("2026-12-01T03:00:00Z"));
    try (Api api = new Api(aide.port())) {
      String userId = api.register("stale@example.com", "America/New_York").getString("id");
      assertThat(api.patch("/api/v1/me", digest(true, 7)).status()).isEqualTo(200);
      // As if Aide had been down since the digest of 28 November was due.
      aide.db().execute("update scheduled_tasks set next_run_at = '2026-11-28T12:00:00Z' where task_key = 'digest:"
          + userId + "'");
      await().atMost(Duration.ofSeconds(4))
          .until(() -> Instant.parse("2026-12-01T12:00:00Z").equals(nextRun(aide.db(), userId)));
      assertThat(ProactiveServer.notifications(api)).isEmpty();
    }
  }

  @Test
  @DisplayName("after a restart the digest still comes, also for a person whose digest was turned on with no task")
  void restart() {
    CLOCK.jumpTo(Instant.parse("2026-12-01T03:00:00Z"));
    TestAide first = TestAide.start(ENV_WITHOUT_TELEGRAM, CLOCK);
    String token;
    String userId;
    TestDatabase database;
    try (Api api = new Api(first.port())) {
      api.register("restart@example.com", "America/New_York");
      assertThat(api.patch("/api/v1/me", digest(true, 7)).status()).isEqualTo(200);
      JsonObject older = api.register("older@example.com", "America/Chicago");
      userId = older.getString("id");
      token = api.post("/api/v1/auth/login", new JsonObject().put("email", "older@example.com")
          .put("password", "correct horse battery")).json().getString("token");
      // Turned on before anything scheduled digests: preferences without a task.
      first.db().execute("update users set digest_enabled = true, digest_hour = 6 where id = '" + userId + "'");
      database = first.stopKeepingDatabase();
    }
    assertThat(liveTasks(database, userId)).isZero();

    try (TestAide second = TestAide.restartOn(database, ENV_WITHOUT_TELEGRAM, CLOCK);
         Api restarted = new Api(second.port());
         Api older = new Api(second.port()).as(token)) {
      assertThat(liveTasks(database, userId)).isEqualTo(1);
      // 06:00 in Chicago and 07:00 in New York are both 12:00 UTC.
      assertThat(nextRun(database, userId)).isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
      restarted.as(restarted.post("/api/v1/auth/login", new JsonObject().put("email", "restart@example.com")
          .put("password", "correct horse battery")).json().getString("token"));

      CLOCK.jumpTo(Instant.parse("2026-12-01T11:59:58.500Z"));
      await().atMost(Duration.ofSeconds(4)).until(() -> notifications(restarted).size() == 1 && notifications(older).size() == 1);
      assertThat(notifications(older).getJsonObject(0).getString("body")).isEqualTo("""
          Your day, Tuesday 1 December

          Today
          Nothing on your calendar.

          Reminders
          No reminders due today.

          Yesterday's spending
          No spending recorded.""");
    } finally {
      database.close();
    }
  }

  static JsonObject digest(boolean enabled, int hour) {
    return new JsonObject().put("digest", new JsonObject().put("enabled", enabled).put("hour", hour));
  }

  static JsonObject expense(String amount, String currency, String category, String spentOn) {
    return new JsonObject().put("amount", amount).put("currency", currency).put("category", category)
        .put("spentOn", spentOn);
  }

  static void created(Api.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(201);
  }

  static JsonArray notifications(Api api) {
    return api.get("/api/v1/notifications").json().getJsonArray("items");
  }

  static Instant nextRun(TestDatabase db, String userId) {
    OffsetDateTime next = db.value("select next_run_at from scheduled_tasks where task_key = ? and status = 'scheduled'",
        OffsetDateTime.class, "digest:" + userId);
    return next == null ? null : next.toInstant();
  }

  static long liveTasks(TestDatabase db, String userId) {
    return db.number("select count(*) from scheduled_tasks where task_key = ? and status in ('scheduled', 'running')",
        "digest:" + userId);
  }

}
