package dev.aide.reminder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.TestClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reminder's task that fails and is retried still tells the person, once, about the occurrence it was for. The
 * failure is real: a trigger the test adds to the notifications table raises SQLSTATE 40001 (a serialization failure,
 * what a busy database answers) while the notice's task is on its first attempt, or on every attempt for texts that
 * say "keeps failing".
 */
@DisplayName("Reminder retries: a transient failure delays a reminder, it never drops or doubles it")
class ReminderRetryTest {

  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-11-25T10:00:00Z"));

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK)
      .freshEachTest()
      .person("retry@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @BeforeAll
  static void start() {
    aide.db().execute("""
        create function fail_first_attempt() returns trigger language plpgsql as $$
        begin
            if new.body like '%keeps failing%' or exists (select 1 from scheduled_tasks t
                where t.task_key in ('reminder:' || coalesce(new.data->>'reminderId', ''),
                                     'proactive:' || coalesce(new.data->>'proactiveMessageId', ''))
                  and t.attempts = 1) then
                raise exception 'could not serialize access due to concurrent update' using errcode = '40001';
            end if;
            return new;
        end $$;
        create trigger fail_first_attempt before insert on notifications
            for each row execute function fail_first_attempt();
        """);
  }

  @Test
  @DisplayName("5 reminders and 1 scheduled message whose first attempt fails with SQLSTATE 40001 are each told "
      + "exactly once by the retry, and their tasks end done after 2 attempts")
  void toldOnceAfterRetry() {
    String due = soon();
    List<String> reminders = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      reminders.add(created(api.post("/api/v1/reminders", new JsonObject().put("text", "take pill " + i)
          .put("dueAt", due))));
    }
    String message = created(api.post("/api/v1/proactive-messages", new JsonObject()
        .put("content", "the plants need water").put("scheduledFor", due)));

    await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number(
        "select count(*) from scheduled_tasks where status in ('scheduled', 'running')") == 0);
    for (String id : reminders) {
      assertThat(aide.db().number("select count(*) from notifications where data->>'reminderId' = ?", id))
          .as("notices of reminder %s", id).isEqualTo(1);
      assertThat(task("reminder:" + id)).isEqualTo("done 2");
    }
    assertThat(aide.db().number("select count(*) from notifications where data->>'proactiveMessageId' = ?", message))
        .isEqualTo(1);
    assertThat(task("proactive:" + message)).isEqualTo("done 2");
    assertThat(api.get("/api/v1/proactive-messages/" + message).json().getString("status")).isEqualTo("sent");
    assertThat(aide.db().number("select count(*) from notifications")).isEqualTo(6);
  }

  @Test
  @DisplayName("a reminder moved, done or deleted while its task waits to retry is not told for the old time; one "
      + "left alone beside them is told once")
  void changedWhileWaitingToRetry() {
    String due = soon();
    String moved = created(api.post("/api/v1/reminders", new JsonObject().put("text", "moved, keeps failing")
        .put("dueAt", due)));
    String done = created(api.post("/api/v1/reminders", new JsonObject().put("text", "done, keeps failing")
        .put("dueAt", due)));
    String deleted = created(api.post("/api/v1/reminders", new JsonObject().put("text", "deleted, keeps failing")
        .put("dueAt", due)));
    String control = created(api.post("/api/v1/reminders", new JsonObject().put("text", "left alone")
        .put("dueAt", due)));
    await().atMost(Duration.ofSeconds(30)).until(() -> aide.db().number("select count(*) from scheduled_tasks "
        + "where task_key in (?, ?, ?) and status = 'scheduled' and attempts >= 1 and last_error like '%serialize%'",
        "reminder:" + moved, "reminder:" + done, "reminder:" + deleted) == 3);

    String later = OffsetDateTime.parse(due).plusHours(1).toString();
    assertThat(api.patch("/api/v1/reminders/" + moved, new JsonObject().put("dueAt", later)).status()).isEqualTo(200);
    assertThat(api.patch("/api/v1/reminders/" + done, new JsonObject().put("status", "done")).status()).isEqualTo(200);
    assertThat(api.delete("/api/v1/reminders/" + deleted).status()).isEqualTo(204);

    await().atMost(Duration.ofSeconds(60)).until(() -> "done 2".equals(task("reminder:" + control)));
    await().atMost(Duration.ofSeconds(30)).until(() ->
        aide.db().number("select count(*) from scheduled_tasks where status = 'running'") == 0);
    assertThat(aide.db().number("select count(*) from notifications where data->>'reminderId' = ?", control)).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from notifications where data->>'reminderId' in (?, ?, ?)",
        moved, done, deleted)).isZero();
    // The moved reminder's task waits for the new time, as a first attempt: its retry of the old time is gone.
    assertThat(aide.db().value("select status || ' ' || attempts || ' ' || coalesce(last_error, '-') || ' '"
        + " || (next_run_at = ?::timestamptz) || ' ' || (occurrence_at is null) from scheduled_tasks where task_key = ?",
        String.class, later, "reminder:" + moved)).isEqualTo("scheduled 0 - true true");
    assertThat(task("reminder:" + done)).startsWith("cancelled");
    assertThat(aide.db().number("select count(*) from scheduled_tasks where task_key = ?", "reminder:" + deleted))
        .isZero();
  }

  /** A due time a few seconds ahead of Aide's clock, in whole seconds. */
  private static String soon() {
    return CLOCK.instant().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String created(Api.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().getString("id");
  }

  /** The task's status and attempts, e.g. "done 2". */
  private static String task(String key) {
    return aide.db().value("select status || ' ' || attempts from scheduled_tasks where task_key = ?", String.class, key);
  }
}
