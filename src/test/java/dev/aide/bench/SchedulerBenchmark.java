package dev.aide.bench;

import static org.awaitility.Awaitility.await;

import dev.aide.support.AideProcess;
import dev.aide.support.FakeTelegram;
import dev.aide.support.ReminderLoad;
import dev.aide.support.TestDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Benchmark, not a test (./aide bench): the scheduler and the outbox under load, on real Aide processes (one, then
 * three sharing the database, each a JVM of its own) delivering to a fake Bot API whose rate limits are raised out
 * of the way. Each run has a fresh database with people who linked a Telegram chat and one-time reminders for them:
 * <ol>
 *   <li>a burst: 100,000 reminders due at the same instant;</li>
 *   <li>steady load: 5,000 reminders due one after another over 10 s, well within capacity.</li>
 * </ol>
 * Prints tasks fired per second (a reminder fires when its handler writes the notification and the outbox row, and
 * records fired_at with Aide's clock), messages delivered per second at the fake, and the firing lag (fired_at − due)
 * and delivery lag (the fake's receipt − due) at p50, p99 and max. With -Dbench.schedulerProfile=true it also
 * samples what the database is running until the last task fired, and prints the statements it saw most.
 */
public final class SchedulerBenchmark {

  private static final String TOKEN = "7000000008:AAH-benchmark-token-for-the-scheduler_01";
  private static final Duration FAR = Duration.ofDays(1);

  public static void main(String[] args) {
    run();
    System.exit(0);
  }

  /** The runs the bench.scheduler* properties ask for. */
  static void run() {
    run(Integer.getInteger("bench.schedulerTasks", 100_000), Integer.getInteger("bench.schedulerPeople", 10_000),
        instances(System.getProperty("bench.schedulerInstances", "1,3")),
        Integer.getInteger("bench.schedulerSteadyTasks", 5_000), Integer.getInteger("bench.schedulerSteadySeconds", 10),
        List.of(System.getProperty("bench.schedulerRuns", "burst,steady").split(",")));
  }

  static int[] instances(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
  }

  static void run(int tasks, int people, int[] instances, int steadyTasks, int steadySeconds, List<String> runs) {
    System.out.printf(Locale.ROOT, "scheduler benchmark: %d cores, load average %s%n",
        Runtime.getRuntime().availableProcessors(), loadAverage());
    if (runs.contains("burst")) {
      for (int n : instances) {
        measure("burst", n, tasks, people, Duration.ZERO);
      }
    }
    if (runs.contains("steady")) {
      for (int n : instances) {
        measure("steady", n, steadyTasks, Math.min(people, steadyTasks), Duration.ofSeconds(steadySeconds));
      }
    }
  }

  /** The machine's 1, 5 and 15 minute load averages: other work on a shared machine shows in every figure. */
  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return String.format(Locale.ROOT, "%.2f",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /** One run: n fresh processes, the reminders written due far ahead, then all moved to their due times at once. */
  private static void measure(String label, int n, int tasks, int people, Duration spread) {
    try (TestDatabase db = TestDatabase.create(); FakeTelegram telegram = new FakeTelegram(TOKEN)) {
      Map<String, String> env = Map.of(
          "AIDE_TELEGRAM_BOT_TOKEN", TOKEN,
          "AIDE_TELEGRAM_API_URL", telegram.apiUrl(),
          "AIDE_TELEGRAM_MODE", "polling",
          "AIDE_TELEGRAM_MESSAGES_PER_SECOND", "100000",
          "AIDE_TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND", "10000",
          "AIDE_LOG_LEVEL", "WARN");
      List<AideProcess> aides = new ArrayList<>();
      try {
        aides.add(AideProcess.start("bench-" + label + "-" + n + "x-1", db.url(), env));
        if (n > 1) {
          aides.addAll(AideProcess.startAll(IntStream.rangeClosed(2, n).mapToObj(i -> "bench-" + label + "-" + n + "x-" + i)
              .toList(), db.url(), env));
        }
        ReminderLoad.people(db, people);
        int warmedUp = warmUp(db, telegram, people);
        long t0 = System.nanoTime();
        ReminderLoad.reminders(db, tasks, people, Instant.now().plus(FAR), Duration.ZERO);
        db.execute("vacuum analyze");
        double written = (System.nanoTime() - t0) / 1e9;

        // Moving every reminder and its task to its due time in one transaction makes them visible
        // to the schedulers at once, ahead of the first due time by a margin longer than the move takes.
        Duration lead = Duration.ofMillis(Math.max(3_000, (long) (written * 2_000)));
        Instant due = Instant.now().plus(lead);
        long commitsBefore = commits(db);
        long m0 = System.nanoTime();
        db.update("""
            with moved as (
              update reminders set due_at = ? + (split_part(text, '-', 2)::int * ?::float8) * interval '1 microsecond'
              returning id, due_at)
            update scheduled_tasks t set next_run_at = moved.due_at, updated_at = now()
            from moved where t.task_key = 'reminder:' || moved.id
            """, OffsetDateTime.ofInstant(due, ZoneOffset.UTC), spread.toNanos() / 1000.0 / tasks);
        Instant moved = Instant.now();
        System.out.printf(Locale.ROOT, "scheduler %s, %d instance(s): %,d reminders for %,d people written in %.1f s, moved"
                + " to their due time in %.1f s (%.1f s before the first was due)%n", label, n, tasks, people, written,
            (System.nanoTime() - m0) / 1e9, Duration.between(moved, due).toMillis() / 1000.0);

        ActivitySampler sampler = null;
        if (Boolean.getBoolean("bench.schedulerProfile")) {
          sampler = new ActivitySampler(db);
          awaitFired(db, tasks);
          sampler.close();
        }
        awaitDelivered(db, telegram, warmedUp + tasks);
        long commits = commits(db) - commitsBefore;
        report(label, n, tasks, spread, db, telegram, warmedUp);
        if (sampler != null) {
          System.out.println("  from the move until the last task fired (delivery runs meanwhile; the benchmark's"
              + " own polling is the count of fired reminders):");
          sampler.print(12);
        }
        System.out.printf(Locale.ROOT, "  database: %,d transactions committed from the move to the last delivery, %.2f a"
            + " task (firing, delivery, and this benchmark's polling)%n", commits, commits / (double) tasks);
      } finally {
        aides.forEach(AideProcess::stop);
      }
    }
  }

  /**
   * Runs 2,000 reminders over 4 s through the fresh processes first, so the JIT has compiled the scheduler, the
   * handler and the delivery path before the measured run (a server runs warm); answers the messages they left at
   * the fake, which the report leaves out.
   */
  private static int warmUp(TestDatabase db, FakeTelegram telegram, int people) {
    int count = 2_000;
    ReminderLoad.reminders(db, "warmup-", count, people, Instant.now().plusSeconds(1), Duration.ofSeconds(4));
    awaitDelivered(db, telegram, count);
    db.execute("delete from reminders where text like 'warmup-%'");
    db.execute("delete from outbox; delete from notifications; delete from scheduled_tasks");
    db.execute("vacuum analyze");
    return telegram.sentCount();
  }

  private static void awaitFired(TestDatabase db, int tasks) {
    await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(1)).until(() ->
        db.number("select count(*) from reminders where fired_at is not null and text like 'load-%'") >= tasks);
  }

  private static void awaitDelivered(TestDatabase db, FakeTelegram telegram, int tasks) {
    long[] lastReport = {System.nanoTime()};
    await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (System.nanoTime() - lastReport[0] > 10e9) {
        lastReport[0] = System.nanoTime();
        System.out.printf(Locale.ROOT, "  … %,d fired, %,d delivered%n",
            db.number("select count(*) from reminders where fired_at is not null"), telegram.sentCount());
      }
      return telegram.sentCount() >= tasks && db.number("select count(*) from outbox where status <> 'sent'") == 0
          && db.number("select count(*) from scheduled_tasks where status in ('scheduled', 'running')") == 0;
    });
  }

  private static void report(String label, int n, int tasks, Duration spread, TestDatabase db, FakeTelegram telegram,
                             int warmedUp) {
    Map<Integer, Long> dueMicros = new HashMap<>(tasks * 2);
    long[] firing = new long[tasks];
    long firstDue = Long.MAX_VALUE;
    long firstFired = Long.MAX_VALUE;
    long lastFired = Long.MIN_VALUE;
    int i = 0;
    try (Connection c = DriverManager.getConnection(db.url().jdbcUrl(), db.url().user(), db.url().password());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select text, due_at, fired_at from reminders where text like 'load-%'")) {
      while (rs.next()) {
        long dueAt = micros(rs.getObject(2, OffsetDateTime.class));
        long firedAt = micros(rs.getObject(3, OffsetDateTime.class));
        dueMicros.put(ReminderLoad.reminderOf(rs.getString(1)), dueAt);
        firing[i++] = firedAt - dueAt;
        firstDue = Math.min(firstDue, dueAt);
        firstFired = Math.min(firstFired, firedAt);
        lastFired = Math.max(lastFired, firedAt);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    // When each reminder's message was recorded as sent, to set against when the fake received it: between the two,
    // a crash would leave the message in doubt (sent, but not known to be).
    Map<Integer, Long> recorded = new HashMap<>(tasks * 2);
    try (Connection c = DriverManager.getConnection(db.url().jdbcUrl(), db.url().user(), db.url().password());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select body, sent_at from outbox")) {
      while (rs.next()) {
        recorded.put(ReminderLoad.reminderOf(rs.getString(1)), micros(rs.getObject(2, OffsetDateTime.class)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    List<FakeTelegram.SentMessage> all = telegram.sent();
    List<FakeTelegram.SentMessage> sent = all.subList(warmedUp, all.size());
    long[] doubt = new long[sent.size()];
    long[] delivery = new long[sent.size()];
    long firstSent = Long.MAX_VALUE;
    long lastSent = Long.MIN_VALUE;
    for (int k = 0; k < sent.size(); k++) {
      long at = micros(sent.get(k).at());
      int reminder = ReminderLoad.reminderOf(sent.get(k).text());
      delivery[k] = at - dueMicros.get(reminder);
      doubt[k] = recorded.get(reminder) - at;
      firstSent = Math.min(firstSent, at);
      lastSent = Math.max(lastSent, at);
    }
    Arrays.sort(firing);
    Arrays.sort(delivery);
    Arrays.sort(doubt);
    List<String> shares = db.strings("""
        select split_part(claimed_by, ':', 2) || ': ' || count(*) from outbox group by claimed_by order by 1""");
    System.out.printf(Locale.ROOT, "scheduler %s, %d instance(s), %,d tasks%s (load average %s):%n", label, n, tasks,
        spread.isZero() ? " due at the same instant" : " due evenly over " + spread.toSeconds() + " s", loadAverage());
    System.out.printf(Locale.ROOT, "  fired     %,8.0f tasks/s    (first %.2f s, last %.2f s after the first due time);"
            + " lag p50 %s, p99 %s, max %s%n", rate(tasks, firstFired, lastFired, firstDue, spread),
        (firstFired - firstDue) / 1e6, (lastFired - firstDue) / 1e6, lag(firing, 0.50), lag(firing, 0.99),
        lag(firing, 1.0));
    System.out.printf(Locale.ROOT, "  delivered %,8.0f messages/s (first %.2f s, last %.2f s after the first due time);"
            + " lag p50 %s, p99 %s, max %s%n", rate(sent.size(), firstSent, lastSent, firstDue, spread),
        (firstSent - firstDue) / 1e6, (lastSent - firstDue) / 1e6, lag(delivery, 0.50), lag(delivery, 0.99),
        lag(delivery, 1.0));
    System.out.printf(Locale.ROOT, "  in doubt (received by the fake, not yet recorded as sent) p50 %s, p99 %s, max %s%n",
        lag(doubt, 0.50), lag(doubt, 0.99), lag(doubt, 1.0));
    System.out.printf(Locale.ROOT, "  %,d messages at the fake for %,d reminders; sent by process (pid: messages) %s%n",
        sent.size(), tasks, shares);
  }

  /** Transactions the database committed so far (its statistics, flushed within a second or so). */
  private static long commits(TestDatabase db) {
    return db.number("select xact_commit from pg_stat_database where datname = current_database()");
  }

  /** A burst's rate counts from the due instant; a steady load's from its first fire (its pace is set by the load). */
  private static double rate(int count, long first, long last, long firstDue, Duration spread) {
    long from = spread.isZero() ? firstDue : first;
    return count / Math.max(1e-6, (last - from) / 1e6);
  }

  private static String lag(long[] sortedMicros, double quantile) {
    int index = Math.min(sortedMicros.length - 1, Math.max(0, (int) Math.ceil(quantile * sortedMicros.length) - 1));
    double ms = sortedMicros[index] / 1000.0;
    return ms >= 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000) : String.format(Locale.ROOT, "%.0f ms", ms);
  }

  private static long micros(OffsetDateTime time) {
    return micros(time.toInstant());
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
  }
}
