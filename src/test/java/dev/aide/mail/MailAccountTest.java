package dev.aide.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.MailServers;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A mailbox is connected over IMAP and SMTP (GreenMail), polled for new mail, and refused when it cannot be used")
class MailAccountTest {

  private static final MailServers servers = MailServers.start();
  private static final AtomicInteger PEOPLE = new AtomicInteger();

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("nora@example.com", "Europe/Paris");

  private final Api api = aide.api();
  private final String login = "nora" + PEOPLE.incrementAndGet();
  private final String address = login + "@example.com";
  private final String password = "pw-" + UUID.randomUUID();

  @AfterAll
  static void stop() {
    servers.close();
  }

  private GreenMailUser mailbox() {
    return servers.user(address, login, password);
  }

  private JsonObject connect() {
    Api.Response created = api.post("/api/v1/accounts", servers.account(address, login, password));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  private JsonObject sync(String id) {
    Api.Response synced = api.post("/api/v1/accounts/" + id + "/sync", new JsonObject());
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    return synced.json();
  }

  private long count(String sql, Object... args) {
    return aide.db().number(sql, args);
  }

  @Test
  @DisplayName("an IMAP login and SMTP authentication that work connect the account: its servers and address shown, "
      + "no answer and no column holds the password, its polling scheduled; DELETE removes it all")
  void connectsListsAndDeletes() {
    mailbox();
    JsonObject account = connect();
    assertThat(account.getString("kind")).isEqualTo("imap");
    assertThat(account.getString("status")).isEqualTo("ok");
    assertThat(account.getString("address")).isEqualTo(address);
    assertThat(account.getJsonObject("imap").getInteger("port")).isEqualTo(servers.imapPort());
    assertThat(account.getJsonObject("smtp").getString("security")).isEqualTo("plain");
    assertThat(account.getString("username")).isEqualTo(login);
    assertThat(account.encode()).doesNotContain(password);
    String id = account.getString("id");

    Api.Response list = api.get("/api/v1/accounts");
    assertThat(list.body()).contains(id).contains(address).doesNotContain(password);
    assertThat(api.get("/api/v1/accounts/" + id).json().getString("address")).isEqualTo(address);
    assertThat(count("select count(*) from linked_accounts where id = ?::uuid and kind = 'imap' "
        + "and position(convert_to(?, 'UTF8') in secret) = 0", id, password)).isEqualTo(1);
    assertThat(count("select count(*) from mail_accounts where account_id = ?::uuid", id)).isEqualTo(1);
    assertThat(count("select count(*) from scheduled_tasks where task_key = ?", "mail-poll:" + id)).isEqualTo(1);
    assertThat(api.get("/api/v1/me/export").body()).doesNotContain(password);

    assertThat(api.delete("/api/v1/accounts/" + id).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/accounts/" + id).status()).isEqualTo(404);
    assertThat(count("select count(*) from mail_accounts")).isZero();
    assertThat(count("select count(*) from scheduled_tasks where task_key = ?", "mail-poll:" + id)).isZero();
  }

  @Test
  @DisplayName("a wrong password is refused with account_unauthorized and nothing is stored")
  void wrongPassword() {
    mailbox();
    Api.Response refused = api.post("/api/v1/accounts", servers.account(address, login, "not-" + password));
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().getJsonObject("error").getString("code")).isEqualTo("account_unauthorized");
    assertThat(refused.body()).doesNotContain("not-" + password);
    assertThat(count("select count(*) from linked_accounts")).isZero();
    assertThat(count("select count(*) from mail_accounts")).isZero();
  }

  @Test
  @DisplayName("an IMAP port where nothing listens is refused with account_unreachable, nothing stored")
  void unreachablePort() {
    mailbox();
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonObject body = servers.account(address, login, password);
    body.getJsonObject("imap").put("port", closed);
    Api.Response refused = api.post("/api/v1/accounts", body);
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().getJsonObject("error").getString("code")).isEqualTo("account_unreachable");
    assertThat(count("select count(*) from linked_accounts")).isZero();
  }

  @Test
  @DisplayName("security ssl against a server whose certificate is not trusted (GreenMail's self-signed one) is "
      + "refused with account_tls: TLS is spoken and the certificate checked; nothing stored")
  void untrustedCertificate() {
    try (MailServers secure = MailServers.startSecure()) {
      secure.user(address, login, password);
      int[] ports = secure.securePorts();
      JsonObject body = servers.account(address, login, password);
      body.getJsonObject("imap").put("port", ports[0]).put("security", "ssl");
      body.getJsonObject("smtp").put("port", ports[1]).put("security", "ssl");
      Api.Response refused = api.post("/api/v1/accounts", body);
      assertThat(refused.status()).as(refused.body()).isEqualTo(422);
      assertThat(refused.json().getJsonObject("error").getString("code")).isEqualTo("account_tls");
      assertThat(refused.body()).contains("127.0.0.1:" + ports[0]).doesNotContain(password);
    }
    assertThat(count("select count(*) from linked_accounts")).isZero();
  }

