package dev.aide.delivery;

import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Features;
import dev.aide.platform.module.HealthReport;
import dev.aide.platform.module.Platform;
import io.vertx.core.Deployable;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/** The outbox and its delivery: every message Aide sends leaves through it, on the channels the features add. */
public final class DeliveryModule implements Feature {

  private final Platform platform;
  private final OutboxRepository outbox;

  public DeliveryModule(Platform platform) {
    this.platform = platform;
    this.outbox = new OutboxRepository(platform.deliveryPool());
  }

  public OutboxRepository outbox() {
    return outbox;
  }

  @Override
  public void routes(Router api) {
    new DeliveryRoutes(outbox).mount(api);
  }

  @Override
  public Map<String, HealthReport> health() {
    return Map.of("outbox", outbox::health);
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("deliveries", (userId, zone) -> Exports.of(outbox.forUser(userId, null, Exports.ALL),
        Delivery::toJson));
  }

  @Override
  public List<Deployable> verticles(Features all) {
    return List.of(new DeliveryVerticle(outbox, all.senders(), platform.instance(),
        platform.config().delivery().claimTimeout(), platform.metrics()));
  }
}
