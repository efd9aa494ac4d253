package dev.aide.bench;

import dev.aide.support.Api;
import dev.aide.support.TestAide;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Benchmark, not a test (./aide bench): one user with 10,000 events over two years, 1,000 of them recurring (weekly
 * and daily, half of them endless), then GET /api/v1/events?from=&to= for one-week and one-month windows at random
 * places, one request at a time; prints p50/p99 latency and how many occurrences a window held.
 */
public final class CalendarBenchmark {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final ZonedDateTime FIRST_DAY = ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, PARIS);
  private static final int DAYS = 730;

  public static void main(String[] args) {
    run(Integer.getInteger("bench.calendarEvents", 10_000), Integer.getInteger("bench.calendarRecurring", 1_000),
        Integer.getInteger("bench.calendarQueries", 300));
    System.exit(0);
  }

  public static void run(int events, int recurring, int queries) {
    try (TestAide aide = TestAide.start(Map.of(), Clock.systemUTC());
         Api api = new Api(aide.port());
         ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      UUID userId = UUID.fromString(api.register("calendar-bench@example.com", "Europe/Paris").getString("id"));
      String calendar = api.get("/api/v1/calendars").json().getJsonArray("items").getJsonObject(0).getString("id");
      long t0 = System.nanoTime();
      // Single events straight into the table: 30 to 120 minutes, between 08:00 and 19:00, over two years.
      aide.db().execute("""
          insert into events (user_id, calendar_id, title, start_at, end_at, timezone)
          select '%s', '%s', 'Event ' || i, s, s + ((30 + (i * 37) %% 91) || ' minutes')::interval, 'Europe/Paris'
          from (select i, timestamptz '2026-01-01 08:00 Europe/Paris' + ((i * 7919) %% %d || ' days')::interval
                          + ((i * 13) %% 11 || ' hours')::interval as s
                from generate_series(1, %d) i) g""".formatted(userId, calendar, DAYS, events - recurring));
      // Recurring series through the API, so each is validated and its end computed as in real use.
      Random random = new Random(42);
      String[] days = {"MO", "TU", "WE", "TH", "FR"};
      List<JsonObject> series = new ArrayList<>();
      for (int i = 0; i < recurring; i++) {
        ZonedDateTime start = FIRST_DAY.plusDays(random.nextInt(DAYS - 60)).withHour(8 + random.nextInt(10));
        String rrule = switch (i % 5) {
          case 0, 1 -> "FREQ=WEEKLY;BYDAY=" + days[random.nextInt(days.length)];        // endless
          case 2 -> "FREQ=WEEKLY;COUNT=52";
          case 3 -> "FREQ=DAILY;COUNT=60";
          default -> "FREQ=DAILY;INTERVAL=" + (1 + random.nextInt(3));                  // endless
        };
        series.add(new JsonObject().put("title", "Series " + i).put("start", iso(start))
            .put("end", iso(start.plusMinutes(30))).put("timezone", "Europe/Paris").put("rrule", rrule));
      }
      List<CompletableFuture<Integer>> posts = series.stream()
          .map(body -> CompletableFuture.supplyAsync(() -> api.post("/api/v1/events", body).status(), pool)).toList();
      long failed = posts.stream().map(CompletableFuture::join).filter(status -> status != 201).count();
      if (failed > 0) {
        throw new IllegalStateException(failed + " recurring events were refused");
      }
      aide.db().execute("analyze events");
      System.out.printf(Locale.ROOT, "calendar: %d events (%d recurring) for one user written in %.1f s%n",
          aide.db().number("select count(*) from events"), aide.db().number("select count(*) from events where rrule is not null"),
          (System.nanoTime() - t0) / 1e9);
      window(api, "one-week", 7, queries);
      window(api, "one-month", 30, queries);
    }
  }

  private static void window(Api api, String name, int days, int queries) {
    Random random = new Random(7);
    for (int i = 0; i < 100; i++) {   // warm-up: JIT, prepared statements, caches
      query(api, FIRST_DAY.plusDays(random.nextInt(DAYS - days)), days);
    }
    List<Long> latencies = new ArrayList<>();
    long occurrences = 0;
    for (int i = 0; i < queries; i++) {
      ZonedDateTime from = FIRST_DAY.plusDays(random.nextInt(DAYS - days));
      long t0 = System.nanoTime();
      occurrences += query(api, from, days);
      latencies.add(System.nanoTime() - t0);
    }
    Collections.sort(latencies);
    System.out.printf(Locale.ROOT,
        "calendar: GET /api/v1/events %s window, %d queries: p50 %.1f ms, p99 %.1f ms, max %.1f ms; %.0f occurrences per window on average%n",
        name, queries, ms(latencies, 0.50), ms(latencies, 0.99), latencies.get(latencies.size() - 1) / 1e6,
        (double) occurrences / queries);
  }

  private static int query(Api api, ZonedDateTime from, int days) {
    Api.Response r = api.get("/api/v1/events?from=" + encode(iso(from)) + "&to=" + encode(iso(from.plusDays(days))));
    if (r.status() != 200) {
      throw new IllegalStateException("window query failed: " + r);
    }
    return r.json().getJsonArray("items").size();
  }

  private static String iso(ZonedDateTime time) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.toOffsetDateTime());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static double ms(List<Long> sorted, double quantile) {
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}
