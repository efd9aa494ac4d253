package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTwilio;
import dev.aide.support.TestClock;
import dev.aide.support.TwilioWebhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Carrier keywords and opt-outs: STOP means nothing more is sent, START turns it back on, HELP is "
    + "answered, and none reaches the model")
class SmsKeywordsTest {

  private static final String ADA = "+447700900123";
  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-12-01T09:00:00Z"));
  private static final FakeTwilio twilio = new FakeTwilio();

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).twilio(twilio)
      .env("AIDE_SCHEDULER_POLL_MILLIS", "100").freshEachTest();

  private final Api client = aide.client();
  private final TwilioWebhooks webhooks = new TwilioWebhooks(client);

  @BeforeEach
  void clear() {
    twilio.clear();
  }

  @AfterEach
  void settle() {
    aide.settle();
  }

  @Test
  @DisplayName("STOP (any case, with punctuation) is confirmed once and opts the number out: a reminder that comes "
      + "due is not sent, a message waiting is given up, more texts are not answered; START confirms and the next "
      + "reminder arrives")
  void stopThenStart() {
    text("remind me to water the plants in 10 minutes");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 2);
    String reminderSid = aide.db().value("select id::text from reminders", String.class);
    // A message already waiting (held for quiet hours, say) when STOP comes.
    aide.db().update("insert into outbox (user_id, channel, recipient, body, idempotency_key, next_attempt_at) "
        + "select id, 'sms', ?, 'your weekly digest', 'test:held', now() + interval '1 hour' from users", ADA);

    text("  Stop. ");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 3);
    assertThat(twilio.sentTo(ADA).get(2).body()).contains("unsubscribed").contains("START");
    assertThat(aide.db().strings("select status || ' ' || last_error from outbox where idempotency_key = 'test:held'"))
        .containsExactly("dead not sent: the number unsubscribed (STOP)");
    assertThat(aide.db().number("select count(*) from channel_identities where active")).isZero();

    CLOCK.jumpTo(Instant.parse("2026-12-01T09:11:00Z"));
    await().atMost(Duration.ofSeconds(20)).until(() -> aide.db().number(
        "select count(*) from notifications where data->>'reminderId' = ?", reminderSid) == 1);
    text("STOP");
    text("what's on today?");
    aide.settle();
    assertThat(twilio.sentTo(ADA)).hasSize(3);
    assertThat(aide.db().number("select count(*) from outbox where recipient = ? and status = 'pending'", ADA))
        .isZero();

    text("start");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 4);
    assertThat(twilio.sentTo(ADA).get(3).body()).contains("subscribed to Aide again");
    text("remind me to feed the cat in 10 minutes");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 5);
    CLOCK.jumpTo(Instant.parse("2026-12-01T09:22:00Z"));
    await().atMost(Duration.ofSeconds(20)).until(() -> twilio.sentTo(ADA).size() == 6);
    assertThat(twilio.sentTo(ADA).get(5).body()).contains("feed the cat");
    // None of the keywords reached the conversation.
    assertThat(aide.db().strings("select content from messages where role = 'user' order by created_at"))
        .containsExactly("remind me to water the plants in 10 minutes", "remind me to feed the cat in 10 minutes");
  }

  @Test
  @DisplayName("HELP and INFO are answered with the help text, even after STOP; YES is an ordinary word to a "
      + "subscribed number and opts back in one that unsubscribed")
  void helpAndYes() {
    text("help");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 1);
    assertThat(twilio.sentTo(ADA).get(0).body()).contains("Reply STOP to unsubscribe");
    text("STOPALL");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 2);
    text("Info!");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 3);
    assertThat(twilio.sentTo(ADA).get(2).body()).isEqualTo(twilio.sentTo(ADA).get(0).body());
    text("yes");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 4);
    assertThat(twilio.sentTo(ADA).get(3).body()).contains("subscribed to Aide again");
    text("yes");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 5);
    assertThat(twilio.sentTo(ADA).get(4).body()).doesNotContain("subscribed");
    assertThat(aide.db().strings("select content from messages where role = 'user'")).containsExactly("yes");
  }

  @Test
  @DisplayName("Twilio's 21610 on a send opts the number out and gives the message up without a retry; Aide's "
      + "answer to STOP refused by 21610 (Twilio answered it) is no failure")
  void unsubscribedAtTwilio() {
    text("hello");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 2);
    twilio.unsubscribe(ADA);

    text("what's on today?");
    await().atMost(Duration.ofSeconds(30)).until(() -> aide.db().number("select count(*) from outbox where status = 'dead'") == 1);
    assertThat(aide.db().strings("select last_error from outbox where status = 'dead'").get(0)).contains("21610");
    assertThat(aide.db().number("select attempts from outbox where status = 'dead'")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from sms_opt_outs where number = ?", ADA)).isEqualTo(1);

    aide.db().update("delete from sms_opt_outs");
    text("STOP");
    await().atMost(Duration.ofSeconds(30)).until(() -> aide.db().number("select count(*) from outbox where channel_status = 'answered by Twilio'")
        == 1);
    assertThat(aide.db().number("select count(*) from outbox where status = 'dead'")).isEqualTo(1);
    assertThat(twilio.sentTo(ADA)).hasSize(2);
  }

  @Test
  @DisplayName("Twilio's 429 and 500 are retried with backoff (2 s, then 4 s) and the message then arrives, once, in "
      + "order before the next")
  void retried() {
    twilio.failNext(429, 20429, "Too Many Requests");
    twilio.failNext(500, 20500, "Internal Server Error");

    text("hello");

    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 2);
    assertThat(twilio.rejected()).isEqualTo(2);
    assertThat(twilio.sentTo(ADA).get(1).body()).contains("timezone");
    assertThat(aide.db().strings("select status || ' ' || attempts from outbox order by seq"))
        .containsExactly("sent 3", "sent 1");
  }

  private void text(String body) {
    assertThat(webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(ADA, body)).status()).isEqualTo(200);
    aide.settle();
  }
}
