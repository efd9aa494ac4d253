package dev.aide.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.aide.connect.LinkedAccounts.Login;
import dev.aide.connect.ServerAddresses;
import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.MailServers;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Review (mailfix): memory that does not grow with the mailbox, a silent server, a deleted account, long threads. */
@DisplayName("Mail review: bounded reading, fair workers, no alert for a deleted account, folded References")
class MailReviewTest {

  private static final MailServers servers = MailServers.start();
  private static final AtomicInteger PEOPLE = new AtomicInteger();

  // Long enough that a silent server holds its conversations for the whole test.
  @RegisterExtension
  static final AideServer aide = AideServer.create().env("AIDE_ACCOUNTS_REQUEST_TIMEOUT_SECONDS", "120")
      .freshEachTest().person("nora@example.com", "Europe/Paris");

  private final String login = "review" + PEOPLE.incrementAndGet();
  private final String address = login + "@example.com";
  private final String password = "pw-" + UUID.randomUUID();

  @AfterAll
  static void stop() {
    servers.close();
  }

  private MailSettings settings(int imapPort) {
    return new MailSettings(address, new MailSettings.Server("127.0.0.1", imapPort, "plain"),
        new MailSettings.Server("127.0.0.1", servers.smtpPort(), "plain"));
  }

  private Login login() {
    return new Login(UUID.randomUUID(), UUID.randomUUID(), "imap", null, login, password, "active", null, null);
  }

