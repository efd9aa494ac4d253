package dev.aide.platform.module;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/** Helpers for {@link Exporter}s: a list of things in their API shape. */
public final class Exports {

  /** Everything of one kind: exports read whole, not a page. */
  public static final int ALL = Integer.MAX_VALUE;

  private Exports() {}

  public static <T> Future<JsonArray> of(Future<List<T>> items, Function<T, JsonObject> json) {
    return items.map(list -> new JsonArray(list.stream().map(json).toList()));
  }
}
