package dev.aide.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that runs at the real pace from a chosen instant and can jump forward, so a test can stand just before a
 * due time (a daylight-saving change, the end of quiet hours) and watch it pass in a second or two.
 */
public final class TestClock extends Clock {

  private final AtomicReference<Duration> offset;

  private TestClock(AtomicReference<Duration> offset) {
    this.offset = offset;
  }

  /** A clock that reads {@code now} at this moment and runs on from there. */
  public static TestClock at(Instant now) {
    return new TestClock(new AtomicReference<>(Duration.between(Instant.now(), now)));
  }

  /** From now on the clock reads {@code now}, and runs on from there. */
  public void jumpTo(Instant now) {
    offset.set(Duration.between(Instant.now(), now));
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return zone.equals(ZoneOffset.UTC) ? this : Clock.offset(Clock.system(zone), offset.get());
  }
}
