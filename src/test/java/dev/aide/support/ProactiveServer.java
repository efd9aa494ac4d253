package dev.aide.support;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real server with a fake Telegram Bot API (polling), a test clock and a scheduler that polls every 200 ms: what
 * the tests of things Aide sends by itself (reminders, alerts, digests, scheduled messages) share. People link a
 * chat with the deep link, send commands, and the test reads what reached each chat.
 */
public final class ProactiveServer implements AutoCloseable {

  private final TestClock clock;
  private final FakeTelegram telegram;
  private final TestAide aide;
  // Telegram forgets updates below the offset Aide confirms, so ids only grow, whatever order the tests run in.
  private final AtomicLong updateIds = new AtomicLong();

  private ProactiveServer(TestClock clock, FakeTelegram telegram, TestAide aide) {
    this.clock = clock;
    this.telegram = telegram;
    this.aide = aide;
  }

  public static ProactiveServer start(String botToken, TestClock clock) {
    return start(botToken, clock, Map.of());
  }

  /** With more AIDE_* variables, e.g. a model. */
  public static ProactiveServer start(String botToken, TestClock clock, Map<String, String> env) {
    FakeTelegram telegram = new FakeTelegram(botToken);
    Map<String, String> vars = new java.util.HashMap<>(env);
    vars.put("AIDE_TELEGRAM_BOT_TOKEN", botToken);
    vars.put("AIDE_TELEGRAM_API_URL", telegram.apiUrl());
    vars.putIfAbsent("AIDE_SCHEDULER_POLL_MILLIS", "200");
    TestAide aide = TestAide.start(vars, clock);
    await().atMost(Duration.ofSeconds(10)).until(() -> telegram.calls().contains("getUpdates"));
    return new ProactiveServer(clock, telegram, aide);
  }

  public TestAide aide() {
    return aide;
  }

  public FakeTelegram telegram() {
    return telegram;
  }

  /** Links the chat to the API user with a one-time deep link, and waits for Aide's welcome. */
  public void link(Api api, long chat) {
    String token = api.post("/api/v1/channels/telegram/link", new JsonObject()).json().getString("token");
    int before = texts(chat).size();
    telegram.enqueue(FakeTelegram.update("update-start-deeplink.json", updateIds.incrementAndGet(), chat,
        "/start " + token));
    await().atMost(Duration.ofSeconds(10)).until(() -> texts(chat).size() == before + 1);
  }

  /** Sends a message in the chat and waits for Aide's answer. */
  public void command(long chat, String text) {
    int before = texts(chat).size();
    telegram.enqueue(FakeTelegram.update("update-text-private.json", updateIds.incrementAndGet(), chat, text));
    await().atMost(Duration.ofSeconds(10)).until(() -> texts(chat).size() == before + 1);
  }

  /** Sends a message in the chat without waiting. */
  public void say(long chat, String text) {
    telegram.enqueue(FakeTelegram.update("update-text-private.json", updateIds.incrementAndGet(), chat, text));
  }

  public List<FakeTelegram.SentMessage> sent(long chat) {
    return telegram.sent().stream().filter(m -> m.chatId() == chat).toList();
  }

  public List<String> texts(long chat) {
    return sent(chat).stream().map(FakeTelegram.SentMessage::text).toList();
  }

  /** The test clock's reading at a real instant the fake server recorded. */
  public Instant clockTime(Instant real) {
    return real.plus(Duration.between(Instant.now(), clock.instant()));
  }

  /** The person's in-app notifications, newest first. */
  public static JsonArray notifications(Api api) {
    return api.get("/api/v1/notifications").json().getJsonArray("items");
  }

  @Override
  public void close() {
    aide.close();
    telegram.close();
  }
}
