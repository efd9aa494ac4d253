package dev.aide.undo;

import dev.aide.auth.Authenticated;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * POST /changes/{id}/undo: reverses one change a chat tool made, by the handle its tool call carries ({@code undo}).
 */
final class UndoRoutes {

  private final UndoRepository undo;

  UndoRoutes(UndoRepository undo) {
    this.undo = undo;
  }

  void mount(Router api) {
    api.post("/changes/:id/undo").handler(this::undo);
  }

  private void undo(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "change");
    Replies.json(ctx, 200, undo.undo(Authenticated.userId(ctx), id).map(done -> new JsonObject()
        .put("id", done.id().toString())
        .put("tool", done.tool())
        .put("undone", true)
        .put("undoneAt", Times.iso(done.undoneAt()))));
  }
}
