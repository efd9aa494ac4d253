package dev.aide.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.UUID;

/**
 * Issues and verifies the HS256 access tokens of the API: the subject is the user id, {@code sid} the session the
 * token belongs to (checked on every request, so a revoked session's tokens stop at once). Short-lived: a client
 * keeps its session going with its refresh token.
 */
public final class TokenService {

  /** The claim naming the session. */
  public static final String SESSION_CLAIM = "sid";

  private final JWTAuth auth;
  private final Duration ttl;

  public TokenService(Vertx vertx, String secret, Duration ttl) {
    this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    this.ttl = ttl;
  }

  public String issue(UUID userId, UUID sessionId) {
    return auth.generateToken(new JsonObject().put("sub", userId.toString()).put(SESSION_CLAIM, sessionId.toString()),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) ttl.toSeconds()));
  }

  /** How long an access token lives. */
  public Duration ttl() {
    return ttl;
  }

  public JWTAuth provider() {
    return auth;
  }
}
