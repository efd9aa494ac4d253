package dev.aide.channel.telegram;

import dev.aide.platform.http.ApiException;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import dev.aide.channel.InboxRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * POST /webhooks/telegram: checks Telegram's secret token header, stores the update in the inbox, and only then
 * answers 200. A redelivered update_id is acknowledged and not stored again.
 */
public final class TelegramWebhookRoutes {

  public static final String PATH = "/webhooks/telegram";
  private static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

  private final Vertx vertx;
  private final InboxRepository inbox;
  private final long botId;
  private final byte[] secret;

  public TelegramWebhookRoutes(Vertx vertx, InboxRepository inbox, long botId, String secret) {
    this.vertx = vertx;
    this.inbox = inbox;
    this.botId = botId;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  public void mount(Router router) {
    router.post(PATH).handler(this::update);
  }

  private void update(RoutingContext ctx) {
    String given = ctx.request().getHeader(SECRET_HEADER);
    // Constant-time comparison, so the secret cannot be guessed byte by byte from response times.
    if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), secret)) {
      throw ApiException.unauthorized("Missing or wrong " + SECRET_HEADER);
    }
    JsonObject update;
    try {
      update = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw ApiException.badRequest("The update is not a JSON object");
    }
    Long updateId = update == null ? null : TelegramUpdate.updateId(update).orElse(null);
    if (updateId == null) {
      throw ApiException.badRequest("The update has no whole-number update_id");
    }
    // Anything with an update_id is acknowledged once stored, whatever else it holds: an update Aide cannot use is
    // set aside by the handler, so Telegram does not redeliver it forever.
    inbox.insert(TelegramRepository.CHANNEL, TelegramRepository.externalId(botId, updateId),
            TelegramRepository.chatKey(update), TelegramUpdate.storable(update))
        .onSuccess(inserted -> {
          ctx.response().setStatusCode(200).end();
          if (inserted.isPresent()) {
            vertx.eventBus().publish(TelegramBus.INBOX, null);
          }
        })
        .onFailure(ctx::fail);
  }
}
