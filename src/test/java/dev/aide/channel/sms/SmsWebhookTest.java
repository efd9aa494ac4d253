package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTwilio;
import dev.aide.support.TwilioWebhooks;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The SMS webhook: signed, stored before it is answered, answered once through the outbox")
class SmsWebhookTest {

  private static final String ADA = "+447700900123";
  private static final String BEN = "+12125550147";

  private static final FakeTwilio twilio = new FakeTwilio();

  @RegisterExtension
  static final AideServer aide = AideServer.create().twilio(twilio).freshEachTest();

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
  @DisplayName("a text from a new number is stored, answered at once with empty TwiML, and replied to by SMS from "
      + "Aide's number; the number becomes a phone-only user in Europe/London, told so in the first exchange")
  void newNumber() {
    Map<String, String> sms = TwilioWebhooks.sms(ADA, "remind me to call mom tomorrow at 5pm");

    Api.Response r = webhooks.post(TwilioWebhooks.SMS, sms);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("text/xml");
    assertThat(r.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
    assertThat(aide.db().number("select count(*) from inbox where channel = 'sms' and external_id = ?",
        sms.get("MessageSid"))).isEqualTo(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 2);
    List<FakeTwilio.Sent> sent = twilio.sentTo(ADA);
    assertThat(sent.get(0).body()).containsIgnoringCase("remind").contains("call mom");
    assertThat(sent.get(0).from()).isEqualTo(FakeTwilio.NUMBER);
    assertThat(sent.get(0).statusCallback()).isEqualTo(TwilioWebhooks.PUBLIC_URL + TwilioWebhooks.STATUS);
    assertThat(sent.get(1).body()).contains("Europe/London").contains("/timezone");
    assertThat(aide.db().strings("select timezone || ' ' || phone from users")).containsExactly("Europe/London " + ADA);
    assertThat(aide.db().strings("select channel || ' ' || external_id from channel_identities"))
        .containsExactly("sms " + ADA);
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> aide.db().number("select count(*) from outbox where status = 'sent' and provider_id is not null"
        + " and segments >= 1 and channel_status = 'queued'") == 2);

    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(ADA, "what's on tomorrow?"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 3);
    assertThat(twilio.sentTo(ADA).get(2).body()).doesNotContain("timezone");
    assertThat(aide.db().number("select count(*) from users")).isEqualTo(1);
  }

  @Test
  @DisplayName("requests said the way people speak are understood as from the voice API: an event said with the time "
      + "in words, an alarm as a reminder")
  void spokenRequests() {
    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(BEN, "put meeting with pawel for tomorrow ten am"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(BEN).size() >= 1);
    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(BEN, "wake me up at six"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(BEN).stream().anyMatch(s -> s.body().contains("Wake up")));

    assertThat(twilio.sentTo(BEN).stream().filter(s -> s.body().contains("Wake up")).findFirst().orElseThrow().body())
        .contains("no alarm clock");
    // this server runs on the real clock: tomorrow at 10:00, and the next 06:00, in the number's timezone
    assertThat(aide.db().strings("select ((start_at at time zone u.timezone)::date - (now() at time zone u.timezone)::date)"
        + " || ' ' || to_char(start_at at time zone u.timezone, 'HH24:MI') from events e join users u on u.id = e.user_id"
        + " where e.title ilike '%pawel%'")).containsExactly("1 10:00");
    assertThat(aide.db().strings("select to_char(due_at at time zone u.timezone, 'HH24:MI') || ' ' "
        + "|| (due_at > now() and due_at <= now() + interval '1 day') from reminders r join users u on u.id = r.user_id"))
        .containsExactly("06:00 true");
  }

  @Test
  @DisplayName("a number another account holds as its phone is not that account's on SMS: texts from it make a user "
      + "of their own and reach nothing of the other account's")
  void anotherPersonsNumber() {
    Api eve = aide.signUp("eve@example.com", "UTC");
    aide.db().update("update users set phone = ? where lower(email) = 'eve@example.com'", ADA);

    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(ADA, "I spent 40 dollars on books"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 2);

    assertThat(eve.get("/api/v1/expenses").json().getJsonArray("items")).isEmpty();
    assertThat(eve.get("/api/v1/conversations").json().getJsonArray("items")).isEmpty();
    assertThat(aide.db().strings("select coalesce(email, '-') || ' ' || coalesce(phone, '-') from users order by email"))
        .containsExactly("eve@example.com " + ADA, "- -");
    assertThat(aide.db().number("select count(*) from expenses e join users u on u.id = e.user_id "
        + "where u.email is null")).isEqualTo(1);
  }

