package dev.aide.support;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The OAuth 2.0 side of a fake provider (RFC 6749 authorization code grant with RFC 7636 PKCE, RFC 7009 revocation),
 * shared by {@link FakeGoogle} and {@link FakeMicrosoft}: the authorization endpoint checks its parameters and sends
 * the browser back to the redirect URI with a one-use code (or an error when the person "declines"), the token endpoint
 * checks the client, the code, the redirect URI and the code verifier against the S256 challenge, and hands out and
 * refreshes opaque tokens; revoking a refresh token revokes its access tokens too. The person may untick scopes at
 * the consent screen ({@link #refuse}): the code's token response then lists only the scopes granted (RFC 6749
 * section 5.1's {@code scope}), and a refresh asking for a scope not granted is refused with invalid_grant, as
 * Microsoft's identity platform does (AADSTS65001). Each access token given out is told to {@link #onAccessToken}
 * listeners with its scopes (a test's IMAP/SMTP server takes it as the mailbox's credential).
 */
public final class FakeOAuth {

  private final String clientId;
  private final String clientSecret;
  private final boolean rotatesRefreshTokens;
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Map<String, Access> access = new ConcurrentHashMap<>();
  private final Set<String> refresh = ConcurrentHashMap.newKeySet();
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  /** Refresh tokens rotated away: refused for a refresh, while the access tokens they gave still work. */
  private final Set<String> used = ConcurrentHashMap.newKeySet();
  private final List<String> authorizeQueries = new CopyOnWriteArrayList<>();
  private final List<String> grants = new CopyOnWriteArrayList<>();
  private volatile boolean decline;
  private volatile long expiresIn = 3599;
  private final Map<String, String> granted = new ConcurrentHashMap<>();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final List<java.util.function.BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();

  /** The person grants every scope asked from now on. */
  public void allowAll() {
    refused.clear();
  }

  /** The person unticks this scope at the consent screen from now on. */
  public void refuse(String scope) {
    refused.add(scope);
  }

  /** Calls the listener with each access token given out from now on and the scopes it carries. */
  public void onAccessToken(java.util.function.BiConsumer<String, String> listener) {
    listeners.add(listener);
  }

  private String grantable(String scope) {
    if (scope == null) {
      return null;
    }
    return String.join(" ", java.util.Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()
        && !refused.contains(s)).toList());
  }

  private record Grant(String redirectUri, String challenge, String scope) {}

  private record Access(String refreshToken, long expiresAtMillis) {}

  FakeOAuth(String clientId, String clientSecret, boolean rotatesRefreshTokens) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.rotatesRefreshTokens = rotatesRefreshTokens;
  }

  /** The person declines at the consent screen from now on (error=access_denied). */
  public void decline(boolean decline) {
    this.decline = decline;
  }

  /** How long new access tokens live, in seconds. */
  public void expiresIn(long seconds) {
    this.expiresIn = seconds;
  }

  /** Every access token given so far stops working (as if an hour had passed). */
  public void expireAccessTokens() {
    access.replaceAll((k, v) -> new Access(v.refreshToken(), 0));
  }

  /** Revokes every refresh token (the person removed Aide's access in their account settings). */
  public void revokeAll() {
    revoked.addAll(refresh);
  }

  public List<String> authorizeQueries() {
    return List.copyOf(authorizeQueries);
  }

  /** The grant_type of each token request, in order. */
  public List<String> grants() {
    return List.copyOf(grants);
  }

  public boolean isRevoked(String refreshToken) {
    return revoked.contains(refreshToken);
  }

  public Set<String> refreshTokens() {
    return Set.copyOf(refresh);
  }

  /** Whether the bearer token of the request is a live access token. */
  boolean authorized(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    Access a = access.get(header.substring(7));
    return a != null && a.expiresAtMillis() > System.currentTimeMillis() && !revoked.contains(a.refreshToken());
  }

  void authorize(HttpServerRequest request) {
    MultiMap q = request.params();
    authorizeQueries.add(request.query());
    String redirect = q.get("redirect_uri");
    if (!clientId.equals(q.get("client_id")) || redirect == null) {
      request.response().setStatusCode(400).end("invalid_client or no redirect_uri");
      return;
    }
    String sep = redirect.contains("?") ? "&" : "?";
    String state = q.get("state") == null ? "" : "&state=" + enc(q.get("state"));
    if (!"code".equals(q.get("response_type")) || !"S256".equals(q.get("code_challenge_method"))
        || q.get("code_challenge") == null) {
      redirect(request, redirect + sep + "error=invalid_request" + state);
      return;
    }
    if (decline) {
      redirect(request, redirect + sep + "error=access_denied" + state);
      return;
    }
    String code = "code-" + UUID.randomUUID();
    codes.put(code, new Grant(redirect, q.get("code_challenge"), grantable(q.get("scope"))));
    redirect(request, redirect + sep + "code=" + enc(code) + state);
  }

  private static void redirect(HttpServerRequest request, String location) {
    request.response().setStatusCode(302).putHeader("Location", location).end();
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  void token(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      MultiMap form = MultiMap.caseInsensitiveMultiMap();
      io.netty.handler.codec.http.QueryStringDecoder decoder = new io.netty.handler.codec.http.QueryStringDecoder(
          body.toString(StandardCharsets.UTF_8), false);
      decoder.parameters().forEach(form::add);
      if (!clientOk(request, form)) {
        error(request, 401, "invalid_client", "The OAuth client was not found.");
        return;
      }
      String grant = form.get("grant_type");
      grants.add(String.valueOf(grant));
      if ("authorization_code".equals(grant)) {
        Grant g = codes.remove(String.valueOf(form.get("code")));
        if (g == null || !g.redirectUri().equals(form.get("redirect_uri"))) {
          error(request, 400, "invalid_grant", "Bad Request");
          return;
        }
        String verifier = form.get("code_verifier");
        if (verifier == null || !g.challenge().equals(s256(verifier))) {
          error(request, 400, "invalid_grant", "Missing code verifier.");
          return;
        }
        String refreshToken = "refresh-" + UUID.randomUUID();
        refresh.add(refreshToken);
        granted.put(refreshToken, g.scope() == null ? "" : g.scope());
        json(request, tokens(refreshToken, true, g.scope()).put("scope", g.scope()));
      } else if ("refresh_token".equals(grant)) {
        String token = form.get("refresh_token");
        if (token == null || !refresh.contains(token) || revoked.contains(token) || used.contains(token)) {
          error(request, 400, "invalid_grant", "Token has been expired or revoked.");
          return;
        }
        String scopes = granted.getOrDefault(token, "");
        String asked = form.get("scope");
        if (asked != null) {
          List<String> have = List.of(scopes.split(" "));
          List<String> missing = java.util.Arrays.stream(asked.split(" "))
              .filter(s -> !s.isEmpty() && !s.equals("offline_access") && !have.contains(s)).toList();
          if (!missing.isEmpty()) {
            error(request, 400, "invalid_grant", "AADSTS65001: The user or administrator has not consented to use "
                + "the application. Send an interactive authorization request for this user and resource.");
            return;
          }
          scopes = asked;
        }
        if (rotatesRefreshTokens) {
          String next = "refresh-" + UUID.randomUUID();
          refresh.add(next);
          granted.put(next, granted.getOrDefault(token, ""));
          used.add(token);
          json(request, tokens(next, true, scopes).put("scope", scopes));
        } else {
          json(request, tokens(token, false, scopes).put("scope", scopes));
        }
      } else {
        error(request, 400, "unsupported_grant_type", "Invalid grant_type: " + grant);
      }
    });
  }

  private JsonObject tokens(String refreshToken, boolean withRefresh, String scopes) {
    String token = "access-" + UUID.randomUUID();
    access.put(token, new Access(refreshToken, System.currentTimeMillis() + expiresIn * 1000));
    listeners.forEach(l -> l.accept(token, scopes == null ? "" : scopes));
    JsonObject json = new JsonObject().put("access_token", token).put("expires_in", expiresIn)
        .put("token_type", "Bearer");
    return withRefresh ? json.put("refresh_token", refreshToken) : json;
  }

  private boolean clientOk(HttpServerRequest request, MultiMap form) {
    String basic = request.getHeader("Authorization");
    if (basic != null && basic.startsWith("Basic ")) {
      String decoded = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
      return decoded.equals(clientId + ":" + clientSecret);
    }
    return clientId.equals(form.get("client_id")) && clientSecret.equals(form.get("client_secret"));
  }

  /** RFC 7009: the token (refresh or access) is revoked; revoking a refresh token ends its access tokens too. */
  void revoke(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      io.netty.handler.codec.http.QueryStringDecoder decoder = new io.netty.handler.codec.http.QueryStringDecoder(
          body.toString(StandardCharsets.UTF_8), false);
      List<String> token = decoder.parameters().get("token");
      if (token == null || token.isEmpty() || !refresh.contains(token.getFirst())
          && !access.containsKey(token.getFirst())) {
        error(request, 400, "invalid_token", "Bad Request");
        return;
      }
      String t = token.getFirst();
      revoked.add(access.containsKey(t) ? access.get(t).refreshToken() : t);
      request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end("{}");
    });
  }

  static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  private static void error(HttpServerRequest request, int status, String error, String description) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", error).put("error_description", description).encode());
  }
}
