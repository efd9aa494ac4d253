package dev.aide.auth;

import dev.aide.platform.error.DomainException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The first guard of the authenticated API: a bearer token that is a device token ({@code aide_dt_…}) is looked up
 * (on every request, so a revoked one is refused at once), and the request must be one its scopes allow and not one
 * only a session may make; the session's JWT check then stands aside for it. Any other bearer goes on to the JWT check.
 */
public final class DeviceTokenCheck implements Handler<RoutingContext> {

  private static final String BEARER = "bearer ";

  private final DeviceTokens tokens;

  public DeviceTokenCheck(DeviceTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String bearer = bearer(ctx);
    if (!DeviceTokens.looksLikeOne(bearer)) {
      ctx.next();
      return;
    }
    tokens.authenticate(bearer).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      if (ar.result().isEmpty()) {
        ctx.fail(DomainException.unauthenticated(
            "This device token is not valid: it was revoked, or its account no longer exists"));
        return;
      }
      DeviceToken.Caller caller = ar.result().get();
      String path = relative(ctx);
      if (Scope.sessionOnly(ctx.request().method(), path)) {
        ctx.fail(DomainException.forbidden("A device token cannot do this: device tokens, signing out, the password, "
            + "the account and linked channels are managed only from a signed-in session"));
        return;
      }
      if (!Scope.allows(caller.scopes(), ctx.request().method(), path)) {
        ctx.fail(DomainException.forbidden("This device token's scopes (" + caller.scopes().stream().map(Scope::wire)
            .collect(Collectors.joining(", ")) + ") do not allow " + ctx.request().method() + " /api/v1" + path));
        return;
      }
      Authenticated.device(ctx, caller);
      ctx.next();
    });
  }

  private static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.length() <= BEARER.length()
        || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return null;
    }
    return header.substring(BEARER.length()).strip();
  }

  /** The request's path below the API's mount point: "/voice/audio" for /api/v1/voice/audio. */
  private static String relative(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String mount = ctx.mountPoint();
    if (mount != null) {
      String base = mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
      if (path.startsWith(base)) {
        path = path.substring(base.length());
      }
    }
    return path.isEmpty() ? "/" : path;
  }
}
