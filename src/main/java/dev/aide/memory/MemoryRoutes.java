package dev.aide.memory;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import dev.aide.platform.input.Tags;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/**
 * /memories: list (type, q, history, limit), create, read, update, delete; /memories/search, the assistant's own
 * retrieval; /memories/import, how a person brings history along.
 */
public final class MemoryRoutes {

  private final MemoryService memories;

  public MemoryRoutes(MemoryService memories) {
    this.memories = memories;
  }

  public void mount(Router api) {
    api.get("/memories").handler(this::list);
    api.post("/memories").handler(this::create);
    api.get("/memories/search").handler(this::search);
    api.post("/memories/import").handler(this::importItems);
    api.get("/memories/:id").handler(this::get);
    api.patch("/memories/:id").handler(this::update);
    api.delete("/memories/:id").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    String history = ctx.queryParams().get("history");
    if (history != null && !history.equals("true") && !history.equals("false")) {
      throw DomainException.invalid("history must be true or false");
    }
    Replies.json(ctx, 200, memories.list(Authenticated.userId(ctx), type(ctx.queryParams().get("type"), "type"),
            "true".equals(history), ctx.queryParams().get("q"), Params.limit(ctx, 50, 500))
        .map(list -> Replies.items(list, Memory::toJson)));
  }

  private void create(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("content", "type", "tags", "importance", "occurredAt");
    Replies.json(ctx, 201, memories.create(Authenticated.userId(ctx),
        body.requiredString("content", MemoryService.MAX_CONTENT), type(body.optionalString("type", 20), "type"),
        body.optionalStrings("tags", Tags.MAX_TAGS), body.optionalNumber("importance", 0, 1),
        body.optionalInstant("occurredAt")).map(Memory::toJson));
  }

  private void search(RoutingContext ctx) {
    String q = ctx.queryParams().get("q");
    if (q == null || q.isBlank()) {
      throw DomainException.invalid("q is required");
    }
    Replies.json(ctx, 200, memories.search(Authenticated.userId(ctx), q, Params.limit(ctx, 10, MemoryService.MAX_RESULTS))
        .map(list -> Replies.items(list, Recalled::toJson)));
  }

  private void importItems(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("items");
    var items = body.objects("items", MemoryService.MAX_IMPORT).stream().map(item -> {
      item.allowOnly("text", "at", "speaker", "externalId");
      return new MemoryRepository.ImportItem(item.requiredString("text", MemoryService.MAX_CONTENT),
          item.optionalInstant("at"), item.optionalString("speaker", MemoryService.MAX_SPEAKER),
          item.optionalString("externalId", MemoryService.MAX_EXTERNAL_ID));
    }).toList();
    Replies.json(ctx, 200, memories.importItems(Authenticated.userId(ctx), items)
        .map(done -> new JsonObject().put("imported", done.imported()).put("skipped", done.skipped())));
  }

  private void get(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "memory");
    UUID userId = Authenticated.userId(ctx);
    Replies.json(ctx, 200, memories.get(userId, id).compose(memory -> memories.related(userId, List.of(id))
        .map(related -> memory.toJson().put("related", new JsonArray(related.stream()
            .map(r -> new JsonObject().put("id", r.memory().id().toString())
                .put("content", r.memory().content()).put("type", r.memory().type().wire()).put("relation", "about"))
            .toList())))));
  }

  private void update(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "memory");
    JsonBody body = JsonBody.of(ctx).allowOnly("content", "type", "tags", "importance")
        .changes("content", "type", "tags", "importance");
    var changes = new MemoryRepository.Changes(body.optionalString("content", MemoryService.MAX_CONTENT),
        type(body.optionalString("type", 20), "type"), body.optionalStrings("tags", Tags.MAX_TAGS),
        body.optionalNumber("importance", 0, 1));
    Replies.json(ctx, 200, memories.update(Authenticated.userId(ctx), id, changes).map(Memory::toJson));
  }

  private void delete(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "memory");
    Replies.noContent(ctx, memories.delete(Authenticated.userId(ctx), id));
  }

  private static Memory.Type type(String value, String field) {
    if (value == null) {
      return null;
    }
    Memory.Type type = Memory.Type.parse(value);
    if (type == null) {
      throw DomainException.invalid(field + " must be one of fact, preference, person, place, plan, other");
    }
    return type;
  }
}
