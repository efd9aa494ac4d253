package dev.aide.channel.telegram;

/** A failure the Telegram Bot API reported ({@code "ok": false}), with the documented error code and retry hint. */
public final class TelegramApiException extends RuntimeException {

  private final int errorCode;
  private final String description;
  private final Integer retryAfter;

  public TelegramApiException(String method, int errorCode, String description, Integer retryAfter) {
    // The method name, never the URL: the URL carries the bot token.
    super("Telegram " + method + " failed: " + errorCode + " " + description, null, false, false);
    this.errorCode = errorCode;
    this.description = description;
    this.retryAfter = retryAfter;
  }

  public int errorCode() {
    return errorCode;
  }

  public String description() {
    return description;
  }

  /** Seconds to wait before retrying, from {@code parameters.retry_after}; null when Telegram gave none. */
  public Integer retryAfter() {
    return retryAfter;
  }

  public boolean rateLimited() {
    return errorCode == 429;
  }

  /** The bot was blocked, kicked, or may not write to this chat: retrying will not help. */
  public boolean forbidden() {
    return errorCode == 403;
  }

  /** The HTML we sent did not parse; the caller can resend the text without a parse mode. */
  public boolean badFormatting() {
    return errorCode == 400 && description != null && description.contains("can't parse entities");
  }

  public boolean serverError() {
    return errorCode >= 500 && errorCode < 600;
  }
}
