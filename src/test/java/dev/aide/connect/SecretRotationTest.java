package dev.aide.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aide.platform.config.ConfigException;
import dev.aide.platform.secret.Vault;
import dev.aide.support.Api;
import dev.aide.support.RadicaleServer;
import dev.aide.support.TestAide;
import dev.aide.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rotating the secret key re-encrypts every stored secret in the background")
class SecretRotationTest {

  private static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static String id(String key) {
    return Vault.keyId(Base64.getDecoder().decode(key));
  }

  @Test
  @DisplayName("with the new key in AIDE_SECRET_KEY and the old one in AIDE_SECRET_KEY_PREVIOUS, Aide's own secrets and "
      + "the accounts' passwords are sealed again with the new key, past a password no key opens (its account's "
      + "status error); sessions and the CalDAV sync go on; then the old key can go, and an instance with only the old "
      + "key refuses to start")
  void rotation() {
    String oldKey = newKey();
    String newKey = newKey();
    try (RadicaleServer radicale = RadicaleServer.start(Map.of("rota", "rota-pw"))) {
      radicale.makeCalendar("rota", "home", "Home");
      TestAide first = TestAide.start(Map.of("AIDE_SECRET_KEY", oldKey), Clock.systemUTC());
      String token;
      String accountId;
      try (Api api = new Api(first.port())) {
        api.register("rota@example.com", "UTC");
        token = api.token();
        Api.Response created = api.post("/api/v1/accounts", new JsonObject().put("kind", "caldav")
            .put("url", radicale.url()).put("username", "rota").put("password", "rota-pw"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        accountId = created.json().getString("id");
      }
      TestDatabase db = first.stopKeepingDatabase();
      assertThat(db.number("select count(*) from linked_accounts where secret_key_id = ?", id(oldKey))).isOne();
      assertThat(db.number("select count(*) from app_secrets where key_id = ?", id(oldKey))).isPositive();
      // A row no key opens (its password sealed for another account's id), first in id order: it must not hold the
      // rotation of the others back.
      db.update("""
          insert into linked_accounts (id, user_id, kind, url, username, secret_key_id, secret_nonce, secret)
          select '00000000-0000-0000-0000-000000000001', user_id, kind, url, username || '-copy', secret_key_id,
                 secret_nonce, secret from linked_accounts""");

      try (TestAide rotated = TestAide.restartOn(db, Map.of("AIDE_SECRET_KEY", newKey,
          "AIDE_SECRET_KEY_PREVIOUS", oldKey), Clock.systemUTC())) {
        await().atMost(Duration.ofSeconds(60)).until(() -> db.number(
            "select count(*) from linked_accounts where secret_key_id <> ? and id = ?::uuid", id(newKey), accountId) == 0
            && db.number("select count(*) from app_secrets where key_id <> ?", id(newKey)) == 0);
        try (Api api = new Api(rotated.port()).as(token)) {
          Api.Response synced = api.post("/api/v1/accounts/" + accountId + "/sync", new JsonObject());
          assertThat(synced.json().getString("status")).as(synced.body()).isEqualTo("ok");
          Api.Response unopenable = api.post("/api/v1/accounts/00000000-0000-0000-0000-000000000001/sync",
              new JsonObject());
          assertThat(unopenable.status()).as(unopenable.body()).isEqualTo(200);
          assertThat(unopenable.json().getString("status")).isEqualTo("error");
          assertThat(unopenable.json().getString("reason")).contains("cannot be decrypted");
        }
        assertThat(db.number("select count(*) from linked_accounts where secret_key_id = ?", id(oldKey)))
            .as("the unopenable row is left as it was").isOne();
      }

      try (TestAide onlyNew = TestAide.restartOn(db, Map.of("AIDE_SECRET_KEY", newKey), Clock.systemUTC());
           Api api = new Api(onlyNew.port()).as(token)) {
        Api.Response synced = api.post("/api/v1/accounts/" + accountId + "/sync", new JsonObject());
        assertThat(synced.status()).as("the session made before the rotation still works").isEqualTo(200);
        assertThat(synced.json().getString("status")).isEqualTo("ok");
      }

      assertThatThrownBy(() -> TestAide.restartOn(db, Map.of("AIDE_SECRET_KEY", oldKey), Clock.systemUTC()))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("AIDE_SECRET_KEY")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(oldKey).doesNotContain(newKey));
      db.close();
    }
  }
}
