package dev.aide.platform.http;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import dev.aide.platform.time.DateRange;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Path and query parameters, validated with the same error JSON as bodies. */
public final class Params {

  private Params() {}

  /**
   * A handler for the whole router: every query parameter, name and value, holds only characters Aide accepts (see
   * {@link Texts}), so no handler has to remember it before a value reaches a query. A query string that is not
   * valid percent-encoding is a 400.
   */
  public static void checkQuery(RoutingContext ctx) {
    MultiMap query;
    try {
      query = ctx.queryParams();
    } catch (IllegalArgumentException e) {
      throw DomainException.malformed("The query string is not valid percent-encoding");
    }
    for (var entry : query) {
      if (!Texts.acceptable(entry.getKey())) {
        throw DomainException.invalid("a query parameter name must not contain control characters");
      }
      Texts.checkCharacters(entry.getValue(), entry.getKey());
    }
    ctx.next();
  }

  /** A path id that is not a UUID cannot name anything the caller owns: 404, like an unknown id. */
  public static UUID pathId(RoutingContext ctx, String name, String what) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw DomainException.notFound(what);
    }
  }

  public static OffsetDateTime instant(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    OffsetDateTime parsed;
    try {
      parsed = OffsetDateTime.parse(value.replace(' ', '+'));
    } catch (DateTimeParseException e) {
      throw DomainException.invalid(name + " must be an ISO-8601 date-time with offset");
    }
    return DateRange.check(parsed, name);
  }

  public static int limit(RoutingContext ctx, int fallback, int max) {
    String value = ctx.queryParams().get("limit");
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < 1 || n > max) {
        throw DomainException.invalid("limit must be between 1 and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw DomainException.invalid("limit must be a whole number");
    }
  }
}
