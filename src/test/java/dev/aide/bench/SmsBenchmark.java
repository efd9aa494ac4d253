package dev.aide.bench;

import static org.awaitility.Awaitility.await;

import dev.aide.support.Api;
import dev.aide.support.FakeTwilio;
import dev.aide.support.TestAide;
import dev.aide.support.TwilioWebhooks;
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
import java.util.stream.IntStream;

/**
 * Benchmark, not a test (./aide bench): the SMS webhook on a real server and database with the offline model and a
 * fake Twilio. Prints webhooks/s accepted (each checked against its X-Twilio-Signature and stored in the inbox before
 * its TwiML answer) and the end-to-end latency from the webhook POST to the reply reaching the Messages API.
 */
public final class SmsBenchmark {

  public static void main(String[] args) {
    run(Integer.getInteger("bench.smsUpdates", 5000), Integer.getInteger("bench.smsLatencyMessages", 300));
    System.exit(0);
  }

  static void run(int updates, int latencyMessages) {
    // Twilio paces a long code at about one SMS a second; here delivery is let through at 100 a second, so what is
    // measured is Aide's pipeline, not the carrier's pace.
    try (FakeTwilio twilio = new FakeTwilio();
         TestAide aide = TestAide.start(Map.of("AIDE_TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID,
             "AIDE_TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN, "AIDE_TWILIO_FROM_NUMBER", FakeTwilio.NUMBER,
             "AIDE_TWILIO_API_URL", twilio.apiUrl(), "AIDE_PUBLIC_URL", TwilioWebhooks.PUBLIC_URL,
             "AIDE_TWILIO_MESSAGES_PER_SECOND", "100"), Clock.systemUTC());
         Api api = new Api(aide.port());
         ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      TwilioWebhooks webhooks = new TwilioWebhooks(api);

      // Accepted and persisted: 64 concurrent senders from 500 numbers that unsubscribed (STOP), so each message is
      // checked, stored, handled and set aside without a reply (replies would queue behind the sending number's pace).
      aide.db().execute("insert into sms_opt_outs (channel, number) select 'sms', '+4477009' || lpad(n::text, 5, '0')"
          + " from generate_series(0, 499) n");
      long started = System.nanoTime();
      List<CompletableFuture<Void>> senders = IntStream.range(0, 64).mapToObj(s -> CompletableFuture.runAsync(() -> {
        for (int i = s; i < updates; i += 64) {
          post(webhooks, TwilioWebhooks.sms("+4477009" + String.format("%05d", i % 500), "see you at the meeting"));
        }
      }, pool)).toList();
      senders.forEach(CompletableFuture::join);
      double seconds = (System.nanoTime() - started) / 1e9;
      long stored = aide.db().number("select count(*) from inbox");
      System.out.printf(Locale.ROOT, "sms webhook: %d signed messages accepted and persisted in %.1f s = %.0f "
          + "messages/s (%d inbox rows)%n", updates, seconds, updates / seconds, stored);
      await().atMost(Duration.ofMinutes(5))
          .until(() -> aide.db().number("select count(*) from inbox where processed_at is null") == 0);

      // End to end: one message from each of many numbers (a person writes at most about once a second).
      int atOnce = Integer.getInteger("bench.smsConcurrency", 2);
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      List<CompletableFuture<Void>> people = IntStream.range(0, atOnce).mapToObj(p -> CompletableFuture.runAsync(() -> {
        for (int i = p; i < latencyMessages; i += atOnce) {
          String number = "+4477008" + String.format("%05d", i);
          Instant sent = Instant.now();
          post(webhooks, TwilioWebhooks.sms(number, "remind me to call mom tomorrow at 5pm"));
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2))
              .until(() -> !twilio.sentTo(number).isEmpty());
          latencies.add(Duration.between(sent, twilio.sentTo(number).get(0).at()).toNanos());
          // Paced to 10 messages/s per sender: each reply comes with the first-exchange timezone note, so two
          // senders keep delivery at 40 messages/s, under the pace it is allowed.
          long left = Duration.between(Instant.now(), sent.plusMillis(100)).toNanos();
          if (left > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
          }
        }
      }, pool)).toList();
      people.forEach(CompletableFuture::join);
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      System.out.printf(Locale.ROOT, "sms end to end (signed webhook -> offline model -> outbox -> Messages API), %d "
          + "messages, %d numbers at a time: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", sorted.size(), atOnce,
          pct(sorted, 0.50), pct(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }
  }

  private static void post(TwilioWebhooks webhooks, Map<String, String> sms) {
    Api.Response r = webhooks.post(TwilioWebhooks.SMS, sms);
    if (r.status() != 200) {
      throw new IllegalStateException("webhook answered " + r);
    }
  }

  private static double pct(List<Long> sorted, double q) {
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1))) / 1e6;
  }
}
