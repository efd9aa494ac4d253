package dev.aide.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import dev.aide.support.FakeTelegram;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Telegram Bot API client speaks the documented wire format")
class TelegramApiTest {

  private static final String TOKEN = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
  private static final long CHAT = 123456789L;

  private static Vertx vertx;
  private static WebClient client;
  private FakeTelegram telegram;
  private TelegramApi api;

  @BeforeAll
  static void client() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void closeClient() {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @BeforeEach
  void start() {
    telegram = new FakeTelegram(TOKEN);
    api = new TelegramApi(client, URI.create(telegram.apiUrl()), TOKEN);
  }

  @AfterEach
  void stop() {
    telegram.close();
  }

  @Test
  @DisplayName("getMe answers the bot's id, username and first name")
  void getMe() {
    assertThat(join(api.getMe())).isEqualTo(new TelegramApi.BotInfo(7000000001L, "aide_test_bot", "Aide"));
  }

  @Test
  @DisplayName("A wrong token fails with 401 Unauthorized, and the error never shows the token")
  void wrongToken() {
    TelegramApi stranger = new TelegramApi(client, URI.create(telegram.apiUrl()), "7000000001:wrong-secret");

    TelegramApiException e = apiFailure(stranger.getMe());

    assertThat(e.errorCode()).isEqualTo(401);
    assertThat(e.description()).isEqualTo("Unauthorized");
    assertThat(e.getMessage()).doesNotContain("wrong-secret").contains("getMe");
  }

  @Test
  @DisplayName("setWebhook sends the url, secret and allowed updates; deleteWebhook removes it")
  void webhook() {
    join(api.setWebhook("https://aide.example.org/telegram/webhook", "s3cret-header", List.of("message")));

    assertThat(telegram.webhook().getString("url")).isEqualTo("https://aide.example.org/telegram/webhook");
    assertThat(telegram.webhook().getString("secret_token")).isEqualTo("s3cret-header");
    assertThat(telegram.webhook().getJsonArray("allowed_updates").getList()).containsExactly("message");

    join(api.deleteWebhook(true));

    assertThat(telegram.webhook()).isNull();
    assertThat(telegram.requests("deleteWebhook").getFirst().getBoolean("drop_pending_updates")).isTrue();
  }

  @Test
  @DisplayName("getUpdates while a webhook is set fails with 409 Conflict")
  void pollingWithWebhook() {
    join(api.setWebhook("https://aide.example.org/telegram/webhook", null, List.of("message")));

    TelegramApiException e = apiFailure(api.getUpdates(0, 0, List.of("message")));

    assertThat(e.errorCode()).isEqualTo(409);
    assertThat(e.description()).startsWith("Conflict: can't use getUpdates method while webhook is active");
  }

  @Test
  @DisplayName("setMyCommands sends the command menu")
  void commands() {
    join(api.setMyCommands(List.of(new TelegramApi.BotCommand("help", "What I can do"),
        new TelegramApi.BotCommand("reminders", "Your upcoming reminders"))));

    assertThat(telegram.commands()).extracting(c -> c.getString("command")).containsExactly("help", "reminders");
    assertThat(telegram.commands().getFirst().getString("description")).isEqualTo("What I can do");
  }

  @Test
  @DisplayName("getUpdates answers queued updates, and a higher offset confirms them so they are not sent again")
  void updatesAndOffset() {
    telegram.enqueue(FakeTelegram.update("update-text-private.json", 10, CHAT, "first"));
    telegram.enqueue(FakeTelegram.update("update-text-private.json", 11, CHAT, "second"));

    List<JsonObject> updates = join(api.getUpdates(0, 0, List.of("message")));
    assertThat(updates).extracting(u -> u.getJsonObject("message").getString("text")).containsExactly("first", "second");

    assertThat(join(api.getUpdates(11, 0, List.of("message")))).extracting(u -> u.getLong("update_id")).containsExactly(11L);
    assertThat(join(api.getUpdates(12, 0, List.of("message")))).isEmpty();
    assertThat(join(api.getUpdates(0, 0, List.of("message")))).isEmpty();
    assertThat(telegram.requests("getUpdates").getFirst().getJsonArray("allowed_updates").getList()).containsExactly("message");
  }

  @Test
  @DisplayName("A long poll returns as soon as an update arrives, not when its timeout ends")
  void longPollWakesUp() {
    long started = System.nanoTime();
    CompletableFuture<List<JsonObject>> poll = api.getUpdates(0, 20, List.of("message")).toCompletionStage().toCompletableFuture();
    vertx.setTimer(300, id -> telegram.enqueue(FakeTelegram.update("update-text-private.json", 42, CHAT, "hello")));

    List<JsonObject> updates = poll.join();

    assertThat(updates).extracting(u -> u.getLong("update_id")).containsExactly(42L);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 5_000L);
  }

  @Test
  @DisplayName("A long poll with nothing to deliver answers an empty list when its timeout ends")
  void longPollTimesOut() {
    long started = System.nanoTime();

    assertThat(join(api.getUpdates(0, 1, List.of("message")))).isEmpty();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(900L, 5_000L);
  }

