package dev.aide.bench;

import static org.awaitility.Awaitility.await;

import dev.aide.support.Api;
import dev.aide.support.FakeTelegram;
import dev.aide.support.TestAide;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Benchmark, not a test (./aide bench): the Telegram webhook on a real server and database with the offline model and
 * a fake Bot API server. Prints updates/s accepted (each stored in the inbox before its 200) and the end-to-end
 * latency from the webhook POST to the reply reaching sendMessage.
 */
public final class TelegramBenchmark {

  private static final String TOKEN = "7000000001:AAH-benchmark-token_0123456789";
  private static final String SECRET = "bench-secret";
  private static final AtomicLong UPDATE_IDS = new AtomicLong();

  public static void main(String[] args) {
    run(Integer.getInteger("bench.telegramUpdates", 5000), Integer.getInteger("bench.telegramLatencyMessages", 300));
    System.exit(0);
  }

  static void run(int updates, int latencyMessages) {
    try (FakeTelegram telegram = new FakeTelegram(TOKEN);
         TestAide aide = TestAide.start(Map.of("AIDE_TELEGRAM_BOT_TOKEN", TOKEN, "AIDE_TELEGRAM_API_URL", telegram.apiUrl(),
             "AIDE_PUBLIC_URL", "https://aide.example.org", "AIDE_TELEGRAM_WEBHOOK_SECRET", SECRET), Clock.systemUTC());
         Api api = new Api(aide.port());
         ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> telegram.webhook() != null);

      // Accepted and persisted: 64 concurrent senders into 500 group chats, in messages not addressed to the bot, so
      // each is stored, handled and set aside without a reply (replies would queue behind Telegram's 30/s limit).
      long started = System.nanoTime();
      List<CompletableFuture<Void>> senders = IntStream.range(0, 64).mapToObj(s -> CompletableFuture.runAsync(() -> {
        for (int i = s; i < updates; i += 64) {
          post(api, FakeTelegram.update("update-text-group-other.json", UPDATE_IDS.incrementAndGet(), -10_000 - i % 500,
              "see you all at the meeting"));
        }
      }, pool)).toList();
      senders.forEach(CompletableFuture::join);
      double seconds = (System.nanoTime() - started) / 1e9;
      long stored = aide.db().number("select count(*) from inbox");
      System.out.printf(Locale.ROOT, "telegram webhook: %d updates accepted and persisted in %.1f s = %.0f updates/s (%d inbox rows)%n",
          updates, seconds, updates / seconds, stored);
      await().atMost(Duration.ofMinutes(5)).until(() -> aide.db().number("select count(*) from inbox where processed_at is null") == 0);

      // End to end: one message per fresh chat (a person writes at most about once a second), a few senders at once.
      int atOnce = Integer.getInteger("bench.telegramConcurrency", 2);
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      List<CompletableFuture<Void>> people = IntStream.range(0, atOnce).mapToObj(p -> CompletableFuture.runAsync(() -> {
        for (int i = p; i < latencyMessages; i += atOnce) {
          long chat = 1_000_000 + i;
          Instant sent = Instant.now();
          post(api, FakeTelegram.update("update-text-private.json", UPDATE_IDS.incrementAndGet(), chat,
              "remind me to call mom tomorrow at 5pm"));
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2))
              .until(() -> telegram.sent().stream().anyMatch(m -> m.chatId() == chat));
          Instant replied = telegram.sent().stream().filter(m -> m.chatId() == chat).findFirst().orElseThrow().at();
          latencies.add(Duration.between(sent, replied).toNanos());
          // Paced to 10 messages/s per sender so the total stays under Telegram's 30/s, which delivery keeps to;
          // otherwise the rate limit, not the pipeline, is what this measures.
          long left = Duration.between(Instant.now(), sent.plusMillis(100)).toNanos();
          if (left > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
          }
        }
      }, pool)).toList();
      people.forEach(CompletableFuture::join);
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      System.out.printf(Locale.ROOT, "telegram end to end (webhook -> offline model -> outbox -> sendMessage), %d messages, %d chats at a time: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          sorted.size(), atOnce, pct(sorted, 0.50), pct(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }
  }

  private static void post(Api api, JsonObject update) {
    Api.Response r = api.send(HttpMethod.POST, "/webhooks/telegram", update.toBuffer(), "application/json",
        Map.of("X-Telegram-Bot-Api-Secret-Token", SECRET));
    if (r.status() != 200) {
      throw new IllegalStateException("webhook answered " + r);
    }
  }

  private static double pct(List<Long> sorted, double q) {
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1))) / 1e6;
  }
}
