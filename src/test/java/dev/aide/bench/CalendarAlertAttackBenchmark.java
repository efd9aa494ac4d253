package dev.aide.bench;

import dev.aide.support.Api;
import dev.aide.support.TestAide;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Benchmark, not a test (./aide bench -Dbench.main=dev.aide.bench.CalendarAlertAttackBenchmark): the shape of the
 * issue-9 alert attack. One person creates hourly series anchored on 1900-01-01 with alerts, each carrying the
 * largest number of exception dates a request may hold, all of them the next hours (every alert computation must
 * skip them all); then, per series, one occurrence override. Prints the time per POST /api/v1/events and per
 * override, and what another person's GET /health took meanwhile, asked for in a loop while the attack runs.
 */
public final class CalendarAlertAttackBenchmark {

  public static void main(String[] args) throws InterruptedException {
    run(Integer.getInteger("bench.attackEvents", 40), Integer.getInteger("bench.attackExdates", 1000));
    System.exit(0);
  }

  public static void run(int events, int exdates) throws InterruptedException {
    try (TestAide aide = TestAide.start(Map.of(), Clock.systemUTC());
         Api attacker = new Api(aide.port());
         Api other = new Api(aide.port())) {
      attacker.register("attacker@example.com", "UTC");
      other.register("bystander@example.com", "UTC");
      Instant firstHour = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
      JsonArray skipped = new JsonArray();
      for (int i = 0; i < exdates; i++) {
        skipped.add(firstHour.plus(i, ChronoUnit.HOURS).toString());
      }
      List<Long> posts = new ArrayList<>();
      List<Long> overrides = new ArrayList<>();
      List<Long> bystander = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean attacking = new AtomicBoolean(true);
      Thread watcher = Thread.ofVirtual().start(() -> {
        while (attacking.get()) {
          long t0 = System.nanoTime();
          other.get("/health");
          bystander.add(System.nanoTime() - t0);
        }
      });
      for (int i = 0; i < events; i++) {
        JsonObject body = new JsonObject().put("title", "Attack " + i).put("start", "1900-01-01T00:00:00Z")
            .put("end", "1900-01-01T00:30:00Z").put("timezone", "UTC").put("rrule", "FREQ=HOURLY")
            .put("alertMinutes", 10).put("exdates", skipped);
        long t0 = System.nanoTime();
        Api.Response created = attacker.post("/api/v1/events", body);
        posts.add(System.nanoTime() - t0);
        if (created.status() != 201) {
          throw new IllegalStateException("the attack's event was refused: " + created);
        }
        String occurrence = firstHour.plus(exdates, ChronoUnit.HOURS).toString();
        t0 = System.nanoTime();
        Api.Response moved = attacker.patch("/api/v1/events/" + created.json().getString("id") + "/occurrences/"
            + occurrence, new JsonObject().put("title", "Moved"));
        overrides.add(System.nanoTime() - t0);
        if (moved.status() != 200) {
          throw new IllegalStateException("the attack's override was refused: " + moved);
        }
      }
      attacking.set(false);
      watcher.join();
      System.out.printf(Locale.ROOT, "alert attack: %d hourly series from 1900 with %d exdates and alertMinutes%n",
          events, exdates);
      print("POST /api/v1/events", posts);
      print("PATCH one occurrence", overrides);
      print("another person's GET /health during the attack", bystander);
    }
  }

  private static void print(String what, List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    double mean = sorted.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
    System.out.printf(Locale.ROOT, "alert attack: %s: mean %.1f ms, p50 %.1f ms, max %.1f ms%n", what, mean,
        sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
  }
}