  @Test
  @DisplayName("A second long poll ends the first with 409 Conflict, as when two bot instances run")
  void secondPollConflicts() {
    CompletableFuture<List<JsonObject>> first = api.getUpdates(0, 20, List.of("message")).toCompletionStage().toCompletableFuture();
    waitUntil(() -> telegram.calls().contains("getUpdates"));

    CompletableFuture<List<JsonObject>> second = api.getUpdates(0, 20, List.of("message")).toCompletionStage().toCompletableFuture();

    assertThat(apiFailure(Future.fromCompletionStage(first)).errorCode()).isEqualTo(409);
    telegram.enqueue(FakeTelegram.update("update-command-help.json", 7, CHAT, null));
    assertThat(second.join()).extracting(u -> u.getJsonObject("message").getString("text")).containsExactly("/help");
  }

  @Test
  @DisplayName("sendMessage answers increasing message ids and sends the text, parse mode and no link preview")
  void sendMessage() {
    long first = join(api.sendMessage(CHAT, "<b>Done</b> &amp; noted", "HTML"));
    long second = join(api.sendMessage(CHAT, "plain <text> & more", null));

    assertThat(second).isGreaterThan(first);
    assertThat(telegram.sent()).extracting(FakeTelegram.SentMessage::text, FakeTelegram.SentMessage::parseMode)
        .containsExactly(tuple("<b>Done</b> &amp; noted", "HTML"),
            tuple("plain <text> & more", null));
    assertThat(telegram.sent().getFirst().chatId()).isEqualTo(CHAT);
    JsonObject request = telegram.requests("sendMessage").getFirst();
    assertThat(request.getJsonObject("link_preview_options").getBoolean("is_disabled")).isTrue();
    assertThat(request.containsKey("parse_mode")).isTrue();
    assertThat(telegram.requests("sendMessage").get(1).containsKey("parse_mode")).isFalse();
  }

  @Test
  @DisplayName("Malformed HTML is refused as bad formatting, and the same text goes through as plain text")
  void badHtml() {
    TelegramApiException e = apiFailure(api.sendMessage(CHAT, "if a < b then <foo>", "HTML"));

    assertThat(e.errorCode()).isEqualTo(400);
    assertThat(e.badFormatting()).isTrue();
    assertThat(e.rateLimited() || e.forbidden() || e.serverError()).isFalse();
    assertThat(join(api.sendMessage(CHAT, "if a < b then <foo>", null))).isPositive();
    assertThat(telegram.sent()).hasSize(1);
  }

  @Test
  @DisplayName("HTML that Telegram would refuse is refused: unbalanced or unclosed tags, a raw < and a bare &")
  void htmlRules() {
    for (String html : List.of("<b>bold", "<b><i>x</b></i>", "</b>x", "a <b", "1 < 2", "fish & chips", "&nbsp;")) {
      assertThat(apiFailure(api.sendMessage(CHAT, html, "HTML")).badFormatting()).as(html).isTrue();
    }
    assertThat(telegram.sent()).isEmpty();
  }

  @Test
  @DisplayName("Every chunk of a long reply, split and then formatted, is accepted as HTML")
  void formattedChunksAccepted() {
    String paragraph = "**Note** on `a<b` & \"quotes\" with an emoji 😀 and ```\nx > y\n``` done.";
    String reply = String.join("\n\n", Collections.nCopies(200, paragraph));

    List<String> chunks = TelegramText.split(reply, TelegramText.MAX_MESSAGE);
    chunks.forEach(chunk -> join(api.sendMessage(CHAT, TelegramText.toHtml(chunk), "HTML")));

    assertThat(chunks).hasSizeGreaterThan(2);
    assertThat(telegram.sent()).hasSameSizeAs(chunks);
    assertThat(telegram.sent().getFirst().text()).startsWith("<b>Note</b> on <code>a&lt;b</code> &amp; &quot;quotes&quot;");
  }

  @Test
  @DisplayName("The documented parse failure payload is recognised as bad formatting")
  void badFormattingPayload() {
    telegram.failNext("sendMessage", 400, FakeTelegram.payload("error-400-parse.json"));

    assertThat(apiFailure(api.sendMessage(CHAT, "<b>fine</b>", "HTML")).badFormatting()).isTrue();
  }

  @Test
  @DisplayName("A message over 4096 characters is refused as too long, not as bad formatting")
  void tooLong() {
    TelegramApiException e = apiFailure(api.sendMessage(CHAT, "a".repeat(4097), null));

    assertThat(e.description()).isEqualTo("Bad Request: message is too long");
    assertThat(e.badFormatting()).isFalse();
  }

  @Test
  @DisplayName("Escaped text counts after entity parsing: 4096 escaped ampersands fit in one message")
  void lengthAfterEntities() {
    String html = TelegramText.escapeHtml("&".repeat(TelegramText.MAX_MESSAGE));

    join(api.sendMessage(CHAT, html, "HTML"));

    assertThat(telegram.sent()).hasSize(1);
  }

