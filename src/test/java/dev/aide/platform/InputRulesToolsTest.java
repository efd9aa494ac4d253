package dev.aide.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.auth.UserRepository;
import dev.aide.calendar.AvailabilityService;
import dev.aide.calendar.AvailabilityTools;
import dev.aide.calendar.CalendarTools;
import dev.aide.calendar.EventRepository;
import dev.aide.calendar.EventService;
import dev.aide.expense.ExpenseRepository;
import dev.aide.expense.ExpenseService;
import dev.aide.expense.ExpenseTools;
import dev.aide.list.ListRepository;
import dev.aide.list.ListService;
import dev.aide.list.ListTools;
import dev.aide.note.NoteRepository;
import dev.aide.note.NoteService;
import dev.aide.note.NoteTools;
import dev.aide.proactive.ProactiveRepository;
import dev.aide.proactive.ProactiveService;
import dev.aide.proactive.ProactiveTools;
import dev.aide.reminder.ReminderRepository;
import dev.aide.reminder.ReminderService;
import dev.aide.reminder.ReminderTools;
import dev.aide.scheduler.TaskRepository;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.ToolHarness;
import dev.langchain4j.service.tool.ToolExecution;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The assistant's tools keep the input rules of the API: the services refuse, the tool answers \"Error: …\"")
class InputRulesToolsTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);
  private static final String OUTSIDE = "must be a date between 1900-01-01 and 2200-12-31";

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest();

  private static ToolHarness tools;
  private UUID ann;

  @BeforeAll
  static void start() {
    tools = new ToolHarness(aide.db(), (pool, confirmations) -> {
      EventService events = new EventService(new EventRepository(pool));
      ReminderService reminders = new ReminderService(new ReminderRepository(pool, new TaskRepository(pool, CLOCK)));
      return List.of(new ReminderTools(reminders, events, confirmations, CLOCK),
          new CalendarTools(events, confirmations, CLOCK),
          new ExpenseTools(new ExpenseService(new ExpenseRepository(pool), CLOCK), confirmations),
          new ProactiveTools(new ProactiveService(pool, new ProactiveRepository(pool), new TaskRepository(pool, CLOCK),
              CLOCK), confirmations),
          new AvailabilityTools(new AvailabilityService(events, new UserRepository(pool)), CLOCK),
          new NoteTools(new NoteService(new NoteRepository(pool)), confirmations),
          new ListTools(new ListService(new ListRepository(pool)), confirmations));
    });
  }

  @AfterAll
  static void stop() {
    tools.close();
  }

  @BeforeEach
  void user() {
    try (Api api = new Api(aide.port())) {
      ann = UUID.fromString(api.register("ann@example.com", "Europe/Paris").getString("id"));
    }
  }

  @Test
  @DisplayName("a reminder, an event, an expense, a scheduled message or a free-time search out of range is refused, nothing stored")
  void datesOutOfRange() {
    tools.model()
        .then("createReminder", new JsonObject().put("text", "x").put("dueAt", "1700-01-01T00:00:00Z"))
        .then("createReminder", new JsonObject().put("text", "x").put("dueAt", "-999999999-01-01T00:00:00Z"))
        .then("createEvent", new JsonObject().put("title", "x").put("start", "1700-01-01T09:00:00+01:00"))
        .then("createEvent", new JsonObject().put("title", "x").put("start", "+999999999-12-31").put("allDay", true))
        .then("logExpense", new JsonObject().put("amount", "3").put("spentOn", "1899-12-31"))
        .then("scheduleMessage", new JsonObject().put("content", "x").put("at", "1700-01-01T00:00:00Z"))
        .then("findFreeSlots", new JsonObject().put("from", "1700-01-01T00:00:00Z").put("to", "1700-01-02T00:00:00Z"))
        .then("findEvents", new JsonObject().put("from", "-999999999-01-01T00:00:00Z").put("to", "2026-01-01T00:00:00Z"));

    List<ToolExecution> ran = tools.turn(ann, "remind me in the year 1700");

    assertThat(ran).hasSize(8);
    assertThat(ran.get(0).result()).isEqualTo("Error: dueAt " + OUTSIDE + ".");
    assertThat(ran.get(1).result()).isEqualTo("Error: dueAt " + OUTSIDE + ".");
    assertThat(ran.get(2).result()).isEqualTo("Error: start " + OUTSIDE + ".");
    assertThat(ran.get(3).result()).startsWith("Error:");
    assertThat(ran.get(4).result()).isEqualTo("Error: spentOn " + OUTSIDE + ".");
    assertThat(ran.get(5).result()).isEqualTo("Error: scheduledFor " + OUTSIDE + ".");
    assertThat(ran.get(6).result()).isEqualTo("Error: from " + OUTSIDE + ".");
    assertThat(ran.get(7).result()).isEqualTo("Error: from " + OUTSIDE + ".");
    for (String table : List.of("reminders", "events", "expenses", "proactive_messages")) {
      assertThat(aide.db().number("select count(*) from " + table + " where user_id = ?", ann)).as(table).isZero();
    }
  }

  @Test
  @DisplayName("changing a reminder to year -999999999 is refused and the reminder keeps its time")
  void changeOutOfRange() {
    tools.model().then("createReminder", new JsonObject().put("text", "call mom").put("dueAt", "2026-12-01T09:00:00+01:00"))
        .then("changeReminder", new JsonObject().put("text", "call mom").put("newDueAt", "-999999999-01-01T00:00:00Z"));

    List<ToolExecution> ran = tools.turn(ann, "move it to the dawn of time");

    assertThat(ran.get(1).result()).isEqualTo("Error: dueAt " + OUTSIDE + ".");
    assertThat(aide.db().value("select due_at from reminders where user_id = ?", java.time.OffsetDateTime.class, ann)
        .toInstant()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
  }

  @Test
  @DisplayName("a NUL in a note, a list item or a reminder the model writes is refused, naming the field")
  void nulFromTheModel() {
    tools.model().then("createNote", new JsonObject().put("content", "wifi \u0000 tulip42"))
        .then("addToList", new JsonObject().put("listName", "groceries").put("items", new JsonArray()
            .add(new JsonObject().put("text", "milk")).add(new JsonObject().put("text", "eggs").put("unit", "k\u0000g"))))
        .then("createReminder", new JsonObject().put("text", "call\u0000mom").put("dueAt", "2026-12-01T09:00:00+01:00"));

    List<ToolExecution> ran = tools.turn(ann, "note the wifi password");

    assertThat(ran.get(0).result()).startsWith("Error: content must not contain control characters such as U+0000");
    assertThat(ran.get(1).result()).startsWith("Error: unit must not contain control characters");
    assertThat(ran.get(2).result()).startsWith("Error: text must not contain control characters");
    for (String table : List.of("notes", "lists", "list_items", "reminders")) {
      assertThat(aide.db().number("select count(*) from " + table + " where user_id = ?", ann)).as(table).isZero();
    }
  }
}
