package dev.aide.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.Api;
import dev.aide.support.FakeSmtp;
import dev.aide.support.ProactiveServer;
import dev.aide.support.TestClock;
import dev.aide.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("What the SMTP server answers decides a mail's fate: a 5xx refusal is a dead letter at once, a 4xx "
    + "deferral is tried again until it goes")
class EmailRefusalTest {

  private static final String TOKEN = "7000000022:AAH-fake-token-for-email-tests_0123";
  private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");
  private static final TestClock CLOCK = TestClock.at(START);
  private static final FakeSmtp smtp = new FakeSmtp();

  @RegisterExtension
  static final ProactiveServer server = ProactiveServer.create(TOKEN, CLOCK)
      .env("AIDE_SMTP_HOST", "127.0.0.1")
      .env("AIDE_SMTP_PORT", String.valueOf(smtp.port()))
      .env("AIDE_SMTP_SECURITY", "none")
      .env("AIDE_SMTP_FROM", "aide@example.org");

  static {
    server.aide().closing(smtp);
  }

  @Test
  @DisplayName("550 to the recipient: dead after one attempt, with the server's words; 451: pending with the reason, "
      + "then sent once the server takes it, exactly once")
  void refusedAndDeferred() {
    Api ada = server.aide().signUp("ada.refused@example.com", "UTC");
    TestDatabase db = server.aide().db();
    int before = smtp.accepted().size();
    assertThat(ada.post("/api/v1/channels/email/verify", new JsonObject()).status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> smtp.accepted().size() > before);
    Matcher code = Pattern.compile("Your Aide code is ([0-9]{6})\\.").matcher(smtp.accepted().get(before));
    assertThat(code.find()).isTrue();
    assertThat(ada.post("/api/v1/channels/email/confirm", new JsonObject().put("code", code.group(1))).status())
        .isEqualTo(200);

    smtp.reply("ada.refused@example.com", "550 5.1.1 <ada.refused@example.com>: mailbox unavailable");
    server.scheduleAndWait(ada, "first: stretch", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> "dead".equals(status("first: stretch")));
    assertThat(db.value("select attempts || ' ' || last_error from outbox where body like '%first: stretch%'",
        String.class)).startsWith("1 the SMTP server refused it").contains("550").contains("mailbox unavailable");

    smtp.reply("ada.refused@example.com", "451 4.3.0 greylisted, try again later");
    server.scheduleAndWait(ada, "second: drink water", 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> db.number("select count(*) from outbox where body like "
        + "'%second: drink water%' and status = 'pending' and attempts >= 1 and last_error like '%deferred%451%'")
        == 1);
    int accepted = smtp.accepted().size();
    smtp.reply("ada.refused@example.com", null);
    await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(status("second: drink water")));
    assertThat(smtp.accepted().subList(accepted, smtp.accepted().size()))
        .filteredOn(mail -> mail.contains("drink water")).hasSize(1);
    assertThat(smtp.accepted()).noneMatch(mail -> mail.contains("first: stretch"));
  }

  private static String status(String body) {
    return server.aide().db().value("select status from outbox where channel = 'email' and body like ?",
        String.class, "%" + body + "%");
  }

}
