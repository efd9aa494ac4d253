package dev.aide.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.platform.database.Database;
import dev.aide.support.ManualClock;
import dev.aide.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The rate limiter counts exactly under concurrency, on any number of pools, and forgets what ended")
class RateLimiterTest {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
  private static TestDatabase db;
  private static Vertx vertx;
  private static Pool first;
  private static Pool second;
  private static RateLimiter one;
  private static RateLimiter two;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    vertx = Vertx.vertx();
    first = Database.pool(vertx, db.url(), 8);
    second = Database.pool(vertx, db.url(), 8);
    // Two limiters on two pools: as two instances would be.
    one = new RateLimiter(new RateLimitRepository(first), CLOCK);
    two = new RateLimiter(new RateLimitRepository(second), CLOCK);
  }

  @AfterAll
  static void stop() {
    first.close().toCompletionStage().toCompletableFuture().join();
    second.close().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    db.close();
  }

  @BeforeEach
  void reset() {
    db.execute("truncate rate_limits");
  }

  @Test
  @DisplayName("200 hits at once on a limit of 50 a minute, from two pools: exactly 50 pass")
  void windowIsExact() {
    RateLimiter.Window limit = new RateLimiter.Window("test", 50, Duration.ofMinutes(1), "Too many");
    List<Future<Void>> hits = IntStream.range(0, 200)
        .mapToObj(i -> (i % 2 == 0 ? one : two).hit(limit, "someone")).toList();
    await(Future.join(hits));
    assertThat(hits.stream().filter(Future::succeeded).count()).isEqualTo(50);
    assertThat(hits.stream().filter(Future::failed).map(Future::cause)).allMatch(RateLimited.class::isInstance);
    assertThat(db.number("select count(*) from rate_limits")).isEqualTo(1);
    assertThat(db.strings("select key_hash from rate_limits")).doesNotContain("someone");
  }

  @Test
  @DisplayName("100 attempts at once on a slow-down with 5 free: 6 are let through, the others wait")
  void backoffIsExact() {
    RateLimiter.Backoff limit = new RateLimiter.Backoff("test-backoff", 5, Duration.ofSeconds(1),
        Duration.ofMinutes(15), Duration.ofHours(1), "Too many");
    List<Future<Void>> attempts = IntStream.range(0, 100)
        .mapToObj(i -> (i % 2 == 0 ? one : two).attempt(limit, "account")).toList();
    await(Future.join(attempts));
    assertThat(attempts.stream().filter(Future::succeeded).count()).isEqualTo(6);
  }

  @Test
  @DisplayName("ended windows and forgotten failures are deleted by the housekeeping, live ones are kept")
  void housekeeping() {
    RateLimiter.Window minute = new RateLimiter.Window("minute", 5, Duration.ofMinutes(1), "Too many");
    RateLimiter.Window hour = new RateLimiter.Window("hour", 5, Duration.ofHours(1), "Too many");
    await(one.hit(minute, "a"));
    await(one.hit(minute, "b"));
    await(one.hit(hour, "a"));

    CLOCK.advance(Duration.ofMinutes(2));

    assertThat(await(two.deleteExpired(1000))).isEqualTo(2);
    assertThat(db.number("select count(*) from rate_limits")).isEqualTo(1);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().join();
    } catch (Exception e) {
      return null;
    }
  }
}
