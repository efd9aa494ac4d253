package dev.aide.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.calendar.EventRepository;
import dev.aide.calendar.EventService;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.aide.scheduler.TaskRepository;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.TestClock;
import dev.aide.support.ToolHarness;
import dev.langchain4j.service.tool.ToolExecution;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** deleteReminders' from/to: "cancel tomorrow's alarms" names the reminders due in a period. */
@DisplayName("deleteReminders by period takes only the person's reminders due then, several only after a yes")
class DeleteRemindersByPeriodTest {

  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-11-18T09:15:00Z"));

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).freshEachTest();

  private static ToolHarness tools;
  private UUID ann;
  private UUID bob;

  @BeforeAll
  static void start() {
    tools = new ToolHarness(aide.db(), (pool, confirmations) -> List.of(new ReminderTools(
        new ReminderService(new ReminderRepository(pool, new TaskRepository(pool, CLOCK)), RateLimiter.Gate.OPEN, CLOCK),
        new EventService(new EventRepository(pool)), confirmations, CLOCK)));
  }

  @AfterAll
  static void stop() {
    tools.close();
  }

  @BeforeEach
  void users() {
    try (Api api = new Api(aide.port())) {
      ann = UUID.fromString(api.register("ann@example.com", "Europe/Paris").getString("id"));
      bob = UUID.fromString(api.register("bob@example.com", "Europe/Paris").getString("id"));
    }
  }

  @Test
  @DisplayName("two due tomorrow are named and asked about; after the yes only they are gone, Friday's and the other "
      + "person's stay")
  void tomorrowsAfterAYes() {
    tools.model().then("createReminder", reminder("Wake up", "2026-11-19T06:00:00+01:00"))
        .then("createReminder", reminder("Alarm", "2026-11-19T07:30:00+01:00"))
        .then("createReminder", reminder("Alarm", "2026-11-20T08:00:00+01:00"));
    tools.turn(ann, "setup");
    tools.model().then("createReminder", reminder("Bob's alarm", "2026-11-19T06:00:00+01:00"));
    tools.turn(bob, "setup");

    tools.model().then("deleteReminders", period("2026-11-19T00:00:00+01:00", "2026-11-20T00:00:00+01:00"));
    String asked = tools.turn(ann, "remove alarms set for tomorrow").get(0).result();

    assertThat(asked).startsWith("This needs the person's confirmation").contains("delete 2 reminders")
        .contains("Wake up").contains("07:30").doesNotContain("08:00").doesNotContain("Bob");
    assertThat(pending(ann)).isEqualTo(3);
    tools.answer(ann, "yes");
    assertThat(pending(ann)).isEqualTo(1);
    assertThat(pending(bob)).isEqualTo(1);
  }

  @Test
  @DisplayName("a period backwards, unreadable, with a NUL, or in year 1700 or 9999 deletes nothing")
  void badPeriods() {
    tools.model().then("createReminder", reminder("Wake up", "2026-11-19T06:00:00+01:00"));
    tools.turn(ann, "setup");
    tools.model().then("deleteReminders", period("2026-11-20T00:00:00+01:00", "2026-11-19T00:00:00+01:00"))
        .then("deleteReminders", period("tomorrow", "2026-11-19T00:00:00+01:00"))
        .then("deleteReminders", new JsonObject().put("from", "2026-11-19T00:00:00+01:00"))
        .then("deleteReminders", period("2026-11-19T00:00:00+01:00\u0000", "2026-11-20T00:00:00+01:00"))
        .then("deleteReminders", period("1700-01-01T00:00:00+01:00", "1700-01-02T00:00:00+01:00"))
        .then("deleteReminders", period("9999-12-30T00:00:00+01:00", "9999-12-31T00:00:00+01:00"));

    List<ToolExecution> ran = tools.turn(ann, "nonsense");

    assertThat(ran.subList(0, 4)).extracting(ToolExecution::result).allSatisfy(r -> assertThat(r).startsWith("Error: "));
    assertThat(ran.subList(4, 6)).extracting(ToolExecution::result)
        .allSatisfy(r -> assertThat(r).startsWith("No pending reminder is due between"));
    assertThat(pending(ann)).isEqualTo(1);
  }

  private static JsonObject reminder(String text, String dueAt) {
    return new JsonObject().put("text", text).put("dueAt", dueAt);
  }

  private static JsonObject period(String from, String to) {
    return new JsonObject().put("from", from).put("to", to);
  }

  private static long pending(UUID user) {
    return aide.db().number("select count(*) from reminders where user_id = ? and status = 'pending'", user);
  }
}
