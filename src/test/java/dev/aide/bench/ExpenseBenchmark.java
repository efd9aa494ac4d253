package dev.aide.bench;

import dev.aide.support.Api;
import dev.aide.support.TestAide;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark, not a test (./aide bench): GET /api/v1/expenses/summary on a real server and database for a user with
 * 100,000 expenses over 2026, beside 400,000 of 200 other people (so the user has a fifth of the table, as on a
 * small shared server). Prints p50/p99 latency for a month and for a year,
 * grouped by category, day and month, and the plan PostgreSQL chose (the (user_id, spent_on) index).
 */
public final class ExpenseBenchmark {

  private static final String[] GROUPINGS = {"category", "day", "month"};

  public static void main(String[] args) {
    run(Integer.getInteger("bench.expenses", 100_000), Integer.getInteger("bench.expenseCalls", 200));
    System.exit(0);
  }

  static void run(int expenses, int calls) {
    try (TestAide aide = TestAide.start(Map.of(), Clock.systemUTC()); Api api = new Api(aide.port())) {
      String user = api.register("spender@example.com", "Europe/Paris").getString("id");
      for (int i = 0; i < 200; i++) {
        aide.db().execute("insert into users (email) values ('other" + i + "@example.com')");
      }
      long started = System.nanoTime();
      aide.db().execute(insert("'" + user + "'::uuid", expenses));
      // The others' rows go round-robin to the 200 other users through a join on n % 200.
      aide.db().execute(insert("o.id", 4 * expenses).replace("as n", "as n join (select id,"
          + " row_number() over () % 200 as k from users where email like 'other%') o on o.k = n % 200"));
      aide.db().execute("vacuum analyze expenses");
      System.out.printf(Locale.ROOT, "expenses: %,d for one user (+%,d for 200 others) inserted in %.1f s%n",
          expenses, 4 * expenses, (System.nanoTime() - started) / 1e9);

      String month = "from=2026-06-01&to=2026-06-30";
      String year = "from=2026-01-01&to=2026-12-31";
      for (String[] range : new String[][] {{"month", month}, {"year", year}}) {
        for (String groupBy : GROUPINGS) {
          String path = "/api/v1/expenses/summary?" + range[1] + "&groupBy=" + groupBy;
          for (int i = 0; i < 20; i++) {
            api.get(path); // warm-up: JIT, prepared statements, buffers
          }
          List<Long> latencies = new ArrayList<>(calls);
          int groups = 0;
          for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            Api.Response r = api.get(path);
            latencies.add(System.nanoTime() - t0);
            if (r.status() != 200) {
              throw new IllegalStateException("summary failed: " + r);
            }
            groups = r.json().getJsonArray("groups").size();
          }
          Collections.sort(latencies);
          System.out.printf(Locale.ROOT, "expense summary, a %s (%s), groupBy=%s: %d groups, %d calls, p50 %.1f ms, p99 %.1f ms%n",
              range[0], range[1].replace('&', ' '), groupBy, groups, calls, ms(latencies, 0.50), ms(latencies, 0.99));
        }
        System.out.println("  plan: " + plan(aide, user, range[1]));
      }
    }
  }

  /** Rows spread over the 365 days of 2026, 12 categories, nine in ten in USD and one in EUR, exact cents. */
  private static String insert(String userExpr, int count) {
    return """
        insert into expenses (user_id, amount, currency, category, description, spent_on)
        select %s, ((n::bigint * 7919) %% 20000 + 1) / 100.0, case when n %% 10 = 0 then 'EUR' else 'USD' end,
          (array['food','groceries','transport','housing','utilities','health','entertainment','shopping','travel',
                 'education','gifts','other'])[n %% 12 + 1],
          'expense ' || n, date '2026-01-01' + (n %% 365)
        from generate_series(1, %d) as n
        """.formatted(userExpr, count);
  }

  /** The scan PostgreSQL uses for the summary query, from EXPLAIN. */
  private static String plan(TestAide aide, String user, String range) {
    String from = range.substring(5, 15);
    String to = range.substring(range.length() - 10);
    String sql = "explain select category, currency, sum(amount), count(*) from expenses where user_id = '" + user
        + "' and spent_on >= '" + from + "' and spent_on <= '" + to + "' group by 1, 2";
    var url = aide.db().url();
    List<String> scans = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        String line = rs.getString(1).strip();
        if (line.contains("Scan")) {
          scans.add(line.replaceFirst("^->\\s*", "").replaceAll("\\s+\\(cost.*", ""));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return String.join("; ", scans);
  }

  private static double ms(List<Long> sorted, double quantile) {
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}