  @Test
  @DisplayName("a redelivered MessageSid is acknowledged again but stored and answered once")
  void redelivery() {
    Map<String, String> sms = TwilioWebhooks.sms(BEN, "I spent 12 dollars on lunch");
    assertThat(webhooks.post(TwilioWebhooks.SMS, sms).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(BEN).size() == 2);

    Api.Response again = webhooks.post(TwilioWebhooks.SMS, sms);

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).contains("<Response/>");
    assertThat(aide.db().number("select count(*) from inbox")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from expenses")).isEqualTo(1);
    // The delivery verticle would have sent a second answer by now, had there been one to send.
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
        .until(() -> twilio.sentTo(BEN).size() == 2);
  }

  @Test
  @DisplayName("no signature, a wrong one, a token not the account's, a replay with one parameter changed, another "
      + "URL, or another account: 403, and nothing is stored")
  void forged() {
    Map<String, String> sms = TwilioWebhooks.sms(ADA, "hello");
    String good = TwilioWebhooks.signature(FakeTwilio.AUTH_TOKEN, TwilioWebhooks.PUBLIC_URL + TwilioWebhooks.SMS, sms);
    Map<String, String> changed = new LinkedHashMap<>(sms);
    changed.put("From", BEN);
    Map<String, String> otherAccount = new LinkedHashMap<>(sms);
    otherAccount.put("AccountSid", "AC" + "f".repeat(32));

    assertThat(webhooks.post(TwilioWebhooks.SMS, sms, null).status()).isEqualTo(403);
    assertThat(webhooks.post(TwilioWebhooks.SMS, sms, "bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==").status()).isEqualTo(403);
    assertThat(webhooks.post(TwilioWebhooks.SMS, sms, TwilioWebhooks.signature("another-token",
        TwilioWebhooks.PUBLIC_URL + TwilioWebhooks.SMS, sms)).status()).isEqualTo(403);
    assertThat(webhooks.post(TwilioWebhooks.SMS, changed, good).status()).isEqualTo(403);
    assertThat(webhooks.post(TwilioWebhooks.SMS, sms, TwilioWebhooks.signature(FakeTwilio.AUTH_TOKEN,
        "http://localhost:8080" + TwilioWebhooks.SMS, sms)).status()).isEqualTo(403);
    Api.Response foreign = webhooks.post(TwilioWebhooks.SMS, otherAccount);
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.errorCode()).isEqualTo("unknown_account");
    assertThat(foreign.json().getJsonObject("error").getString("message")).contains("not this Aide's Twilio account");
    // The status callback is signed the same way.
    Map<String, String> status = TwilioWebhooks.status(TwilioWebhooks.sid("SM"), ADA, "delivered", null);
    assertThat(webhooks.post(TwilioWebhooks.STATUS, status, good).status()).isEqualTo(403);

