package dev.aide.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTelegram;
import dev.aide.support.TestAide;
import dev.aide.support.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Updates Aide cannot use, or can use only once mended: Telegram redelivers any update that is not answered 2xx, so
 * such an update must never get a 5xx (webhook) or stop the poller (polling). The payload files follow the Bot API's
 * Update and Message objects, with one field of the wrong kind each.
 */
@DisplayName("Telegram updates with a NUL or of a shape Aide cannot use are acknowledged, never redelivered forever")
class TelegramUnusableUpdatesTest {

  private static final String TOKEN = "7000000002:AAH-fake-token-for-tests_0123456789";
  private static final long BOT_ID = 7000000002L;
  private static final String SECRET = "webhook-secret_unusable";
  private static final AtomicLong UPDATE_IDS = new AtomicLong(700_000);
  private static final AtomicLong CHAT_IDS = new AtomicLong(7_000_000);
  private static final List<String> UNUSABLE = List.of("update-message-not-object.json", "update-chat-not-object.json",
      "update-from-not-object.json", "update-ids-not-numbers.json", "update-chat-id-huge.json");

  private static final FakeTelegram telegram = new FakeTelegram(TOKEN);

  @RegisterExtension
  static final AideServer aide = AideServer.create().telegram(telegram)
      .env("AIDE_PUBLIC_URL", "https://aide.example.org")
      .env("AIDE_TELEGRAM_WEBHOOK_SECRET", SECRET)
      .readyWhen(() -> telegram.webhook() != null);

  @Test
  @DisplayName("a text with a NUL is stored with U+FFFD in its place, answered, and acknowledged with 200")
  void nulMended() {
    long chat = CHAT_IDS.incrementAndGet();
    long update = UPDATE_IDS.incrementAndGet();

    assertThat(deliver(raw("update-text-nul.json", update, chat)).status()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(15)).until(() -> telegram.sent().stream().anyMatch(m -> m.chatId() == chat));
    assertThat(aide.db().value("select payload #>> '{message,text}' from inbox where external_id = ?", String.class,
        BOT_ID + ":" + update)).isEqualTo("call mom\uFFFD at 5pm");
    assertThat(aide.db().strings("select m.content from messages m join channel_identities i on i.user_id = m.user_id "
        + "where i.external_id = ? and m.role = 'user'", String.valueOf(chat))).containsExactly("call mom\uFFFD at 5pm");
  }

  @Test
  @DisplayName("an update whose message, chat or sender is not an object, or whose ids are not whole numbers, gets 200 "
      + "and is set aside as handled, answering no one and creating no account")
  void unusableSetAside() {
    long chat = CHAT_IDS.incrementAndGet();
    long users = aide.db().number("select count(*) from users");
    for (String file : UNUSABLE) {
      long update = UPDATE_IDS.incrementAndGet();

      assertThat(deliver(raw(file, update, chat)).status()).as(file).isEqualTo(200);
      assertThat(deliver(raw(file, update, chat)).status()).as(file + " again").isEqualTo(200);

      await().atMost(Duration.ofSeconds(15)).until(() -> aide.db().number(
          "select count(*) from inbox where external_id = ? and processed_at is not null", BOT_ID + ":" + update) == 1);
      assertThat(aide.db().value("select last_error from inbox where external_id = ?", String.class,
          BOT_ID + ":" + update)).as(file).isEqualTo("not a message Aide handles");
    }
    assertThat(aide.db().number("select count(*) from users")).isEqualTo(users);
    assertThat(telegram.sent().stream().filter(m -> m.chatId() == chat)).isEmpty();
  }

  @Test
  @DisplayName("a body that is not an Update (no whole-number update_id) is a 400 and nothing is stored")
  void notAnUpdate() {
    long before = aide.db().number("select count(*) from inbox");
    for (String body : new String[] {"", "[]", "{}", "{\"update_id\":\"12\"}", "{\"update_id\":1.5}",
        "{\"update_id\":18446744073709551616}", "{\"update_id\":1e309}"}) {
      Api.Response r = deliver(body);
      assertThat(r.status()).as(body).isEqualTo(400);
    }
    assertThat(aide.db().number("select count(*) from inbox")).isEqualTo(before);
  }

  @Test
  @DisplayName("in polling mode the same updates are stored and the poller moves on: the next message is answered")
  void pollingMovesOn() {
    long chat = 7_500_001L;
    try (FakeTelegram polled = new FakeTelegram(TOKEN); TestDatabase database = TestDatabase.create();
         TestAide polling = TestAide.restartOn(database,
             Map.of("AIDE_TELEGRAM_BOT_TOKEN", TOKEN, "AIDE_TELEGRAM_API_URL", polled.apiUrl()), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> polled.calls().contains("getUpdates"));
      long id = 1;
      polled.enqueue(FakeTelegram.payload("update-text-nul.json").put("update_id", id++));
      for (String file : UNUSABLE) {
        polled.enqueue(FakeTelegram.payload(file).put("update_id", id++));
      }
      polled.enqueue(FakeTelegram.update("update-text-private.json", id, chat, "/help"));

      await().atMost(Duration.ofSeconds(20)).until(() -> polled.sent().stream().anyMatch(m -> m.chatId() == chat));
      await().atMost(Duration.ofSeconds(15)).until(() ->
          database.number("select count(*) from inbox where processed_at is null") == 0);
      assertThat(database.number("select count(*) from inbox")).isEqualTo(UNUSABLE.size() + 2);
      assertThat(database.number("select next_update_id from telegram_state where bot_id = ?", BOT_ID))
          .isEqualTo(id + 1);
      assertThat(database.value("select payload #>> '{message,text}' from inbox where external_id = ?", String.class,
          BOT_ID + ":1")).isEqualTo("call mom\uFFFD at 5pm");
    }
  }

  private static Api.Response deliver(String body) {
    try (Api api = new Api(aide.port())) {
      return api.send(HttpMethod.POST, "/webhooks/telegram", Buffer.buffer(body), "application/json",
          Map.of("X-Telegram-Bot-Api-Secret-Token", SECRET));
    }
  }

  /** A payload file as Telegram would send its bytes, with the update and chat ids of the test. */
  private static String raw(String file, long updateId, long chatId) {
    try (InputStream in = TelegramUnusableUpdatesTest.class.getResourceAsStream("/payload/telegram/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("815000001", String.valueOf(updateId))
          .replace("123456789", String.valueOf(chatId));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
