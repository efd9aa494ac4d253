package dev.aide.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The statements that finish a claimed message find it by primary key whatever the statistics say. Measured in the
 * scheduler benchmark: with statistics from before a burst, the status check let PostgreSQL walk the whole
 * "pending or sending" index for a batch of 20 (29 ms, 600 buffers each time).
 */
class OutboxPlanTest {

  @Test
  @DisplayName("marking messages sent, retried, dead or still claimed goes by primary key on an outbox that grew from "
      + "2,000 finished messages to 30,000 pending since it was last analyzed (the plan cached for the statement)")
  void finishesByPrimaryKey() throws SQLException {
    try (TestDatabase db = TestDatabase.create();
         Connection c = DriverManager.getConnection(db.url().jdbcUrl(), db.url().user(), db.url().password());
         Statement s = c.createStatement()) {
      s.execute("alter table outbox set (autovacuum_enabled = false)");
      s.execute("""
          insert into outbox (channel, recipient, body, idempotency_key, status)
          select 'telegram', (i % 500)::text, 'sent ' || i, 'plan-sent:' || i, 'sent' from generate_series(1, 2000) i
          """);
      s.execute("analyze outbox");
      s.execute("""
          insert into outbox (channel, recipient, body, idempotency_key, status, claimed_by, claimed_at)
          select 'telegram', (i % 5000)::text, 'burst ' || i, 'plan-burst:' || i,
            case when i <= 80 then 'sending' else 'pending' end, case when i <= 80 then 'me' end, now()
          from generate_series(1, 30000) i
          """);
      List<String> claimed = db.strings("select id::text from outbox where status = 'sending' limit 20");
      String ids = "'{" + String.join(",", claimed) + "}'";
      String one = "'" + claimed.getFirst() + "'";
      // Each statement's generic plan: the one PostgreSQL caches for it after a few executions.
      s.execute("set plan_cache_mode = force_generic_plan");
      Map<String, String> executions = Map.of(
          "sent", "prepare sent as " + OutboxRepository.SENT + "; explain execute sent(" + ids + ", 'hidden')",
          "retry", "prepare retry as " + OutboxRepository.RETRY + "; explain execute retry(" + one + ", 5, 'e', 0)",
          "dead", "prepare dead as " + OutboxRepository.DEAD + "; explain execute dead(" + one + ", 'e', 'hidden')",
          "heartbeat", "prepare beat as " + OutboxRepository.HEARTBEAT + "; explain execute beat(" + ids + ", 'me')");
      executions.forEach((name, sql) -> {
        String plan = String.join("\n", plan(s, sql));
        assertThat(plan).as("%s:%n%s", name, plan).contains("outbox_pkey")
            .doesNotContain("outbox_recipient_idx").doesNotContain("outbox_pending_seq_idx").doesNotContain("Seq Scan");
      });
    }
  }

  /** The plan's lines: the EXPLAIN is the last of the statements. */
  private static List<String> plan(Statement s, String statements) {
    try {
      boolean rows = s.execute(statements);
      while (!rows && s.getUpdateCount() != -1) {
        rows = s.getMoreResults();
      }
      List<String> lines = new ArrayList<>();
      try (ResultSet rs = s.getResultSet()) {
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
      }
      return lines;
    } catch (SQLException e) {
      throw new IllegalStateException(statements, e);
    }
  }
}
