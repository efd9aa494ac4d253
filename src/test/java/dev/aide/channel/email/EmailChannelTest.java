package dev.aide.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.Api;
import dev.aide.support.MailServers;
import dev.aide.support.ProactiveServer;
import dev.aide.support.RowChecksum;
import dev.aide.support.TestClock;
import dev.aide.support.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Aide's own email: an address proved with a mailed code receives Aide's messages through the configured "
    + "SMTP server (GreenMail), and password reset links go to the account's email")
class EmailChannelTest {

  private static final String TOKEN = "7000000021:AAH-fake-token-for-email-tests_0123";
  private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");
  private static final TestClock CLOCK = TestClock.at(START);
  private static final Pattern CODE = Pattern.compile("Your Aide code is ([0-9]{6})\\.");
  private static final MailServers smtp = MailServers.start();

  static {
    smtp.user("aide@example.org", "aide-login", "aide-smtp-password");
  }

  @RegisterExtension
  static final ProactiveServer server = ProactiveServer.create(TOKEN, CLOCK).freshEachTest()
      .env("AIDE_SMTP_HOST", "127.0.0.1")
      .env("AIDE_SMTP_PORT", String.valueOf(smtp.smtpPort()))
      .env("AIDE_SMTP_SECURITY", "none")
      .env("AIDE_SMTP_USERNAME", "aide-login")
      .env("AIDE_SMTP_PASSWORD", "aide-smtp-password")
      .env("AIDE_SMTP_FROM", "aide@example.org");

  @AfterAll
  static void stop() {
    smtp.close();
  }

  @Test
  @DisplayName("a code is mailed to the account's email (kept from view, stored only as an HMAC); the right code "
      + "links the address, Aide's messages then arrive there as mail with a subject, a stable Message-ID and "
      + "Auto-Submitted")
  void linkAndReceive() throws Exception {
    CLOCK.jumpTo(START);
    String address = "ada-" + UUID.randomUUID() + "@example.com";
    Api ada = server.aide().signUp(address, "UTC");
    TestDatabase db = server.aide().db();

    Api.Response sent = ada.post("/api/v1/channels/email/verify", new JsonObject());
    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    assertThat(sent.json().getString("email")).isEqualTo(address);
    MimeMessage codeMail = mailsTo(address, 1).get(0);
    String code = code(codeMail);
    assertThat(sent.body()).doesNotContain(code);
    assertThat(codeMail.getHeader("Auto-Submitted")).containsExactly("auto-generated");
    assertThat(codeMail.getFrom()[0].toString()).isEqualTo("Aide <aide@example.org>");
    assertThat(codeMail.getSubject()).startsWith("Your Aide code is");
    assertThat(ada.get("/api/v1/deliveries").body()).doesNotContain(code);
    assertThat(db.strings("select encode(code_hash, 'hex') from link_codes where channel = 'email'")).hasSize(1)
        .allSatisfy(hash -> assertThat(hash).doesNotContain(code));

    String wrong = code.equals("000000") ? "111111" : "000000";
    Api.Response refused = ada.post("/api/v1/channels/email/confirm", new JsonObject().put("code", wrong));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("wrong_code");
    assertThat(ada.get("/api/v1/channels").json().getJsonArray("items")).isEmpty();

    Api.Response linked = ada.post("/api/v1/channels/email/confirm", new JsonObject()
        .put("email", address.toUpperCase()).put("code", code.substring(0, 3) + " " + code.substring(3)));
    assertThat(linked.status()).as(linked.body()).isEqualTo(200);
    assertThat(linked.json().getString("channel")).isEqualTo("email");
    assertThat(linked.json().getString("externalId")).isEqualTo(address);
    assertThat(linked.json().getBoolean("verified")).isTrue();
    assertThat(ada.get("/api/v1/channels").json().getString("messagesGoTo")).isEqualTo("email");
    assertThat(ada.post("/api/v1/channels/email/verify", new JsonObject()).errorCode()).isEqualTo("already_linked");

    server.scheduleAndWait(ada, "Water the tomatoes\nThe ones on the balcony, not the kitchen.", 1);
    MimeMessage reminder = mailsTo(address, 2).get(1);
    assertThat(reminder.getSubject()).isEqualTo("Water the tomatoes");
    assertThat(reminder.getContent().toString()).contains("The ones on the balcony, not the kitchen.")
        .contains("choose another channel");
    String outboxId = db.value("select id::text from outbox where channel = 'email' and body like '%tomatoes%'",
        String.class);
    assertThat(reminder.getMessageID()).isEqualTo("<" + outboxId + "@example.org>");
    // GreenMail has the mail a moment before Aide, back from the SMTP conversation, records it sent.
    await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(db.value("select status from outbox where id = "
        + "?::uuid", String.class, outboxId)));

