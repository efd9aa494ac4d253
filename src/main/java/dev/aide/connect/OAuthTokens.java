package dev.aide.connect;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An OAuth account's tokens, as sealed in the vault (the account's secret): the access token, the refresh token and
 * when the access token expires (null: unknown, used until refused). Its toString names no token.
 */
record OAuthTokens(String accessToken, String refreshToken, Instant expiresAt) {

  /**
   * A token is taken as expired this long before its end (half its life when that is shorter): a request must not
   * reach the provider with a dying token.
   */
  static final long MARGIN_SECONDS = 60;

  boolean expired(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  String toSecret() {
    return new JsonObject().put("access_token", accessToken).put("refresh_token", refreshToken)
        .put("expires_at", expiresAt == null ? null : expiresAt.toString()).encode();
  }

  static OAuthTokens fromSecret(String secret) {
    JsonObject json = new JsonObject(secret);
    String at = json.getString("expires_at");
    return new OAuthTokens(json.getString("access_token"), json.getString("refresh_token"),
        at == null ? null : Instant.parse(at));
  }

  /**
   * The tokens a token endpoint answered (a User's principal from vertx-auth-oauth2); a refresh that names no new
   * refresh token keeps {@code previousRefresh} (Google sends one only with the first code).
   */
  static OAuthTokens fromResponse(JsonObject principal, String previousRefresh, Instant now) {
    Object expiresIn = principal.getValue("expires_in");
    Long seconds = expiresIn instanceof Number n ? Long.valueOf(n.longValue())
        : expiresIn instanceof String s && s.matches("\\d{1,9}") ? Long.valueOf(s) : null;
    Instant expiresAt = seconds == null ? null : now.plusSeconds(seconds - Math.min(MARGIN_SECONDS, seconds / 2));
    String refresh = principal.getString("refresh_token");
    return new OAuthTokens(principal.getString("access_token"), refresh == null || refresh.isBlank()
        ? previousRefresh : refresh, expiresAt);
  }

  @Override
  public String toString() {
    return "OAuthTokens[expiresAt=" + expiresAt + "]";
  }
}
