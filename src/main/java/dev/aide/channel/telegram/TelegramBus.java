package dev.aide.channel.telegram;

/** Event-bus address of the Telegram channel. */
public final class TelegramBus {

  /** Published (no body) when an update entered the inbox, so the handling instance looks at once. */
  public static final String INBOX = "aide.telegram.inbox";

  private TelegramBus() {}
}