    // Preferring the web stops the mail; preferring email is accepted and shown.
    assertThat(ada.patch("/api/v1/me", new JsonObject().put("preferredChannel", "email")).status()).isEqualTo(200);
    assertThat(ada.get("/api/v1/channels").json().getString("preferredChannel")).isEqualTo("email");
    assertThat(ada.patch("/api/v1/me", new JsonObject().put("preferredChannel", "web")).status()).isEqualTo(200);
    assertThat(ada.get("/api/v1/channels").json().getString("messagesGoTo")).isEqualTo("web");
  }

  @Test
  @DisplayName("a password reset link is mailed to the account's email even before the address was proved, and "
      + "it works; an unknown email gets nothing and the same answer")
  void passwordReset() throws Exception {
    CLOCK.jumpTo(START);
    String address = "grace-" + UUID.randomUUID() + "@example.com";
    server.aide().signUp(address, "UTC");
    try (Api anonymous = server.aide().client()) {
      Api.Response asked = anonymous.post("/api/v1/auth/password-reset",
          new JsonObject().put("email", " " + address.toUpperCase() + " "));
      Api.Response unknown = anonymous.post("/api/v1/auth/password-reset",
          new JsonObject().put("email", "nobody-" + UUID.randomUUID() + "@example.com"));
      assertThat(asked.status()).isEqualTo(202);
      assertThat(unknown.status()).isEqualTo(202);
      assertThat(unknown.body()).isEqualTo(asked.body());

      MimeMessage mail = mailsTo(address, 1).get(0);
      Matcher link = Pattern.compile("#reset=([A-Za-z0-9_-]+)").matcher(mail.getContent().toString());
      assertThat(link.find()).isTrue();
      Api.Response reset = anonymous.post("/api/v1/auth/password-reset/confirm",
          new JsonObject().put("token", link.group(1)).put("newPassword", "a new long password"));
      assertThat(reset.status()).as(reset.body()).isEqualTo(204);
      assertThat(anonymous.post("/api/v1/auth/login", new JsonObject().put("email", address)
          .put("password", "a new long password")).status()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("another person asking a code for an address gets it mailed to the address's holder, not to them; a "
      + "second code within a minute is refused; hostile input is refused with 4xx and changes nothing")
  void othersAndHostileInput() {
    CLOCK.jumpTo(START);
    String adaAddress = "ada-" + UUID.randomUUID() + "@example.com";
    Api ada = server.aide().signUp(adaAddress, "UTC");
    Api bob = server.aide().signUp("bob-" + UUID.randomUUID() + "@example.com", "UTC");

    Api.Response asked = bob.post("/api/v1/channels/email/verify", new JsonObject().put("email", adaAddress));
    assertThat(asked.status()).as(asked.body()).isEqualTo(202);
    assertThat(mailsTo(adaAddress, 1)).hasSize(1);
    Api.Response again = bob.post("/api/v1/channels/email/verify", new JsonObject().put("email", adaAddress));
    assertThat(again.status()).isEqualTo(429);
    Api.Response guessed = bob.post("/api/v1/channels/email/confirm", new JsonObject().put("email", adaAddress)
        .put("code", "123456"));
    assertThat(guessed.status()).isEqualTo(422);
    assertThat(ada.post("/api/v1/channels/email/confirm", new JsonObject().put("code", "123456")).errorCode())
        .as("bob's code is not ada's").isEqualTo("code_not_requested");

    List<String> emails = List.of("\"a@b\"", "\"\\u0000" + adaAddress + "\"", "\"ada@exam\\u0000ple.com\"", "\"\"",
        "\" \"", "\"" + "a".repeat(1_000_000) + "@example.com\"", "\"9999-12-31T23:59:59Z\"",
        "\"Ada <ada@example.com>\"", "\"ada@example.com, eve@example.com\"", "\"friends: ada@example.com;\"",
        "\"ada@example.com\\r\\nBcc: eve@example.com\"", "\"ada@@example.com\"", "1", "[]", "{}", "true",
        "\"\\ud800@example.com\"", "\"ada@example.com.\"");
    try (RowChecksum rows = new RowChecksum(server.aide().db())) {
      String before = rows.now();
      List<String> bodies = new ArrayList<>();
      emails.forEach(e -> bodies.add("{\"email\":" + e + "}"));
      emails.forEach(e -> bodies.add("{\"email\":" + e + ",\"code\":\"123456\"}"));
      bodies.addAll(List.of("", "[]", "null", "{\"email\":\"x@example.com\",\"extra\":1}",
          "{\"code\":\"" + "1".repeat(100_000) + "\"}", "{\"code\":\"12345\"}", "{\"code\":null}"));
      for (String body : bodies) {
        for (String path : List.of("/api/v1/channels/email/verify", "/api/v1/channels/email/confirm")) {
          Api.Response answer = ada.send(HttpMethod.POST, path, Buffer.buffer(body), "application/json");
          if (path.endsWith("verify") && body.contains("\"code\"")) {
            continue;
          }
          assertThat(answer.status()).as(path + " " + abbreviate(body) + " -> " + answer.body()).isBetween(400, 499);
        }
      }
      assertThat(RowChecksum.changed(before, rows.now())).isEmpty();
    }
  }

  @Test
  @DisplayName("the digest asked for by email goes to the linked address even when the person prefers the web for "
      + "everything else, which stays off the mail")
  void digestByEmail() throws Exception {
    CLOCK.jumpTo(START);
    String address = "dora-" + UUID.randomUUID() + "@example.com";
    Api dora = server.aide().signUp(address, "UTC");
    String code;
    assertThat(dora.post("/api/v1/channels/email/verify", new JsonObject()).status()).isEqualTo(202);
    code = code(mailsTo(address, 1).get(0));
    assertThat(dora.post("/api/v1/channels/email/confirm", new JsonObject().put("code", code)).status())
        .isEqualTo(200);
    Api.Response patched = dora.patch("/api/v1/me", new JsonObject().put("preferredChannel", "web")
        .put("digest", new JsonObject().put("enabled", true).put("hour", 11).put("byEmail", true)));
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().getJsonObject("digest").getBoolean("byEmail")).isTrue();

    server.scheduleAndWait(dora, "Stretch your legs", 1);
    CLOCK.jumpTo(Instant.parse("2026-12-04T10:59:58.500Z"));
    MimeMessage digest = mailsTo(address, 2).get(1);
    assertThat(digest.getSubject()).startsWith("Your day");
    assertThat(received(address)).hasSize(2).noneMatch(mail -> {
      try {
        return mail.getContent().toString().contains("Stretch your legs");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(server.aide().db().strings("select channel from outbox where user_id = (select id from users where "
        + "email = ?) and idempotency_key like 'digest:%'", address)).containsExactly("email");
  }

  @Test
  @DisplayName("a reset link goes to the account's email and to a different linked address the person's messages go "
      + "to, one mail each; when the linked address is the account's (typed in another case) it gets one mail")
  void passwordResetToLinkedAddress() throws Exception {
    CLOCK.jumpTo(START);
    String account = "hal-" + UUID.randomUUID() + "@example.com";
    String linked = "hal.home-" + UUID.randomUUID() + "@example.net";
    Api hal = server.aide().signUp(account, "UTC");
    assertThat(hal.post("/api/v1/channels/email/verify", new JsonObject().put("email", linked)).status())
        .isEqualTo(202);
    assertThat(hal.post("/api/v1/channels/email/confirm", new JsonObject().put("email", linked)
        .put("code", code(mailsTo(linked, 1).get(0)))).status()).isEqualTo(200);
    assertThat(hal.get("/api/v1/channels").json().getString("messagesGoTo")).isEqualTo("email");

    String same = "ivy-" + UUID.randomUUID() + "@example.com";
    Api ivy = server.aide().signUp(same, "UTC");
    assertThat(ivy.post("/api/v1/channels/email/verify", new JsonObject()).status()).isEqualTo(202);
    assertThat(ivy.post("/api/v1/channels/email/confirm", new JsonObject().put("code", code(mailsTo(same, 1).get(0))))
        .status()).isEqualTo(200);

    try (Api anonymous = server.aide().client()) {
      assertThat(anonymous.post("/api/v1/auth/password-reset", new JsonObject().put("email", account)).status())
          .isEqualTo(202);
      assertThat(anonymous.post("/api/v1/auth/password-reset", new JsonObject().put("email", same.toUpperCase()))
          .status()).isEqualTo(202);
    }
    List<MimeMessage> toLinked = mailsTo(linked, 2);
    assertThat(toLinked.get(1).getContent().toString()).contains("#reset=");
    assertThat(mailsTo(account, 1).get(0).getContent().toString()).contains("#reset=");
    assertThat(mailsTo(same, 2).get(1).getContent().toString()).contains("#reset=");
    assertThat(server.aide().db().number("select count(*) from outbox where idempotency_key like 'password-reset:%' "
        + "and user_id = (select id from users where email = ?)", same)).isEqualTo(1);
    assertThat(server.aide().db().strings("select recipient from outbox where idempotency_key like "
        + "'password-reset:%' and user_id = (select id from users where email = ?)", account))
        .containsExactlyInAnyOrder(account, linked);
  }

  @Test
  @DisplayName("the per-address limit counts an address however it is typed: another case or spaces around it is the "
      + "same address, refused within the minute, and no second code is mailed")
  void limitIgnoresCaseAndSpaces() {
    CLOCK.jumpTo(START);
    String target = "kim-" + UUID.randomUUID() + "@example.com";
    Api one = server.aide().signUp("lee-" + UUID.randomUUID() + "@example.com", "UTC");
    Api two = server.aide().signUp("max-" + UUID.randomUUID() + "@example.com", "UTC");
    assertThat(one.post("/api/v1/channels/email/verify", new JsonObject().put("email", target)).status())
        .isEqualTo(202);
    assertThat(mailsTo(target, 1)).hasSize(1);
    for (String variant : List.of(target.toUpperCase(), "  " + target + "\t", " " + target.substring(0, 1).toUpperCase()
        + target.substring(1) + " ")) {
      Api.Response again = two.post("/api/v1/channels/email/verify", new JsonObject().put("email", variant));
      assertThat(again.status()).as(variant + " -> " + again.body()).isEqualTo(429);
    }
    assertThat(server.aide().db().number("select count(*) from outbox where channel = 'email' and lower(recipient) = ?",
        target)).isEqualTo(1);
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }


  /** The mails GreenMail received for the address, once there are at least {@code count}. */
  private static List<MimeMessage> mailsTo(String address, int count) {
    await().atMost(Duration.ofSeconds(15)).until(() -> received(address).size() >= count);
    return received(address);
  }

  private static List<MimeMessage> received(String address) {
    return Arrays.stream(smtp.greenMail().getReceivedMessages()).filter(m -> {
      try {
        return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
            .anyMatch(a -> a.toString().equalsIgnoreCase(address));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  private static String code(MimeMessage mail) throws Exception {
    Matcher matcher = CODE.matcher(mail.getContent().toString());
    assertThat(matcher.find()).as("a code in the mail").isTrue();
    return matcher.group(1);
  }
}
