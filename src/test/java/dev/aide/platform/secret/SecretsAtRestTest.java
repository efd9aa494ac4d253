package dev.aide.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.aide.platform.config.ConfigException;
import dev.aide.support.Api;
import dev.aide.support.TestAide;
import dev.aide.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@DisplayName("Secrets Aide keeps in its database are encrypted with a key the database does not hold")
class SecretsAtRestTest {

  private static final byte[] KEY = Base64.getDecoder().decode(TestAide.SECRET_KEY);
  private static final String OTHER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  @DisplayName("the JWT key read from the database cannot verify a token Aide issued; the key opened with the vault can")
  void jwtKeyUselessFromDatabase() throws Exception {
    try (TestAide aide = TestAide.start(); Api api = new Api(aide.port())) {
      String token = register(api, "mint@example.com");
      Map<String, Object> row = jwtRow(aide.db());

      List<byte[]> candidates = new ArrayList<>();
      byte[] ciphertext = (byte[]) row.get("ciphertext");
      byte[] nonce = (byte[]) row.get("nonce");
      for (byte[] bytes : List.of(ciphertext, nonce, concat(nonce, ciphertext))) {
        candidates.add(bytes);
        candidates.add(HexFormat.of().formatHex(bytes).getBytes(StandardCharsets.UTF_8));
        candidates.add(Base64.getEncoder().encode(bytes));
        candidates.add(Base64.getUrlEncoder().withoutPadding().encode(bytes));
      }
      if (row.get("value") != null) {
        candidates.add(((String) row.get("value")).getBytes(StandardCharsets.UTF_8));
      }
      for (byte[] candidate : candidates) {
        assertThat(verifies(token, candidate)).as("a token verified with a value read from app_secrets").isFalse();
      }

      String secret = Vault.of(KEY).openText("app_secrets/jwt", new Sealed((String) row.get("key_id"), nonce, ciphertext));
      assertThat(verifies(token, secret.getBytes(StandardCharsets.UTF_8))).isTrue();
      assertThat(aide.db().number("select count(*) from app_secrets s where position(? in row_to_json(s)::text) > 0",
          secret)).isZero();
    }
  }

