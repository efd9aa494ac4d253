package dev.aide.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.auth.UserRepository;
import dev.aide.conversation.Assistant;
import dev.aide.conversation.Assistants;
import dev.aide.conversation.Confirmations;
import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.PendingActionRepository;
import dev.aide.llm.offline.OfflineChatModel;
import dev.aide.platform.database.Database;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.ToolHarness;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolExecution;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The availability tools answer free slots and conflicts through the AI service, in the person's time")
class AvailabilityToolsTest {

  // Wednesday 18 November 2026, 10:15 in Paris.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T09:15:00Z"), ZoneOffset.UTC);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).freshEachTest();

  private static ToolHarness tools;
  private static Vertx vertx;
  private static Pool pool;
  private static Assistant offline;
  private UUID ann;

  private final Api api = aide.api();

  @BeforeAll
  static void start() {
    tools = new ToolHarness(aide.db(), (harnessPool, confirmations) -> List.of(tools(harnessPool)));
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, aide.db().url(), 4);
    Confirmations confirmations = new Confirmations(new PendingActionRepository(pool), CLOCK);
    offline = Assistants.build(new OfflineChatModel(), id -> MessageWindowChatMemory.withMaxMessages(20), confirmations,
        tools(pool), new CalendarTools(new EventService(new EventRepository(pool)), confirmations, CLOCK));
  }

  private static AvailabilityTools tools(Pool pool) {
    EventService events = new EventService(new EventRepository(pool));
    return new AvailabilityTools(new AvailabilityService(events, new UserRepository(pool)), CLOCK);
  }

  @AfterAll
  static void stop() {
    tools.close();
    pool.close().await();
    vertx.close().await();
  }

  @BeforeEach
  void user() {
    ann = UUID.fromString(api.register("ann@example.com", "Europe/Paris").getString("id"));
  }

  @Test
  @DisplayName("findFreeSlots names the first free slots of tomorrow afternoon around events, in the person's time")
  void findFreeSlots() {
    event("Call with Sam", "2026-11-19T12:00:00+01:00", "2026-11-19T13:00:00+01:00");
    event("Review", "2026-11-19T14:30:00+01:00", "2026-11-19T15:30:00+01:00");
    tools.model().then("findFreeSlots", new JsonObject().put("from", "2026-11-19T12:00:00+01:00")
        .put("to", "2026-11-19T17:00:00+01:00").put("durationMinutes", 60));

    List<ToolExecution> ran = tools.turn(ann, "when am I free tomorrow afternoon for an hour?");

    assertThat(ran).extracting(e -> e.request().name()).containsExactly("findFreeSlots");
    assertThat(ran.get(0).result()).isEqualTo("Free tomorrow (Thu 19 Nov): 13:00–14:30, 15:30–17:00.");
  }

  @Test
  @DisplayName("findFreeSlots over several days groups slots by day and says when there is no room")
  void severalDays() {
    event("Offsite", "2026-11-20T09:00:00+01:00", "2026-11-20T17:00:00+01:00");
    tools.model().then("findFreeSlots", new JsonObject().put("from", "2026-11-18T10:15:00+01:00")
        .put("to", "2026-11-24T00:00:00+01:00").put("durationMinutes", 120))
        .then("findFreeSlots", new JsonObject().put("from", "2026-11-20T00:00:00+01:00")
            .put("to", "2026-11-21T00:00:00+01:00").put("durationMinutes", 30))
        .then("findFreeSlots", new JsonObject().put("from", "2026-11-20T00:00:00+01:00")
            .put("to", "2026-11-19T00:00:00+01:00"))
        .then("findFreeSlots", new JsonObject().put("from", "2026-11-20").put("to", "2026-11-21"));

    List<ToolExecution> ran = tools.turn(ann, "find me two hours this week");

    assertThat(ran).extracting(e -> e.result()).containsExactly(
        "Free today (Wed 18 Nov): 10:15–17:00; tomorrow (Thu 19 Nov): 09:00–17:00; Mon 23 Nov: 09:00–17:00.",
        "No free time of 30 minutes within your working hours from Fri 20 Nov 00:00 to Sat 21 Nov 00:00.",
        "Error: to must be after from.",
        "Error: from and to must be ISO-8601 date-times such as 2026-11-19T12:00:00+01:00.");
  }

  @Test
  @DisplayName("isFree answers yes, or names the events in the way; cancelled events are not in the way")
  void isFree() {
    event("Dentist", "2026-11-20T14:30:00+01:00", "2026-11-20T15:15:00+01:00");
    String gone = event("Gym", "2026-11-20T15:00:00+01:00", "2026-11-20T16:00:00+01:00");
    assertThat(api.delete("/api/v1/events/" + gone).status()).isEqualTo(204);
    event("Standup", "2026-11-16T15:30:00+01:00", "2026-11-16T15:45:00+01:00", "FREQ=DAILY");
    tools.model().then("isFree", new JsonObject().put("start", "2026-11-20T15:00:00+01:00"))
        .then("isFree", new JsonObject().put("start", "2026-11-20T10:00:00+01:00")
            .put("end", "2026-11-20T10:30:00+01:00"))
        .then("isFree", new JsonObject().put("start", "2026-11-21T10:00:00+01:00"));

    List<ToolExecution> ran = tools.turn(ann, "am I free on Friday at 3?");

    assertThat(ran).extracting(e -> e.request().name()).containsExactly("isFree", "isFree", "isFree");
    assertThat(ran).extracting(ToolExecution::result).containsExactly(
        "No, on Fri 20 Nov 15:00–16:00 you have «Dentist» 14:30–15:15; «Standup» 15:30–15:45.",
        "Yes, you're free on Fri 20 Nov 10:00–10:30.",
        "Yes, you're free on Sat 21 Nov 10:00–11:00 (outside your working hours).");
  }

  @Test
  @DisplayName("another person's events never make the user busy")
  void othersEvents() {
    try (Api bob = new Api(aide.port())) {
      bob.register("bob@example.com", "Europe/Paris");
      bob.post("/api/v1/events", new JsonObject().put("title", "Bob's meeting")
          .put("start", "2026-11-20T15:00:00+01:00").put("end", "2026-11-20T16:00:00+01:00"));
    }
    tools.model().then("isFree", new JsonObject().put("start", "2026-11-20T15:00:00+01:00"));
    assertThat(tools.turn(ann, "am I free on Friday at 3?").get(0).result())
        .isEqualTo("Yes, you're free on Fri 20 Nov 15:00–16:00.");
  }

  @Test
  @DisplayName("the offline model answers availability questions end to end with the real tools")
  void offlineEndToEnd() throws Exception {
    event("Call with Sam", "2026-11-19T12:00:00+01:00", "2026-11-19T13:00:00+01:00");
    event("Review", "2026-11-19T14:30:00+01:00", "2026-11-19T15:30:00+01:00");
    event("Dentist", "2026-11-20T15:00:00+01:00", "2026-11-20T15:45:00+01:00");
    assertThat(offlineTurn("When am I free tomorrow afternoon for an hour?"))
        .isEqualTo("Free tomorrow (Thu 19 Nov): 13:00–14:30, 15:30–17:00.");
    assertThat(offlineTurn("Am I free on Friday at 3?"))
        .isEqualTo("No, on Fri 20 Nov 15:00–16:00 you have Dentist 15:00–15:45.");
    assertThat(offlineTurn("am I free tomorrow at 10am for 30 minutes"))
        .isEqualTo("Yes, you're free on Thu 19 Nov 10:00–10:30.");
  }

  private String offlineTurn(String text) throws Exception {
    ConversationKey key = new ConversationKey(ann, UUID.randomUUID(), null, ZoneId.of("Europe/Paris"));
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      Result<String> result = executor.submit(() -> offline.chat(key, text,
          "2026-11-18T10:15+01:00[Europe/Paris] (Wednesday)", "Ann", "")).get();
      return result.content();
    }
  }

  private String event(String title, String start, String end) {
    return event(title, start, end, null);
  }

  private String event(String title, String start, String end, String rrule) {
    JsonObject body = new JsonObject().put("title", title).put("start", start).put("end", end);
    if (rrule != null) {
      body.put("rrule", rrule);
    }
    Api.Response response = api.post("/api/v1/events", body);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json().getString("id");
  }
}