  /** The same small mail, {@code count} times: every mail's envelope is as long as every other's. */
  private static void deliver(GreenMailUser user, String to, int count) {
    MimeMessage m = MailServers.mail("shop@example.org", to, "Offer", "Buy now.");
    try {
      m.setSentDate(new Date(1_700_000_000_000L));
      m.setHeader("Message-ID", "<offer@example.org>");
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
    for (int i = 0; i < count; i++) {
      user.deliver(m);
    }
  }

  @Test
  @DisplayName("the unread summary reads no more from the server for 6,000 unread mails than for 3,000: it never "
      + "lists every unread mail, only the newest it looks at")
  void unreadDoesNotGrowWithTheMailbox() throws Exception {
    GreenMailUser user = servers.user(address, login, password);
    MailClient client = new MailClient(new ServerAddresses(true), Duration.ofSeconds(60));
    try (TcpRelay relay = TcpRelay.to(servers.imapPort())) {
      deliver(user, address, 3000);
      long before = relay.fromServer.get();
      MailClient.Summary first = client.unread(login(), settings(relay.port()), 15);
      long firstBytes = relay.fromServer.get() - before;
      deliver(user, address, 3000);
      before = relay.fromServer.get();
      MailClient.Summary second = client.unread(login(), settings(relay.port()), 15);
      long secondBytes = relay.fromServer.get() - before;

      assertThat(first.unread()).isEqualTo(3000);
      assertThat(second.unread()).isEqualTo(6000);
      assertThat(second.ranked()).hasSize(15);
      // 3,000 more unread message numbers in one SEARCH answer would be some 15,000 bytes more.
      assertThat(secondBytes - firstBytes).as("%d then %d bytes", firstBytes, secondBytes).isLessThan(2000);
    }
  }

  @Test
  @DisplayName("a poll after 2,400 new mails reads no more from the server than after 1,200: only the newest are "
      + "asked about, and where polling stopped is the newest mail")
  void pollDoesNotGrowWithNewMail() throws Exception {
    GreenMailUser user = servers.user(address, login, password);
    MailClient client = new MailClient(new ServerAddresses(true), Duration.ofSeconds(60));
    try (TcpRelay relay = TcpRelay.to(servers.imapPort())) {
      MailClient.Poll start = client.poll(login(), settings(relay.port()), null, null);
      deliver(user, address, 1200);
      long before = relay.fromServer.get();
      MailClient.Poll first = client.poll(login(), settings(relay.port()), start.uidValidity(), start.lastUid());
      long firstBytes = relay.fromServer.get() - before;
      deliver(user, address, 2400);
      before = relay.fromServer.get();
      MailClient.Poll second = client.poll(login(), settings(relay.port()), first.uidValidity(), first.lastUid());
      long secondBytes = relay.fromServer.get() - before;
      MailClient.Poll nothing = client.poll(login(), settings(relay.port()), second.uidValidity(), second.lastUid());

      assertThat(second.lastUid() - first.lastUid()).isEqualTo(2400);
      assertThat(first.lastUid() - start.lastUid()).isEqualTo(1200);
      assertThat(nothing.lastUid()).isEqualTo(second.lastUid());
      assertThat(nothing.restarted()).isFalse();
      // A UID FETCH of every new mail would answer some 25 bytes a mail: 30,000 bytes more.
      assertThat(secondBytes - firstBytes).as("%d then %d bytes", firstBytes, secondBytes).isLessThan(2000);
    }
  }

  private String connect(Api api, String address, String login, String password, Integer imapPort) {
    JsonObject body = servers.account(address, login, password);
    if (imapPort != null) {
      body.getJsonObject("imap").put("port", imapPort);
    }
    Api.Response created = api.post("/api/v1/accounts", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number("select count(*) from scheduled_tasks "
        + "where task_key = ? and next_run_at > now() + interval '1 minute'", "mail-poll:" + id) == 1);
    return id;
  }

  @Test
  @DisplayName("a person whose mail server accepts connections and never answers holds at most two mail workers: "
      + "another person's mail is served while eight of theirs hang")
  void silentServerHoldsOnlyItsOwner() throws Exception {
    Api nora = aide.api();
    servers.user(address, login, password);
    String noraAccount = connect(nora, address, login, password, null);
    Api ivo = aide.signUp("ivo-" + login + "@example.com", "UTC");
    String ivoAddress = "ivo-" + address;
    servers.user(ivoAddress, "ivo-" + login, password);
    String ivoAccount = connect(ivo, ivoAddress, "ivo-" + login, password, null);
    // The relay closes first: the hanging conversations then fail at once, and the threads waiting on them end.
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor(); TcpRelay silent = TcpRelay.silent()) {
      aide.db().update("update mail_accounts set imap_port = ? where account_id = ?::uuid", silent.port(),
          noraAccount);
      List<CompletableFuture<Object>> stuck = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        stuck.add(CompletableFuture.supplyAsync(() -> {
          try {
            return nora.post("/api/v1/accounts/" + noraAccount + "/sync", new JsonObject());
          } catch (RuntimeException e) {
            return e;
          }
        }, threads));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> silent.accepted.get() >= 2);

      Api.Response synced = ivo.post("/api/v1/accounts/" + ivoAccount + "/sync", new JsonObject());

      assertThat(synced.status()).as(synced.body()).isEqualTo(200);
      assertThat(synced.json().getJsonObject("lastSync").getBoolean("ok")).isTrue();
      assertThat(silent.accepted.get()).as("connections to the silent server").isLessThanOrEqualTo(2);
    }
  }

  @Test
  @DisplayName("an account deleted while its poll reads the INBOX gets no alert for the mail that poll found")
  void deletedDuringPollAlertsNothing() throws Exception {
    Api nora = aide.api();
    GreenMailUser user = servers.user(address, login, password);
    servers.sent(user, MailServers.mail(address, "landlord@example.net", "The flat", "Hello"));
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
         TcpRelay relay = TcpRelay.to(servers.imapPort())) {
      String id = connect(nora, address, login, password, relay.port());
      await().atMost(Duration.ofSeconds(60)).until(() -> aide.db().number("select count(*) from mail_accounts where "
          + "account_id = ?::uuid and last_uid is not null", id) == 1);
      servers.deliver(user, MailServers.mail("Mr Landlord <landlord@example.net>", address, "Deposit returned",
          "The deposit is back."));
      relay.holdOn("LOGOUT");
      CompletableFuture<Api.Response> sync = CompletableFuture.supplyAsync(
          () -> nora.post("/api/v1/accounts/" + id + "/sync", new JsonObject()), threads);
      relay.awaitHeld();

      Api.Response deleted = nora.delete("/api/v1/accounts/" + id);
      relay.release();
      Api.Response polled = sync.get();

      assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
      assertThat(polled.status()).as(polled.body()).isNotEqualTo(500);
      assertThat(aide.db().number("select count(*) from notifications where kind = 'mail'")).isZero();
    }
  }

  @Test
  @DisplayName("a reply in a thread of 100 mails keeps its References to the first and the newest ids, folded: no "
      + "line of the mail is longer than 998 characters; a 5,000-character Message-ID is no id to reply to")
  void longReferencesFolded() throws Exception {
    StringBuilder references = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      references.append(i == 0 ? "" : " ").append(String.format("<thread-%03d-0123456789abcdef@example.net>", i));
    }
    MailClient.Outgoing out = new MailClient.Outgoing("nora@example.com", List.of("bob@example.org"), List.of(),
        "Re: thread", "Text", "<mine@example.com>", "<parent@example.net>", references.toString());

    MimeMessage message = MailClient.message(Session.getInstance(new Properties()), out);

    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    message.writeTo(raw);
    List<String> lines = Arrays.asList(raw.toString(StandardCharsets.US_ASCII).split("\r\n"));
    assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
    List<String> ids = Arrays.asList(MimeUtility.unfold(message.getHeader("References")[0]).strip().split("\\s+"));
    assertThat(ids).hasSizeLessThanOrEqualTo(20).hasSizeGreaterThan(2);
    assertThat(ids.get(0)).isEqualTo("<thread-000-0123456789abcdef@example.net>");
    assertThat(ids.get(ids.size() - 2)).isEqualTo("<thread-099-0123456789abcdef@example.net>");
    assertThat(ids.get(ids.size() - 1)).isEqualTo("<parent@example.net>");
    assertThat(message.getHeader("In-Reply-To")).containsExactly("<parent@example.net>");

    MailClient.Outgoing garbage = new MailClient.Outgoing("nora@example.com", List.of("bob@example.org"), List.of(),
        "Re: thread", "Text", "<mine2@example.com>", "<" + "x".repeat(5000) + "@example.net>", "y".repeat(5000));
    MimeMessage replyToGarbage = MailClient.message(Session.getInstance(new Properties()), garbage);
    ByteArrayOutputStream raw2 = new ByteArrayOutputStream();
    replyToGarbage.writeTo(raw2);
    assertThat(raw2.toString(StandardCharsets.US_ASCII).split("\r\n"))
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
    assertThat(replyToGarbage.getHeader("In-Reply-To")).isNull();
    assertThat(replyToGarbage.getHeader("References")).isNull();
  }
}
