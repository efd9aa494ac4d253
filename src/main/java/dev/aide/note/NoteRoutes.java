package dev.aide.note;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** /notes: list (full-text q, tag, limit), create, read, update, delete. */
public final class NoteRoutes {

  private final NoteService notes;

  public NoteRoutes(NoteService notes) {
    this.notes = notes;
  }

  public void mount(Router api) {
    api.get("/notes").handler(this::list);
    api.post("/notes").handler(this::create);
    api.get("/notes/:id").handler(this::get);
    api.patch("/notes/:id").handler(this::update);
    api.delete("/notes/:id").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    Replies.json(ctx, 200, notes.search(Authenticated.userId(ctx), ctx.queryParams().get("q"),
            ctx.queryParams().get("tag"), Params.limit(ctx, 50, 500))
        .map(list -> Replies.items(list, Note::toJson)));
  }

  private void create(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("title", "content", "tags");
    String content = body.requiredString("content", NoteService.MAX_CONTENT);
    String title = body.optionalString("title", NoteService.MAX_TITLE);
    List<String> tags = tags(ctx);
    Replies.json(ctx, 201, notes.create(Authenticated.userId(ctx), title, content, tags, null).map(Note::toJson));
  }

  private void get(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "note");
    Replies.json(ctx, 200, notes.get(Authenticated.userId(ctx), id).map(Note::toJson));
  }

  private void update(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "note");
    JsonBody body = JsonBody.of(ctx).allowOnly("title", "content", "tags").changes("content", "tags");
    var changes = new NoteRepository.Changes(body.has("title"), body.optionalString("title", NoteService.MAX_TITLE),
        body.optionalString("content", NoteService.MAX_CONTENT), tags(ctx));
    Replies.json(ctx, 200, notes.update(Authenticated.userId(ctx), id, changes).map(Note::toJson));
  }

  private void delete(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "note");
    Replies.noContent(ctx, notes.delete(Authenticated.userId(ctx), id));
  }

  /** The tags array of a body JsonBody has already checked; null when absent. */
  private static List<String> tags(RoutingContext ctx) {
    Object value = ctx.body().asJsonObject().getValue("tags");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw DomainException.invalid("tags must be an array of strings");
    }
    List<String> tags = new ArrayList<>();
    for (Object tag : array) {
      if (!(tag instanceof String s)) {
        throw DomainException.invalid("tags must be an array of strings");
      }
      tags.add(s);
    }
    return tags;
  }
}
