package dev.aide.platform.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/** Sends a future's JSON result with a status, or routes its failure to the error handler. */
public final class Replies {

  private Replies() {}

  public static void json(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(ar.result().encode());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  public static void noContent(RoutingContext ctx, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  /** A list response: {"items":[…]}. */
  public static <T> JsonObject items(List<T> values, Function<T, JsonObject> toJson) {
    return new JsonObject().put("items", new JsonArray(values.stream().map(toJson).toList()));
  }
}
