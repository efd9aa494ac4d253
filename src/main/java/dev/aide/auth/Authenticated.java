package dev.aide.auth;

import dev.aide.platform.error.DomainException;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.UUID;

/**
 * Who a request acts for: the user of its verified bearer token, a session's JWT or a device token. Routes ask only
 * here, never the routing context's user.
 */
public final class Authenticated {

  private static final String DEVICE = "aide.deviceToken";

  private Authenticated() {}

  public static UUID userId(RoutingContext ctx) {
    DeviceToken.Caller device = ctx.get(DEVICE);
    if (device != null) {
      return device.userId();
    }
    if (ctx.user() == null || ctx.user().subject() == null) {
      throw DomainException.unauthenticated("A valid bearer token is required");
    }
    return uuid(ctx.user().subject());
  }

  /**
   * The session the token belongs to. A device token has none: what needs one (signing out, the password, the device
   * tokens, the account) is forbidden to it.
   */
  public static UUID sessionId(RoutingContext ctx) {
    if (ctx.get(DEVICE) != null) {
      throw DomainException.forbidden("Only a signed-in session can do this, not a device token");
    }
    if (ctx.user() == null || ctx.user().principal() == null) {
      throw DomainException.unauthenticated("A valid bearer token is required");
    }
    Object sid = ctx.user().principal().getValue(TokenService.SESSION_CLAIM);
    return uuid(sid instanceof String s ? s : null);
  }

  /** The device token the request came with, if it came with one rather than a session's token. */
  public static Optional<DeviceToken.Caller> device(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(DEVICE));
  }

  /** Set only by the bearer check, once the device token was found. */
  static void device(RoutingContext ctx, DeviceToken.Caller caller) {
    ctx.put(DEVICE, caller);
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
