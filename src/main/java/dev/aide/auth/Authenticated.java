package dev.aide.auth;

import dev.aide.platform.error.DomainException;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** The user id and session of the request's verified bearer token. */
public final class Authenticated {

  private Authenticated() {}

  public static UUID userId(RoutingContext ctx) {
    if (ctx.user() == null || ctx.user().subject() == null) {
      throw DomainException.unauthenticated("A valid bearer token is required");
    }
    return uuid(ctx.user().subject());
  }

  /** The session the token belongs to. */
  public static UUID sessionId(RoutingContext ctx) {
    if (ctx.user() == null || ctx.user().principal() == null) {
      throw DomainException.unauthenticated("A valid bearer token is required");
    }
    Object sid = ctx.user().principal().getValue(TokenService.SESSION_CLAIM);
    return uuid(sid instanceof String s ? s : null);
  }

  private static UUID uuid(String value) {
    if (value == null) {
      throw DomainException.unauthenticated("A valid bearer token is required");
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw DomainException.unauthenticated("A valid bearer token is required");
    }
  }
}
