package dev.aide.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.TestAide;
import dev.aide.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A person talks to Aide through web chat and the voice API")
class ChatFlowTest {

  // Wednesday 18 November 2026, 10:15 in New York.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);
  private static final Instant TOMORROW_5PM_NEW_YORK = Instant.parse("2026-11-19T22:00:00Z");

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).freshEachTest();

  private final Api api = aide.api();

  @Test
  @DisplayName("a reminder asked for in web chat is confirmed, listed by the API and stored at the right instant")
  void reminderThroughWebChat() {
    api.register("ada@example.com", "America/New_York");

    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom tomorrow at 5pm"));

    assertThat(chat.status()).isEqualTo(200);
    JsonObject body = chat.json();
    assertThat(body.getJsonObject("reply").getString("text")).contains("call mom").contains("Thu 19 Nov 2026 at 17:00");
    assertThat(body.getJsonArray("toolCalls")).hasSize(1);
    JsonObject call = body.getJsonArray("toolCalls").getJsonObject(0);
    assertThat(call.getString("name")).isEqualTo("createReminder");
    assertThat(call.getJsonObject("arguments").getString("text")).isEqualTo("call mom");
    assertThat(call.getString("result")).startsWith("Reminder set");

    JsonObject reminder = onlyReminder();
    assertThat(reminder.getString("text")).isEqualTo("call mom");
    assertThat(reminder.getString("status")).isEqualTo("pending");
    assertThat(reminder.getString("dueAt")).isEqualTo("2026-11-19T17:00:00-05:00");
    assertThat(OffsetDateTime.parse(reminder.getString("dueAt")).toInstant()).isEqualTo(TOMORROW_5PM_NEW_YORK);
    assertThat(aide.db().value("select due_at from reminders where text = 'call mom'", OffsetDateTime.class).toInstant())
        .isEqualTo(TOMORROW_5PM_NEW_YORK);
  }

  @Test
  @DisplayName("a reminder moved in web chat is moved back by the Undo handle of that tool call, its task too")
  void moveUndone() {
    api.register("ida@example.com", "America/New_York");
    String conversation = api.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom tomorrow at 5pm"))
        .json().getString("conversationId");
    String reminder = aide.db().value("select to_jsonb(r)::text from reminders r", String.class);
    String task = aide.db().value("select to_jsonb(t)::text from scheduled_tasks t where type = 'reminder'", String.class);

    JsonObject moved = api.post("/api/v1/chat", new JsonObject().put("text", "move my reminder to call mom to 6pm")
        .put("conversationId", conversation)).json();
    JsonObject call = moved.getJsonArray("toolCalls").getJsonObject(0);
    assertThat(call.getString("name")).isEqualTo("changeReminder");
    assertThat(moved.getJsonObject("reply").getString("text")).as("the handle is data, never text")
        .doesNotContain(call.getString("undo"));
    assertThat(aide.db().value("select due_at from reminders", OffsetDateTime.class).toInstant())
        .isEqualTo(TOMORROW_5PM_NEW_YORK.plusSeconds(3600));

    Api.Response undone = api.post("/api/v1/changes/" + call.getString("undo") + "/undo", new JsonObject());
    assertThat(undone.status()).as(undone.body()).isEqualTo(200);
    assertThat(aide.db().value("select to_jsonb(r)::text from reminders r", String.class)).isEqualTo(reminder);
    assertThat(aide.db().value("select to_jsonb(t)::text from scheduled_tasks t where type = 'reminder'", String.class))
        .isEqualTo(task);
    assertThat(onlyReminder().getString("dueAt")).isEqualTo("2026-11-19T17:00:00-05:00");
  }

  @Test
  @DisplayName("'undo' typed in the chat (as on Telegram or SMS) walks back the conversation's changes, latest first")
  void undoTyped() {
    api.register("jan@example.com", "America/New_York");
    String conversation = api.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom tomorrow at 5pm"))
        .json().getString("conversationId");
    api.post("/api/v1/chat", new JsonObject().put("text", "move my reminder to call mom to 6pm")
        .put("conversationId", conversation));

    assertThat(say(conversation, "Undo that, please.")).as("the change of the turn just before, named")
        .isEqualTo("Undone: the reminder \"call mom\" is as it was.");
    assertThat(onlyReminder().getString("dueAt")).isEqualTo("2026-11-19T17:00:00-05:00");
    String id = onlyReminder().getString("id");
    assertThat(api.patch("/api/v1/reminders/" + id, new JsonObject().put("text", "call mum")).status()).isEqualTo(200);
    assertThat(say(conversation, "undo")).as("minutes old: still undone at once, and named")
        .startsWith("I couldn't undo the reminder I set (the reminder \"call mom\"): it has been changed since");
    assertThat(onlyReminder().getString("text")).isEqualTo("call mum");
    assertThat(say(api.post("/api/v1/chat", new JsonObject().put("text", "hello")).json().getString("conversationId"),
        "undo")).as("another conversation has nothing of this one's to undo").isEqualTo("There's nothing here I can undo.");
    long undone = aide.db().number("select count(*) from undo_changes where undone_at is not null");
    assertThat(say(conversation, "undo the reminder about mom")).as("not only 'undo': the model reads it")
        .doesNotStartWith("Undone").doesNotStartWith("I couldn't undo").isNotEqualTo(ChangeJournal.NOTHING_TO_UNDO)
        .doesNotContain("Shall I go ahead");
    assertThat(aide.db().number("select count(*) from undo_changes where undone_at is not null")).isEqualTo(undone);
    assertThat(onlyReminder().getString("text")).isEqualTo("call mum");
  }

  private String say(String conversation, String text) {
    Api.Response reply = api.post("/api/v1/chat", new JsonObject().put("text", text).put("conversationId", conversation));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonObject("reply").getString("text");
  }

  @Test
  @DisplayName("the same request as a voice transcript creates the same reminder")
  void reminderThroughVoice() {
    api.register("ben@example.com", "America/New_York");

    Api.Response voice = api.post("/api/v1/voice/transcripts", new JsonObject()
        .put("text", "Remind me to call mom tomorrow at 5pm.").put("deviceId", "kitchen-speaker").put("language", "en"));

    assertThat(voice.status()).isEqualTo(200);
    assertThat(voice.json().getJsonObject("reply").getString("text")).contains("call mom");
    assertThat(voice.json().getJsonArray("toolCalls").getJsonObject(0).getString("name")).isEqualTo("createReminder");
    assertThat(OffsetDateTime.parse(onlyReminder().getString("dueAt")).toInstant()).isEqualTo(TOMORROW_5PM_NEW_YORK);
    assertThat(aide.db().number("select count(*) from messages where source = 'voice'")).isEqualTo(2);
  }

  @Test
  @DisplayName("every turn stores the person's message, the reply, the model call and the tool call")
  void turnIsRecorded() {
    api.register("cy@example.com", "Europe/Paris");

    String conversationId = api.post("/api/v1/chat", new JsonObject().put("text", "remind me to water the plants in 20 minutes"))
        .json().getString("conversationId");

    Api.Response messages = api.get("/api/v1/conversations/" + conversationId + "/messages");
    assertThat(messages.status()).isEqualTo(200);
    assertThat(messages.json().getJsonArray("items")).hasSize(2);
    assertThat(messages.json().getJsonArray("items").getJsonObject(0).getString("role")).isEqualTo("user");
    assertThat(messages.json().getJsonArray("items").getJsonObject(1).getString("role")).isEqualTo("assistant");
    assertThat(api.get("/api/v1/conversations").json().getJsonArray("items")).hasSize(1);
    assertThat(aide.db().number("select count(*) from ai_responses where status = 'ok' and model = 'offline'")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from tool_calls where tool = 'createReminder' and status = 'ok'")).isEqualTo(1);
    assertThat(aide.db().value("select due_at from reminders", OffsetDateTime.class).toInstant())
        .isEqualTo(CLOCK.instant().plusSeconds(20 * 60));
  }

  @Test
  @DisplayName("a question Aide asked is answered in the next message of the same conversation")
  void followUpInSameConversation() {
    api.register("dee@example.com", "America/New_York");

    JsonObject first = api.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom")).json();
    assertThat(first.getJsonObject("reply").getString("text")).isEqualTo("When should I remind you to call mom?");
    assertThat(first.getJsonArray("toolCalls")).isEmpty();

    JsonObject second = api.post("/api/v1/chat", new JsonObject().put("text", "tomorrow at 5pm")
        .put("conversationId", first.getString("conversationId"))).json();
    assertThat(second.getJsonArray("toolCalls")).hasSize(1);
    assertThat(OffsetDateTime.parse(onlyReminder().getString("dueAt")).toInstant()).isEqualTo(TOMORROW_5PM_NEW_YORK);
  }

  @Test
  @DisplayName("a request outside what Aide does is answered plainly, in one sentence, and creates nothing")
  void notUnderstood() {
    api.register("eve@example.com", "UTC");

    JsonObject reply = api.post("/api/v1/chat", new JsonObject().put("text", "what is the meaning of life")).json();

    assertThat(reply.getJsonObject("reply").getString("text")).startsWith("I can't help with that: I keep your calendar");
    assertThat(reply.getJsonArray("toolCalls")).isEmpty();
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
  }

  @Test
  @DisplayName("a conversation that is not the person's is 404 and nothing is stored")
  void unknownConversation() {
    api.register("fay@example.com", "UTC");

    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "remind me to stretch in 5 minutes")
        .put("conversationId", UUID.randomUUID().toString()));

    assertThat(chat.status()).isEqualTo(404);
    assertThat(chat.errorCode()).isEqualTo("not_found");
    assertThat(aide.db().number("select count(*) from messages")).isZero();
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
  }

  @Test
  @DisplayName("chat history survives a restart of the server")
  void historySurvivesRestart() {
    try (TestAide first = TestAide.start(Map.of(), CLOCK); Api client = new Api(first.port())) {
      client.register("gus@example.com", "America/New_York");
      String conversationId = client.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom"))
          .json().getString("conversationId");
      String token = client.post("/api/v1/auth/login", new JsonObject().put("email", "gus@example.com")
          .put("password", "correct horse battery")).json().getString("token");
      TestDatabase database = first.stopKeepingDatabase();

      try (TestAide second = TestAide.restartOn(database, Map.of(), CLOCK); Api again = new Api(second.port())) {
        JsonObject reply = again.as(token).post("/api/v1/chat", new JsonObject().put("text", "tomorrow at 5pm")
            .put("conversationId", conversationId)).json();

        assertThat(reply.getJsonArray("toolCalls")).hasSize(1);
        assertThat(database.number("select count(*) from reminders where text = 'call mom'")).isEqualTo(1);
      } finally {
        database.close();
      }
    }
  }

  @Test
  @DisplayName("a spoken alarm becomes a reminder at that time and says so; the alarm is removed by its time")
  void alarmByVoice() {
    api.register("dee@example.com", "America/New_York");

    JsonObject set = api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "wake me up at six")).json();

    assertThat(set.getJsonObject("reply").getString("text")).contains("Wake up").contains("Thu 19 Nov 2026 at 06:00")
        .contains("no alarm clock");
    assertThat(OffsetDateTime.parse(onlyReminder().getString("dueAt")).toInstant())
        .isEqualTo(Instant.parse("2026-11-19T11:00:00Z"));

    JsonObject removed = api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "cancel my six am alarm")).json();

    assertThat(removed.getJsonArray("toolCalls").getJsonObject(0).getString("name")).isEqualTo("deleteReminders");
    assertThat(api.get("/api/v1/reminders?status=pending").json().getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("\"delete all my reminders\" says what it would delete and deletes them only after a yes")
  void deleteAllRemindersAsksFirst() {
    api.register("eli@example.com", "America/New_York");
    api.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom tomorrow at 5pm"));
    api.post("/api/v1/chat", new JsonObject().put("text", "remind me to buy bread on Friday at 9"));

    JsonObject asked = api.post("/api/v1/chat", new JsonObject().put("text", "delete all my reminders")).json();

    assertThat(asked.getJsonObject("reply").getString("text")).startsWith("I'd delete 2 reminders:")
        .contains("call mom").contains("buy bread").endsWith("Shall I go ahead?");
    assertThat(api.get("/api/v1/reminders").json().getJsonArray("items")).hasSize(2);

    JsonObject yes = api.post("/api/v1/chat", new JsonObject().put("text", "yes")
        .put("conversationId", asked.getString("conversationId"))).json();

    assertThat(yes.getJsonObject("reply").getString("text")).contains("2 reminders");
    assertThat(api.get("/api/v1/reminders?status=pending").json().getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("\"clear my calendar for tomorrow\" says which events it would cancel and cancels them only after a yes")
  void clearADayAsksFirst() {
    api.register("gus@example.com", "America/New_York");
    api.post("/api/v1/chat", new JsonObject().put("text", "schedule a meeting with Sam tomorrow at 3pm"));
    api.post("/api/v1/chat", new JsonObject().put("text", "schedule lunch with Ana tomorrow at noon"));
    api.post("/api/v1/chat", new JsonObject().put("text", "schedule the dentist on Friday at 9am"));

    JsonObject asked = api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "clear my calendar for tomorrow"))
        .json();

    assertThat(asked.getJsonObject("reply").getString("text")).startsWith("I'd cancel 2 events on Thu 19 Nov")
        .contains("meeting with Sam").contains("lunch with Ana").doesNotContain("dentist").endsWith("Shall I go ahead?");
    assertThat(aide.db().number("select count(*) from events where deleted_at is null")).isEqualTo(3);

    JsonObject yes = api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "yes")
        .put("conversationId", asked.getString("conversationId"))).json();

    assertThat(yes.getJsonObject("reply").getString("text")).isEqualTo("Cancelled 2 events.");
    assertThat(aide.db().number("select count(*) from events where deleted_at is null")).isEqualTo(1);
  }

  @Test
  @DisplayName("\"remove alarms set for tomorrow\" names tomorrow's alarms and removes them only after a yes")
  void removeADaysAlarms() {
    api.register("ivy@example.com", "America/New_York");
    api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "wake me up at six"));
    api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "set an alarm for seven thirty tomorrow"));
    api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "set an alarm for friday at eight am"));

    JsonObject asked = api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "remove alarms set for tomorrow"))
        .json();

    assertThat(asked.getJsonObject("reply").getString("text")).startsWith("I'd delete 2 reminders:")
        .contains("06:00").contains("07:30").doesNotContain("08:00").endsWith("Shall I go ahead?");
    assertThat(api.get("/api/v1/reminders?status=pending").json().getJsonArray("items")).hasSize(3);

    api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "yes")
        .put("conversationId", asked.getString("conversationId")));

    var pending = api.get("/api/v1/reminders?status=pending").json().getJsonArray("items");
    assertThat(pending).hasSize(1);
    assertThat(OffsetDateTime.parse(pending.getJsonObject(0).getString("dueAt")).toInstant())
        .isEqualTo(Instant.parse("2026-11-20T13:00:00Z"));
  }

  @Test
  @DisplayName("a meeting said by its day alone gets the question of its time, and the answer schedules it")
  void dayWithoutTimeAsksTheTime() {
    api.register("jon@example.com", "America/New_York");

    JsonObject asked = api.post("/api/v1/voice/transcripts", new JsonObject().put("text",
        "i need a meeting with the cfo on thursday")).json();

    assertThat(asked.getJsonObject("reply").getString("text"))
        .isEqualTo("What time on Thu 19 Nov should I schedule \"meeting with the cfo\"?");
    JsonObject answered = api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "three pm")
        .put("conversationId", asked.getString("conversationId"))).json();

    assertThat(answered.getJsonArray("toolCalls").getJsonObject(0).getString("name")).isEqualTo("createEvent");
    assertThat(aide.db().value("select title from events", String.class)).isEqualTo("meeting with the cfo");
    assertThat(aide.db().value("select to_char(start_at at time zone 'America/New_York', 'YYYY-MM-DD HH24:MI') "
        + "from events", String.class)).isEqualTo("2026-11-19 15:00");
  }

  @Test
  @DisplayName("\"it\", \"this event\" and \"that\" name the item the conversation last touched: moved, made to "
      + "repeat, cancelled; a reminder is moved by its time")
  void itIsTheLastItemTouched() {
    api.register("kim@example.com", "America/New_York");
    JsonObject created = api.post("/api/v1/chat", new JsonObject().put("text",
        "schedule a meeting with Sam tomorrow at 3pm")).json();
    String conversation = created.getString("conversationId");
    api.post("/api/v1/chat", new JsonObject().put("text", "schedule the dentist on Friday at 9am"));

    JsonObject moved = api.post("/api/v1/chat", new JsonObject().put("text", "move it to 4")
        .put("conversationId", conversation)).json();

    assertThat(moved.getJsonArray("toolCalls").getJsonObject(0).getString("name")).isEqualTo("changeEvent");
    assertThat(aide.db().value("select to_char(start_at at time zone 'America/New_York', 'YYYY-MM-DD HH24:MI') "
        + "from events where title = 'meeting with Sam'", String.class)).isEqualTo("2026-11-19 16:00");

    api.post("/api/v1/chat", new JsonObject().put("text", "delete this reminder").put("conversationId", conversation));
    assertThat(aide.db().number("select count(*) from events where deleted_at is null")).isEqualTo(2);

    JsonObject dayOnly = api.post("/api/v1/chat", new JsonObject().put("text", "move it to friday")
        .put("conversationId", conversation)).json();

    assertThat(dayOnly.getJsonObject("reply").getString("text"))
        .isEqualTo("What time on Fri 20 Nov should \"meeting with Sam\" be?");
    assertThat(aide.db().value("select to_char(start_at at time zone 'America/New_York', 'YYYY-MM-DD HH24:MI') "
        + "from events where title = 'meeting with Sam'", String.class)).isEqualTo("2026-11-19 16:00");

    JsonObject repeated = api.post("/api/v1/voice/transcripts", new JsonObject().put("text",
        "could you repeat this event every week").put("conversationId", conversation)).json();

    assertThat(repeated.getJsonObject("reply").getString("text")).contains("repeats every week")
        .doesNotContain("FREQ");
    assertThat(aide.db().value("select rrule from events where title = 'meeting with Sam'", String.class))
        .isEqualTo("FREQ=WEEKLY");
    assertThat(aide.db().value("select rrule from events where title = 'dentist'", String.class)).isNull();

    JsonObject cancelled = api.post("/api/v1/chat", new JsonObject().put("text", "cancel that")
        .put("conversationId", conversation)).json();

    assertThat(cancelled.getJsonObject("reply").getString("text"))
        .isEqualTo("Cancelled \"meeting with Sam\" on Thu 19 Nov 2026 at 16:00; the other occurrences stay.");
    assertThat(aide.db().number("select count(*) from events where deleted_at is null and title = 'dentist'"))
        .isEqualTo(1);

    JsonObject reminded = api.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom tomorrow at 5pm"))
        .json();
    api.post("/api/v1/chat", new JsonObject().put("text", "move it to 6pm")
        .put("conversationId", reminded.getString("conversationId")));

    assertThat(OffsetDateTime.parse(onlyReminder().getString("dueAt")).toInstant())
        .isEqualTo(Instant.parse("2026-11-19T23:00:00Z"));
    // the listing's ids are the model's, never the person's to read
    assertThat(api.post("/api/v1/chat", new JsonObject().put("text", "what are my reminders?")).json()
        .getJsonObject("reply").getString("text")).contains("call mom").doesNotContain("[id").doesNotContain("FREQ");
  }

  @Test
  @DisplayName("with nothing touched before it in the conversation, \"cancel it\" cancels nothing and asks which")
  void itWithNothingBefore() {
    api.register("lee@example.com", "America/New_York");
    api.post("/api/v1/chat", new JsonObject().put("text", "schedule a meeting with Sam tomorrow at 3pm"));

    JsonObject answer = api.post("/api/v1/chat", new JsonObject().put("text", "cancel it")).json();

    assertThat(answer.getJsonObject("reply").getString("text")).endsWith("?");
    assertThat(aide.db().number("select count(*) from events where deleted_at is null")).isEqualTo(1);
  }

  @Test
  @DisplayName("a vague removal by voice lists the candidates, asks which one and removes nothing")
  void vagueRemovalAsks() {
    api.register("fay@example.com", "America/New_York");
    api.post("/api/v1/chat", new JsonObject().put("text", "schedule a meeting with Sam tomorrow at 3pm"));

    JsonObject asked = api.post("/api/v1/voice/transcripts", new JsonObject().put("text", "delete item")).json();

    assertThat(asked.getJsonObject("reply").getString("text")).contains("\"meeting with Sam\"")
        .endsWith("Which one should I cancel?");
    assertThat(aide.db().number("select count(*) from events where status <> 'cancelled' and deleted_at is null"))
        .isEqualTo(1);
  }

  private JsonObject onlyReminder() {
    Api.Response list = api.get("/api/v1/reminders");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().getJsonArray("items")).hasSize(1);
    return list.json().getJsonArray("items").getJsonObject(0);
  }
}
