package dev.aide.channel.telegram;

import dev.aide.channel.ChannelAdapter;
import dev.aide.channel.Received;
import dev.aide.platform.error.DomainException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * POST /webhooks/telegram: Telegram's secret token header must match, and the body must be a Bot API Update (a
 * whole-number update_id). The ingress stores it and only then answers 200.
 */
final class TelegramWebhook implements ChannelAdapter.Webhook {

  static final String PATH = "/webhooks/telegram";
  private static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

  private final TelegramAdapter adapter;
  private final byte[] secret;

  TelegramWebhook(TelegramAdapter adapter, String secret) {
    this.adapter = adapter;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public Received accept(RoutingContext ctx) {
    String given = ctx.request().getHeader(SECRET_HEADER);
    // Constant-time comparison, so the secret cannot be guessed byte by byte from response times.
    if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), secret)) {
      throw DomainException.unauthenticated("Missing or wrong " + SECRET_HEADER);
    }
    JsonObject update;
    try {
      update = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw DomainException.malformed("The update is not a JSON object");
    }
    if (update == null || TelegramUpdate.updateId(update).isEmpty()) {
      throw DomainException.malformed("The update has no whole-number update_id");
    }
    return adapter.received(update);
  }
}
