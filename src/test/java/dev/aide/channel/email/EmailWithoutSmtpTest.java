package dev.aide.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.Api;
import dev.aide.support.ProactiveServer;
import dev.aide.support.TestClock;
import dev.aide.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("An email address linked while Aide had an SMTP server, after AIDE_SMTP_HOST was removed: nothing is "
    + "queued for a channel that cannot send; the person's messages go where they still can")
class EmailWithoutSmtpTest {

  private static final String TOKEN = "7000000023:AAH-fake-token-for-email-tests_0123";
  private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");
  private static final TestClock CLOCK = TestClock.at(START);

  @RegisterExtension
  static final ProactiveServer server = ProactiveServer.create(TOKEN, CLOCK).freshEachTest();

  @Test
  @DisplayName("a reminder and a password reset for a person whose only link is an email address go to the in-app "
      + "list only (the reset to nobody); with a Telegram chat too, the reminder goes to the chat")
  void noSenderNoQueue() {
    CLOCK.jumpTo(START);
    String address = "una-" + UUID.randomUUID() + "@example.com";
    Api una = server.aide().signUp(address, "UTC");
    TestDatabase db = server.aide().db();
    UUID user = UUID.fromString(db.value("select id::text from users where email = ?", String.class, address));
    db.update("insert into channel_identities (user_id, channel, external_id, verified, linked_at) "
        + "values (?, 'email', ?, true, now())", user, address);
    assertThat(una.patch("/api/v1/me", new JsonObject().put("preferredChannel", "email")).status()).isEqualTo(200);
    assertThat(una.get("/api/v1/channels").json().getString("messagesGoTo")).isEqualTo("web");

    server.scheduleAndWait(una, "Call the plumber", 1);
    try (Api anonymous = server.aide().client()) {
      assertThat(anonymous.post("/api/v1/auth/password-reset", new JsonObject().put("email", address)).status())
          .isEqualTo(202);
    }
    assertThat(db.number("select count(*) from outbox where user_id = ?", user)).isZero();

    long chat = 7_100_000L + (System.nanoTime() % 100_000);
    server.link(una, chat);
    server.scheduleAndWait(una, "Buy bread", 2);
    assertThat(db.strings("select channel from outbox where user_id = ? and body like '%Buy bread%'", user))
        .containsExactly("telegram");
    assertThat(db.number("select count(*) from outbox where user_id = ? and channel = 'email'", user)).isZero();
  }
}
