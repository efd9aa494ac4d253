package dev.aide.proactive;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import dev.aide.proactive.ProactiveMessage.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * /proactive-messages: schedule one, list them (soonest first), read one, cancel one. {@code DELETE} cancels too (the
 * message stays, cancelled, as a record), answering 204 like every other DELETE.
 */
public final class ProactiveRoutes {

  private final ProactiveService messages;

  public ProactiveRoutes(ProactiveService messages) {
    this.messages = messages;
  }

  public void mount(Router api) {
    api.get("/proactive-messages").handler(this::list);
    api.post("/proactive-messages").handler(this::create);
    api.get("/proactive-messages/:id").handler(this::get);
    api.post("/proactive-messages/:id/cancel").handler(this::cancel);
    api.delete("/proactive-messages/:id").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("content", "scheduledFor", "urgent");
    String content = body.optionalString("content", ProactiveService.MAX_CONTENT);
    var scheduledFor = body.optionalInstant("scheduledFor");
    boolean urgent = Boolean.TRUE.equals(body.optionalBoolean("urgent"));
    Replies.json(ctx, 201, messages.create(Authenticated.userId(ctx), content, scheduledFor, urgent, null)
        .map(ProactiveMessage::toJson));
  }

  private void list(RoutingContext ctx) {
    Status status = status(ctx.queryParams().get("status"));
    Replies.json(ctx, 200, messages.list(Authenticated.userId(ctx), status, Params.limit(ctx, 100, 1000))
        .map(list -> Replies.items(list, ProactiveMessage::toJson)));
  }

  private void get(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "proactive message");
    Replies.json(ctx, 200, messages.get(Authenticated.userId(ctx), id).map(ProactiveMessage::toJson));
  }

  private void cancel(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "proactive message");
    Replies.json(ctx, 200, messages.cancel(Authenticated.userId(ctx), id).map(ProactiveMessage::toJson));
  }

  private void delete(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "proactive message");
    Replies.noContent(ctx, messages.cancel(Authenticated.userId(ctx), id));
  }

  private static Status status(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Status.fromWire(value);
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("status must be pending, sent, failed or cancelled");
    }
  }
}
