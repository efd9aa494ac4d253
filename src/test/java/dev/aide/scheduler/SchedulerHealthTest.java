package dev.aide.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.TestClock;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * /health tells the truth about the scheduler: due work waiting more than a minute, or running work that is stuck,
 * makes it {@code degraded} with the reason (still 200: the server itself serves requests).
 */
@DisplayName("Health tells the truth: a scheduler behind or stuck makes /health degraded, with the reason")
class SchedulerHealthTest {

  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-11-25T10:00:00Z"));

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK);

  private final Api api = aide.api();

  @BeforeEach
  @AfterEach
  void empty() {
    aide.db().execute("delete from scheduled_tasks");
    aide.db().execute("delete from outbox");
  }

  @Test
  @DisplayName("with nothing late or stuck, /health is ok")
  void ok() {
    JsonObject health = health();
    assertThat(health.getString("status")).isEqualTo("ok");
    assertThat(health.containsKey("reasons")).isFalse();
    assertThat(health.getJsonObject("scheduler").getString("status")).isEqualTo("ok");
  }

  @Test
  @DisplayName("a task due two minutes ago that no scheduler can claim (another transaction holds it) makes /health "
      + "degraded with the reason, and ok again once it is claimed")
  void lateTask() throws Exception {
    // Due in an hour; locked before Aide's clock moves past that, so no scheduler has had a chance to claim it.
    Instant due = CLOCK.instant().plusSeconds(3600);
    aide.db().update("insert into scheduled_tasks (task_key, type, next_run_at) values ('late', 'nobody', ?::timestamptz)",
        due.toString());
    var url = aide.db().url();
    try (Connection holder = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = holder.createStatement()) {
      holder.setAutoCommit(false);
      s.execute("select id from scheduled_tasks where task_key = 'late' for update");
      CLOCK.jumpTo(due.plusSeconds(120));

      JsonObject health = health();
      assertThat(health.getString("status")).isEqualTo("degraded");
      assertThat(health.getJsonArray("reasons").getString(0))
          .startsWith("scheduler: 1 task(s) due more than 60 s ago are not running (oldest due 12");
      assertThat(health.getJsonObject("scheduler").getLong("dueUnclaimed")).isEqualTo(1);
      holder.rollback();
    }
    // Claimed now (its type has no handler, so it waits for a retry, no longer due).
    await().atMost(Duration.ofSeconds(30)).until(() -> "ok".equals(health().getString("status")));
  }

  @Test
  @DisplayName("a task an instance claimed an hour ago and still beats the heartbeat of (a claim whose outcome was "
      + "never recorded) is stuck: /health is degraded with the reason")
  void stuckTask() {
    Instant now = CLOCK.instant();
    aide.db().update("insert into scheduled_tasks (task_key, type, next_run_at, status, claimed_by, heartbeat_at, "
        + "last_run_at, attempts) values ('stuck', 'nobody', ?::timestamptz, 'running', 'other:1:x', ?::timestamptz, "
        + "?::timestamptz, 1)", now.minusSeconds(3600).toString(), now.plusSeconds(3600).toString(),
        now.minusSeconds(3600).toString());

    JsonObject health = health();
    assertThat(health.getString("status")).isEqualTo("degraded");
    assertThat(health.getJsonArray("reasons").getString(0)).startsWith("scheduler: 1 running task(s) are stuck");
    assertThat(health.getJsonObject("scheduler").getLong("stuck")).isEqualTo(1);
  }

  @Test
  @DisplayName("an outgoing message due ten minutes ago and still unsent, and a dead letter within the hour, each make "
      + "/health degraded with the reason")
  void outboxBehind() throws Exception {
    aide.db().update("insert into outbox (channel, recipient, body, idempotency_key, next_attempt_at)"
        + " values ('telegram', '1', 'late', 'health:late', now() - interval '10 minutes')");
    var url = aide.db().url();
    try (Connection holder = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = holder.createStatement()) {
      holder.setAutoCommit(false);
      // Held, so no delivery worker can claim it meanwhile.
      s.execute("select id from outbox where idempotency_key = 'health:late' for update");
      JsonObject health = health();
      assertThat(health.getString("status")).isEqualTo("degraded");
      assertThat(health.getJsonArray("reasons").encode())
          .contains("outbox: 1 message(s) due more than 5 minutes ago are unsent (oldest due 6");
      holder.rollback();
    }
    aide.db().execute("delete from outbox");
    aide.db().update("insert into outbox (channel, recipient, body, idempotency_key, status, claimed_at)"
        + " values ('telegram', '1', 'gone', 'health:dead', 'dead', now() - interval '5 minutes')");
    JsonObject health = health();
    assertThat(health.getString("status")).isEqualTo("degraded");
    assertThat(health.getJsonObject("outbox").getLong("deadLastHour")).isEqualTo(1);
    assertThat(health.getJsonArray("reasons").encode()).contains("outbox: 1 message(s) could not be delivered");
    aide.db().execute("update outbox set claimed_at = now() - interval '2 hours'");
    assertThat(health().getString("status")).isEqualTo("ok");
  }

  private JsonObject health() {
    Api.Response r = api.get("/health");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }
}