  @Test
  @DisplayName("a working IMAP login with an SMTP server that refuses it is refused: both must work")
  void smtpMustWorkToo() {
    mailbox();
    JsonObject body = servers.account(address, login, password);
    body.getJsonObject("smtp").put("port", servers.imapPort());
    Api.Response refused = api.post("/api/v1/accounts", body);
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().getJsonObject("error").getString("code")).startsWith("account_");
    assertThat(count("select count(*) from linked_accounts")).isZero();
  }

  @Test
  @DisplayName("plain text to a server that is not this machine, unknown fields, a NUL, a huge password, a bad address "
      + "or port: each a clear 422 before any connection, nothing stored")
  void badRequests() {
    JsonObject plainAway = servers.account(address, login, password);
    plainAway.getJsonObject("imap").put("host", "192.0.2.10");
    Api.Response plain = api.post("/api/v1/accounts", plainAway);
    assertThat(plain.status()).as(plain.body()).isEqualTo(422);
    assertThat(plain.json().getJsonObject("error").getString("code")).isEqualTo("account_tls");

    assertThat(api.post("/api/v1/accounts", servers.account(address, login, password).put("url", "x")).status())
        .isEqualTo(422);
    assertThat(api.post("/api/v1/accounts", servers.account(address, "no\u0000ra", password)).status())
        .isEqualTo(422);
    assertThat(api.post("/api/v1/accounts", servers.account(address, login, "p".repeat(5000))).status())
        .isEqualTo(422);
    assertThat(api.post("/api/v1/accounts", servers.account("not an address", login, password)).status())
        .isEqualTo(422);
    JsonObject badPort = servers.account(address, login, password);
    badPort.getJsonObject("smtp").put("port", 70000);
    assertThat(api.post("/api/v1/accounts", badPort).status()).isEqualTo(422);
    JsonObject badHost = servers.account(address, login, password);
    badHost.getJsonObject("imap").put("host", "imap.example.com/../x");
    assertThat(api.post("/api/v1/accounts", badHost).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/accounts", servers.account(address, login, password).put("smtp", "x")).status())
        .isEqualTo(422);
    assertThat(count("select count(*) from linked_accounts")).isZero();
  }

  @Test
  @DisplayName("another person's mail account cannot be read, synced or deleted")
  void othersAccountsUnreachable() {
    mailbox();
    String id = connect().getString("id");
    Api other = aide.signUp("ivo@example.com", "UTC");
    assertThat(other.get("/api/v1/accounts/" + id).status()).isEqualTo(404);
    assertThat(other.post("/api/v1/accounts/" + id + "/sync", new JsonObject()).status()).isEqualTo(404);
    assertThat(other.delete("/api/v1/accounts/" + id).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/accounts").json().getJsonArray("items")).isEmpty();
    assertThat(count("select count(*) from mail_accounts where account_id = ?::uuid", id)).isEqualTo(1);
  }

  @Test
  @DisplayName("polling: the first poll only notes where the INBOX stands; new mail from someone the person wrote to "
      + "is told once, a stranger's is not; a poll that fails turns the account to error and tells the person once")
  void pollingAlertsOnceAndFailsClearly() {
    GreenMailUser user = mailbox();
    servers.sent(user, MailServers.mail(address, "landlord@example.net", "The flat", "Hello"));
    servers.deliver(user, MailServers.mail("landlord@example.net", address, "Old news", "before connecting"));
    String id = connect().getString("id");
    // The polling task's first run (at once) notes where the INBOX stands; the test's polls are the only ones after.
    await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from scheduled_tasks where task_key = ? "
        + "and status = 'scheduled' and next_run_at > now() + interval '1 minute'", "mail-poll:" + id) == 1);
    assertThat(count("select count(*) from mail_accounts where account_id = ?::uuid and uid_validity is not null "
        + "and last_uid > 0", id)).isEqualTo(1);
    JsonObject first = sync(id).getJsonObject("lastSync");
    assertThat(first.getBoolean("ok")).as(first.encode()).isTrue();
    assertThat(first.getInteger("alerts")).isZero();
    long before = count("select count(*) from notifications where kind = 'mail'");
    assertThat(before).isZero();

    servers.deliver(user, MailServers.mail("Mr Landlord <landlord@example.net>", address, "Deposit returned",
        "The deposit is back."));
    servers.deliver(user, MailServers.mail("shop@example.org", address, "SALE", "50% off"));
    JsonObject second = sync(id).getJsonObject("lastSync");
    assertThat(second.getBoolean("ok")).as(second.encode()).isTrue();
    assertThat(second.getInteger("alerts")).isEqualTo(1);
    assertThat(aide.db().strings("select title from notifications where kind = 'mail'"))
        .containsExactly("New mail from Mr Landlord <landlord@example.net>");
    assertThat(sync(id).getJsonObject("lastSync").getInteger("alerts")).isZero();
    assertThat(count("select count(*) from notifications where kind = 'mail'")).isEqualTo(1);
    assertThat(count("select last_uid from mail_accounts where account_id = ?::uuid", id)).isGreaterThan(0);

    user.setPassword("changed-" + UUID.randomUUID());
    JsonObject failed = sync(id);
    assertThat(failed.getString("status")).isEqualTo("error");
    assertThat(failed.getString("reason")).contains("refused the username or password");
    assertThat(failed.getJsonObject("lastSync").getBoolean("ok")).isFalse();
    sync(id);
    assertThat(count("select count(*) from notifications where kind = 'account'")).isEqualTo(1);
    assertThat(api.get("/api/v1/accounts/" + id).body()).doesNotContain(password);
  }
}
