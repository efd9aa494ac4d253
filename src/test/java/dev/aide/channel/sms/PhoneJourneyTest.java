package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTwilio;
import dev.aide.support.TestClock;
import dev.aide.support.TwilioWebhooks;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12's "done when", end to end through the real server, the SMS channel and the fake Twilio: a person with only
 * a phone texts Aide, sets a reminder and gets it by SMS, opts out and back in, then links the number to a web account
 * (the code arrives by SMS through the same sender) and finds everything there; later texts and reminders belong to
 * the account, and WhatsApp as the preferred channel reaches Twilio as whatsapp:+number.
 */
@DisplayName("A phone-only person: text, reminder by SMS, STOP and START, then the number linked to a web account")
class PhoneJourneyTest {

  private static final String PHONE = "+447400123456";
  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-12-01T09:00:00Z"));
  private static final FakeTwilio twilio = new FakeTwilio();
  private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).twilio(twilio)
      .env("AIDE_SCHEDULER_POLL_MILLIS", "100");

  @Test
  void journey() {
    TwilioWebhooks webhooks = new TwilioWebhooks(aide.client());
    text(webhooks, "remind me to call the dentist in 10 minutes");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(PHONE).size() == 2);
    assertThat(String.join("\n", twilio.sentTo(PHONE).stream().map(FakeTwilio.Sent::body).toList()))
        .as("the first exchange says which timezone was assumed").contains("Europe/London")
        .contains("call the dentist");
    CLOCK.jumpTo(Instant.parse("2026-12-01T09:11:00Z"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(PHONE).size() == 3);
    assertThat(twilio.sentTo(PHONE).get(2).body()).contains("call the dentist");

    text(webhooks, "STOP");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(PHONE).size() == 4);
    text(webhooks, "START");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(PHONE).size() == 5);
    text(webhooks, "note that the spare key is under the blue flowerpot");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(PHONE).size() == 6);

    // The same person signs up on the web and links the number: the code comes by SMS through the Twilio sender.
    Api web = aide.signUp("ada@example.com", "Europe/London");
    Api.Response verify = web.post("/api/v1/channels/sms/verify", new JsonObject().put("phone", PHONE));
    assertThat(verify.status()).as(verify.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(PHONE).size() == 7);
    Matcher code = CODE.matcher(twilio.sentTo(PHONE).get(6).body());
    assertThat(code.find()).as(twilio.sentTo(PHONE).get(6).body()).isTrue();
    Api.Response linked = web.post("/api/v1/channels/sms/confirm", new JsonObject().put("phone", PHONE)
        .put("code", code.group(1)));
    assertThat(linked.status()).as(linked.body()).isEqualTo(200);
    assertThat(linked.json().getBoolean("merged")).isTrue();
    assertThat(aide.db().number("select count(*) from users")).as("the phone-only user is gone").isEqualTo(1);
    assertThat(aide.db().strings("select body from outbox where body like '%' || ? || '%'", code.group(1)))
        .as("the code is not kept readable once sent").isEmpty();

    assertThat(web.get("/api/v1/reminders").json().getJsonArray("items").getJsonObject(0).getString("text"))
        .contains("call the dentist");
    assertThat(web.get("/api/v1/notes").body()).contains("spare key is under the blue flowerpot");
    assertThat(web.get("/api/v1/conversations").json().getJsonArray("items")).isNotEmpty();

    // What the number says now is the account's; with WhatsApp preferred, a reminder goes to whatsapp:+number.
    text(webhooks, "remind me to water the plants in 10 minutes");
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(PHONE).size() == 8);
    assertThat(web.get("/api/v1/reminders").body()).contains("water the plants");
    assertThat(webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.whatsapp(PHONE, "hello")).status()).isEqualTo(200);
    aide.settle();
    assertThat(aide.db().number("select count(*) from users")).isEqualTo(1);
    assertThat(web.patch("/api/v1/me", new JsonObject().put("preferredChannel", "whatsapp")).status())
        .isEqualTo(200);
    int whatsappBefore = twilio.sentTo("whatsapp:" + PHONE).size();
    CLOCK.jumpTo(Instant.parse("2026-12-01T09:30:00Z"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo("whatsapp:" + PHONE).stream()
        .skip(whatsappBefore).anyMatch(s -> s.body().contains("water the plants")));
    assertThat(twilio.sent()).noneMatch(s -> s.to().startsWith("whatsapp:whatsapp:"));
  }

  private static void text(TwilioWebhooks webhooks, String body) {
    assertThat(webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(PHONE, body)).status()).isEqualTo(200);
    aide.settle();
  }
}
