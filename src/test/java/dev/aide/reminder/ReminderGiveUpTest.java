package dev.aide.reminder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reminder whose every attempt fails is never lost in silence: after the last attempt the person is told late, once,
 * and /health says a task gave up. The failure is real: a trigger on the notifications table raises SQLSTATE 40001
 * while the reminder's task is running (every attempt), for texts that say so; the attempts are 2 here
 * (AIDE_SCHEDULER_MAX_ATTEMPTS), 10 by default.
 */
@DisplayName("Reminder give-up: told late once, and /health degraded")
class ReminderGiveUpTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create()
      .env("AIDE_SCHEDULER_MAX_ATTEMPTS", "2")
      .env("AIDE_SCHEDULER_POLL_MILLIS", "200")
      .freshEachTest()
      .person("giveup@example.com", "Europe/Paris");

  private static Api api;

  @BeforeAll
  static void start() {
    aide.db().execute("""
        create function fail_while_running() returns trigger language plpgsql as $$
        begin
            if new.body like '%fails on every attempt%' and exists (select 1 from scheduled_tasks t
                   where t.task_key = 'reminder:' || coalesce(new.data->>'reminderId', '') and t.status = 'running')
               or new.body like '%fails whatever happens%' then
                raise exception 'could not serialize access due to concurrent update' using errcode = '40001';
            end if;
            return new;
        end $$;
        create trigger fail_while_running before insert on notifications
            for each row execute function fail_while_running();
        """);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @BeforeEach
  void client() {
    if (api != null) {
      api.close();
    }
    api = aide.api();
  }

  @Test
  @DisplayName("every attempt fails: after the last, the person is told late, once, and the reminder is fired")
  void toldLate() {
    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "water the plants, fails on every attempt")
        .put("dueAt", soon())).json().getString("id");
    await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(taskStatus(id)));
    await().atMost(Duration.ofSeconds(10)).until(() -> aide.db().number(
        "select count(*) from reminders where id = ?::uuid and fired_at is not null", id) == 1);
    assertThat(aide.db().strings("select body from notifications")).singleElement().asString()
        .contains("water the plants").contains("sorry, I couldn't send it on time");
    assertThat(aide.db().number("select attempts from scheduled_tasks where task_key = ?", "reminder:" + id))
        .isEqualTo(2);
    JsonObject scheduler = api.get("/health").json().getJsonObject("scheduler");
    assertThat(scheduler.getString("status")).isEqualTo("degraded");
    assertThat(scheduler.getLong("failedLastHour")).isEqualTo(1);
    assertThat(scheduler.getJsonArray("reasons").encode()).contains("gave up");
  }

  @Test
  @DisplayName("even the late telling fails: the reminder stays pending and visible, and /health says so")
  void cannotTell() {
    String id = api.post("/api/v1/reminders", new JsonObject().put("text", "call the bank, fails whatever happens")
        .put("dueAt", soon())).json().getString("id");
    await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(taskStatus(id)));
    assertThat(aide.db().number("select count(*) from notifications")).isZero();
    assertThat(api.get("/api/v1/reminders/" + id).json().getString("status")).isEqualTo("pending");
    assertThat(api.get("/health").json().getString("status")).isEqualTo("degraded");
  }

  private static String taskStatus(String reminderId) {
    return aide.db().value("select status from scheduled_tasks where task_key = ?", String.class,
        "reminder:" + reminderId);
  }

  private static String soon() {
    return Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
