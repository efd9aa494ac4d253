package dev.aide.notification;

import dev.aide.auth.Authenticated;
import dev.aide.auth.User;
import dev.aide.auth.UserRepository;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneId;
import java.util.UUID;

/**
 * /notifications: the in-app list (newest first; {@code unread=true} for unread only) with the unread count, and
 * marking one or all of them read.
 */
public final class NotificationRoutes {

  private final NotificationRepository notifications;
  private final UserRepository users;

  public NotificationRoutes(NotificationRepository notifications, UserRepository users) {
    this.notifications = notifications;
    this.users = users;
  }

  public void mount(Router api) {
    api.get("/notifications").handler(this::list);
    api.post("/notifications/read").handler(this::readAll);
    api.post("/notifications/:id/read").handler(this::read);
  }

  private void list(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    String unread = ctx.queryParams().get("unread");
    if (unread != null && !unread.equals("true") && !unread.equals("false")) {
      throw DomainException.invalid("unread must be true or false");
    }
    int limit = Params.limit(ctx, 50, 500);
    Replies.json(ctx, 200, zone(userId).compose(zone -> notifications.list(userId, "true".equals(unread), limit)
        .compose(list -> notifications.unread(userId)
            .map(count -> Replies.items(list, n -> n.toJson(zone)).put("unread", count)))));
  }

  private void read(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    UUID id = Params.pathId(ctx, "id", "notification");
    Replies.json(ctx, 200, zone(userId).compose(zone -> notifications.markRead(userId, id)
        .map(found -> found.orElseThrow(() -> DomainException.notFound("notification")).toJson(zone))));
  }

  private void readAll(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    Replies.json(ctx, 200, notifications.markAllRead(userId).map(n -> new JsonObject().put("marked", n)));
  }

  private Future<ZoneId> zone(UUID userId) {
    return users.findById(userId).map(user -> user.map(User::timezone).orElse(ZoneId.of("UTC")));
  }
}