  @Test
  @DisplayName("a restart with the same key keeps tokens valid; with a different key, start-up stops with one clear line and changes nothing")
  void restartWithSameAndOtherKey() {
    TestAide first = TestAide.start();
    String token;
    try (Api api = new Api(first.port())) {
      token = register(api, "restart@example.com");
    }
    TestDatabase db = first.stopKeepingDatabase();
    try {
      Map<String, Object> before = jwtRow(db);
      try (TestAide again = TestAide.restartOn(db, Map.of(), Clock.systemUTC()); Api api = new Api(again.port())) {
        assertThat(api.as(token).get("/api/v1/me").status()).isEqualTo(200);
      }

      assertThatThrownBy(() -> TestAide.restartOn(db, Map.of("AIDE_SECRET_KEY", OTHER_KEY), Clock.systemUTC()))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("AIDE_SECRET_KEY")
          .hasMessageContaining("app_secrets/jwt was encrypted with secret key " + Vault.keyId(KEY))
          .hasMessageContaining("this instance's key is " + Vault.keyId(new byte[32]))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(OTHER_KEY)
              .doesNotContain(TestAide.SECRET_KEY));
      Map<String, Object> after = jwtRow(db);
      assertThat((byte[]) after.get("ciphertext")).isEqualTo((byte[]) before.get("ciphertext"));
      assertThat(db.number("select count(*) from app_secrets")).isEqualTo(1);
    } finally {
      db.close();
    }
  }

  @Test
  @DisplayName("a ciphertext copied into another secret's row does not open, and start-up says so")
  void ciphertextBoundToItsRow() {
    TestDatabase db = TestAide.start().stopKeepingDatabase();
    try {
      db.update("insert into app_secrets (name, key_id, nonce, ciphertext) "
          + "select 'telegram-webhook', key_id, nonce, ciphertext from app_secrets where name = 'jwt'");

      assertThatThrownBy(() -> TestAide.restartOn(db, Map.of(), Clock.systemUTC()))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("app_secrets/telegram-webhook does not decrypt")
          .hasMessageContaining("copied from another row");
    } finally {
      db.close();
    }
  }

  @Test
  @DisplayName("without AIDE_SECRET_KEY a key is generated into a 0600 file, logged without the key, and used again on the next start")
  void generatedKeyFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config").resolve("aide").resolve("secret.key");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    TestDatabase db;
    String token;
    try {
      TestAide aide = TestAide.start(Map.of("AIDE_SECRET_KEY_FILE", file.toString()), Clock.systemUTC());
      try (Api api = new Api(aide.port())) {
        token = register(api, "keyfile@example.com");
      }
      db = aide.stopKeepingDatabase();
    } finally {
      root.detachAppender(logs);
    }
    try {
      assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
      String encoded = Files.readString(file).strip();
      byte[] key = Base64.getDecoder().decode(encoded);
      assertThat(key).hasSize(32);
      assertThat(key).isNotEqualTo(KEY);
      try (var listing = Files.list(file.getParent())) {
        assertThat(listing.toList()).containsExactly(file);
      }
      List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(lines).filteredOn(line -> line.startsWith("Generated a new secret key")).hasSize(1)
          .allSatisfy(line -> assertThat(line).contains(file.toString()).contains(Vault.keyId(key)));
      assertThat(lines).noneMatch(line -> line.contains(encoded));
      assertThat(jwtRow(db).get("key_id")).isEqualTo(Vault.keyId(key));

      try (TestAide again = TestAide.restartOn(db, Map.of("AIDE_SECRET_KEY_FILE", file.toString()), Clock.systemUTC());
           Api api = new Api(again.port())) {
        assertThat(api.as(token).get("/api/v1/me").status()).isEqualTo(200);
      }
      assertThat(Files.readString(file).strip()).isEqualTo(encoded);
    } finally {
      db.close();
    }
  }

  @Test
  @DisplayName("upgrading a database of the previous version encrypts its plaintext secrets and withdraws its plaintext link tokens")
  void upgradeSealsPlaintext() {
    TestDatabase db = TestDatabase.createEmpty();
    try {
      db.migrateBefore("15");
      UUID owner = UUID.randomUUID();
      db.update("insert into users (id, email, name) values (?, 'old@example.com', 'Old')", owner);
      db.update("insert into app_secrets (name, value) values ('jwt', 'legacy-plaintext-jwt-secret-0123456789abcdef')");
      db.update("insert into app_secrets (name, value) values ('telegram-webhook', 'legacy-webhook-secret')");
      db.update("insert into link_tokens (token, user_id, channel, expires_at) "
          + "values ('legacy-link-token', ?, 'telegram', now() + interval '10 minutes')", owner);

      try (TestAide upgraded = TestAide.restartOn(db, Map.of(), Clock.systemUTC())) {
        assertThat(upgraded.db().number("select count(*) from app_secrets where value is not null")).isZero();
        assertThat(upgraded.db().number("select count(*) from app_secrets s where position('legacy' in row_to_json(s)::text) > 0"))
            .isZero();
        Map<String, Object> jwt = jwtRow(db);
        // The same secret, now sealed: tokens signed before the upgrade stay valid.
        assertThat(Vault.of(KEY).openText("app_secrets/jwt",
            new Sealed((String) jwt.get("key_id"), (byte[]) jwt.get("nonce"), (byte[]) jwt.get("ciphertext"))))
            .isEqualTo("legacy-plaintext-jwt-secret-0123456789abcdef");
        assertThat(upgraded.db().number("select count(*) from link_tokens")).isZero();
      }
    } finally {
      db.close();
    }
  }

  /** Registers a person; answers the bearer token Aide signed for them. */
  private static String register(Api api, String email) {
    Api.Response r = api.post("/api/v1/auth/register", new JsonObject().put("email", email)
        .put("password", "correct horse battery").put("name", "Key Test").put("timezone", "UTC"));
    assertThat(r.status()).isEqualTo(201);
    return r.json().getString("token");
  }

  private static Map<String, Object> jwtRow(TestDatabase db) {
    Map<String, Object> row = new java.util.HashMap<>();
    row.put("value", db.value("select value from app_secrets where name = 'jwt'", String.class));
    row.put("key_id", db.value("select key_id from app_secrets where name = 'jwt'", String.class));
    row.put("nonce", db.value("select nonce from app_secrets where name = 'jwt'", byte[].class));
    row.put("ciphertext", db.value("select ciphertext from app_secrets where name = 'jwt'", byte[].class));
    return row;
  }

  /** Whether an HS256 token's signature checks out with this key (what anyone holding the key can do: mint tokens). */
  private static boolean verifies(String token, byte[] key) throws Exception {
    String[] parts = token.split("\\.");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] signature = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(signature).equals(parts[2]);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
