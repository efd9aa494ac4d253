package dev.aide.bench;

import dev.aide.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the database's time goes while a benchmark runs: every 10 ms, the statements the other sessions of the
 * benchmark's database are running (pg_stat_activity), counted by the statement's opening words and what it waits on
 * (CPU when nothing). A statement seen in many samples runs long or often; the shares are of the samples in which
 * any was running. Its own session is left out. It costs a query every 10 ms, so it is off unless asked for.
 */
final class ActivitySampler implements AutoCloseable {

  private static final String SAMPLE = """
      select left(regexp_replace(query, '\\s+', ' ', 'g'), 48), coalesce(wait_event_type || ':' || wait_event, 'CPU')
      from pg_stat_activity
      where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
      """;

  private final Thread thread;
  private final Map<String, Integer> byStatement = new HashMap<>();
  private final Map<String, Integer> byWait = new HashMap<>();
  private volatile boolean running = true;
  private int samples;
  private int busy;

  ActivitySampler(TestDatabase db) {
    thread = Thread.ofPlatform().name("activity-sampler").start(() -> sample(db));
  }

  private void sample(TestDatabase db) {
    try (Connection c = DriverManager.getConnection(db.url().jdbcUrl(), db.url().user(), db.url().password());
         Statement clear = c.createStatement();
         PreparedStatement active = c.prepareStatement(SAMPLE)) {
      while (running) {
        // A session sees pg_stat_activity as of its first read in a transaction until it clears the snapshot.
        clear.execute("select pg_stat_clear_snapshot()");
        boolean any = false;
        try (ResultSet rs = active.executeQuery()) {
          while (rs.next()) {
            any = true;
            synchronized (this) {
              byStatement.merge(rs.getString(1), 1, Integer::sum);
              byWait.merge(rs.getString(2), 1, Integer::sum);
            }
          }
        }
        synchronized (this) {
          samples++;
          busy += any ? 1 : 0;
        }
        Thread.sleep(10);
      }
    } catch (SQLException e) {
      System.out.println("  activity sampler stopped: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The statements seen most, each with its share of all sessions' samples; then the waits. */
  synchronized void print(int top) {
    int seen = byStatement.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(Locale.ROOT, "  database activity: %,d samples, %,d with a statement running (%,d sightings);"
        + " by statement:%n", samples, busy, seen);
    byStatement.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(e -> System.out.printf(Locale.ROOT, "    %5.1f %%  %s%n", 100.0 * e.getValue() / seen, e.getKey()));
    StringBuilder waits = new StringBuilder();
    byWait.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5)
        .forEach(e -> waits.append(String.format(Locale.ROOT, "%s %.0f %%, ", e.getKey(), 100.0 * e.getValue() / seen)));
    System.out.println("    waiting on: " + waits.substring(0, Math.max(0, waits.length() - 2)));
  }
}
