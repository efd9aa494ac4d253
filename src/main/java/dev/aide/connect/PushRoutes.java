package dev.aide.connect;

import dev.aide.platform.secret.OpaqueTokens;
import dev.aide.scheduler.TaskRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Push notifications that bring a Google or Microsoft account's sync forward to now (the notification says only that
 * something changed; the sync reads what). {@code POST /webhooks/google/calendar}: a watch channel's message, its
 * X-Goog-Channel-Token checked against the hash stored for X-Goog-Channel-ID (403 otherwise). {@code POST
 * /webhooks/microsoft/calendar}: Graph's validation (the validationToken echoed as text/plain) and change
 * notifications, each taken only when its clientState matches its subscription's (others are ignored, as Graph
 * advises), answered 202.
 */
final class PushRoutes {

  private final ConnectedAccountRepository accounts;
  private final TaskRepository tasks;
  private final Clock clock;

  PushRoutes(ConnectedAccountRepository accounts, TaskRepository tasks, Clock clock) {
    this.accounts = accounts;
    this.tasks = tasks;
    this.clock = clock;
  }

  void mount(Router root) {
    root.post(OAuthSync.webhookPath("google")).handler(this::google);
    root.post(OAuthSync.webhookPath("microsoft")).handler(this::microsoft);
  }

  private static boolean same(String secret, String hash) {
    return secret != null && hash != null && MessageDigest.isEqual(OpaqueTokens.hash(secret)
        .getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
  }

  /** Brings the account's sync forward to now (a burst of notifications is one sync: the task has one key). */
  private Future<Void> soon(ConnectedAccountRepository.PushTarget target) {
    return tasks.ensure(SyncHandler.spec(target.userId(), target.accountId(), clock.instant()));
  }

  private void google(RoutingContext ctx) {
    String channel = ctx.request().getHeader("X-Goog-Channel-ID");
    String token = ctx.request().getHeader("X-Goog-Channel-Token");
    String state = ctx.request().getHeader("X-Goog-Resource-State");
    if (channel == null || channel.length() > 500 || token == null) {
      ctx.response().setStatusCode(403).end();
      return;
    }
    accounts.byPush(channel).compose(found -> {
      if (found.isEmpty() || !same(token, found.get().secretHash())) {
        return Future.succeededFuture(403);
      }
      // "sync" is the channel's first message, sent when it is made: nothing changed yet.
      return "sync".equals(state) ? Future.succeededFuture(200) : soon(found.get()).map(200);
    }).onSuccess(status -> ctx.response().setStatusCode(status).end()).onFailure(ctx::fail);
  }

  private void microsoft(RoutingContext ctx) {
    String validation = ctx.queryParams().get("validationToken");
    if (validation != null) {
      if (validation.length() > 2000) {
        ctx.response().setStatusCode(400).end();
        return;
      }
      ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(validation);
      return;
    }
    JsonArray value;
    try {
      value = ctx.body().asJsonObject().getJsonArray("value");
    } catch (RuntimeException e) {
      value = null;
    }
    if (value == null) {
      ctx.response().setStatusCode(400).end();
      return;
    }
    Future<Void> chain = Future.succeededFuture();
    for (Object o : value.stream().limit(100).toList()) {
      if (!(o instanceof JsonObject n) || !(n.getValue("subscriptionId") instanceof String id) || id.length() > 500) {
        continue;
      }
      String clientState = n.getValue("clientState") instanceof String s ? s : null;
      chain = chain.compose(v -> accounts.byPush(id)).compose(found -> found.isPresent()
          && same(clientState, found.get().secretHash()) ? soon(found.get()) : Future.succeededFuture());
    }
    chain.onSuccess(v -> ctx.response().setStatusCode(202).end()).onFailure(ctx::fail);
  }
}
