package dev.aide.note;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A person keeps notes and lists by chatting with the offline model")
class NotesAndListsChatTest {

  // Wednesday 18 November 2026, 10:15 in Paris.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T09:15:00Z"), ZoneOffset.UTC);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).freshEachTest().person("chloe@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @Test
  @DisplayName("a grocery list is filled, merged, checked off, shown, and two items removed after a yes")
  void groceries() {
    assertThat(say("add 2 kg of apples and 3 bananas to the grocery list"))
        .isEqualTo("Created the list grocery. Added to grocery: 2 kg apples, 3 bananas.");
    assertThat(say("add 1 kg of apples to my groceries")).isEqualTo("Added to grocery: apples (now 3 kg apples).");
    assertThat(say("add milk to my shopping list")).isEqualTo("Added to grocery: milk.");
    assertThat(say("I bought the apples")).isEqualTo("Checked off 3 kg apples on grocery.");
    assertThat(say("what's on my grocery list"))
        .isEqualTo("grocery (3 items, 1 done):\n- 3 kg apples (done)\n- 3 bananas\n- milk");

    JsonObject asked = chat("remove bananas and milk from the grocery list", null);
    assertThat(asked.getJsonObject("reply").getString("text")).isEqualTo(
        "I'd remove 2 items from grocery (3 bananas, milk). Shall I go ahead?");
    assertThat(aide.db().number("select count(*) from list_items")).isEqualTo(3);

    JsonObject yes = chat("yes", asked.getString("conversationId"));
    assertThat(yes.getJsonObject("reply").getString("text")).isEqualTo("Removed from grocery: 3 bananas, milk.");
    assertThat(yes.getJsonArray("toolCalls").getJsonObject(0).getString("name")).isEqualTo("removeFromList");
    assertThat(yes.getJsonArray("toolCalls").getJsonObject(0).getJsonObject("arguments").getJsonArray("itemIds")).hasSize(2);
    assertThat(aide.db().number("select count(*) from list_items")).isEqualTo(1);

    JsonObject lists = api.get("/api/v1/lists").json();
    assertThat(lists.getJsonArray("items")).hasSize(1);
    assertThat(lists.getJsonArray("items").getJsonObject(0).getJsonArray("items").getJsonObject(0).getBoolean("done")).isTrue();
  }

  @Test
  @DisplayName("a yes without a pending confirmation does nothing")
  void strayYes() {
    assertThat(chat("yes", null).getJsonArray("toolCalls")).isEmpty();
    JsonObject added = chat("add milk and eggs to my shopping list", null);
    assertThat(added.getJsonObject("reply").getString("text"))
        .isEqualTo("Created the list shopping. Added to shopping: milk, eggs.");
    JsonObject yes = chat("yes", added.getString("conversationId"));
    assertThat(yes.getJsonArray("toolCalls")).isEmpty();
    assertThat(aide.db().number("select count(*) from list_items")).isEqualTo(2);
  }

  @Test
  @DisplayName("the offline model's question is answered only in its own conversation: a yes elsewhere runs nothing")
  void yesElsewhere() {
    say("add milk and eggs to my shopping list");
    JsonObject asked = chat("remove milk and eggs from the shopping list", null);
    assertThat(asked.getJsonObject("reply").getString("text"))
        .isEqualTo("I'd remove 2 items from shopping (milk, eggs). Shall I go ahead?");

    assertThat(chat("yes", null).getJsonArray("toolCalls")).isEmpty();
    assertThat(aide.db().number("select count(*) from list_items")).isEqualTo(2);

    assertThat(chat("yes", asked.getString("conversationId")).getJsonObject("reply").getString("text"))
        .isEqualTo("Removed from shopping: milk, eggs.");
    assertThat(aide.db().number("select count(*) from list_items")).isZero();
  }

  @Test
  @DisplayName("\"note that\" saves a note, \"remind me\" still sets a reminder, and notes are found again")
  void notesAndReminders() {
    assertThat(say("note that Sam's birthday is March 3rd")).startsWith("Note saved: \"Sam's birthday is March 3rd\"");
    assertThat(say("make a note #work the quarterly review is moved"))
        .startsWith("Note saved [#work]: \"the quarterly review is moved\"");
    JsonObject reminder = chat("remind me to buy milk tomorrow", null);
    assertThat(reminder.getJsonArray("toolCalls").getJsonObject(0).getString("name")).isEqualTo("createReminder");

    assertThat(aide.db().number("select count(*) from notes")).isEqualTo(2);
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from list_items")).isZero();
    assertThat(aide.db().value("select due_at from reminders", OffsetDateTime.class).toInstant())
        .isEqualTo(Instant.parse("2026-11-19T08:00:00Z"));

    assertThat(say("what did I note about Sam?")).startsWith("1 note about Sam:").contains("birthday is March 3rd");
    assertThat(say("show my #work notes")).startsWith("1 note tagged #work:").contains("quarterly review");
    assertThat(api.get("/api/v1/notes?tag=work").json().getJsonArray("items")).hasSize(1);
  }

  private String say(String text) {
    return chat(text, null).getJsonObject("reply").getString("text");
  }

  private JsonObject chat(String text, String conversationId) {
    return api.chat(text, conversationId);
  }
}
