package dev.aide.support;

import static org.awaitility.Awaitility.await;

import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Aide server for one test class, as a JUnit 5 extension on a static field:
 *
 * <pre>{@code
 * static final FakeTelegram telegram = new FakeTelegram(TOKEN);
 *
 * @RegisterExtension
 * static final AideServer aide = AideServer.create().clock(CLOCK).telegram(telegram).person("nora@example.com", "UTC");
 * }</pre>
 *
 * Before the class's first test it starts Aide on a copy of the migrated template database, with the variables and
 * clock it was given, and waits for what it was told to wait for (a fake Telegram's webhook, say). Each test gets
 * {@link #api()}, a client registered as the named person (on a database emptied before each test when asked to),
 * and may open more with {@link #client()} or {@link #signUp(String, String)}; every client closes after its test.
 * After the class the server stops, the database is dropped and the fakes it was given close.
 */
public final class AideServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final Map<String, String> env = new HashMap<>();
  private final List<AutoCloseable> fakes = new ArrayList<>();
  private final List<BooleanSupplier> readiness = new ArrayList<>();
  private final List<Api> clients = new ArrayList<>();
  private Clock clock = Clock.systemUTC();
  private boolean freshEachTest;
  private String email;
  private String timezone;
  private AideServer sharing;
  private TestAide aide;
  private Api api;
  private boolean emptied;

  private AideServer() {}

  public static AideServer create() {
    return new AideServer();
  }

  /** An AIDE_* variable, as the environment would give it. */
  public AideServer env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public AideServer env(Map<String, String> variables) {
    env.putAll(variables);
    return this;
  }

  public AideServer clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Empties the database (people and everything they own, inbox, outbox, limits) before each test. */
  public AideServer freshEachTest() {
    this.freshEachTest = true;
    return this;
  }

  /** Each test's {@link #api()} is registered as this person (after emptying the database when asked to). */
  public AideServer person(String email, String timezone) {
    this.email = email;
    this.timezone = timezone;
    return this;
  }

  /**
   * The Bot API is this fake (webhook mode when AIDE_PUBLIC_URL is given, else polling); it closes after the server.
   * Messages to one chat are paced at 100 a second unless the test sets AIDE_TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND:
   * Telegram's one a second, the default, would make every test that sends a chat several messages wait a second for
   * each (TelegramPacingTest tests the pace itself).
   */
  public AideServer telegram(FakeTelegram telegram) {
    env.put("AIDE_TELEGRAM_BOT_TOKEN", telegram.botToken());
    env.put("AIDE_TELEGRAM_API_URL", telegram.apiUrl());
    env.putIfAbsent("AIDE_TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND", "100");
    return closing(telegram);
  }

  /**
   * Twilio is this fake (its account, token and number; AIDE_PUBLIC_URL is TwilioWebhooks.PUBLIC_URL unless set,
   * since Twilio signs webhooks over it); it closes after the server. SMS is paced at 100 a second unless the test
   * sets AIDE_TWILIO_MESSAGES_PER_SECOND: a long code's one a second would make each test wait.
   */
  public AideServer twilio(FakeTwilio twilio) {
    env.put("AIDE_TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID);
    env.put("AIDE_TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN);
    env.put("AIDE_TWILIO_FROM_NUMBER", FakeTwilio.NUMBER);
    env.put("AIDE_TWILIO_API_URL", twilio.apiUrl());
    env.putIfAbsent("AIDE_PUBLIC_URL", TwilioWebhooks.PUBLIC_URL);
    env.putIfAbsent("AIDE_TWILIO_MESSAGES_PER_SECOND", "100");
    return closing(twilio);
  }

  /** The model is this OpenAI-compatible fake (key sk-test, gpt-4o-mini unless set); it closes after the server. */
  public AideServer model(FakeOpenAi model) {
    env.put("AIDE_LLM_PROVIDER", "openai");
    env.put("AIDE_LLM_BASE_URL", model.baseUrl());
    env.putIfAbsent("AIDE_LLM_API_KEY", "sk-test");
    env.putIfAbsent("AIDE_LLM_MODEL", "gpt-4o-mini");
    return closing(model);
  }

  /** Speech to text is this fake; it closes after the server. */
  public AideServer transcription(FakeTranscriptionServer stt) {
    env.put("AIDE_STT_BASE_URL", stt.baseUrl());
    env.put("AIDE_STT_API_KEY", "stt-key");
    env.put("AIDE_STT_MODEL", "whisper-1");
    return closing(stt);
  }

  /**
   * Another instance on the database of {@code first}, which must be registered before it ({@code @Order}): two
   * servers sharing one database, as two replicas would. The first one empties it and drops it.
   */
  public AideServer sharing(AideServer first) {
    this.sharing = first;
    return this;
  }

  /** Any other fake server the class uses: closed after Aide stops. */
  public AideServer closing(AutoCloseable fake) {
    fakes.add(fake);
    return this;
  }

  /** After start, waits (up to 30 s) until this holds, e.g. a fake Telegram has seen Aide's webhook. */
  public AideServer readyWhen(BooleanSupplier condition) {
    readiness.add(condition);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    aide = sharing == null ? TestAide.start(env, clock) : TestAide.restartOn(sharing.db(), env, clock);
    for (BooleanSupplier condition : readiness) {
      await().atMost(Duration.ofSeconds(30)).until(condition::getAsBoolean);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    empty();
  }

  /** Once per test, before anything else it does (a field of the test instance may call {@link #api()} first). */
  private void empty() {
    if (!emptied) {
      emptied = true;
      if (freshEachTest) {
        aide.db().reset();
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    clients.forEach(Api::close);
    clients.clear();
    api = null;
    emptied = false;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (aide != null) {
        aide.close();
      }
    } finally {
      for (AutoCloseable fake : fakes) {
        try {
          fake.close();
        } catch (Exception e) {
          throw new IllegalStateException("a fake did not close: " + e.getMessage(), e);
        }
      }
    }
  }

  /**
   * This test's client, registered as the person (when one is named) on first use, so a test may set its clock
   * first. A test instance may keep it in a field ({@code private final Api api = aide.api();}): the instance is
   * made before the test's callbacks, so the database is emptied then, once per test.
   */
  public Api api() {
    empty();
    if (api == null) {
      api = email == null ? client() : signUp(email, timezone);
    }
    return api;
  }

  /** Another client, signed in as nobody, closed after this test. */
  public Api client() {
    Api client = new Api(aide.port());
    clients.add(client);
    return client;
  }

  /** Another client, of another person who signs up now, closed after this test. */
  public Api signUp(String email, String timezone) {
    Api client = client();
    client.register(email, timezone);
    return client;
  }

  /**
   * Waits (up to 60 s) until every stored update is handled and the outbox holds nothing to send: a test that ends
   * earlier would have its last messages written into the next test's emptied database.
   */
  public void settle() {
    await().atMost(Duration.ofSeconds(60)).until(() -> db().number(
        "select count(*) from inbox where processed_at is null") == 0 && db().number(
        "select count(*) from outbox where status in ('pending', 'sending') and next_attempt_at < now() + interval '1 minute'")
        == 0);
  }

  /** The running server (to restart on its database, say). */
  public TestAide server() {
    return aide;
  }

  public TestDatabase db() {
    return aide.db();
  }

  public int port() {
    return aide.port();
  }

  public String baseUrl() {
    return aide.baseUrl();
  }

  public Router router() {
    return aide.router();
  }

  public List<String> apiRoutes() {
    return aide.apiRoutes();
  }
}
