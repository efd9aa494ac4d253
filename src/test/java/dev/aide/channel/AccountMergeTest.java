package dev.aide.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.EveryTable;
import dev.aide.support.FakeTelegram;
import dev.aide.support.ProactiveServer;
import dev.aide.support.TestClock;
import dev.aide.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 item 12: a Telegram chat that used Aide on its own (a Telegram-only user) is linked to an account, and
 * everything the chat had moves into the account in one transaction: nothing copied, nothing lost, the empty user
 * deleted; things both had once per person are folded into the account's; an account is never merged away.
 */
@DisplayName("Linking a channel-only user's chat to an account moves everything it had into the account")
class AccountMergeTest {

  private static final String TOKEN = "7000000012:AAH-fake-token-for-merge-tests_0123";
  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-11-25T10:00:00Z"));

  @RegisterExtension
  static final ProactiveServer server = ProactiveServer.create(TOKEN, CLOCK).freshEachTest();
  private static final AideServer aide = server.aide();
  private static final FakeTelegram telegram = server.telegram();
  // Update ids only grow across tests (Telegram forgets those below the confirmed offset); every update of this class
  // is sent by send(), never by the server's own helpers, which count from 0.
  private static final AtomicLong updates = new AtomicLong(1_000_000);

  @Test
  @DisplayName("every table with a user_id column is named by the merge, which says what it does with it")
  void everyTableIsNamed() {
    Set<String> tables = new HashSet<>(EveryTable.tables(aide.db()));
    assertThat(AccountMerge.handledTables())
        .as("tables the merge names; a new table with a user_id column needs a step in AccountMerge.STEPS")
        .containsExactlyInAnyOrderElementsOf(tables);
  }

  @Test
  @DisplayName("a Telegram-only user's rows in every table move into the account (credentials excepted), the user is "
      + "deleted, and the chat goes on as the account")
  void everythingMoves() {
    TestDatabase db = aide.db();
    Api ada = aide.signUp("ada@example.com", "Europe/Paris");
    UUID account = userId(ada);
    EveryTable.fill(db, account, "ada");
    long chat = 81_001;
    send(chat, "remind me to water the plants tomorrow at 9am");
    send(chat, "note: the boiler code is 4411");
    UUID channelOnly = owner(chat);
    assertThat(channelOnly).isNotEqualTo(account);
    EveryTable.fill(db, channelOnly, "tg");
    String token = ada.post("/api/v1/channels/telegram/link", new JsonObject()).json().getString("token");

    Map<String, Long> accountBefore = EveryTable.counts(db, account);
    Map<String, Long> channelOnlyBefore = EveryTable.counts(db, channelOnly);
    assertThat(channelOnlyBefore).as("the channel-only user has rows in every table")
        .allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());
    Map<String, AccountMerge.Handling> handling = AccountMerge.STEPS.stream()
        .collect(Collectors.toMap(AccountMerge.Step::table, AccountMerge.Step::handling));

    String reply = send(chat, "/start " + token);

    assertThat(reply).contains("Linked!").contains("Everything you did with me here before");
    assertThat(db.number("select count(*) from users where id = ?", channelOnly)).isZero();
    Map<String, Long> accountAfter = EveryTable.counts(db, account);
    for (String table : accountBefore.keySet()) {
      assertThat(db.number("select count(*) from " + table + " where user_id = ?", channelOnly))
          .as("rows left behind in " + table).isZero();
      long expected = handling.get(table) == AccountMerge.Handling.DROPPED ? accountBefore.get(table)
          : accountBefore.get(table) + channelOnlyBefore.get(table);
      if (table.equals("outbox")) {
        expected++; // the "Linked!" answer
      }
      if (table.equals("user_context")) {
        expected = 1; // one per person: the account's bio stays
      }
      assertThat(accountAfter.get(table)).as("rows of the account in " + table).isEqualTo(expected);
    }
    assertThat(db.value("select bio from user_context where user_id = ?", String.class, account)).isEqualTo("ada bio");
    assertThat(db.number("select count(*) from memory_relations r join memories m on m.id = r.from_id "
        + "where m.user_id = ?", account)).isEqualTo(2);
    assertThat(db.number("select count(*) from link_tokens where user_id = ? and used_at is not null", account))
        .as("the link token was used").isEqualTo(1);

