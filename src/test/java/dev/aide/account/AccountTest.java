package dev.aide.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.TestClock;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 9 item 8 and the accounts of its "what to build": tokens of accounts that are gone or inactive, deleting an
 * account with everything in it, and exporting it.
 */
@DisplayName("A person's account: tokens of gone or inactive accounts, deleting it all at once, exporting it all")
class AccountTest {

  private static final String JWT_SECRET = "account-test-secret-0123456789abcdef";
  // Tables of a person's data that populate() fills: each must have rows of the person before a deletion, so the
  // deletion test cannot pass on empty tables. Whatever else has a user_id column is checked after the deletion too.
  private static final List<String> FILLED = List.of("channel_identities", "conversations", "messages", "ai_responses",
      "chat_memory", "tool_calls", "outbox", "reminders", "user_context", "expenses", "budgets", "notes", "lists",
      "list_items", "calendars", "events", "event_attendees", "calendar_feeds", "scheduled_tasks", "notifications",
      "proactive_messages", "ai_summaries", "sessions", "refresh_tokens", "password_resets");

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(TestClock.at(Instant.parse("2026-11-30T09:00:00Z")))
      .env("AIDE_JWT_SECRET", JWT_SECRET)
      .freshEachTest();

  private static Vertx vertx;
  private static JWTAuth jwt;
  private Api ada;
  private Api bob;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(JWT_SECRET)));
  }

  @AfterAll
  static void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @BeforeEach
  void people() {
    ada = new Api(aide.port());
    bob = new Api(aide.port());
  }

  @AfterEach
  void close() {
    ada.close();
    bob.close();
  }

  @Test
  @DisplayName("DELETE /me removes every row of the person from every table with a user_id, and their handled "
      + "Telegram updates, in one go; the other person's data is untouched and the person's tokens answer 401")
  void deleteRemovesEverything() {
    UUID adaId = populate(ada, "ada", "111111");
    UUID bobId = populate(bob, "bob", "222222");
    List<String> tables = aide.db().strings("""
        select table_name from information_schema.columns
        where table_schema = 'public' and column_name = 'user_id' order by table_name""");
    assertThat(tables).containsAll(FILLED);
    for (String table : FILLED) {
      assertThat(rows(table, adaId)).as("rows of the person in " + table + " before").isPositive();
    }
    Map<String, Long> bobBefore = new LinkedHashMap<>();
    tables.forEach(t -> bobBefore.put(t, rows(t, bobId)));
    String adaRefresh = ada.refreshToken();

    Api.Response deleted = ada.delete("/api/v1/me");

    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    for (String table : tables) {
      assertThat(rows(table, adaId)).as("rows of the person in " + table + " after").isZero();
      assertThat(rows(table, bobId)).as("rows of the other person in " + table).isEqualTo(bobBefore.get(table));
    }
    assertThat(aide.db().number("select count(*) from users where id = ?", adaId)).isZero();
    assertThat(aide.db().number("select count(*) from inbox where chat_key = '111111'")).isZero();
    assertThat(aide.db().number("select count(*) from inbox where chat_key = '222222'")).isEqualTo(1);
    assertThat(ada.get("/api/v1/me").status()).isEqualTo(401);
    assertThat(ada.delete("/api/v1/me").status()).isEqualTo(401);
    assertThat(ada.post("/api/v1/auth/refresh", new JsonObject().put("refreshToken", adaRefresh)).status())
        .isEqualTo(401);
    assertThat(bob.get("/api/v1/me").status()).isEqualTo(200);
    // The email is free again.
    assertThat(new Api(aide.port()).post("/api/v1/auth/register", new JsonObject().put("email", "ada@example.com")
        .put("password", "correct horse battery")).status()).isEqualTo(201);
  }

  @Test
  @DisplayName("a validly signed token of a deleted, an inactive or a never-existing account, or one without a "
      + "session, answers 401 on every authenticated route")
  void goneAccountsTokensAnswer401() {
    UUID deletedId = UUID.fromString(ada.register("gone@example.com", "UTC").getString("id"));
    String deleted = ada.token();
    UUID inactiveId = UUID.fromString(bob.register("idle@example.com", "UTC").getString("id"));
    String inactive = bob.token();
    String sid = aide.db().value("select id::text from sessions where user_id = ?", String.class, inactiveId);
    assertThat(ada.delete("/api/v1/me").status()).isEqualTo(204);
    aide.db().update("update users set active = false where id = ?", inactiveId);
    Map<String, String> tokens = Map.of(
        "deleted", deleted,
        "inactive", inactive,
        "never existed", mint(UUID.randomUUID().toString(), UUID.randomUUID().toString()),
        "deleted, minted anew", mint(deletedId.toString(), UUID.randomUUID().toString()),
        "no session claim", mint(inactiveId.toString(), null),
        "inactive, minted with its session", mint(inactiveId.toString(), sid));

    List<String> routes = authenticatedRoutes();
    assertThat(routes).hasSizeGreaterThan(40).contains("GET /api/v1/me", "DELETE /api/v1/me",
        "GET /api/v1/me/export", "POST /api/v1/auth/logout", "GET /api/v1/reminders");
    List<String> wrong = new ArrayList<>();
    try (Api api = new Api(aide.port())) {
      tokens.forEach((kind, token) -> routes.forEach(route -> {
        Api.Response r = call(api.as(token), route);
        if (r.status() != 401) {
          wrong.add(kind + ": " + route + " → " + r.status() + " " + r.body());
        }
      }));
    }
    assertThat(wrong).isEmpty();
    assertThat(bob.as(null).post("/api/v1/auth/login", new JsonObject().put("email", "idle@example.com")
        .put("password", "correct horse battery")).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("GET /me/export has the person's profile, conversations, reminders, events, expenses, budgets, notes, "
      + "lists, notifications, scheduled messages, channels and sessions, nothing of anyone else, and no secret")
  void export() {
    UUID adaId = populate(ada, "ada", "111111");
    populate(bob, "bob", "222222");

    Api.Response r = ada.get("/api/v1/me/export");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-disposition")).startsWith("attachment; filename=\"aide-export-");
    JsonObject export = r.json();
    assertThat(export.getString("format")).isEqualTo("aide-export/1");
    assertThat(export.getJsonObject("profile").getString("email")).isEqualTo("ada@example.com");
    assertThat(export.getJsonObject("profile").getString("bio")).isEqualTo("ada's bio");
    assertThat(texts(export, "reminders", "text")).contains("call mom");
    assertThat(texts(export, "notes", "content")).containsExactly("ada's secret note");
    assertThat(texts(export, "expenses", "description")).containsExactly("ada's lunch");
    assertThat(texts(export, "budgets", "category")).containsExactly("food");
    assertThat(texts(export, "events", "title")).containsExactly("ada's dentist");
    assertThat(texts(export, "lists", "name")).containsExactly("ada's groceries");
    assertThat(export.getJsonArray("lists").getJsonObject(0).getJsonArray("items")).hasSize(1);
    assertThat(texts(export, "notifications", "body")).containsExactly("ada's notice");
    assertThat(texts(export, "proactiveMessages", "content")).containsExactly("ada's message for later");
    assertThat(texts(export, "summaries", "content")).containsExactly("ada's digest");
    assertThat(texts(export, "channels", "externalId")).containsExactly("111111");
    assertThat(export.getJsonArray("sessions")).hasSize(1);
    assertThat(export.getJsonArray("scheduled")).isNotEmpty();
    assertThat(export.getJsonArray("calendars")).isNotEmpty();
    JsonArray conversations = export.getJsonArray("conversations");
    assertThat(conversations).hasSize(1);
    assertThat(conversations.getJsonObject(0).getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getString("content"))).contains("remind me to call mom tomorrow at 5pm");

    String text = r.body();
    assertThat(text).doesNotContain("bob", "222222", "$argon2");
    for (String secret : aide.db().strings("""
        select token_hash from refresh_tokens where user_id = ? union all select token_hash from password_resets
        where user_id = ? union all select token_hash from calendar_feeds where user_id = ?
        union all select password_hash from users where id = ?""", adaId, adaId, adaId, adaId)) {
      assertThat(text).doesNotContain(secret);
    }
    assertThat(text).doesNotContain(ada.refreshToken(), ada.token());
  }

  /** Fills every table of a person's data through the API where it can, and the rest as Aide itself would. */
  private static UUID populate(Api api, String who, String telegramChat) {
    UUID id = UUID.fromString(api.register(who + "@example.com", "Europe/Paris").getString("id"));
    expect(api.patch("/api/v1/me", new JsonObject().put("bio", who + "'s bio")), 200);
    expect(api.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom tomorrow at 5pm")), 200);
    expect(api.post("/api/v1/expenses", new JsonObject().put("amount", "12.50").put("currency", "EUR")
        .put("category", "food").put("description", who + "'s lunch")), 201);
    expect(api.send(HttpMethod.PUT, "/api/v1/budgets/food", Buffer.buffer(new JsonObject().put("amount", "300")
        .put("currency", "EUR").encode()), "application/json"), 200);
    expect(api.post("/api/v1/notes", new JsonObject().put("content", who + "'s secret note")), 201);
    String list = api.post("/api/v1/lists", new JsonObject().put("name", who + "'s groceries")).json().getString("id");
    expect(api.post("/api/v1/lists/" + list + "/items", new JsonObject().put("text", "milk")), 201);
    expect(api.post("/api/v1/events", new JsonObject().put("title", who + "'s dentist")
        .put("start", "2026-12-10T08:00:00Z").put("end", "2026-12-10T09:00:00Z")
        .put("attendees", new JsonArray().add(new JsonObject().put("email", "dr@example.com")))), 201);
    expect(api.post("/api/v1/calendar/feed", new JsonObject()), 201);
    expect(api.post("/api/v1/proactive-messages", new JsonObject().put("content", who + "'s message for later")
        .put("scheduledFor", "2026-12-20T09:00:00Z")), 201);
    var db = aide.db();
    db.update("insert into channel_identities (user_id, channel, external_id, verified, linked_at) "
        + "values (?, 'telegram', ?, true, now())", id, telegramChat);
    db.update("insert into inbox (channel, external_id, chat_key, payload, processed_at) "
        + "values ('telegram', ?, ?, '{}'::jsonb, now())", "bot:" + telegramChat, telegramChat);
    db.update("insert into notifications (user_id, kind, title, body, source_key) values (?, 'test', 'Note', ?, ?)",
        id, who + "'s notice", "test:" + id);
    db.update("insert into ai_summaries (user_id, summary_type, summary_date, content, ai_model) "
        + "values (?, 'daily', '2026-11-30', ?, 'template')", id, who + "'s digest");
    db.update("insert into outbox (user_id, channel, recipient, body, idempotency_key, status) "
        + "values (?, 'telegram', ?, 'hello', ?, 'sent')", id, telegramChat, "test:" + id);
    expect(api.post("/api/v1/auth/password-reset", new JsonObject().put("email", who + "@example.com")), 202);
    return id;
  }

  private static void expect(Api.Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
  }

  private static long rows(String table, UUID userId) {
    return aide.db().number("select count(*) from " + table + " where user_id = ?", userId);
  }

  private static List<String> texts(JsonObject export, String part, String field) {
    return export.getJsonArray(part).stream().map(o -> ((JsonObject) o).getString(field)).toList();
  }

  /** The API routes that a request without a token is refused on (so, not sign-in and the like). */
  private static List<String> authenticatedRoutes() {
    try (Api anonymous = new Api(aide.port())) {
      return aide.apiRoutes().stream().filter(route -> call(anonymous, route).status() == 401).toList();
    }
  }

  private static Api.Response call(Api api, String route) {
    String[] parts = route.split(" ", 2);
    HttpMethod method = HttpMethod.valueOf(parts[0]);
    String path = parts[1].replaceAll(":[A-Za-z]+", UUID.randomUUID().toString());
    boolean body = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    return api.send(method, path, body ? Buffer.buffer("{}") : null, body ? "application/json" : null);
  }

  private static String mint(String subject, String session) {
    JsonObject claims = new JsonObject().put("sub", subject);
    if (session != null) {
      claims.put("sid", session);
    }
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(600));
  }
}
