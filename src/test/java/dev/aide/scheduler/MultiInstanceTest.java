package dev.aide.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideProcess;
import dev.aide.support.FakeTelegram;
import dev.aide.support.ReminderLoad;
import dev.aide.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Several Aide processes share one database: each due task is claimed by one of them, and when one dies by SIGKILL
 * mid-run its claimed tasks are taken over and its claimed messages sent again. Counted at the fake Bot API, every
 * reminder arrives, and only a message whose sendMessage was in flight at the instant of the kill may arrive twice:
 * Telegram's sendMessage has no idempotency key, so whether it got through before the process died cannot be known.
 */
@DisplayName("Three Aide processes on one database, one killed by SIGKILL mid-run")
class MultiInstanceTest {

  private static final String TOKEN = "7000000007:AAH-fake-token-for-multi-instance-test_01";
  private static final int PEOPLE = 300;
  private static final int REMINDERS = 3_000;
  private static final Duration SPREAD = Duration.ofSeconds(6);

  @Test
  @DisplayName("3,000 reminders due within seconds each reach their chat once; only messages in flight at the kill may repeat")
  void killOneOfThree() {
    try (TestDatabase db = TestDatabase.create(); FakeTelegram telegram = new FakeTelegram(TOKEN)) {
      Map<String, String> env = Map.of(
          "AIDE_TELEGRAM_BOT_TOKEN", TOKEN,
          "AIDE_TELEGRAM_API_URL", telegram.apiUrl(),
          "AIDE_TELEGRAM_MODE", "polling",
          "AIDE_TELEGRAM_MESSAGES_PER_SECOND", "10000",
          "AIDE_TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND", "1000",
          "AIDE_SCHEDULER_TAKEOVER_SECONDS", "3",
          "AIDE_SCHEDULER_POLL_MILLIS", "500",
          "AIDE_DELIVERY_CLAIM_TIMEOUT_SECONDS", "5",
          // Three pools share the test server with other test classes.
          "AIDE_DATABASE_POOL_SIZE", "8");
      List<AideProcess> aides = new ArrayList<>();
      try {
        aides.add(AideProcess.start("multi-1", db.url(), env)); // migrates the fresh database
        aides.addAll(AideProcess.startAll(List.of("multi-2", "multi-3"), db.url(), env));
        ReminderLoad.people(db, PEOPLE);
        ReminderLoad.reminders(db, REMINDERS, PEOPLE, Instant.now().plusSeconds(2), SPREAD);
        assertThat(db.number("select count(*) from scheduled_tasks where type = 'reminder' and status = 'scheduled'"))
            .isEqualTo(REMINDERS);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
            .until(() -> telegram.sentCount() >= REMINDERS / 3);
        // The victim is frozen (SIGSTOP) while its claims are read, and killed only while it holds some: a kill at an
        // instant it held nothing would not test taking over at all.
        AideProcess victim = null;
        Set<Integer> inDoubt = Set.of();
        long tasksHeld = 0;
        int deliveredBefore = 0;
        for (int attempt = 0; victim == null && attempt < 500; attempt++) {
          AideProcess candidate = busiest(db, aides);
          candidate.freeze();
          String claimedBy = "%:" + candidate.pid() + ":%";
          inDoubt = db.strings("select body from outbox where status = 'sending' and claimed_by like ?", claimedBy)
              .stream().map(ReminderLoad::reminderOf).collect(Collectors.toCollection(TreeSet::new));
          tasksHeld = db.number("select count(*) from scheduled_tasks where status = 'running' and claimed_by like ?",
              claimedBy);
          if (tasksHeld + inDoubt.size() > 0) {
            deliveredBefore = telegram.sentCount();
            candidate.kill();
            victim = candidate;
          } else {
            candidate.resume();
          }
        }
        assertThat(victim).as("an instance was caught holding claims, so its death is tested").isNotNull();
        AideProcess killed = victim;

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
            db.number("select count(*) from scheduled_tasks where status <> 'done'") == 0
                && db.number("select count(*) from outbox where status <> 'sent'") == 0
                && db.number("select count(*) from outbox") == REMINDERS);

        Map<Integer, Integer> arrivals = new HashMap<>();
        for (FakeTelegram.SentMessage message : telegram.sent()) {
          int reminder = ReminderLoad.reminderOf(message.text());
          assertThat(reminder).as("a reminder's message: %s", message.text()).isBetween(0, REMINDERS - 1);
          assertThat(message.chatId()).as("reminder %d reaches its person's chat", reminder)
              .isEqualTo(ReminderLoad.FIRST_CHAT + reminder % PEOPLE);
          arrivals.merge(reminder, 1, Integer::sum);
        }
        Set<Integer> duplicated = arrivals.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
        System.out.printf("MultiInstanceTest: killed %s after %d of %d messages; it held %d task claims and %d messages"
                + " in flight (in doubt); %d of those arrived twice: %s%n", victim, deliveredBefore, REMINDERS,
            tasksHeld, inDoubt.size(), duplicated.size(), duplicated);

        assertThat(arrivals).as("every reminder arrived").hasSize(REMINDERS);
        assertThat(duplicated).as("only a message in flight at the kill may arrive twice").isSubsetOf(inDoubt);
        // Delivery sends up to 4 claimed batches of 20 at once a channel (DeliveryVerticle): at most 80 are in doubt.
        assertThat(inDoubt).as("at most the claimed batches of the outbox (4 of 20) are in doubt")
            .hasSizeLessThanOrEqualTo(80);
        assertThat(arrivals.values()).as("none more than twice").allMatch(n -> n <= 2);
        assertThat(db.number("select count(*) from scheduled_tasks where type = 'reminder' and status = 'done'"))
            .as("every task done, none failed or left running").isEqualTo(REMINDERS);
        assertThat(db.number("select count(distinct body) from outbox")).as("one outbox row per reminder").isEqualTo(REMINDERS);
        assertThat(db.number("select count(*) from notifications")).as("one notification per reminder").isEqualTo(REMINDERS);
        assertThat(db.number("select count(*) from reminders where fired_at is null")).isZero();
        aides.stream().filter(a -> a != killed).forEach(a -> assertThat(a.isAlive()).as("%s survives", a).isTrue());
      } finally {
        aides.forEach(AideProcess::stop);
      }
    }
  }

  /** The instance holding the most claims right now, so the kill leaves work to take over. */
  private static AideProcess busiest(TestDatabase db, List<AideProcess> aides) {
    return aides.stream().max(Comparator.comparingLong(a -> {
      String claimedBy = "%:" + a.pid() + ":%";
      return db.number("select count(*) from scheduled_tasks where status = 'running' and claimed_by like ?", claimedBy)
          + db.number("select count(*) from outbox where status = 'sending' and claimed_by like ?", claimedBy);
    })).orElseThrow();
  }
}
