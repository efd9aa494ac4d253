package dev.aide.reminder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.TestClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reminders due at instants no API accepts any more, written straight into the table (as rows stored before dates
 * were checked, or by another instance, could be): the scheduler and the reminder's handler meet them without harm to
 * anyone else, and the person's lists still answer.
 */
@DisplayName("Reminders at absurd times, written straight into the table, harm nobody's reminders")
class ReminderAbsurdTimesTest {

  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-11-25T10:00:00Z"));
  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK);

  @Test
  @DisplayName("beside reminders due at -infinity, 4714 BC, year 1, 1700 and infinity (one of them repeating every "
      + "minute since 1700), another person's reminders and their own normal ones are each told once; the absurd ones "
      + "end done or failed, none left due or running; GET /reminders and GET /scheduled answer 200")
  void absurdRemindersHarmNobody() {
    try (Api owner = new Api(aide.port()); Api other = new Api(aide.port())) {
      String ownerId = owner.register("absurd@example.com", "Europe/Paris").getString("id");
      other.register("bystander@example.com", "UTC");
      for (String due : List.of("-infinity", "4714-11-24 00:00:00+00 BC", "0001-01-01 00:00:00+00",
          "1700-01-01 00:00:00+00", "infinity")) {
        aide.db().update("insert into reminders (user_id, text, due_at) values (?::uuid, ?, ?::timestamptz)",
            ownerId, "absurd " + due, due);
      }
      aide.db().update("insert into reminders (user_id, text, due_at, rrule) "
          + "values (?::uuid, 'every minute since 1700', '1700-01-01 00:00:00+00', 'FREQ=MINUTELY')", ownerId);
      // Rows from before the rules came with their tasks, as the version that stored them scheduled them.
      aide.db().update("insert into scheduled_tasks (user_id, task_key, type, payload, next_run_at) "
          + "select user_id, 'reminder:' || id, 'reminder', jsonb_strip_nulls(jsonb_build_object('reminderId', id, "
          + "'title', text, 'rrule', rrule)), due_at from reminders where user_id = ?::uuid", ownerId);
      String due = CLOCK.instant().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS).toString();
      List<String> normal = new ArrayList<>();
      for (Api api : List.of(owner, other, other)) {
        Api.Response r = api.post("/api/v1/reminders", new JsonObject().put("text", "normal").put("dueAt", due));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        normal.add(r.json().getString("id"));
      }

      await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number("select count(*) from scheduled_tasks "
          + "where status = 'running' or (status = 'scheduled' and next_run_at <= ?::timestamptz)",
          CLOCK.instant().toString()) == 0 && aide.db().number("select count(*) from scheduled_tasks where task_key in "
          + "(select 'reminder:' || id from reminders where text = 'normal') and status = 'done'") == 3);
      for (String id : normal) {
        assertThat(aide.db().number("select count(*) from notifications where data->>'reminderId' = ?", id)).isEqualTo(1);
      }
      assertThat(aide.db().strings("select t.status from scheduled_tasks t join reminders r on t.task_key = 'reminder:' "
          + "|| r.id where r.text like 'absurd%' or r.rrule is not null")).hasSize(6)
          .allMatch(status -> List.of("done", "failed", "scheduled").contains(status));
      // Only the one due at infinity still waits.
      assertThat(aide.db().number("select count(*) from scheduled_tasks where status = 'scheduled'")).isEqualTo(1);

      Api.Response reminders = owner.get("/api/v1/reminders");
      assertThat(reminders.status()).as(reminders.body()).isEqualTo(200);
      assertThat(reminders.json().getJsonArray("items")).hasSize(7);
      Api.Response scheduled = owner.get("/api/v1/scheduled?until=2100-01-01T00:00:00Z");
      assertThat(scheduled.status()).as(scheduled.body()).isEqualTo(200);
    }
  }
}
