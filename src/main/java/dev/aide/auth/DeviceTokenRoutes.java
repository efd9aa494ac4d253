package dev.aide.auth;

import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * /tokens: a signed-in person makes a device token ({"name", "scopes"} → 201 with the token, shown this once), lists
 * theirs (never the token) and revokes one. A device token itself may do none of this.
 */
final class DeviceTokenRoutes {

  private final DeviceTokens tokens;

  DeviceTokenRoutes(DeviceTokens tokens) {
    this.tokens = tokens;
  }

  void mount(Router api) {
    api.post("/tokens").handler(this::create);
    api.get("/tokens").handler(this::list);
    api.delete("/tokens/:id").handler(this::revoke);
  }

  private void create(RoutingContext ctx) {
    Authenticated.sessionId(ctx);
    JsonBody body = JsonBody.of(ctx).allowOnly("name", "scopes");
    String name = body.requiredString("name", DeviceTokens.MAX_NAME);
    var scopes = DeviceTokens.scopes(body.value("scopes"));
    Replies.json(ctx, 201, tokens.create(Authenticated.userId(ctx), name, scopes)
        .map(DeviceToken.Issued::toJson));
  }

  private void list(RoutingContext ctx) {
    Authenticated.sessionId(ctx);
    Replies.json(ctx, 200, tokens.list(Authenticated.userId(ctx))
        .map(list -> Replies.items(list, DeviceToken::toJson)));
  }

  private void revoke(RoutingContext ctx) {
    Authenticated.sessionId(ctx);
    UUID id = Params.pathId(ctx, "id", "device token");
    Replies.noContent(ctx, tokens.revoke(Authenticated.userId(ctx), id));
  }
}
