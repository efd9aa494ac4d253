package dev.aide.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.FakeTelegram;
import dev.aide.support.TestAide;
import dev.aide.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Without a public https URL, Aide long-polls Telegram")
class TelegramPollingTest {

  private static final String TOKEN = TelegramWebhookTest.TOKEN;
  private static final long BOT_ID = 7000000001L;
  private static final long CHAT = 424242;

  private FakeTelegram telegram;
  private TestDatabase database;
  private Map<String, String> env;

  @BeforeEach
  void start() {
    telegram = new FakeTelegram(TOKEN);
    database = TestDatabase.create();
    env = Map.of("AIDE_TELEGRAM_BOT_TOKEN", TOKEN, "AIDE_TELEGRAM_API_URL", telegram.apiUrl());
  }

  @AfterEach
  void stop() {
    telegram.close();
    database.close();
  }

  @Test
  @DisplayName("messages are answered, and a restart neither loses nor replays updates")
  void restartLosesAndReplaysNothing() {
    try (TestAide first = TestAide.restartOn(database, env, Clock.systemUTC())) {
      settled().atMost(Duration.ofSeconds(10)).until(() -> telegram.calls().contains("getUpdates"));
      assertThat(telegram.calls()).contains("deleteWebhook", "setMyCommands");
      telegram.enqueue(FakeTelegram.update("update-text-private.json", 100, CHAT, "remind me to call mom in 3 days"));
      awaitReplies(1);
    }
    // While Aide is down, the person writes again.
    telegram.enqueue(FakeTelegram.update("update-text-private.json", 101, CHAT, "/reminders"));

    try (TestAide second = TestAide.restartOn(database, env, Clock.systemUTC())) {
      assertThat(awaitReplies(2).get(1).text()).contains("call mom");
      awaitSettled();

      assertThat(telegram.sent().stream().filter(m -> m.chatId() == CHAT)).hasSize(2);
      assertThat(database.number("select count(*) from inbox")).isEqualTo(2);
      assertThat(database.number("select next_update_id from telegram_state where bot_id = ?", BOT_ID)).isEqualTo(102);
      List<JsonObject> polls = telegram.requests("getUpdates");
      assertThat(polls.get(polls.size() - 1).getLong("offset")).isEqualTo(102);
    }
  }

  @Test
  @DisplayName("an update stored before a crash, but never answered, is answered after the restart")
  void crashBetweenInboxAndReply() {
    JsonObject update = FakeTelegram.update("update-text-private.json", 200, CHAT, "remind me to feed the cat in 20 minutes");
    try (TestAide first = TestAide.restartOn(database, env, Clock.systemUTC())) {
      settled().atMost(Duration.ofSeconds(10)).until(() -> telegram.calls().contains("getUpdates"));
    }
    // What a crash right after storing the update leaves behind: the inbox row and the confirmed offset.
    database.execute("insert into inbox (channel, external_id, chat_key, payload) values ('telegram', '"
        + BOT_ID + ":200', '" + CHAT + "', '" + update.encode().replace("'", "''") + "')");
    database.execute("update telegram_state set next_update_id = 201");

    try (TestAide second = TestAide.restartOn(database, env, Clock.systemUTC())) {
      assertThat(awaitReplies(1).get(0).text()).contains("feed the cat");
      assertThat(database.number("select count(*) from inbox where processed_at is null")).isZero();
    }
  }

  @Test
  @DisplayName("only one instance polls at a time; when it stops, the one standing by takes over")
  void oneLeader() {
    TestAide first = TestAide.restartOn(database, env, Clock.systemUTC());
    settled().atMost(Duration.ofSeconds(10)).until(() -> telegram.calls().contains("getUpdates"));
    try (TestAide second = TestAide.restartOn(database, env, Clock.systemUTC())) {
      assertThat(database.number("select count(*) from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())")).isEqualTo(1);
      assertThat(telegram.calls().stream().filter("getMe"::equals)).hasSize(1);

      first.close();
      settled().atMost(Duration.ofSeconds(15)).until(() -> telegram.calls().stream().filter("getMe"::equals).count() == 2);
      telegram.enqueue(FakeTelegram.update("update-text-private.json", 300, CHAT, "/help"));
      assertThat(awaitReplies(1).get(0).text()).contains("/today");
    } finally {
      first.close();
    }
  }

  /**
   * Awaitility, without failing on another thread's uncaught exception: an instance closed a moment before may still
   * finish work on a worker thread (the embedding model loading for the message it indexed), whose result then has no
   * event loop to go to (RejectedExecutionException, thrown on that worker). What these tests check is what reaches
   * the chat and the database.
   */
  private static org.awaitility.core.ConditionFactory settled() {
    return await().dontCatchUncaughtExceptions();
  }

  private List<FakeTelegram.SentMessage> awaitReplies(int count) {
    settled().atMost(Duration.ofSeconds(15))
        .until(() -> telegram.sent().stream().filter(m -> m.chatId() == CHAT).count() >= count);
    return telegram.sent().stream().filter(m -> m.chatId() == CHAT).toList();
  }

  private void awaitSettled() {
    settled().atMost(Duration.ofSeconds(15)).until(() ->
        database.number("select count(*) from outbox where status in ('pending', 'sending')") == 0
            && database.number("select count(*) from inbox where processed_at is null") == 0);
  }
}
