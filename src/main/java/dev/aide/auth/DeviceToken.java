package dev.aide.auth;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A device token as its person sees it: never the token itself, which is shown once, when it is made. */
public record DeviceToken(UUID id, String name, List<Scope> scopes, OffsetDateTime createdAt,
                          OffsetDateTime lastUsedAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("scopes", new JsonArray(scopes.stream().map(Scope::wire).toList()))
        .put("createdAt", Times.iso(createdAt))
        .put("lastUsedAt", Times.iso(lastUsedAt));
  }

  /** A token just made: the only time its secret is there to show. */
  public record Issued(DeviceToken token, String secret) {

    public JsonObject toJson() {
      return token.toJson().put("token", secret);
    }
  }

  /** Who a request with a device token acts for, and what the token may do. */
  public record Caller(UUID tokenId, UUID userId, List<Scope> scopes) {}
}
