package dev.aide.bench;

import dev.aide.auth.SessionRepository;
import dev.aide.platform.database.Database;
import dev.aide.platform.ratelimit.RateLimitRepository;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.aide.support.Api;
import dev.aide.support.TestAide;
import dev.aide.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Benchmark, not a test (./aide bench -Dbench.main=dev.aide.bench.RateLimitBenchmark): what the abuse limits and the
 * per-request session check cost. Prints µs per check (one after another, p50/p99) and checks per second (many in
 * flight) for a fixed-window hit, a sign-in slow-down attempt, the session check and a bare "select 1" on the same
 * pool, then POST /api/v1/reminders (two limit checks per request) on a server with the limits on and one with them
 * off, from concurrent clients.
 */
public final class RateLimitBenchmark {

  public static void main(String[] args) {
    run(Integer.getInteger("bench.limitChecks", 20_000), Integer.getInteger("bench.limitRequests", 4_000),
        Integer.getInteger("bench.clients", 32));
    System.exit(0);
  }

  static void run(int checks, int requests, int clients) {
    direct(checks);
    http(requests, clients);
  }

  private static void direct(int checks) {
    Vertx vertx = Vertx.vertx();
    try (TestDatabase db = TestDatabase.create()) {
      Pool pool = Database.pool(vertx, db.url(), 16);
      RateLimiter limiter = new RateLimiter(new RateLimitRepository(pool), Clock.systemUTC());
      SessionRepository sessions = new SessionRepository(pool);
      db.execute("insert into users (email) values ('bench@example.com')");
      UUID user = UUID.fromString(db.strings("select id::text from users").get(0));
      db.execute("insert into sessions (user_id, expires_at) values ('" + user + "', now() + interval '1 day')");
      UUID session = UUID.fromString(db.strings("select id::text from sessions").get(0));
      RateLimiter.Window window = new RateLimiter.Window("bench", Integer.MAX_VALUE, Duration.ofMinutes(1), "x");
      RateLimiter.Backoff backoff = new RateLimiter.Backoff("bench-backoff", Integer.MAX_VALUE - 1,
          Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1), "x");
      AtomicInteger n = new AtomicInteger();
      List<Case> cases = List.of(
          new Case("select 1 (the round trip alone)", () -> pool.query("select 1").execute().mapEmpty()),
          new Case("session check (every authenticated request)", () -> sessions.isLive(session, user).mapEmpty()),
          new Case("window hit, one key (a person's chat turns)", () -> limiter.hit(window, "one person")),
          new Case("window hit, 10,000 keys (many people)", () -> limiter.hit(window, "p" + n.incrementAndGet() % 10_000)),
          new Case("slow-down attempt (a sign-in)", () -> limiter.attempt(backoff, "a" + n.incrementAndGet() % 10_000)));
      for (Case c : cases) {
        sequential(c, Math.min(2_000, checks));
        List<Long> latencies = sequential(c, checks);
        double rate = concurrent(c, checks, 32);
        System.out.printf(Locale.ROOT, "%-46s one at a time: p50 %5.0f µs, p99 %5.0f µs; 32 in flight: %,8.0f/s%n",
            c.name(), us(latencies, 0.5), us(latencies, 0.99), rate);
      }
      pool.close().toCompletionStage().toCompletableFuture().join();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private record Case(String name, Supplier<Future<Void>> check) {}

  private static List<Long> sequential(Case c, int count) {
    List<Long> latencies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      c.check().get().toCompletionStage().toCompletableFuture().join();
      latencies.add(System.nanoTime() - t0);
    }
    Collections.sort(latencies);
    return latencies;
  }

  private static double concurrent(Case c, int count, int inFlight) {
    Promise<Void> done = Promise.promise();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    long t0 = System.nanoTime();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (started.incrementAndGet() > count) {
        return;
      }
      c.check().get().onComplete(ar -> {
        if (finished.incrementAndGet() == count) {
          done.tryComplete();
        } else {
          next[0].run();
        }
      });
    };
    for (int i = 0; i < inFlight; i++) {
      next[0].run();
    }
    done.future().toCompletionStage().toCompletableFuture().join();
    return count / ((System.nanoTime() - t0) / 1e9);
  }

  private static void http(int requests, int clients) {
    for (boolean limited : new boolean[] {false, true, false, true}) {
      String on = limited ? "1000000" : "0";
      try (TestAide aide = TestAide.start(Map.of("AIDE_LIMITS_REMINDERS_PER_HOUR", on,
          "AIDE_LIMITS_REMINDERS_PER_DAY", on), Clock.systemUTC())) {
        List<Api> apis = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          Api api = new Api(aide.port());
          api.register("bench" + i + "@example.com", "UTC");
          apis.add(api);
        }
        run(apis, Math.min(requests, 1_000)); // warm-up
        long t0 = System.nanoTime();
        List<Long> latencies = run(apis, requests);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "POST /api/v1/reminders, limits %-3s, %d clients, %,d requests: %,.0f requests/s, "
            + "p50 %.2f ms, p99 %.2f ms%n", limited ? "on" : "off", clients, requests, requests / seconds,
            us(latencies, 0.5) / 1000, us(latencies, 0.99) / 1000);
        apis.forEach(Api::close);
      }
    }
  }

  private static List<Long> run(List<Api> apis, int requests) {
    ExecutorService threads = Executors.newFixedThreadPool(apis.size());
    AtomicInteger left = new AtomicInteger(requests);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>(requests));
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (Api api : apis) {
        all.add(CompletableFuture.runAsync(() -> {
          while (left.getAndDecrement() > 0) {
            long t0 = System.nanoTime();
            Api.Response r = api.post("/api/v1/reminders", new JsonObject().put("text", "bench")
                .put("dueAt", "2030-01-01T09:00:00Z"));
            latencies.add(System.nanoTime() - t0);
            if (r.status() != 201) {
              throw new IllegalStateException("create failed: " + r);
            }
          }
        }, threads));
      }
      all.forEach(CompletableFuture::join);
    } finally {
      threads.shutdown();
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return sorted;
  }

  private static double us(List<Long> sortedNanos, double quantile) {
    int i = (int) Math.min(sortedNanos.size() - 1, Math.round(quantile * (sortedNanos.size() - 1)));
    return sortedNanos.get(i) / 1000.0;
  }
}
