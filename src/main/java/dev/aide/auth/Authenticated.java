package dev.aide.auth;

import dev.aide.platform.http.ApiException;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** The user id of the request's verified bearer token. */
public final class Authenticated {

  private Authenticated() {}

  public static UUID userId(RoutingContext ctx) {
    if (ctx.user() == null || ctx.user().subject() == null) {
      throw ApiException.unauthorized("A valid bearer token is required");
    }
    try {
      return UUID.fromString(ctx.user().subject());
    } catch (IllegalArgumentException e) {
      throw ApiException.unauthorized("A valid bearer token is required");
    }
  }
}
