package dev.aide.platform.channel;

import java.time.Duration;

/** Why a channel could not deliver a message, which decides what the delivery verticle does next. */
public class DeliveryFailure extends RuntimeException {

  /** What to do about a failure. */
  public enum Kind {
    /** The channel asked to wait (a 429): retry after the given delay, not counted as an attempt. */
    WAIT,
    /** A passing error (5xx, network): retry with exponential backoff, up to the maximum of attempts. */
    TRANSIENT,
    /** The message can never be delivered (recipient blocked the bot, invalid request): dead letter. */
    PERMANENT
  }

  private final Kind kind;
  private final Duration wait;

  public DeliveryFailure(Kind kind, String message, Duration wait) {
    super(message, null, false, false);
    this.kind = kind;
    this.wait = wait;
  }

  public static DeliveryFailure waitFor(Duration wait, String message) {
    return new DeliveryFailure(Kind.WAIT, message, wait);
  }

  public static DeliveryFailure transientError(String message) {
    return new DeliveryFailure(Kind.TRANSIENT, message, null);
  }

  public static DeliveryFailure permanent(String message) {
    return new DeliveryFailure(Kind.PERMANENT, message, null);
  }

  public Kind kind() {
    return kind;
  }

  public Duration waitDuration() {
    return wait;
  }
}
