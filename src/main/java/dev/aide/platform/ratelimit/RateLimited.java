package dev.aide.platform.ratelimit;

import dev.aide.platform.error.DomainException;
import java.time.Duration;

/**
 * A request refused by an abuse limit: 429 with a Retry-After of {@link #retryAfterSeconds()} at the HTTP edge, a
 * polite "please wait" on a messaging channel, an error text for the model in a tool call.
 */
public final class RateLimited extends DomainException {

  private final long retryAfterSeconds;

  public RateLimited(String message, Duration retryAfter) {
    super(Kind.LIMITED, message);
    // Whole seconds, rounded up, at least one: a client that waits that long is let through.
    long millis = Math.max(0, retryAfter.toMillis());
    this.retryAfterSeconds = Math.max(1, (millis + 999) / 1000);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