    // The account sees what the chat did, and the chat now acts for the account.
    assertThat(ada.get("/api/v1/reminders").body()).contains("water the plants").contains("tg call mom");
    assertThat(ada.get("/api/v1/notes").body()).contains("boiler code").contains("tg wifi is tulip42");
    send(chat, "note: the bike lock is 2020");
    assertThat(ada.get("/api/v1/notes").body()).contains("bike lock");
    assertThat(owner(chat)).isEqualTo(account);
    assertThat(ada.get("/api/v1/channels").json().getJsonArray("items").stream()
        .map(i -> ((JsonObject) i).getString("channel")).toList()).contains("telegram", "voice");
  }

  @Test
  @DisplayName("what both had once per person is folded into the account's: a list of the same name, the same memory, "
      + "a budget, the bio, the primary calendar, an imported event, a day's digest, the digest schedule")
  void collisions() {
    TestDatabase db = aide.db();
    Api ada = aide.signUp("ada@example.com", "UTC");
    UUID account = userId(ada);
    long chat = 81_002;
    send(chat, "hello");
    UUID channelOnly = owner(chat);

    UUID adaList = list(db, account, "Groceries", "milk", "eggs");
    list(db, channelOnly, "groceries", "Milk", "bread");
    UUID adaPeanuts = memory(db, account, "I am allergic to peanuts");
    UUID tgPeanuts = memory(db, channelOnly, "i am allergic to peanuts ");
    UUID tgSister = memory(db, channelOnly, "Anna is my sister");
    db.update("insert into memory_relations (from_id, to_id, relation) values (?, ?, 'about')", tgSister, tgPeanuts);
    db.update("insert into budgets (user_id, category, amount, currency) values (?, 'food', 300, 'EUR'), "
        + "(?, 'food', 999, 'EUR'), (?, 'books', 50, 'EUR')", account, channelOnly, channelOnly);
    db.update("insert into user_context (user_id, bio) values (?, 'Ada bio')", account);
    db.update("insert into user_context (user_id, bio, goals) values (?, 'Telegram bio', 'run a marathon')",
        channelOnly);
    UUID adaCalendar = calendar(db, account);
    UUID tgCalendar = calendar(db, channelOnly);
    UUID adaStandup = event(db, account, adaCalendar, "standup", "uid-1@example.com");
    UUID tgStandup = event(db, channelOnly, tgCalendar, "standup", "uid-1@example.com");
    event(db, channelOnly, tgCalendar, "yoga", null);
    db.update("insert into reminders (user_id, text, due_at, event_id) values (?, 'before standup', "
        + "'2030-01-01T08:00:00Z', ?)", channelOnly, tgStandup);
    db.update("insert into ai_summaries (user_id, summary_type, summary_date, content, ai_model) values "
        + "(?, 'daily', '2026-11-24', 'Ada day', 'template'), (?, 'daily', '2026-11-24', 'Telegram day', 'template')",
        account, channelOnly);
    db.update("insert into scheduled_tasks (user_id, task_key, type, next_run_at) values (?, ?, 'digest', "
        + "'2030-01-01T08:00:00Z')", channelOnly, "digest:" + channelOnly);
    db.update("insert into documents (user_id, title, media_type, size_bytes, source_key) values "
        + "(?, 'a', 'text/plain', 1, 'telegram:7'), (?, 'b', 'text/plain', 1, 'telegram:7')", account, channelOnly);

    String token = ada.post("/api/v1/channels/telegram/link", new JsonObject()).json().getString("token");
    assertThat(send(chat, "/start " + token)).contains("Linked!");

    assertThat(db.number("select count(*) from users where id = ?", channelOnly)).isZero();
    assertThat(db.strings("select id::text from lists where user_id = ?", account)).containsExactly(adaList.toString());
    assertThat(db.strings("select text from list_items where list_id = ? order by position", adaList))
        .containsExactly("milk", "eggs", "bread");
    assertThat(db.strings("select content from memories where user_id = ? order by content", account))
        .containsExactly("Anna is my sister", "I am allergic to peanuts");
    assertThat(db.strings("select to_id::text from memory_relations where from_id = ?", tgSister))
        .containsExactly(adaPeanuts.toString());
    assertThat(db.strings("select category || '=' || amount::int from budgets where user_id = ? order by category",
        account)).containsExactly("books=50", "food=300");
    assertThat(db.strings("select bio || '/' || goals from user_context where user_id = ?", account))
        .containsExactly("Ada bio/run a marathon");
    assertThat(db.strings("select id::text from calendars where user_id = ? and is_primary", account))
        .containsExactly(adaCalendar.toString());
    assertThat(db.strings("select title from events where calendar_id = ? and deleted_at is null order by title",
        adaCalendar)).containsExactly("standup", "yoga");
    assertThat(db.number("select count(*) from events where id = ? and deleted_at is not null", tgStandup)).isEqualTo(1);
    assertThat(db.strings("select event_id::text from reminders where text = 'before standup'"))
        .containsExactly(adaStandup.toString());
    assertThat(db.strings("select content from ai_summaries where user_id = ?", account)).containsExactly("Ada day");
    assertThat(db.number("select count(*) from scheduled_tasks where task_key like 'digest:%'")).isZero();
    assertThat(db.strings("select coalesce(source_key, '-') from documents where user_id = ? order by title", account))
        .containsExactly("telegram:7", "-");
    assertThat(EveryTable.counts(db, channelOnly)).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
  }

  @Test
  @DisplayName("an account is never merged away: a chat linked to another account changes hands, the first account "
      + "keeps all it had and is told in its notifications")
  void accountsAreNeverMerged() {
    TestDatabase db = aide.db();
    Api ada = aide.signUp("ada@example.com", "UTC");
    Api bob = aide.signUp("bob@example.com", "UTC");
    UUID adaId = userId(ada);
    UUID bobId = userId(bob);
    long chat = 81_003;
    String adaToken = ada.post("/api/v1/channels/telegram/link", new JsonObject()).json().getString("token");
    assertThat(send(chat, "/start " + adaToken)).contains("Linked!");
    send(chat, "note: ada's note from telegram");
    Map<String, Long> adaBefore = EveryTable.counts(db, adaId);

    String token = bob.post("/api/v1/channels/telegram/link", new JsonObject()).json().getString("token");
    String reply = send(chat, "/start " + token);

    assertThat(reply).contains("Linked!").doesNotContain("Everything you did");
    assertThat(owner(chat)).isEqualTo(bobId);
    assertThat(db.number("select count(*) from users where id = ?", adaId)).isEqualTo(1);
    Map<String, Long> adaAfter = EveryTable.counts(db, adaId);
    adaBefore.forEach((table, rows) -> {
      long expected = table.equals("channel_identities") ? rows - 1 : table.equals("notifications") ? rows + 1 : rows;
      assertThat(adaAfter.get(table)).as(table).isEqualTo(expected);
    });
    assertThat(ada.get("/api/v1/notes").body()).contains("ada's note from telegram");
    assertThat(bob.get("/api/v1/notes").json().getJsonArray("items")).isEmpty();
    assertThat(ada.get("/api/v1/notifications").body()).contains("Telegram chat was linked to another Aide account");
    assertThat(ada.get("/api/v1/channels").json().getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("without Twilio no code can be texted: verifying a number answers 409 and sends nothing")
  void smsNotSetUp() {
    Api ada = aide.signUp("ada@example.com", "UTC");

    Api.Response answer = ada.post("/api/v1/channels/sms/verify", new JsonObject().put("phone", "+14155550100"));

    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.errorCode()).isEqualTo("sms_unavailable");
    assertThat(aide.db().number("select count(*) from outbox")).isZero();
    assertThat(aide.db().number("select count(*) from link_codes")).isZero();
  }

  /** Sends a private message and answers Aide's reply. */
  private static String send(long chat, String text) {
    int before = server.texts(chat).size();
    telegram.enqueue(FakeTelegram.update("update-text-private.json", updates.incrementAndGet(), chat, text));
    await().atMost(Duration.ofSeconds(15)).until(() -> server.texts(chat).size() > before);
    return server.texts(chat).get(before);
  }

  private static UUID owner(long chat) {
    return UUID.fromString(aide.db().value("select user_id::text from channel_identities where channel = 'telegram' "
        + "and external_id = ?", String.class, Long.toString(chat)));
  }

  private static UUID userId(Api api) {
    return UUID.fromString(api.get("/api/v1/me").json().getString("id"));
  }

  private static UUID list(TestDatabase db, UUID user, String name, String... items) {
    UUID list = UUID.fromString(db.value("insert into lists (user_id, name) values (?, ?) returning id::text",
        String.class, user, name));
    for (int i = 0; i < items.length; i++) {
      db.update("insert into list_items (list_id, user_id, text, position) values (?, ?, ?, ?)", list, user,
          items[i], i + 1);
    }
    return list;
  }

  private static UUID memory(TestDatabase db, UUID user, String content) {
    return UUID.fromString(db.value("insert into memories (user_id, content, source) values (?, ?, 'asked') "
        + "returning id::text", String.class, user, content));
  }

  private static UUID calendar(TestDatabase db, UUID user) {
    return UUID.fromString(db.value("insert into calendars (user_id, name, is_primary) values (?, 'Personal', true) "
        + "returning id::text", String.class, user));
  }

  private static UUID event(TestDatabase db, UUID user, UUID calendar, String title, String icalUid) {
    return UUID.fromString(db.value("insert into events (user_id, calendar_id, title, start_at, end_at, timezone, "
        + "ical_uid) values (?, ?, ?, '2030-01-02T09:00:00Z', '2030-01-02T10:00:00Z', 'UTC', ?) returning id::text",
        String.class, user, calendar, title, icalUid));
  }
}
