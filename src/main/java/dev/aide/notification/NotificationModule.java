package dev.aide.notification;

import dev.aide.auth.AuthModule;
import dev.aide.delivery.DeliveryModule;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import io.vertx.ext.web.Router;
import java.util.Map;

/** Telling people: in-app notifications, and the same notice on their messaging channel through the outbox. */
public final class NotificationModule implements Feature {

  private final AuthModule auth;
  private final NotificationRepository notifications;
  private final Notifier notifier;

  public NotificationModule(Platform platform, AuthModule auth, DeliveryModule delivery) {
    this.auth = auth;
    this.notifications = new NotificationRepository(platform.pool(), platform.clock(),
        platform.config().smtp().enabled());
    this.notifier = new Notifier(platform.vertx(), notifications, delivery.outbox(), platform.clock());
  }

  public Notifier notifier() {
    return notifier;
  }

  /** Who a person is on their channels and how they want to be reached. */
  public NotificationRepository recipients() {
    return notifications;
  }

  @Override
  public void routes(Router api) {
    new NotificationRoutes(notifications, auth.users()).mount(api);
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("notifications", (userId, zone) -> Exports.of(notifications.list(userId, false, Exports.ALL),
        n -> n.toJson(zone)));
  }
}
