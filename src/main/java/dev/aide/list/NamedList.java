package dev.aide.list;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A person's named list (groceries, to-do, packing) with its items in order. */
public record NamedList(UUID id, UUID userId, String name, String kind, OffsetDateTime createdAt, List<ListItem> items) {

  public NamedList withItems(List<ListItem> newItems) {
    return new NamedList(id, userId, name, kind, createdAt, List.copyOf(newItems));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("kind", kind)
        .put("createdAt", Times.iso(createdAt))
        .put("items", new JsonArray(items.stream().map(ListItem::toJson).toList()));
  }
}