    assertThat(aide.db().number("select count(*) from inbox")).isZero();
    assertThat(aide.db().number("select count(*) from users")).isZero();
    assertThat(twilio.sent()).isEmpty();
  }

  @Test
  @DisplayName("malformed forms, missing From or MessageSid, a From that is no E.164 number, a body over Twilio's "
      + "1,600 characters, a wrong content type: a clear 4xx and nothing stored; NUL bytes are stored as U+FFFD")
  void badInput() {
    Map<String, String> noFrom = TwilioWebhooks.sms(ADA, "hi");
    noFrom.remove("From");
    Map<String, String> noSid = TwilioWebhooks.sms(ADA, "hi");
    noSid.remove("MessageSid");
    Map<String, String> badSid = TwilioWebhooks.sms(ADA, "hi");
    badSid.put("MessageSid", "SM123");
    Map<String, String> national = TwilioWebhooks.sms("07700900123", "hi");
    Map<String, String> shortCode = TwilioWebhooks.sms("+4412", "hi");
    Map<String, String> huge = TwilioWebhooks.sms(ADA, "x".repeat(1601));
    Map<String, String> media = TwilioWebhooks.sms(ADA, "hi");
    media.put("NumMedia", "-1");

    assertError(webhooks.post(TwilioWebhooks.SMS, noFrom), 400, "From is missing");
    assertError(webhooks.post(TwilioWebhooks.SMS, noSid), 400, "MessageSid is missing");
    assertError(webhooks.post(TwilioWebhooks.SMS, badSid), 400, "MessageSid is not");
    assertError(webhooks.post(TwilioWebhooks.SMS, national), 400, "E.164");
    assertError(webhooks.post(TwilioWebhooks.SMS, shortCode), 400, "E.164");
    assertError(webhooks.post(TwilioWebhooks.SMS, huge), 413, "1600");
    assertError(webhooks.post(TwilioWebhooks.SMS, media), 400, "NumMedia");
    String signature = TwilioWebhooks.signature(FakeTwilio.AUTH_TOKEN, TwilioWebhooks.PUBLIC_URL + TwilioWebhooks.SMS,
        Map.of());
    assertError(client.send(HttpMethod.POST, TwilioWebhooks.SMS, Buffer.buffer("Body=%zz&From=%2B4477"),
        "application/x-www-form-urlencoded", Map.of("X-Twilio-Signature", signature)), 400, "urlencoded");
    assertError(client.send(HttpMethod.POST, TwilioWebhooks.SMS, Buffer.buffer("From=1&From=2"),
        "application/x-www-form-urlencoded", Map.of("X-Twilio-Signature", signature)), 400, "more than once");
    assertError(client.send(HttpMethod.POST, TwilioWebhooks.SMS, Buffer.buffer("{\"From\":\"+447700900123\"}"),
        "application/json", Map.of("X-Twilio-Signature", signature)), 415, "x-www-form-urlencoded");
    assertThat(aide.db().number("select count(*) from inbox")).isZero();

    Map<String, String> nul = TwilioWebhooks.sms(ADA, "I spent 3 dollars\u0000 on gum\u0007");
    assertThat(webhooks.post(TwilioWebhooks.SMS, nul).status()).isEqualTo(200);
    assertThat(aide.db().strings("select payload->>'Body' from inbox"))
        .containsExactly("I spent 3 dollars\uFFFD on gum\uFFFD");
    await().atMost(Duration.ofSeconds(30)).until(() -> !twilio.sentTo(ADA).isEmpty());
  }

  @Test
  @DisplayName("status callbacks record Twilio's report on the outbox row; a late 'sent' does not undo "
      + "'delivered'; an unknown message SID is answered 204 and changes nothing; the API shows segments and status")
  void statusCallbacks() {
    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(ADA, "hello"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 2);
    String sid = twilio.sentTo(ADA).get(0).sid();
    await().atMost(Duration.ofSeconds(30)).until(() -> aide.db().number("select count(*) from outbox where provider_id = ?", sid) == 1);

    Api.Response delivered = webhooks.post(TwilioWebhooks.STATUS, TwilioWebhooks.status(sid, ADA, "delivered", null));
    Api.Response late = webhooks.post(TwilioWebhooks.STATUS, TwilioWebhooks.status(sid, ADA, "sent", null));
    String before = aide.db().strings("select id || channel_status || status from outbox order by id").toString();
    Api.Response unknown = webhooks.post(TwilioWebhooks.STATUS,
        TwilioWebhooks.status(TwilioWebhooks.sid("SM"), ADA, "failed", "30008"));

    assertThat(delivered.status()).isEqualTo(204);
    assertThat(late.status()).isEqualTo(204);
    assertThat(unknown.status()).isEqualTo(204);
    assertThat(aide.db().value("select channel_status from outbox where provider_id = ?", String.class, sid))
        .isEqualTo("delivered");
    assertThat(aide.db().strings("select id || channel_status || status from outbox order by id").toString())
        .isEqualTo(before);

    String second = twilio.sentTo(ADA).get(1).sid();
    webhooks.post(TwilioWebhooks.STATUS, TwilioWebhooks.status(second, ADA, "undelivered", "30003"));
    assertThat(aide.db().strings("select channel_status || ' ' || last_error from outbox where provider_id = ?",
        second)).containsExactly("undelivered Twilio error 30003 (undelivered)");
  }

  @Test
  @DisplayName("a reply of several notes is sent as plain text within 1,600 characters a message, and the outbox "
      + "records the segments it is billed as")
  void longReply() {
    String note = "note that the plumber said the boiler pressure must stay between one and one and a half bar";
    for (int i = 0; i < 6; i++) {
      webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(BEN, note + " (visit " + i + ")"));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> aide.db().number("select count(*) from notes") == 6);
    aide.settle();
    int before = twilio.sentTo(BEN).size();
    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(BEN, "show my notes"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(BEN).size() > before);
    aide.settle();
    List<FakeTwilio.Sent> parts = twilio.sentTo(BEN).subList(before, twilio.sentTo(BEN).size());
    assertThat(String.join(" ", parts.stream().map(FakeTwilio.Sent::body).toList())).contains("boiler pressure")
        .doesNotContain("**");
    assertThat(parts).allSatisfy(p -> assertThat(p.body().codePointCount(0, p.body().length()))
        .isLessThanOrEqualTo(1600));
    String last = parts.get(parts.size() - 1).body();
    assertThat(aide.db().number("select segments from outbox where provider_id = ?", parts.get(parts.size() - 1).sid()))
        .isEqualTo(SmsText.segments(last).count()).isGreaterThan(1);
  }

  private static void assertError(Api.Response response, int status, String says) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().getJsonObject("error").getString("message")).contains(says);
  }
}
