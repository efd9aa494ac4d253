package dev.aide.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Configuration comes from conf/config.json, each key overridable by its AIDE_* variable")
class ConfigLoaderTest {

  private static final Path DEFAULTS = Path.of("conf", "config.json");

  @Test
  @DisplayName("the defaults give port 8080, the offline model and a local database")
  void defaults() {
    AideConfig config = ConfigLoader.load(DEFAULTS, Map.of());

    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.llm().provider()).isEqualTo("offline");
    assertThat(config.database().url().database()).isEqualTo("aide");
    assertThat(config.telegram().apiUrl().toString()).isEqualTo("https://api.telegram.org");
    assertThat(config.telegram().enabled()).isFalse();
    assertThat(config.jwt().secret()).isNull();
    assertThat(config.telegram().messagesPerSecond()).isEqualTo(30);
    assertThat(config.telegram().messagesPerChatPerSecond()).isEqualTo(1);
    assertThat(config.scheduler().pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.scheduler().takeoverTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.scheduler().batchSize()).isEqualTo(500);
    assertThat(config.scheduler().maxInFlight()).isEqualTo(1000);
    assertThat(config.delivery().claimTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.delivery().poolSize()).isEqualTo(4);
    assertThat(config.secrets().key()).isNull();
    assertThat(config.secrets().keyFile())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "aide", "secret.key"));
    assertThat(config.metrics().token()).isNull();
    assertThat(config.jwt().ttl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.jwt().refreshTtl()).isEqualTo(Duration.ofDays(30));
    assertThat(config.http().trustedProxies()).isEmpty();
    assertThat(config.http().bodyLimitBytes()).isEqualTo(1_048_576);
    assertThat(config.http().uploadsDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "aide-uploads"));
    assertThat(config.documents().maxBytes()).isEqualTo(20 * 1024 * 1024);
    assertThat(config.memory().learning()).isEqualTo("auto");
    assertThat(config.limits()).isEqualTo(new AideConfig.Limits(5, 20, Duration.ofMinutes(15), Duration.ofHours(1),
        10, 10, 30, 60, 300));
  }

  @Test
  @DisplayName("every documented variable overrides its key")
  void overrides() {
    AideConfig config = ConfigLoader.load(DEFAULTS, Map.ofEntries(
        Map.entry("AIDE_HTTP_PORT", "9090"),
        Map.entry("AIDE_PUBLIC_URL", "https://aide.example.org"),
        Map.entry("AIDE_DATABASE_URL", "postgresql://aide:s%40cret@db.internal:6543/assistant"),
        Map.entry("AIDE_JWT_SECRET", "jwt-secret"),
        Map.entry("AIDE_LLM_PROVIDER", "openai"),
        Map.entry("AIDE_LLM_BASE_URL", "http://127.0.0.1:11434/v1"),
        Map.entry("AIDE_LLM_API_KEY", "sk-x"),
        Map.entry("AIDE_LLM_MODEL", "llama3.1"),
        Map.entry("AIDE_TELEGRAM_BOT_TOKEN", "123:abc"),
        Map.entry("AIDE_TELEGRAM_API_URL", "http://127.0.0.1:8081"),
        Map.entry("AIDE_TELEGRAM_WEBHOOK_SECRET", "s3cret_-"),
        Map.entry("AIDE_TELEGRAM_MODE", "polling"),
        Map.entry("AIDE_TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef"),
        Map.entry("AIDE_TWILIO_AUTH_TOKEN", "tok"),
        Map.entry("AIDE_TWILIO_FROM_NUMBER", "+15550001111"),
        Map.entry("AIDE_TWILIO_API_URL", "http://127.0.0.1:8082"),
        Map.entry("AIDE_TELEGRAM_MESSAGES_PER_SECOND", "1000"),
        Map.entry("AIDE_TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND", "20"),
        Map.entry("AIDE_SCHEDULER_POLL_MILLIS", "250"),
        Map.entry("AIDE_SCHEDULER_TAKEOVER_SECONDS", "3"),
        Map.entry("AIDE_SCHEDULER_BATCH_SIZE", "200"),
        Map.entry("AIDE_SCHEDULER_MAX_IN_FLIGHT", "400"),
        Map.entry("AIDE_SCHEDULER_MAX_ATTEMPTS", "4"),
        Map.entry("AIDE_DELIVERY_CLAIM_TIMEOUT_SECONDS", "5"),
        Map.entry("AIDE_DELIVERY_POOL_SIZE", "2"),
        Map.entry("AIDE_SECRET_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="),
        Map.entry("AIDE_SECRET_KEY_FILE", "/var/lib/aide/secret.key"),
        Map.entry("AIDE_SECRET_KEY_PREVIOUS", "HyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4=, QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8="),
        Map.entry("AIDE_ACCOUNTS_SYNC_MINUTES", "15"),
        Map.entry("AIDE_ACCOUNTS_REQUEST_TIMEOUT_SECONDS", "10"),
        Map.entry("AIDE_METRICS_TOKEN", "scrape-me-0123456789"),
        Map.entry("AIDE_HTTP_TRUSTED_PROXIES", "10.0.0.5, 172.16.0.0/12,::1"),
        Map.entry("AIDE_HTTP_BODY_LIMIT_BYTES", "2097152"),
        Map.entry("AIDE_HTTP_UPLOADS_DIR", "/var/tmp/aide-uploads"),
        Map.entry("AIDE_DOCUMENTS_MAX_BYTES", "5242880"),
        Map.entry("AIDE_MEMORY_LEARNING", "patterns"),
        Map.entry("AIDE_JWT_TTL_SECONDS", "300"),
        Map.entry("AIDE_JWT_REFRESH_TTL_DAYS", "7"),
        Map.entry("AIDE_LIMITS_LOGIN_FREE_ATTEMPTS_PER_ACCOUNT", "3"),
        Map.entry("AIDE_LIMITS_LOGIN_FREE_ATTEMPTS_PER_ADDRESS", "50"),
        Map.entry("AIDE_LIMITS_LOGIN_MAX_DELAY_SECONDS", "600"),
        Map.entry("AIDE_LIMITS_LOGIN_FORGET_AFTER_MINUTES", "30"),
        Map.entry("AIDE_LIMITS_REGISTRATIONS_PER_ADDRESS_PER_HOUR", "4"),
        Map.entry("AIDE_LIMITS_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", "6"),
        Map.entry("AIDE_LIMITS_CHAT_TURNS_PER_MINUTE", "12"),
        Map.entry("AIDE_LIMITS_REMINDERS_PER_HOUR", "0"),
        Map.entry("AIDE_LIMITS_REMINDERS_PER_DAY", "100")));

    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.http().publicUrl().toString()).isEqualTo("https://aide.example.org");
    DatabaseUrl db = config.database().url();
    assertThat(db.host()).isEqualTo("db.internal");
    assertThat(db.port()).isEqualTo(6543);
    assertThat(db.database()).isEqualTo("assistant");
    assertThat(db.user()).isEqualTo("aide");
    assertThat(db.password()).isEqualTo("s@cret");
    assertThat(db.toString()).doesNotContain("cret");
    assertThat(config.jwt().secret()).isEqualTo("jwt-secret");
    assertThat(config.jwt().ttl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.jwt().refreshTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(config.http().trustedProxies()).containsExactly("10.0.0.5", "172.16.0.0/12", "::1");
    assertThat(config.http().bodyLimitBytes()).isEqualTo(2_097_152);
    assertThat(config.http().uploadsDir()).isEqualTo(Path.of("/var/tmp/aide-uploads"));
    assertThat(config.documents().maxBytes()).isEqualTo(5_242_880);
    assertThat(config.memory().learning()).isEqualTo("patterns");
    assertThat(config.limits()).isEqualTo(new AideConfig.Limits(3, 50, Duration.ofMinutes(10), Duration.ofMinutes(30),
        4, 6, 12, 0, 100));
    assertThat(config.llm().provider()).isEqualTo("openai");
    assertThat(config.llm().baseUrl().toString()).isEqualTo("http://127.0.0.1:11434/v1");
    assertThat(config.llm().apiKey()).isEqualTo("sk-x");
    assertThat(config.llm().model()).isEqualTo("llama3.1");
    assertThat(config.telegram().botToken()).isEqualTo("123:abc");
    assertThat(config.telegram().apiUrl().toString()).isEqualTo("http://127.0.0.1:8081");
    assertThat(config.telegram().webhookSecret()).isEqualTo("s3cret_-");
    assertThat(config.telegram().mode()).isEqualTo("polling");
    assertThat(config.twilio().accountSid()).isEqualTo("AC0123456789abcdef0123456789abcdef");
    assertThat(config.twilio().toString()).doesNotContain("tok,").contains("authToken=<set>");
    assertThat(config.twilio().authToken()).isEqualTo("tok");
    assertThat(config.twilio().fromNumber()).isEqualTo("+15550001111");
    assertThat(config.twilio().apiUrl().toString()).isEqualTo("http://127.0.0.1:8082");
    assertThat(config.telegram().messagesPerSecond()).isEqualTo(1000);
    assertThat(config.telegram().messagesPerChatPerSecond()).isEqualTo(20);
    assertThat(config.scheduler()).isEqualTo(new AideConfig.Scheduler(Duration.ofMillis(250), Duration.ofSeconds(3), 200, 400,
        4));
    assertThat(config.delivery().claimTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.delivery().poolSize()).isEqualTo(2);
    assertThat(config.secrets().key()).hasSize(32).startsWith(0, 1, 2, 3).endsWith(30, 31);
    assertThat(config.secrets().previousKeys()).hasSize(2);
    assertThat(config.secrets().previousKeys().get(0)).startsWith(31, 32, 33).endsWith(61, 62);
    assertThat(config.secrets().previousKeys().get(1)).startsWith(64, 65).endsWith(95);
    assertThat(config.secrets().toString()).doesNotContain("HyAh").contains("previous keys=2");
    assertThat(config.accounts()).isEqualTo(new AideConfig.Accounts(Duration.ofMinutes(15), Duration.ofSeconds(10), false));
    assertThat(config.secrets().keyFile()).isEqualTo(Path.of("/var/lib/aide/secret.key"));
    assertThat(config.secrets().toString()).doesNotContain("AAECAw");
    assertThat(config.metrics().token()).isEqualTo("scrape-me-0123456789");
    assertThat(config.metrics().toString()).doesNotContain("scrape-me");
  }

  @Test
  @DisplayName("a secret key that is not 32 bytes of base64, or a short metrics token, is refused without echoing it")
  void badSecrets() {
    for (String key : new String[] {"c2hvcnQ=", "not base64 at all!", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ=="}) {
      assertThatThrownBy(() -> ConfigLoader.load(DEFAULTS, Map.of("AIDE_SECRET_KEY", key)))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("config secret.key (AIDE_SECRET_KEY) must be 32 bytes in base64")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(key));
    }
    assertThatThrownBy(() -> ConfigLoader.load(DEFAULTS, Map.of("AIDE_SECRET_KEY_PREVIOUS",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,c2hvcnQ=")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config secret.previousKeys (AIDE_SECRET_KEY_PREVIOUS) must be a comma-separated list of 32-byte "
            + "keys in base64; key 2 is not one");
    // URL-safe base64 without padding, as some generators write it, is a key too.
    assertThat(ConfigLoader.load(DEFAULTS, Map.of("AIDE_SECRET_KEY", "-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_8"))
        .secrets().key()).hasSize(32);
    assertThatThrownBy(() -> ConfigLoader.load(DEFAULTS, Map.of("AIDE_METRICS_TOKEN", "short")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config metrics.token (AIDE_METRICS_TOKEN) must be at least 16 printable characters without spaces");
  }

  @Test
  @DisplayName("a malformed value stops start-up with one line naming the key and its variable")
  void malformedValues() {
    assertError(Map.of("AIDE_HTTP_PORT", "eighty"), "config http.port (AIDE_HTTP_PORT) must be a whole number, got 'eighty'");
    assertError(Map.of("AIDE_HTTP_PORT", "70000"), "config http.port (AIDE_HTTP_PORT) must be between 0 and 65535, got 70000");
    assertError(Map.of("AIDE_DATABASE_URL", "mysql://x/y"), "config database.url (AIDE_DATABASE_URL) must start with postgresql://");
    assertError(Map.of("AIDE_LLM_PROVIDER", "gpt"), "config llm.provider (AIDE_LLM_PROVIDER) must be one of");
    assertError(Map.of("AIDE_LLM_BASE_URL", "localhost:11434"), "config llm.baseUrl (AIDE_LLM_BASE_URL) must be an http");
    assertError(Map.of("AIDE_TELEGRAM_MODE", "push"), "config telegram.mode (AIDE_TELEGRAM_MODE) must be webhook or polling");
    assertError(Map.of("AIDE_TELEGRAM_WEBHOOK_SECRET", "has spaces"), "config telegram.webhookSecret (AIDE_TELEGRAM_WEBHOOK_SECRET)");
    assertError(Map.of("AIDE_HTTP_TRUSTED_PROXIES", "10.0.0.0/33"),
        "config http.trustedProxies (AIDE_HTTP_TRUSTED_PROXIES) must list IP addresses or CIDR ranges");
    assertError(Map.of("AIDE_HTTP_TRUSTED_PROXIES", "proxy.example.org"),
        "config http.trustedProxies (AIDE_HTTP_TRUSTED_PROXIES) must list IP addresses or CIDR ranges");
    assertError(Map.of("AIDE_LIMITS_CHAT_TURNS_PER_MINUTE", "-1"),
        "config limits.chatTurnsPerMinute (AIDE_LIMITS_CHAT_TURNS_PER_MINUTE) must be between 0 and");
    assertError(Map.of("AIDE_SCHEDULER_TAKEOVER_SECONDS", "0"),
        "config scheduler.takeoverSeconds (AIDE_SCHEDULER_TAKEOVER_SECONDS) must be between 1 and 3600, got 0");
    assertError(Map.of("AIDE_MEMORY_LEARNING", "sometimes"),
        "config memory.learning (AIDE_MEMORY_LEARNING) must be auto, patterns or off");
    assertError(Map.of("AIDE_EMBEDDING_MODEL", "bge-large"),
        "config embedding.model (AIDE_EMBEDDING_MODEL) with the local provider must be e5-small-v2-q or");
    String sid = "AC0123456789abcdef0123456789abcdef";
    assertError(Map.of("AIDE_TWILIO_ACCOUNT_SID", "AC123", "AIDE_TWILIO_AUTH_TOKEN", "t", "AIDE_TWILIO_FROM_NUMBER",
        "+15005550006"), "config twilio.accountSid (AIDE_TWILIO_ACCOUNT_SID) must be AC followed by 32 hexadecimal");
    assertError(Map.of("AIDE_TWILIO_ACCOUNT_SID", sid, "AIDE_TWILIO_FROM_NUMBER", "+15005550006"),
        "config twilio.authToken (AIDE_TWILIO_AUTH_TOKEN) is needed with AIDE_TWILIO_ACCOUNT_SID");
    assertError(Map.of("AIDE_TWILIO_ACCOUNT_SID", sid, "AIDE_TWILIO_AUTH_TOKEN", "t"),
        "config twilio.fromNumber (AIDE_TWILIO_FROM_NUMBER) must be the Twilio number Aide sends from, in E.164");
    assertError(Map.of("AIDE_TWILIO_ACCOUNT_SID", sid, "AIDE_TWILIO_AUTH_TOKEN", "t", "AIDE_TWILIO_FROM_NUMBER",
        "(415) 555-0100"), "config twilio.fromNumber (AIDE_TWILIO_FROM_NUMBER) must be");
  }

  @Test
  @DisplayName("a config file that is not JSON, or lacks the database URL, is refused with a one-line message")
  void brokenFile(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("config.json");
    Files.writeString(broken, "{ \"http\": { \"port\": 80 ");
    assertThatThrownBy(() -> ConfigLoader.load(broken, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("config: " + broken + " is not valid JSON");

    Files.writeString(broken, "{ \"http\": { \"port\": 80 } }");
    assertThatThrownBy(() -> ConfigLoader.load(broken, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage("config database.url (AIDE_DATABASE_URL) is required");
  }

  private static void assertError(Map<String, String> env, String message) {
    assertThatThrownBy(() -> ConfigLoader.load(DEFAULTS, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  @DisplayName("Google and Microsoft clients are off without their ids, point at the providers by default, take the "
      + "Microsoft tenant into their URLs, and refuse a tenant that is not a name; no client secret is printed")
  void oauthClients() {
    AideConfig off = ConfigLoader.load(DEFAULTS, Map.of());
    assertThat(off.oauth().google().enabled()).isFalse();
    assertThat(off.oauth().microsoft().enabled()).isFalse();
    assertThat(off.oauth().google().tokenUrl().toString()).isEqualTo("https://oauth2.googleapis.com/token");
    assertThat(off.oauth().microsoft().authorizeUrl().toString())
        .isEqualTo("https://login.microsoftonline.com/common/oauth2/v2.0/authorize");
    assertThat(off.oauth().microsoft().revokeUrl()).isNull();

    AideConfig on = ConfigLoader.load(DEFAULTS, Map.of("AIDE_GOOGLE_CLIENT_ID", "g.apps.googleusercontent.com",
        "AIDE_GOOGLE_CLIENT_SECRET", "GOCSPX-topsecret", "AIDE_MICROSOFT_CLIENT_ID", "m-id",
        "AIDE_MICROSOFT_CLIENT_SECRET", "ms~topsecret", "AIDE_MICROSOFT_TENANT", "contoso.onmicrosoft.com"));
    assertThat(on.oauth().google().enabled()).isTrue();
    assertThat(on.oauth().microsoft().tokenUrl().toString())
        .isEqualTo("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    assertThat(on.oauth().toString()).doesNotContain("topsecret").contains("clientSecret=<set>");

    assertThatThrownBy(() -> ConfigLoader.load(DEFAULTS, Map.of("AIDE_MICROSOFT_TENANT", "common/../x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("AIDE_MICROSOFT_TENANT");
  }

  @Test
  @DisplayName("Aide's SMTP server is off without a host; with one it needs the From address, picks ssl on 465 and "
      + "starttls elsewhere, and refuses a password sent in clear to another machine; no password is printed")
  void smtp() {
    assertThat(ConfigLoader.load(DEFAULTS, Map.of()).smtp().enabled()).isFalse();

    AideConfig.Smtp submission = ConfigLoader.load(DEFAULTS, Map.of("AIDE_SMTP_HOST", "smtp.example.org",
        "AIDE_SMTP_FROM", "aide@example.org", "AIDE_SMTP_USERNAME", "aide", "AIDE_SMTP_PASSWORD", "hunter2-secret"))
        .smtp();
    assertThat(submission.enabled()).isTrue();
    assertThat(submission.port()).isEqualTo(587);
    assertThat(submission.security()).isEqualTo("starttls");
    assertThat(submission.toString()).doesNotContain("hunter2").contains("password=<set>");
    assertThat(ConfigLoader.load(DEFAULTS, Map.of("AIDE_SMTP_HOST", "smtp.example.org", "AIDE_SMTP_PORT", "465",
        "AIDE_SMTP_FROM", "aide@example.org")).smtp().security()).isEqualTo("ssl");
    assertThat(ConfigLoader.load(DEFAULTS, Map.of("AIDE_SMTP_HOST", "127.0.0.1", "AIDE_SMTP_SECURITY", "none",
        "AIDE_SMTP_FROM", "aide@example.org", "AIDE_SMTP_USERNAME", "a", "AIDE_SMTP_PASSWORD", "b")).smtp()
        .security()).as("a relay on this machine").isEqualTo("none");

    assertError(Map.of("AIDE_SMTP_HOST", "smtp.example.org"),
        "config smtp.from (AIDE_SMTP_FROM) is needed with AIDE_SMTP_HOST");
    assertError(Map.of("AIDE_SMTP_HOST", "smtp.example.org", "AIDE_SMTP_FROM", "Aide <aide@example.org>"),
        "config smtp.from (AIDE_SMTP_FROM) is needed");
    assertError(Map.of("AIDE_SMTP_HOST", "smtp.example.org", "AIDE_SMTP_FROM", "aide@example.org",
        "AIDE_SMTP_SECURITY", "tls"), "config smtp.security (AIDE_SMTP_SECURITY) must be ssl, starttls or none");
    assertError(Map.of("AIDE_SMTP_HOST", "smtp.example.org", "AIDE_SMTP_FROM", "aide@example.org",
        "AIDE_SMTP_SECURITY", "none", "AIDE_SMTP_USERNAME", "a", "AIDE_SMTP_PASSWORD", "b"),
        "config smtp.security (AIDE_SMTP_SECURITY) none would send the SMTP password in clear to smtp.example.org");
    assertError(Map.of("AIDE_SMTP_HOST", "smtp.example.org", "AIDE_SMTP_FROM", "aide@example.org",
        "AIDE_SMTP_USERNAME", "a"), "config smtp.password (AIDE_SMTP_PASSWORD) AIDE_SMTP_USERNAME and");
    assertError(Map.of("AIDE_SMTP_HOST", "smtp.example.org\r\nRCPT TO:<x@y>", "AIDE_SMTP_FROM", "aide@example.org"),
        "config smtp.host (AIDE_SMTP_HOST) must be a host name or an IP address");
  }

  @Test
  @DisplayName("Gmail's and Outlook's IMAP and SMTP servers default to the providers' and are overridden as "
      + "host:port:security; another form, a port past 65535 or an unknown security stops the start naming the variable")
  void oauthMailServers() {
    AideConfig defaults = ConfigLoader.load(DEFAULTS, Map.of());
    assertThat(defaults.oauth().google().imap()).isEqualTo("imap.gmail.com:993:ssl");
    assertThat(defaults.oauth().google().smtp()).isEqualTo("smtp.gmail.com:587:starttls");
    assertThat(defaults.oauth().microsoft().imap()).isEqualTo("outlook.office365.com:993:ssl");
    assertThat(defaults.oauth().microsoft().smtp()).isEqualTo("smtp.office365.com:587:starttls");

    AideConfig local = ConfigLoader.load(DEFAULTS, Map.of("AIDE_GOOGLE_IMAP", "127.0.0.1:3143:plain",
        "AIDE_MICROSOFT_SMTP", "mail.example.org:2525:starttls"));
    assertThat(local.oauth().google().imap()).isEqualTo("127.0.0.1:3143:plain");
    assertThat(local.oauth().microsoft().smtp()).isEqualTo("mail.example.org:2525:starttls");

    for (String bad : new String[] {"imap.gmail.com", "imap.gmail.com:993", "imap.gmail.com:99999:ssl",
        "imap.gmail.com:993:tls", "imap/../x:993:ssl"}) {
      assertThatThrownBy(() -> ConfigLoader.load(DEFAULTS, Map.of("AIDE_GOOGLE_IMAP", bad)))
          .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("AIDE_GOOGLE_IMAP");
    }
  }
}
