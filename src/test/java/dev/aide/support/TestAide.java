package dev.aide.support;

import dev.aide.Aide;
import dev.aide.platform.config.AideConfig;
import dev.aide.platform.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** The real Aide server on a free port against its own fresh database, configured as AIDE_* variables would. */
public final class TestAide implements AutoCloseable {

  /**
   * The vault key tests run with unless they say otherwise (AIDE_SECRET_KEY), so no test writes a key file into the
   * home folder. Every instance on one database needs the same key, as in production.
   */
  public static final String SECRET_KEY = "dGVzdC1vbmx5IHNlY3JldCBrZXkgZm9yIGFpZGUgISE=";

  private static final Map<String, String> GENEROUS_LIMITS = Map.of(
      "AIDE_LIMITS_LOGIN_FREE_ATTEMPTS_PER_ACCOUNT", "100000",
      "AIDE_LIMITS_LOGIN_FREE_ATTEMPTS_PER_ADDRESS", "100000",
      "AIDE_LIMITS_REGISTRATIONS_PER_ADDRESS_PER_HOUR", "0",
      "AIDE_LIMITS_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", "0",
      "AIDE_LIMITS_CHAT_TURNS_PER_MINUTE", "0",
      "AIDE_LIMITS_REMINDERS_PER_HOUR", "0",
      "AIDE_LIMITS_REMINDERS_PER_DAY", "0");

  private final TestDatabase database;
  private final Aide aide;
  private final boolean ownsDatabase;

  private TestAide(TestDatabase database, Aide aide, boolean ownsDatabase) {
    this.database = database;
    this.aide = aide;
    this.ownsDatabase = ownsDatabase;
  }

  public static TestAide start() {
    return start(Map.of(), Clock.systemUTC());
  }

  public static TestAide start(Map<String, String> env, Clock clock) {
    return start(TestDatabase.create(), env, clock, true);
  }

  /** Another server on an existing database, e.g. to show what survives a restart. */
  public static TestAide restartOn(TestDatabase database, Map<String, String> env, Clock clock) {
    return start(database, env, clock, false);
  }

  private static TestAide start(TestDatabase database, Map<String, String> env, Clock clock, boolean owns) {
    Map<String, String> vars = new HashMap<>(env);
    vars.putIfAbsent("AIDE_DATABASE_URL", database.url().value());
    vars.putIfAbsent("AIDE_HTTP_PORT", "0");
    if (!vars.containsKey("AIDE_SECRET_KEY_FILE")) {
      vars.putIfAbsent("AIDE_SECRET_KEY", SECRET_KEY);
    }
    // Tests drive many people, turns and reminders from one address in seconds; the abuse limits (their own tests
    // set them low) stay out of the way unless a test names them.
    GENEROUS_LIMITS.forEach(vars::putIfAbsent);
    // The fake CalDAV servers listen on 127.0.0.1.
    vars.putIfAbsent("AIDE_ACCOUNTS_ALLOW_LOOPBACK", "true");
    AideConfig config = ConfigLoader.load(Path.of("conf", "config.json"), vars);
    return new TestAide(database, Aide.start(config, clock), owns);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + aide.httpPort();
  }

  public int port() {
    return aide.httpPort();
  }

  /** The running server's router (sub-routers included). */
  public io.vertx.ext.web.Router router() {
    return aide.router();
  }

  /** Every API route, as "GET /api/v1/reminders/:id". */
  public java.util.List<String> apiRoutes() {
    return aide.apiRoutes();
  }

  public TestDatabase db() {
    return database;
  }

  /** Stops the server; drops the database unless it was borrowed. */
  @Override
  public void close() {
    aide.close();
    if (ownsDatabase) {
      database.close();
    }
  }

  /** Stops the server and keeps the database, for a restart. */
  public TestDatabase stopKeepingDatabase() {
    aide.close();
    return database;
  }
}
