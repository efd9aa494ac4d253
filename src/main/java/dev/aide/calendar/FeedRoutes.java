package dev.aide.calendar;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.Replies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * /calendar/feed: create or rotate (POST) and revoke (DELETE) the private iCalendar feed; /calendar/import: an .ics
 * upload (text/calendar). The feed itself, GET /calendar/feed/{token}.ics, is public: the token is the credential.
 */
public final class FeedRoutes {

  private final CalendarFeed feed;
  private final IcsImport imports;

  public FeedRoutes(CalendarFeed feed, IcsImport imports) {
    this.feed = feed;
    this.imports = imports;
  }

  /** The authenticated routes, under /api/v1. */
  public void mount(Router api) {
    api.post("/calendar/feed").handler(this::rotate);
    api.delete("/calendar/feed").handler(this::revoke);
    api.post("/calendar/import").handler(this::importIcs);
  }

  /** The public feed route, on the root router (no bearer token: calendar applications cannot send one). */
  public void mountPublic(Router root) {
    root.get("/calendar/feed/:file").handler(this::feed);
  }

  private void rotate(RoutingContext ctx) {
    Replies.json(ctx, 201, feed.rotate(Authenticated.userId(ctx)).map(url -> new JsonObject().put("url", url)));
  }

  private void revoke(RoutingContext ctx) {
    Replies.noContent(ctx, feed.revoke(Authenticated.userId(ctx)));
  }

  private void importIcs(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/calendar")) {
      throw new DomainException(DomainException.Kind.UNSUPPORTED, "The request body must be text/calendar (an .ics file)");
    }
    String ics = ctx.body() == null || ctx.body().buffer() == null ? ""
        : ctx.body().buffer().toString(StandardCharsets.UTF_8);
    Replies.json(ctx, 200, imports.run(Authenticated.userId(ctx), ics).map(result -> new JsonObject()
        .put("imported", result.imported()).put("skipped", result.skipped())
        .put("errors", new JsonArray(result.errors()))));
  }

  private void feed(RoutingContext ctx) {
    String file = ctx.pathParam("file");
    if (file == null || !file.endsWith(".ics") || file.length() > 200) {
      throw DomainException.notFound("calendar feed");
    }
    feed.render(file.substring(0, file.length() - 4)).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(200).putHeader("content-type", "text/calendar; charset=utf-8")
            .putHeader("cache-control", "private, max-age=300").end(ar.result());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }
}
