package dev.aide.account;

import dev.aide.auth.AuthRoutes;
import dev.aide.platform.http.ClientAddress;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Replies;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * POST /auth/password-reset (always 202: the answer never tells whether the email has an account) and
 * /auth/password-reset/confirm; no token needed.
 */
public final class PasswordResetRoutes {

  private final PasswordResets resets;
  private final ClientAddress clients;

  public PasswordResetRoutes(PasswordResets resets, ClientAddress clients) {
    this.resets = resets;
    this.clients = clients;
  }

  public void mount(Router api) {
    api.post("/auth/password-reset").handler(this::requestReset);
    api.post("/auth/password-reset/confirm").handler(this::confirmReset);
  }

  private void requestReset(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("email");
    String email = AuthRoutes.email(body.requiredString("email", 254));
    resets.request(email, clients.of(ctx)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        ctx.response().setStatusCode(202).putHeader("content-type", "application/json")
            .end(new JsonObject().put("status", "accepted").put("message", "If this email belongs to an account with "
                + "a linked messaging channel, a reset link is on its way there. It works once, for "
                + PasswordResets.LINK_TTL.toMinutes() + " minutes.").encode());
      }
    });
  }

  private void confirmReset(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("token", "newPassword");
    String token = body.requiredString("token", 200);
    String next = AuthRoutes.newPassword(body, "newPassword");
    Replies.noContent(ctx, resets.confirm(token, next, clients.of(ctx)));
  }
}
