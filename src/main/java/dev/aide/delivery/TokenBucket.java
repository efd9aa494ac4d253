package dev.aide.delivery;

/** A token bucket: how long to wait before the next send so a rate (and a small burst) is never exceeded. */
final class TokenBucket {

  private final double perNano;
  private final double capacity;
  private double tokens;
  private long last;

  TokenBucket(double perSecond, double burst, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.capacity = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes a token, and answers how many nanoseconds the caller must wait before using it (0 when one is free). */
  long reserve(long nowNanos) {
    tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
    last = nowNanos;
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
  }
}
