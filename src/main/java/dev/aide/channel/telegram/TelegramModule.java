package dev.aide.channel.telegram;

import dev.aide.agenda.Agenda;
import dev.aide.auth.AuthModule;
import dev.aide.calendar.CalendarModule;
import dev.aide.channel.ChannelsModule;
import dev.aide.conversation.ConversationModule;
import dev.aide.platform.channel.ChannelSender;
import dev.aide.delivery.DeliveryModule;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Features;
import dev.aide.platform.module.Platform;
import dev.aide.reminder.ReminderModule;
import dev.aide.speech.OpenAiTranscriber;
import dev.aide.speech.Transcriber;
import io.vertx.core.Deployable;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;

/** Telegram: the webhook or long polling, the bot's commands, linking a chat to an account, and delivery. */
public final class TelegramModule implements Feature {

  private final Platform platform;
  private final ChannelsModule channels;
  private final long botId;
  private final TelegramApi api;
  private final String secret;
  private final TelegramRepository telegram;
  private final TelegramUpdateHandler handler;

  public TelegramModule(Platform platform, ChannelsModule channels, AuthModule auth, DeliveryModule delivery,
                        ConversationModule conversation, CalendarModule calendar, ReminderModule reminders) {
    this.platform = platform;
    this.channels = channels;
    var config = platform.config();
    this.botId = TelegramConfig.botId(config.telegram());
    this.api = new TelegramApi(platform.web(), config.telegram().apiUrl(), config.telegram().botToken());
    this.secret = config.telegram().webhookSecret() != null ? config.telegram().webhookSecret()
        : platform.storedSecret("telegram-webhook");
    this.telegram = new TelegramRepository(platform.pool(), channels.inbox(), delivery.outbox());
    Transcriber transcriber = config.stt().enabled()
        ? new OpenAiTranscriber(platform.web(), config.stt().baseUrl(), config.stt().apiKey(), config.stt().model(),
            Duration.ofSeconds(60))
        : null;
    this.handler = new TelegramUpdateHandler(platform.vertx(), api, telegram, channels.identities(), auth.users(),
        auth.service(), new Agenda(calendar.events(), reminders.reminders(), auth.users(), platform.clock()),
        conversation.gateway(), transcriber);
  }

  @Override
  public void routes(Router api) {
    new TelegramLinkRoutes(this.api, channels.identities()).mount(api);
  }

  @Override
  public void publicRoutes(Router root) {
    new TelegramWebhookRoutes(platform.vertx(), channels.inbox(), botId, secret).mount(root);
  }

  @Override
  public List<ChannelSender> senders() {
    var config = platform.config().telegram();
    return List.of(new TelegramSender(api, channels.identities(), config.messagesPerSecond(),
        config.messagesPerChatPerSecond()));
  }

  @Override
  public List<Deployable> verticles(Features all) {
    var config = platform.config();
    boolean webhook = config.telegram().effectiveMode(config.http().publicUrl()).equals("webhook");
    return List.of(new TelegramVerticle(platform.pool(), api, telegram, channels.inbox(), handler, botId,
        new TelegramVerticle.Mode(webhook, TelegramConfig.webhookUrl(config.http().publicUrl()), secret)));
  }
}
