package dev.aide.channel.telegram;

import dev.aide.channel.ChannelsModule;
import dev.aide.channel.IdentityRepository;
import dev.aide.channel.Ingress;
import dev.aide.platform.channel.ChannelSender;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Features;
import dev.aide.platform.module.Platform;
import io.vertx.core.Deployable;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * Telegram: its adapter over the generic ingress (the webhook or long polling, the bot's own commands, who acts in a
 * group), linking a chat to an account, and delivery with sendMessage.
 */
public final class TelegramModule implements Feature {

  private final Platform platform;
  private final IdentityRepository identities;
  private final TelegramApi api;
  private final Ingress ingress;

  public TelegramModule(Platform platform, ChannelsModule channels) {
    this.platform = platform;
    this.identities = channels.identities();
    var config = platform.config();
    long botId = TelegramConfig.botId(config.telegram());
    this.api = new TelegramApi(platform.web(), config.telegram().apiUrl(), config.telegram().botToken());
    String secret = config.telegram().webhookSecret() != null ? config.telegram().webhookSecret()
        : platform.storedSecret("telegram-webhook");
    boolean webhook = config.telegram().effectiveMode(config.http().publicUrl()).equals("webhook");
    var mode = new TelegramAdapter.Mode(webhook, TelegramConfig.webhookUrl(config.http().publicUrl()), secret);
    this.ingress = channels.ingress(new TelegramAdapter(platform.vertx(), api, new TelegramRepository(platform.pool()),
        identities, channels.linking(), botId, mode));
  }

  @Override
  public void routes(Router api) {
    new TelegramLinkRoutes(this.api, identities).mount(api);
  }

  @Override
  public void publicRoutes(Router root) {
    ingress.mount(root);
  }

  @Override
  public List<ChannelSender> senders() {
    var config = platform.config().telegram();
    return List.of(new TelegramSender(api, identities, config.messagesPerSecond(), config.messagesPerChatPerSecond()));
  }

  @Override
  public List<Deployable> verticles(Features all) {
    return List.of(ingress.verticle());
  }
}
