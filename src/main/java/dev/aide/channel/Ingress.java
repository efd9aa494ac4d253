package dev.aide.channel;

import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * The generic ingress of one channel, around its {@link ChannelAdapter}: the webhook route (the update stored before
 * it is acknowledged, a redelivery acknowledged and not stored again) and the verticle that leads the channel and
 * handles its inbox.
 */
public final class Ingress {

  private final Vertx vertx;
  private final Pool pool;
  private final ChannelAdapter adapter;
  private final InboxRepository inbox;
  private final InboxHandler handler;
  private final Commands commands;

  Ingress(Vertx vertx, Pool pool, ChannelAdapter adapter, InboxRepository inbox, InboxHandler handler,
          Commands commands) {
    this.vertx = vertx;
    this.pool = pool;
    this.adapter = adapter;
    this.inbox = inbox;
    this.handler = handler;
    this.commands = commands;
  }

  /** The adapter's webhook, if it has one, outside /api/v1: the adapter checks the channel's own credentials. */
  public void mount(Router root) {
    adapter.webhook().ifPresent(webhook -> root.post(webhook.path()).handler(ctx -> receive(webhook, ctx)));
  }

  /** The channel's worker, to deploy once per Aide instance. */
  public Deployable verticle() {
    return new IngressVerticle(pool, adapter, inbox, handler, commands);
  }

  private void receive(ChannelAdapter.Webhook webhook, RoutingContext ctx) {
    Received update = webhook.accept(ctx);
    // Anything the adapter accepts is acknowledged once stored, whatever else it holds: an update Aide cannot use is
    // set aside by the handler, so the channel does not redeliver it forever.
    inbox.insert(adapter.channel(), update)
        .onSuccess(inserted -> {
          webhook.acknowledge(ctx);
          if (inserted.isPresent()) {
            vertx.eventBus().publish(ChannelBus.inbox(adapter.channel()), null);
          }
        })
        .onFailure(ctx::fail);
  }
}
