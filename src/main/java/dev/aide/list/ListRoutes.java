package dev.aide.list;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.UUID;

/** /lists: lists with their items (list, create, read, rename, delete) and /lists/{id}/items (add, change, delete). */
public final class ListRoutes {

  private final ListService lists;

  public ListRoutes(ListService lists) {
    this.lists = lists;
  }

  public void mount(Router api) {
    api.get("/lists").handler(this::list);
    api.post("/lists").handler(this::create);
    api.get("/lists/:id").handler(this::get);
    api.patch("/lists/:id").handler(this::update);
    api.delete("/lists/:id").handler(this::delete);
    api.post("/lists/:id/items").handler(this::addItem);
    api.patch("/lists/:id/items/:itemId").handler(this::updateItem);
    api.delete("/lists/:id/items/:itemId").handler(this::deleteItem);
    api.put("/lists/:id/order").handler(this::reorder);
  }

  private void list(RoutingContext ctx) {
    Replies.json(ctx, 200, lists.all(Authenticated.userId(ctx)).map(all -> Replies.items(all, NamedList::toJson)));
  }

  private void create(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("name", "kind");
    String name = body.requiredString("name", ListService.MAX_NAME);
    String kind = body.optionalString("kind", ListService.MAX_KIND);
    Replies.json(ctx, 201, lists.create(Authenticated.userId(ctx), name, kind).map(NamedList::toJson));
  }

  private void get(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "list");
    Replies.json(ctx, 200, lists.get(Authenticated.userId(ctx), id).map(NamedList::toJson));
  }

  private void update(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "list");
    JsonBody body = JsonBody.of(ctx).allowOnly("name", "kind").changes("name");
    String name = body.optionalString("name", ListService.MAX_NAME);
    if (name != null && name.isBlank()) {
      throw DomainException.invalid("name cannot be empty");
    }
    Replies.json(ctx, 200, lists.update(Authenticated.userId(ctx), id, name, body.has("kind"),
        body.optionalString("kind", ListService.MAX_KIND)).map(NamedList::toJson));
  }

  private void delete(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "list");
    Replies.noContent(ctx, lists.delete(Authenticated.userId(ctx), id));
  }

  private void addItem(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "list");
    JsonBody body = JsonBody.of(ctx).allowOnly("text", "quantity", "unit", "category");
    var item = new ListRepository.NewItem(body.requiredString("text", ListService.MAX_TEXT), quantity(ctx),
        body.optionalString("unit", ListService.MAX_UNIT), body.optionalString("category", ListService.MAX_CATEGORY));
    Replies.json(ctx, 201, lists.addItem(Authenticated.userId(ctx), id, item).map(ListItem::toJson));
  }

  private void updateItem(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "list");
    UUID itemId = Params.pathId(ctx, "itemId", "list item");
    JsonBody body = JsonBody.of(ctx).allowOnly("text", "quantity", "unit", "category", "done").changes("text", "done");
    Object done = ctx.body().asJsonObject().getValue("done");
    if (done != null && !(done instanceof Boolean)) {
      throw DomainException.invalid("done must be true or false");
    }
    var changes = new ListRepository.ItemChanges(body.optionalString("text", ListService.MAX_TEXT),
        body.has("quantity"), quantity(ctx), body.has("unit"), body.optionalString("unit", ListService.MAX_UNIT),
        body.has("category"), body.optionalString("category", ListService.MAX_CATEGORY), (Boolean) done);
    Replies.json(ctx, 200, lists.updateItem(Authenticated.userId(ctx), id, itemId, changes).map(ListItem::toJson));
  }

  private void reorder(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "list");
    JsonBody body = JsonBody.of(ctx).allowOnly("itemIds");
    java.util.List<String> given = body.optionalStrings("itemIds", ListService.MAX_ORDER);
    if (given == null) {
      throw DomainException.invalid("itemIds is required");
    }
    java.util.List<UUID> itemIds = new java.util.ArrayList<>(given.size());
    for (String item : given) {
      try {
        itemIds.add(UUID.fromString(item));
      } catch (IllegalArgumentException e) {
        throw DomainException.invalid("itemIds must be item ids");
      }
    }
    Replies.json(ctx, 200, lists.reorder(Authenticated.userId(ctx), id, itemIds).map(NamedList::toJson));
  }

  private void deleteItem(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "list");
    UUID itemId = Params.pathId(ctx, "itemId", "list item");
    Replies.noContent(ctx, lists.deleteItem(Authenticated.userId(ctx), id, itemId));
  }

  /** A quantity as a JSON number or a decimal string ("1.5"); never through a binary float in storage. */
  private static BigDecimal quantity(RoutingContext ctx) {
    Object value = ctx.body().asJsonObject().getValue("quantity");
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number) && !(value instanceof String)) {
      throw DomainException.invalid("quantity must be a number or a decimal string");
    }
    try {
      // Double.toString is the shortest text that reads back as the same double, so 0.1 stays 0.1
      return new BigDecimal(value.toString().strip());
    } catch (NumberFormatException e) {
      throw DomainException.invalid("quantity must be a number or a decimal string");
    }
  }
}
