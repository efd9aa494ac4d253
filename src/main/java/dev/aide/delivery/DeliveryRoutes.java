package dev.aide.delivery;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** /deliveries: what Aide sent the person on their messaging channels, with the dead letters (status=dead). */
public final class DeliveryRoutes {

  private static final Set<String> STATUSES = Set.of("pending", "sending", "sent", "dead");

  private final OutboxRepository outbox;

  public DeliveryRoutes(OutboxRepository outbox) {
    this.outbox = outbox;
  }

  public void mount(Router api) {
    api.get("/deliveries").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    String status = ctx.queryParams().get("status");
    if (status != null && !STATUSES.contains(status)) {
      throw DomainException.invalid("status must be one of pending, sending, sent, dead");
    }
    Replies.json(ctx, 200, outbox.forUser(Authenticated.userId(ctx), status, Params.limit(ctx, 50, 500))
        .map(list -> Replies.items(list, Delivery::toJson)));
  }
}
