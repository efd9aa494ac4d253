package dev.aide.channel.telegram;

import dev.aide.auth.Authenticated;
import dev.aide.channel.IdentityRepository;
import dev.aide.platform.http.Replies;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** POST /channels/telegram/link: a one-time deep link (t.me/<bot>?start=<token>, 15 minutes) that links a chat. */
public final class TelegramLinkRoutes {

  static final Duration LINK_TTL = Duration.ofMinutes(15);

  private final TelegramApi api;
  private final IdentityRepository identities;

  public TelegramLinkRoutes(TelegramApi api, IdentityRepository identities) {
    this.api = api;
    this.identities = identities;
  }

  public void mount(Router api) {
    api.post("/channels/telegram/link").handler(this::link);
  }

  private void link(RoutingContext ctx) {
    var userId = Authenticated.userId(ctx);
    Replies.json(ctx, 200, api.getMe().compose(bot -> identities.createLinkToken(userId, TelegramRepository.CHANNEL, LINK_TTL)
        .map(token -> new JsonObject()
            .put("token", token)
            .put("url", "https://t.me/" + bot.username() + "?start=" + token)
            .put("expiresInSeconds", LINK_TTL.toSeconds()))));
  }
}
