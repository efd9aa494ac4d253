package dev.aide.channel.telegram;

import dev.aide.platform.config.AideConfig;
import dev.aide.platform.config.ConfigException;
import java.net.URI;

/** What Aide derives from the Telegram configuration. */
public final class TelegramConfig {

  private TelegramConfig() {}

  /** A bot token is "<bot id>:<secret>"; the id keys the bot's inbox rows and its polling offset. */
  public static long botId(AideConfig.Telegram telegram) {
    String token = telegram.botToken();
    int colon = token.indexOf(':');
    try {
      if (colon <= 0) {
        throw new NumberFormatException();
      }
      return Long.parseLong(token.substring(0, colon));
    } catch (NumberFormatException e) {
      throw new ConfigException("config telegram.botToken (AIDE_TELEGRAM_BOT_TOKEN) must look like 123456789:AA… "
          + "(the token BotFather gives)");
    }
  }

  public static String webhookUrl(URI publicUrl) {
    String base = publicUrl.toString().replaceAll("/+$", "");
    return base + TelegramWebhook.PATH;
  }
}
