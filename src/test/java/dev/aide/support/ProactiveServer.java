package dev.aide.support;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real server with a fake Telegram Bot API (polling), a test clock and a scheduler that polls every 200 ms: what
 * the tests of things Aide sends by itself (reminders, alerts, digests, scheduled messages) share. A JUnit 5
 * extension on a static field, over {@link AideServer}. People link a chat with the deep link, send commands, and the
 * test reads what reached each chat.
 */
public final class ProactiveServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {

  private final TestClock clock;
  private final FakeTelegram telegram;
  private final AideServer aide;
  // Telegram forgets updates below the offset Aide confirms, so ids only grow, whatever order the tests run in.
  private final AtomicLong updateIds = new AtomicLong();

  private ProactiveServer(TestClock clock, FakeTelegram telegram, AideServer aide) {
    this.clock = clock;
    this.telegram = telegram;
    this.aide = aide;
  }

  public static ProactiveServer create(String botToken, TestClock clock) {
    FakeTelegram telegram = new FakeTelegram(botToken);
    AideServer aide = AideServer.create().clock(clock).telegram(telegram).env("AIDE_SCHEDULER_POLL_MILLIS", "200")
        .readyWhen(() -> telegram.calls().contains("getUpdates"));
    return new ProactiveServer(clock, telegram, aide);
  }

  /** More AIDE_* variables, e.g. a model. */
  public ProactiveServer env(String name, String value) {
    aide.env(name, value);
    return this;
  }

  /** Empties the database before each test. */
  public ProactiveServer freshEachTest() {
    aide.freshEachTest();
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    aide.beforeAll(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    aide.beforeEach(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    aide.afterEach(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    aide.afterAll(context);
  }

  public AideServer aide() {
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

  /**
   * Schedules a message a minute ahead through the API, moves the test clock there, and waits until the person has
   * {@code nth} in-app notifications.
   */
  public void scheduleAndWait(Api api, String content, int nth) {
    Instant at = clock.instant().plus(Duration.ofMinutes(1));
    Api.Response created = api.post("/api/v1/proactive-messages", new JsonObject().put("content", content)
        .put("scheduledFor", at.toString()));
    if (created.status() != 201) {
      throw new AssertionError("scheduling failed: " + created.status() + " " + created.body());
    }
    clock.jumpTo(at.minusMillis(200));
    await().atMost(Duration.ofSeconds(10)).until(() -> notifications(api).size() == nth);
  }

  /** The person's in-app notifications, newest first. */
  public static JsonArray notifications(Api api) {
    return api.get("/api/v1/notifications").json().getJsonArray("items");
  }
}
