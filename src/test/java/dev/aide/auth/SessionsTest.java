package dev.aide.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.ManualClock;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 9 item 8: tokens that can be ended, and passwords that can be changed and reset. */
@DisplayName("Sessions: short-lived access tokens, rotating refresh tokens, logout, password change and reset")
class SessionsTest {

  private static final String PASSWORD = "correct horse battery";
  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
  private static final Pattern LINK = Pattern.compile("https://aide\\.example\\.org/#reset=([A-Za-z0-9_-]{43})");

  private static final Map<String, String> ENV =
      Map.of("AIDE_PUBLIC_URL", "https://aide.example.org/", "AIDE_JWT_TTL_SECONDS", "600");

  @RegisterExtension
  @Order(1)
  static final AideServer one = AideServer.create().clock(CLOCK).env(ENV).freshEachTest();

  @RegisterExtension
  @Order(2)
  static final AideServer two = AideServer.create().clock(CLOCK).env(ENV).sharing(one);

  private final Api api = one.api();
  private final Api other = two.api();

  @Test
  @DisplayName("login and registration answer a refresh token beside the access token, which lives as configured "
      + "and names its session; no hash of either is a token")
  void tokensIssued() {
    api.register("ada@example.com", "UTC");
    String refresh = api.refreshToken();
    Api.Response login = login(other, "ada@example.com", PASSWORD);
    assertThat(login.status()).isEqualTo(200);
    JsonObject claims = claims(login.json().getString("token"));
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(600);
    assertThat(claims.getString("sid")).isNotBlank();
    assertThat(refresh).isNotBlank().isNotEqualTo(login.json().getString("refreshToken"));
    assertThat(one.db().number("select count(*) from sessions")).isEqualTo(2);
    assertThat(one.db().strings("select token_hash from refresh_tokens")).hasSize(2)
        .allMatch(h -> h.matches("[0-9a-f]{64}")).doesNotContain(refresh, login.json().getString("refreshToken"));
  }

  @Test
  @DisplayName("a refresh token gives a new pair once; used again (a stolen copy) it ends the whole session, the "
      + "tokens it already gave included")
  void refreshRotatesAndDetectsReuse() {
    api.register("bo@example.com", "UTC");
    String first = api.refreshToken();

    Api.Response refreshed = refresh(other, first);
    assertThat(refreshed.status()).isEqualTo(200);
    String access = refreshed.json().getString("token");
    String second = refreshed.json().getString("refreshToken");
    assertThat(second).isNotEqualTo(first);
    assertThat(api.as(access).get("/api/v1/me").status()).isEqualTo(200);

    Api.Response reused = refresh(api, first);
    assertThat(reused.status()).isEqualTo(401);
    assertThat(reused.errorCode()).isEqualTo("unauthorized");
    assertThat(api.as(access).get("/api/v1/me").status()).isEqualTo(401);
    assertThat(refresh(other, second).status()).isEqualTo(401);
    assertThat(refresh(other, "not-a-token").status()).isEqualTo(401);
    assertThat(one.db().value("select revoked_why from sessions", String.class)).isEqualTo("refresh token reused");
  }

