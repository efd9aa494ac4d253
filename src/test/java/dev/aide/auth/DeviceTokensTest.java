package dev.aide.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.platform.secret.OpaqueTokens;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Device tokens: made and revoked from a session, used by a speaker, a watch or a shortcut within scopes")
class DeviceTokensTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).freshEachTest().person("ann@example.com", "UTC");

  private final Api api = aide.api();

  private Api.Response create(String name, String... scopes) {
    return api.post("/api/v1/tokens", new JsonObject().put("name", name).put("scopes", new JsonArray(List.of(scopes))));
  }

  /** A client that sends the token a new device token of these scopes. */
  private Api device(String... scopes) {
    Api.Response made = create("kitchen speaker", scopes);
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return aide.client().as(made.json().getString("token"));
  }

  @Test
  @DisplayName("a token is shown once, listed without its secret, works at once, and answers 401 once revoked")
  void lifecycle() {
    Api.Response made = create("  Kitchen speaker ", "voice");

    assertThat(made.status()).isEqualTo(201);
    JsonObject body = made.json();
    String token = body.getString("token");
    assertThat(token).startsWith("aide_dt_").hasSize(51).matches("aide_dt_[A-Za-z0-9_-]{43}");
    assertThat(body.getString("name")).isEqualTo("Kitchen speaker");
    assertThat(body.getJsonArray("scopes")).containsExactly("voice");
    assertThat(body.getString("createdAt")).isEqualTo("2026-11-20T12:00:00Z");
    assertThat(body.getValue("lastUsedAt")).isNull();
    String id = body.getString("id");

    JsonArray listed = api.get("/api/v1/tokens").json().getJsonArray("items");
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("id", "name", "scopes", "createdAt",
        "lastUsedAt").doesNotContain("token");
    assertThat(api.get("/api/v1/tokens").body()).doesNotContain(token.substring(8));
    // Only the SHA-256 is stored.
    assertThat(aide.db().number("select count(*) from device_tokens where token_hash = ?", OpaqueTokens.hash(token)))
        .isEqualTo(1);
    assertThat(aide.db().number("select count(*) from device_tokens t where row_to_json(t)::text like ?",
        "%" + token.substring(8) + "%")).isZero();

    Api speaker = aide.client().as(token);
    Api.Response said = speaker.post("/api/v1/voice/transcripts", new JsonObject().put("text", "what's on today?"));
    assertThat(said.status()).as(said.body()).isEqualTo(200);
    assertThat(said.json().getJsonObject("reply").getString("speech")).isNotBlank();
    assertThat(api.get("/api/v1/tokens").json().getJsonArray("items").getJsonObject(0).getString("lastUsedAt"))
        .isEqualTo("2026-11-20T12:00:00Z");

    assertThat(api.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);

    Api.Response after = speaker.post("/api/v1/voice/transcripts", new JsonObject().put("text", "what's on today?"));
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.errorCode()).isEqualTo("unauthorized");
    assertThat(api.get("/api/v1/tokens").json().getJsonArray("items")).isEmpty();
    assertThat(api.delete("/api/v1/tokens/" + id).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("each scope opens only its own routes; the rest answer 403 and change nothing")
  void scopes() {
    Api voice = device("voice");
    assertThat(voice.post("/api/v1/voice/transcripts", new JsonObject().put("text", "hello")).status()).isEqualTo(200);
    assertThat(voice.post("/api/v1/chat", new JsonObject().put("text", "hello")).status()).isEqualTo(403);
    assertThat(voice.get("/api/v1/notes").status()).isEqualTo(403);
    assertThat(voice.get("/api/v1/conversations").status()).isEqualTo(403);
    Api.Response refused = voice.post("/api/v1/notes", new JsonObject().put("content", "wifi is tulip42"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errorCode()).isEqualTo("forbidden");
    assertThat(refused.json().getJsonObject("error").getString("message")).contains("(voice)").contains("POST");

    Api chat = device("chat");
    Api.Response chatted = chat.post("/api/v1/chat", new JsonObject().put("text", "hello"));
    assertThat(chatted.status()).isEqualTo(200);
    assertThat(chat.get("/api/v1/conversations").status()).isEqualTo(200);
    assertThat(chat.get("/api/v1/conversations/" + chatted.json().getString("conversationId") + "/messages").status())
        .isEqualTo(200);
    assertThat(chat.get("/api/v1/notes").status()).isEqualTo(403);
    assertThat(chat.post("/api/v1/voice/transcripts", new JsonObject().put("text", "hello")).status()).isEqualTo(403);

    Api write = device("write");
    assertThat(write.post("/api/v1/notes", new JsonObject().put("content", "wifi is tulip42")).status())
        .isEqualTo(201);
    assertThat(write.get("/api/v1/notes").status()).isEqualTo(403);

    Api read = device("read");
    assertThat(read.get("/api/v1/notes").json().getJsonArray("items")).hasSize(1);
    assertThat(read.get("/api/v1/me").status()).isEqualTo(200);
    assertThat(read.get("/api/v1/reminders").status()).isEqualTo(200);
    assertThat(read.post("/api/v1/notes", new JsonObject().put("content", "more")).status()).isEqualTo(403);
    assertThat(read.get("/api/v1/me/export").status()).isEqualTo(403);
    assertThat(read.get("/api/v1/tokens").status()).isEqualTo(403);
    assertThat(aide.db().number("select count(*) from notes")).isEqualTo(1);
  }

  @Test
  @DisplayName("a chat token can use the Undo handles its chat hands out; a voice-only token cannot")
  void chatTokenUndoes() {
    Api chat = device("chat");
    Api voice = device("voice");
    Api.Response made = chat.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom tomorrow at 5pm"));
    assertThat(made.status()).as(made.body()).isEqualTo(200);
    String undo = made.json().getJsonArray("toolCalls").getJsonObject(0).getString("undo");
    assertThat(undo).as(made.body()).isNotNull();
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(1);

    assertThat(voice.post("/api/v1/changes/" + undo + "/undo", new JsonObject()).status()).isEqualTo(403);
    assertThat(chat.post("/api/v1/changes/" + undo + "/undo/extra", new JsonObject()).status()).isEqualTo(403);
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(1);
    Api.Response undone = chat.post("/api/v1/changes/" + undo + "/undo", new JsonObject());
    assertThat(undone.status()).as(undone.body()).isEqualTo(200);
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
  }

  @Test
  @DisplayName("even with every scope a device token cannot make or revoke tokens, sign out, or touch the account")
  void sessionOnly() {
    Api all = device("voice", "chat", "read", "write");
    String own = api.get("/api/v1/tokens").json().getJsonArray("items").getJsonObject(0).getString("id");

    assertThat(all.post("/api/v1/tokens", new JsonObject().put("name", "another").put("scopes", new JsonArray()
        .add("read"))).status()).isEqualTo(403);
    assertThat(all.get("/api/v1/tokens").status()).isEqualTo(403);
    assertThat(all.delete("/api/v1/tokens/" + own).status()).isEqualTo(403);
    assertThat(all.post("/api/v1/auth/password", new JsonObject().put("currentPassword", "correct horse battery")
        .put("newPassword", "a new long password")).status()).isEqualTo(403);
    assertThat(all.send(HttpMethod.POST, "/api/v1/auth/logout-all", null, null).status()).isEqualTo(403);
    assertThat(all.send(HttpMethod.POST, "/api/v1/auth/logout", null, null).status()).isEqualTo(403);
    assertThat(all.delete("/api/v1/me").status()).isEqualTo(403);
    assertThat(all.patch("/api/v1/me", new JsonObject().put("name", "Mallory")).status()).isEqualTo(403);
    assertThat(all.post("/api/v1/calendar/feed", new JsonObject()).status()).isEqualTo(403);
    assertThat(all.send(HttpMethod.POST, "/api/v1/channels/telegram/link", null, null).status()).isEqualTo(403);
    // Paths spelt otherwise reach the same rules.
    assertThat(all.get("/api/v1/tokens/").status()).isEqualTo(403);
    assertThat(all.delete("/api/v1//me").status()).isIn(403, 404);

    assertThat(api.get("/api/v1/me").status()).isEqualTo(200);
    assertThat(api.get("/api/v1/me").json().getString("name")).isEqualTo("Test Person");
    assertThat(aide.db().number("select count(*) from users")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from device_tokens")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from sessions where revoked_at is null")).isEqualTo(1);
    assertThat(all.get("/api/v1/me").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("another person's token id is not found, and their token keeps working")
  void anotherPersonsToken() {
    Api bob = aide.signUp("bob@example.com", "UTC");
    Api.Response bobs = bob.post("/api/v1/tokens", new JsonObject().put("name", "bob's watch")
        .put("scopes", new JsonArray().add("voice")));
    String bobsId = bobs.json().getString("id");

    assertThat(api.delete("/api/v1/tokens/" + bobsId).status()).isEqualTo(404);
    assertThat(api.delete("/api/v1/tokens/not-a-uuid").status()).isEqualTo(404);
    assertThat(api.delete("/api/v1/tokens/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/tokens").json().getJsonArray("items")).isEmpty();

    Api watch = aide.client().as(bobs.json().getString("token"));
    assertThat(watch.post("/api/v1/voice/transcripts", new JsonObject().put("text", "hello")).status()).isEqualTo(200);
    assertThat(aide.db().number("select count(*) from conversations c join users u on u.id = c.user_id "
        + "where u.email = 'bob@example.com'")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from conversations c join users u on u.id = c.user_id "
        + "where u.email = 'ann@example.com'")).isZero();
  }

  @Test
  @DisplayName("signing out everywhere and deleting the account revoke device tokens; a password change keeps them")
  void revokedWithTheAccount() {
    Api speaker = device("voice");
    assertThat(api.post("/api/v1/auth/password", new JsonObject().put("currentPassword", "correct horse battery")
        .put("newPassword", "a new long password")).status()).isEqualTo(204);
    assertThat(speaker.post("/api/v1/voice/transcripts", new JsonObject().put("text", "hi")).status()).isEqualTo(200);

    assertThat(api.send(HttpMethod.POST, "/api/v1/auth/logout-all", null, null).status()).isEqualTo(204);
    assertThat(speaker.post("/api/v1/voice/transcripts", new JsonObject().put("text", "hi")).status()).isEqualTo(401);
    assertThat(aide.db().number("select count(*) from device_tokens")).isZero();

    Api ann = aide.client();
    String token = ann.post("/api/v1/auth/login", new JsonObject().put("email", "ann@example.com")
        .put("password", "a new long password")).json().getString("token");
    ann.as(token);
    Api watch = aide.client().as(ann.post("/api/v1/tokens", new JsonObject().put("name", "watch")
        .put("scopes", new JsonArray().add("read"))).json().getString("token"));
    assertThat(watch.get("/api/v1/me").status()).isEqualTo(200);

    assertThat(ann.delete("/api/v1/me").status()).isEqualTo(204);
    assertThat(watch.get("/api/v1/me").status()).isEqualTo(401);
    assertThat(aide.db().number("select count(*) from device_tokens")).isZero();
  }

  @Test
  @DisplayName("a deactivated account's device tokens answer 401")
  void deactivated() {
    Api speaker = device("voice", "read");
    aide.db().update("update users set active = false");
    assertThat(speaker.get("/api/v1/me").status()).isEqualTo(401);
  }

  @Test
  @DisplayName("forged, truncated and foreign bearer tokens are refused with 401")
  void forged() {
    String real = device("read").token();
    for (String bearer : List.of("aide_dt_", "aide_dt_" + "A".repeat(43), real.substring(0, real.length() - 1),
        real + "x", real.toUpperCase(), "aide_dt_" + "\u00e9".repeat(43), "aide_dt_" + "a".repeat(5000))) {
      Api forged = aide.client().as(bearer);
      assertThat(forged.get("/api/v1/me").status()).as(bearer.length() > 60 ? "long" : bearer).isEqualTo(401);
    }
    assertThat(aide.client().as(real).get("/api/v1/me").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("names and scopes are checked: NUL, huge, blank, unknown, 10,000 scopes, wrong types and empty bodies")
  void badInput() {
    assertThat(create("speaker\u0000", "voice").status()).isEqualTo(422);
    assertThat(create("a".repeat(101), "voice").status()).isEqualTo(422);
    assertThat(create("a".repeat(1_000_000), "voice").status()).isIn(413, 422);
    assertThat(create("   ", "voice").status()).isEqualTo(422);
    assertThat(create("bell\u0007", "voice").status()).isEqualTo(422);
    assertThat(api.post("/api/v1/tokens", new JsonObject().put("scopes", new JsonArray().add("voice"))).status())
        .isEqualTo(422);

    Api.Response unknown = create("speaker", "voice", "admin");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().getJsonObject("error").getString("message")).contains("\"admin\"")
        .contains("voice, chat, read, write");
    assertThat(create("speaker").status()).isEqualTo(400);
    assertThat(create("speaker", Collections.nCopies(10_000, "voice").toArray(String[]::new)).status())
        .isEqualTo(400);
    assertThat(create("speaker", "VOICE").status()).isEqualTo(400);
    assertThat(api.post("/api/v1/tokens", new JsonObject().put("name", "speaker")).status()).isEqualTo(400);
    assertThat(api.post("/api/v1/tokens", new JsonObject().put("name", "speaker").put("scopes", "voice")).status())
        .isEqualTo(400);
    assertThat(api.post("/api/v1/tokens", new JsonObject().put("name", "speaker")
        .put("scopes", new JsonArray().add(1).addNull().add(new JsonObject()))).status()).isEqualTo(400);
    assertThat(api.post("/api/v1/tokens", new JsonObject().put("name", 42).put("scopes", new JsonArray().add("read")))
        .status()).isEqualTo(422);
    assertThat(api.post("/api/v1/tokens", new JsonObject().put("name", "x").put("scopes", new JsonArray().add("read"))
        .put("token", "aide_dt_mine")).status()).isEqualTo(422);
    assertThat(api.send(HttpMethod.POST, "/api/v1/tokens", Buffer.buffer(""), "application/json").status())
        .isEqualTo(400);
    assertThat(api.send(HttpMethod.POST, "/api/v1/tokens", null, null).status()).isEqualTo(415);
    assertThat(api.send(HttpMethod.POST, "/api/v1/tokens", Buffer.buffer("{\"name\":"), "application/json").status())
        .isEqualTo(400);
    assertThat(api.send(HttpMethod.POST, "/api/v1/tokens", Buffer.buffer("name=x&scopes=read"),
        "application/x-www-form-urlencoded").status()).isEqualTo(415);
    assertThat(aide.db().number("select count(*) from device_tokens")).isZero();

    Api.Response twice = create("a".repeat(100), "voice", "voice", "read");
    assertThat(twice.status()).isEqualTo(201);
    assertThat(twice.json().getJsonArray("scopes")).containsExactly("voice", "read");
  }

  @Test
  @DisplayName("a person may have 50 device tokens; the 51st is a conflict until one is revoked")
  void limit() {
    String first = null;
    for (int i = 0; i < DeviceTokens.MAX_PER_PERSON; i++) {
      Api.Response made = create("device " + i, "voice");
      assertThat(made.status()).isEqualTo(201);
      first = first == null ? made.json().getString("id") : first;
    }
    Api.Response refused = create("one too many", "voice");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("too_many_tokens");
    assertThat(aide.db().number("select count(*) from device_tokens")).isEqualTo(50);

    assertThat(api.delete("/api/v1/tokens/" + first).status()).isEqualTo(204);
    assertThat(create("one too many", "voice").status()).isEqualTo(201);
  }

  @Test
  @DisplayName("the data export lists the device tokens without their secrets")
  void export() {
    String token = device("voice").token();
    String export = api.get("/api/v1/me/export").body();
    assertThat(new JsonObject(export).getJsonArray("deviceTokens")).hasSize(1);
    assertThat(export).doesNotContain(token.substring(8)).doesNotContain(OpaqueTokens.hash(token));
  }
}
