package dev.aide.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.UUID;

/** Issues and verifies the HS256 bearer tokens of the API; the subject is the user id. */
public final class TokenService {

  private final JWTAuth auth;
  private final Duration ttl;

  public TokenService(Vertx vertx, String secret, Duration ttl) {
    this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    this.ttl = ttl;
  }

  public String issue(UUID userId) {
    return auth.generateToken(new JsonObject().put("sub", userId.toString()),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) ttl.toSeconds()));
  }

  public JWTAuth provider() {
    return auth;
  }
}