  @Test
  @DisplayName("a refresh token stops working after its life without use")
  void refreshTokenExpires() {
    api.register("cy@example.com", "UTC");
    CLOCK.advance(Duration.ofDays(30).plusSeconds(1));
    assertThat(refresh(other, api.refreshToken()).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("logout ends this session at once, on every instance; another session of the person goes on")
  void logout() {
    api.register("di@example.com", "UTC");
    String phone = login(other, "di@example.com", PASSWORD).json().getString("token");
    String laptop = api.token();

    assertThat(api.post("/api/v1/auth/logout", new JsonObject()).status()).isEqualTo(204);

    assertThat(other.as(laptop).get("/api/v1/me").status()).isEqualTo(401);
    assertThat(other.as(laptop).get("/api/v1/reminders").status()).isEqualTo(401);
    assertThat(refresh(other, api.refreshToken()).status()).isEqualTo(401);
    assertThat(other.as(phone).get("/api/v1/me").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("logout-all ends every session of the person and no one else's")
  void logoutAll() {
    api.register("ed@example.com", "UTC");
    String laptop = api.token();
    String phone = login(other, "ed@example.com", PASSWORD).json().getString("token");
    try (Api stranger = new Api(one.port())) {
      stranger.register("stranger@example.com", "UTC");

      assertThat(other.as(phone).post("/api/v1/auth/logout-all", new JsonObject()).status()).isEqualTo(204);

      assertThat(api.as(laptop).get("/api/v1/me").status()).isEqualTo(401);
      assertThat(api.as(phone).get("/api/v1/me").status()).isEqualTo(401);
      assertThat(stranger.get("/api/v1/me").status()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("changing the password needs the current one (403 otherwise, nothing changed) and ends every other "
      + "session; this one goes on")
  void changePassword() {
    api.register("fi@example.com", "UTC");
    String thief = login(other, "fi@example.com", PASSWORD).json().getString("token");
    String hashBefore = one.db().value("select password_hash from users", String.class);

    Api.Response wrong = api.post("/api/v1/auth/password",
        new JsonObject().put("currentPassword", "not it at all").put("newPassword", "a brand new passphrase"));
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(api.post("/api/v1/auth/password",
        new JsonObject().put("currentPassword", PASSWORD).put("newPassword", "short")).status()).isEqualTo(422);
    assertThat(one.db().value("select password_hash from users", String.class)).isEqualTo(hashBefore);
    assertThat(other.as(thief).get("/api/v1/me").status()).isEqualTo(200);

    Api.Response changed = api.post("/api/v1/auth/password",
        new JsonObject().put("currentPassword", PASSWORD).put("newPassword", "a brand new passphrase"));
    assertThat(changed.status()).isEqualTo(204);

    assertThat(other.as(thief).get("/api/v1/me").status()).isEqualTo(401);
    assertThat(api.get("/api/v1/me").status()).isEqualTo(200);
    assertThat(login(other.as(null), "fi@example.com", PASSWORD).status()).isEqualTo(401);
    assertThat(login(other, "fi@example.com", "a brand new passphrase").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a reset link goes through the outbox to the person's Telegram, works once within 30 minutes, sets "
      + "the password and ends every session; the database keeps only its hash")
  void passwordReset() {
    JsonObject user = api.register("gus@example.com", "UTC");
    UUID userId = UUID.fromString(user.getString("id"));
    linkTelegram(userId, "424242");
    String session = api.token();

    Api.Response asked = other.post("/api/v1/auth/password-reset", new JsonObject().put("email", "GUS@example.com"));
    assertThat(asked.status()).isEqualTo(202);
    String token = linkToken(userId);
    assertThat(one.db().value("select recipient from outbox where user_id = ?", String.class, userId)).isEqualTo("424242");
    assertThat(one.db().strings("select token_hash from password_resets")).containsExactly(sha256(token));

    Api.Response weak = other.post("/api/v1/auth/password-reset/confirm",
        new JsonObject().put("token", token).put("newPassword", "short"));
    assertThat(weak.status()).isEqualTo(422);
    Api.Response set = other.post("/api/v1/auth/password-reset/confirm",
        new JsonObject().put("token", token).put("newPassword", "remembered at last"));
    assertThat(set.status()).isEqualTo(204);

    assertThat(api.as(session).get("/api/v1/me").status()).isEqualTo(401);
    assertThat(login(other, "gus@example.com", PASSWORD).status()).isEqualTo(401);
    assertThat(login(other, "gus@example.com", "remembered at last").status()).isEqualTo(200);
    Api.Response again = other.post("/api/v1/auth/password-reset/confirm",
        new JsonObject().put("token", token).put("newPassword", "and once more please"));
    assertThat(again.status()).isEqualTo(422);
    assertThat(login(other, "gus@example.com", "remembered at last").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a reset link expires after 30 minutes, and only the latest link works")
  void resetLinkExpires() {
    UUID userId = UUID.fromString(api.register("hal@example.com", "UTC").getString("id"));
    linkTelegram(userId, "515151");
    other.post("/api/v1/auth/password-reset", new JsonObject().put("email", "hal@example.com"));
    String first = linkToken(userId);
    other.post("/api/v1/auth/password-reset", new JsonObject().put("email", "hal@example.com"));
    String second = one.db().strings("select body from outbox where user_id = ? order by seq", userId).stream()
        .map(SessionsTest::tokenIn).reduce((x, y) -> y).orElseThrow();
    assertThat(second).isNotEqualTo(first);
    assertThat(confirm(first, "newer password one")).isEqualTo(422);

    CLOCK.advance(Duration.ofMinutes(30).plusSeconds(1));
    assertThat(confirm(second, "newer password two")).isEqualTo(422);
    assertThat(login(other, "hal@example.com", PASSWORD).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a reset for an email without an account, or an account without a channel, answers the same and "
      + "sends nothing")
  void resetWithoutChannel() {
    api.register("ida@example.com", "UTC");
    Api.Response noChannel = other.post("/api/v1/auth/password-reset", new JsonObject().put("email", "ida@example.com"));
    Api.Response noAccount = other.post("/api/v1/auth/password-reset", new JsonObject().put("email", "no@example.com"));
    assertThat(noChannel.status()).isEqualTo(202);
    assertThat(noChannel.body()).isEqualTo(noAccount.body());
    assertThat(one.db().number("select count(*) from outbox")).isZero();
    assertThat(one.db().number("select count(*) from password_resets")).isZero();
  }

  private int confirm(String token, String password) {
    return other.post("/api/v1/auth/password-reset/confirm",
        new JsonObject().put("token", token).put("newPassword", password)).status();
  }

  private static void linkTelegram(UUID userId, String chat) {
    one.db().update("insert into channel_identities (user_id, channel, external_id, verified, linked_at) "
        + "values (?, 'telegram', ?, true, now())", userId, chat);
  }

  private static String linkToken(UUID userId) {
    return tokenIn(one.db().value("select body from outbox where user_id = ? order by seq limit 1", String.class, userId));
  }

  private static String tokenIn(String body) {
    Matcher m = LINK.matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return m.group(1);
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static String sha256(String token) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Api.Response login(Api api, String email, String password) {
    return api.post("/api/v1/auth/login", new JsonObject().put("email", email).put("password", password));
  }

  private static Api.Response refresh(Api api, String refreshToken) {
    return api.post("/api/v1/auth/refresh", new JsonObject().put("refreshToken", refreshToken));
  }
}
