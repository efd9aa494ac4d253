package dev.aide.auth;

import dev.aide.platform.error.DomainException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * Runs after the JWT handler on every authenticated route: a validly signed token still needs a live session of an
 * active account (one indexed query), so a logged-out, revoked, deleted or deactivated account's tokens answer 401
 * on every route and every instance, at once. A request with a device token was checked by {@link DeviceTokenCheck}.
 */
public final class SessionCheck implements Handler<RoutingContext> {

  private final Sessions sessions;

  public SessionCheck(Sessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (Authenticated.device(ctx).isPresent()) {
      // A device token has no session; DeviceTokenCheck found it live and within its scopes.
      ctx.next();
      return;
    }
    UUID userId;
    UUID sessionId;
    try {
      userId = Authenticated.userId(ctx);
      sessionId = Authenticated.sessionId(ctx);
    } catch (DomainException e) {
      ctx.fail(e);
      return;
    }
    sessions.isLive(sessionId, userId).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (!ar.result()) {
        ctx.fail(DomainException.unauthenticated("The session has ended or the account no longer exists; please sign in again"));
      } else {
        ctx.next();
      }
    });
  }
}