  @Test
  @DisplayName("429 Too Many Requests carries retry_after, and the next call succeeds")
  void rateLimited() {
    telegram.failNext("sendMessage", 429, FakeTelegram.payload("error-429.json"));

    TelegramApiException e = apiFailure(api.sendMessage(CHAT, "hello", null));

    assertThat(e.rateLimited()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(1);
    assertThat(join(api.sendMessage(CHAT, "hello", null))).isPositive();
  }

  @Test
  @DisplayName("403 from a user who blocked the bot is forbidden, without a retry hint")
  void forbidden() {
    telegram.failNext("sendMessage", 403, FakeTelegram.payload("error-403.json"));

    TelegramApiException e = apiFailure(api.sendMessage(CHAT, "hello", null));

    assertThat(e.forbidden()).isTrue();
    assertThat(e.retryAfter()).isNull();
    assertThat(e.description()).isEqualTo("Forbidden: bot was blocked by the user");
  }

  @Test
  @DisplayName("A 502 from Telegram is a server error")
  void serverError() {
    telegram.failNext("sendChatAction", 502, new JsonObject().put("ok", false).put("error_code", 502)
        .put("description", "Bad Gateway"));

    assertThat(apiFailure(api.sendChatAction(CHAT, "typing")).serverError()).isTrue();
  }

  @Test
  @DisplayName("sendChatAction sends the chat and action")
  void chatAction() {
    join(api.sendChatAction(CHAT, "typing"));

    assertThat(telegram.chatActions()).containsExactly(new FakeTelegram.ChatAction(CHAT, "typing"));
  }

  @Test
  @DisplayName("A voice file is found with getFile and downloaded byte for byte")
  void voiceFile() {
    JsonObject voice = FakeTelegram.payload("update-voice-private.json").getJsonObject("message").getJsonObject("voice");
    Buffer audio = Buffer.buffer(new byte[] {'O', 'g', 'g', 'S', 0, 2, (byte) 0xff});
    telegram.addFile(voice.getString("file_id"), audio);

    TelegramApi.FileInfo file = join(api.getFile(voice.getString("file_id")));

    assertThat(file.path()).startsWith("voice/file_").endsWith(".oga");
    assertThat(file.size()).isEqualTo((long) audio.length());
    assertThat(join(api.downloadFile(file.path())).getBytes()).isEqualTo(audio.getBytes());
  }

  @Test
  @DisplayName("An unknown file_id fails with 400 and a missing file path with 404")
  void unknownFile() {
    assertThat(apiFailure(api.getFile("nope")).errorCode()).isEqualTo(400);
    assertThat(apiFailure(api.downloadFile("voice/file_99.oga")).errorCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("A refused connection fails with the network exception itself, which never shows the token")
  void connectionRefused() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    TelegramApi offline = new TelegramApi(client, URI.create("http://127.0.0.1:" + closedPort), TOKEN);

    Throwable failure = failure(offline.getMe());

    assertThat(failure).isNotInstanceOf(TelegramApiException.class);
    assertThat(String.valueOf(failure.getMessage())).doesNotContain(TOKEN).doesNotContain("AAHdq");
  }

  @Test
  @DisplayName("Calls are recorded in order by method name")
  void callsInOrder() {
    join(api.getMe());
    join(api.sendChatAction(CHAT, "typing"));
    join(api.sendMessage(CHAT, "hi", null));

    assertThat(telegram.calls()).containsExactly("getMe", "sendChatAction", "sendMessage");
  }

  @Test
  @DisplayName("Payload helpers set ids and text and keep a leading command or mention entity consistent")
  void payloadHelper() {
    JsonObject start = FakeTelegram.update("update-start-deeplink.json", 5, 555L, "/start abc");
    JsonObject mention = FakeTelegram.update("update-text-group-mention.json", 6, -42L, "@aide_test_bot what's up");
    JsonObject plain = FakeTelegram.update("update-text-group-other.json", 7, -42L, "no bot here");

    assertThat(start.getLong("update_id")).isEqualTo(5L);
    assertThat(start.getJsonObject("message").getJsonObject("from").getLong("id")).isEqualTo(555L);
    assertThat(start.getJsonObject("message").getJsonArray("entities").getJsonObject(0))
        .isEqualTo(new JsonObject().put("offset", 0).put("length", 6).put("type", "bot_command"));
    assertThat(mention.getJsonObject("message").getJsonObject("from").getLong("id")).isNotEqualTo(-42L);
    assertThat(mention.getJsonObject("message").getJsonArray("entities").getJsonObject(0).getInteger("length")).isEqualTo(14);
    assertThat(plain.getJsonObject("message").containsKey("entities")).isFalse();
  }

  private static void waitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static <T> T join(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }

  private static Throwable failure(Future<?> future) {
    Throwable thrown = catchThrowable(() -> join(future));
    assertThat(thrown).isInstanceOf(CompletionException.class);
    return thrown.getCause();
  }

  private static TelegramApiException apiFailure(Future<?> future) {
    Throwable cause = failure(future);
    assertThat(cause).isInstanceOf(TelegramApiException.class);
    return (TelegramApiException) cause;
  }
}
