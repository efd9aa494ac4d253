package dev.aide.bench;

import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import dev.aide.support.TestAide;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * Benchmark, not a test (./aide bench): drives POST /api/v1/chat on a real server and database.
 * Run 1: the offline model, many concurrent clients, prints messages/s and latency percentiles.
 * Run 2: a fake OpenAI-compatible model that takes 2 s per call, prints how many conversations waited on it at once.
 * Run 3: the Telegram webhook ({@link TelegramBenchmark}), then the SMS webhook ({@link SmsBenchmark}).
 * Run 4: expense summaries over 100,000 expenses ({@link ExpenseBenchmark}).
 * Run 5: calendar window queries over 10,000 events ({@link CalendarBenchmark}).
 * Run 6: the scheduler and the outbox with 100,000 reminders due at once, on one and three processes
 * ({@link SchedulerBenchmark}).
 */
public final class ChatBenchmark {

  private static final String[] REQUESTS = {
      "remind me to call mom tomorrow at 5pm",
      "remind me to water the plants in 20 minutes",
      "don't let me forget to buy milk on Friday at 9",
      "set a reminder for next Monday morning to send the report",
      "what are my reminders?",
  };

  public static void main(String[] args) {
    int clients = Integer.getInteger("bench.clients", 32);
    int messages = Integer.getInteger("bench.messages", 4000);
    int slowConversations = Integer.getInteger("bench.slowConversations", 500);
    offline(clients, messages);
    slowModel(slowConversations);
    TelegramBenchmark.run(Integer.getInteger("bench.telegramUpdates", 5000),
        Integer.getInteger("bench.telegramLatencyMessages", 300));
    SmsBenchmark.run(Integer.getInteger("bench.smsUpdates", 5000), Integer.getInteger("bench.smsLatencyMessages", 300));
    ExpenseBenchmark.run(Integer.getInteger("bench.expenses", 100_000), Integer.getInteger("bench.expenseCalls", 200));
    CalendarBenchmark.run(Integer.getInteger("bench.calendarEvents", 10_000),
        Integer.getInteger("bench.calendarRecurring", 1_000), Integer.getInteger("bench.calendarQueries", 300));
    SchedulerBenchmark.run();
    RateLimitBenchmark.run(Integer.getInteger("bench.limitChecks", 20_000),
        Integer.getInteger("bench.limitRequests", 4_000), clients);
    System.exit(0);
  }

  private static void offline(int clients, int messages) {
    try (TestAide aide = TestAide.start(Map.of(), Clock.systemUTC());
         ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Api> apis = IntStream.range(0, clients).mapToObj(i -> {
        Api api = new Api(aide.port());
        api.register("bench" + i + "@example.com", "Europe/Paris");
        return api;
      }).toList();
      // Warm-up: JIT, connection pools, prepared statements.
      run(apis, pool, clients * 10);
      long started = System.nanoTime();
      List<Long> latencies = run(apis, pool, messages);
      double seconds = (System.nanoTime() - started) / 1e9;
      Collections.sort(latencies);
      System.out.printf(Locale.ROOT,
          "offline model: %d messages from %d concurrent clients in %.1f s = %.0f messages/s; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          messages, clients, seconds, messages / seconds, ms(latencies, 0.50), ms(latencies, 0.90), ms(latencies, 0.99),
          latencies.get(latencies.size() - 1) / 1e6);
      apis.forEach(Api::close);
    }
  }

  private static List<Long> run(List<Api> apis, ExecutorService pool, int messages) {
    List<CompletableFuture<List<Long>>> workers = new ArrayList<>();
    int perClient = messages / apis.size();
    for (int c = 0; c < apis.size(); c++) {
      Api api = apis.get(c);
      int client = c;
      workers.add(CompletableFuture.supplyAsync(() -> {
        List<Long> times = new ArrayList<>(perClient);
        String conversationId = null;
        for (int i = 0; i < perClient; i++) {
          JsonObject body = new JsonObject().put("text", REQUESTS[(client + i) % REQUESTS.length]);
          if (conversationId != null && i % 10 != 0) {
            body.put("conversationId", conversationId);
          }
          long t0 = System.nanoTime();
          Api.Response r = api.post("/api/v1/chat", body);
          times.add(System.nanoTime() - t0);
          if (r.status() != 200) {
            throw new IllegalStateException("chat failed: " + r);
          }
          conversationId = r.json().getString("conversationId");
        }
        return times;
      }, pool));
    }
    List<Long> all = new ArrayList<>();
    workers.forEach(w -> all.addAll(w.join()));
    return all;
  }

  private static void slowModel(int conversations) {
    try (FakeOpenAi model = new FakeOpenAi(request -> FakeOpenAi.text("Noted.")).answeringAfter(2_000);
         TestAide aide = TestAide.start(Map.of("AIDE_LLM_PROVIDER", "openai", "AIDE_LLM_BASE_URL", model.baseUrl(),
             "AIDE_LLM_MODEL", "slow-model"), Clock.systemUTC());
         Api api = new Api(aide.port());
         ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      api.register("slow@example.com", "UTC");
      long started = System.nanoTime();
      List<CompletableFuture<Api.Response>> replies = IntStream.range(0, conversations)
          .mapToObj(i -> CompletableFuture.supplyAsync(
              () -> api.post("/api/v1/chat", new JsonObject().put("text", "note " + i)), pool))
          .toList();
      long ok = replies.stream().map(CompletableFuture::join).filter(r -> r.status() == 200).count();
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(Locale.ROOT,
          "2 s model: %d conversations sent at once, %d answered, at most %d waiting on the model at the same time, all done in %.1f s%n",
          conversations, ok, model.maxInFlight(), seconds);
    }
  }

  private static double ms(List<Long> sorted, double quantile) {
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}
