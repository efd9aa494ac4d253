package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTwilio;
import dev.aide.support.TwilioWebhooks;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Phone calls through Twilio: greeted by name, each thing said a turn on the voice channel, spoken back")
class PhoneCallTest {

  private static final String ADA = "+14155550100";
  private static final String STRANGER = "+447700900123";
  private static final String EVE = "+12125550147";
  private static final Pattern CODE = Pattern.compile("Your Aide code is ([0-9]{6})\\.");
  private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-");

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

  /** Ada's account, her number linked with a texted code as the API does it. */
  private Api adaWithPhone() {
    Api ada = aide.signUp("ada@example.com", "Europe/London");
    aide.db().update("update users set name = 'Ada Lovelace' where email = 'ada@example.com'");
    Api.Response sent = ada.post("/api/v1/channels/sms/verify", new JsonObject().put("phone", ADA));
    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).stream()
        .anyMatch(s -> CODE.matcher(s.body()).find()));
    Matcher code = CODE.matcher(twilio.sentTo(ADA).getLast().body());
    assertThat(code.find()).isTrue();
    Api.Response linked = ada.post("/api/v1/channels/sms/confirm", new JsonObject().put("phone", ADA)
        .put("code", code.group(1)));
    assertThat(linked.status()).as(linked.body()).isEqualTo(200);
    return ada;
  }

  private static void assertSpeakable(String said) {
    assertThat(said).isNotBlank().doesNotContain("*", "`", "#", "[", "](", "http", "_");
    assertThat(UUID_TEXT.matcher(said).find()).as(said).isFalse();
  }

  @Test
  @DisplayName("a caller is greeted by name, asks what's on tomorrow and hears the agenda, asks for a reminder that is "
      + "made, and hangs up with a goodbye; each turn is on the voice channel")
  void wholeCall() {
    Api ada = adaWithPhone();
    String tomorrow = LocalDate.now(ZoneId.of("Europe/London")).plusDays(1).toString();
    Api.Response event = ada.post("/api/v1/events", new JsonObject().put("title", "Dentist with **Dr Who**")
        .put("start", tomorrow + "T10:00:00Z").put("end", tomorrow + "T10:45:00Z"));
    assertThat(event.status()).as(event.body()).isEqualTo(201);
    PhoneCaller call = new PhoneCaller(client, ADA);

    PhoneCaller.Heard greeting = call.dial();

    assertThat(greeting.verbs()).containsExactly("Gather");
    assertThat(greeting.said()).startsWith("Hi Ada, it's Aide.").contains("What can I do for you?")
        .doesNotContain("time zone");
    assertThat(greeting.action()).isEqualTo(TwilioWebhooks.PUBLIC_URL + "/webhooks/twilio/voice/gather?n=1");

    PhoneCaller.Heard agenda = call.say(greeting.action(), "What's on tomorrow?");

    assertThat(agenda.verbs()).containsExactly("Gather");
    assertThat(agenda.said()).contains("Dentist with Dr Who");
    assertSpeakable(agenda.said());
    assertThat(agenda.action()).endsWith("/gather?n=2");

    PhoneCaller.Heard reminder = call.say(agenda.action(), "Remind me to call mum at 6pm");

    assertThat(reminder.said()).containsIgnoringCase("call mum");
    assertSpeakable(reminder.said());
    JsonObject made = ada.get("/api/v1/reminders").json().getJsonArray("items").getJsonObject(0);
    assertThat(made.getString("text")).containsIgnoringCase("call mum");
    assertThat(made.getString("dueAt")).contains("T18:00:00");

    PhoneCaller.Heard bye = call.say(reminder.action(), "Thank you, bye!");

    assertThat(bye.verbs()).containsExactly("Say", "Hangup");
    assertThat(bye.said()).isEqualTo("Goodbye, talk soon.");
    assertThat(aide.db().strings("select source || ' ' || content from messages where role = 'user' order by created_at"))
        .containsExactly("voice What's on tomorrow?", "voice Remind me to call mum at 6pm");
    assertThat(aide.db().strings("select distinct c.channel from conversations c join messages m "
        + "on m.conversation_id = c.id")).containsExactly("voice");
    assertThat(aide.db().number("select count(*) from users")).isEqualTo(1);
    assertThat(aide.db().strings("select seq || ' ' || state from call_turns order by seq"))
        .containsExactly("1 answered", "2 answered");
  }

  @Test
  @DisplayName("a number Aide has not seen becomes a phone-only user, as by SMS, told its timezone; a number that "
      + "texted STOP is answered (a call is asked for) but stays unsubscribed from texts")
  void newAndOptedOutCallers() {
    PhoneCaller.Heard stranger = new PhoneCaller(client, STRANGER).dial();

    assertThat(stranger.said()).startsWith("Hi, it's Aide.").contains("London time").contains("What can I do for you?");
    assertThat(aide.db().strings("select timezone || ' ' || phone from users"))
        .containsExactly("Europe/London " + STRANGER);
    assertThat(aide.db().strings("select channel || ' ' || external_id || ' ' || active from channel_identities"))
        .containsExactly("sms " + STRANGER + " true");

    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(EVE, "STOP"));
    await().atMost(Duration.ofSeconds(30)).until(() -> aide.db().number("select count(*) from sms_opt_outs") == 1);
    PhoneCaller eve = new PhoneCaller(client, EVE);
    PhoneCaller.Heard optedOut = eve.dial();
    PhoneCaller.Heard answered = eve.say(optedOut.action(), "remind me to water the plants tomorrow at 9");

    assertThat(optedOut.said()).contains("What can I do for you?");
    assertThat(answered.said()).containsIgnoringCase("water the plants");
    assertThat(aide.db().number("select count(*) from sms_opt_outs where number = ?", EVE)).isEqualTo(1);
    assertThat(aide.db().strings("select active::text from channel_identities where external_id = ?", EVE))
        .containsExactly("false");
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(1);
  }

  @Test
  @DisplayName("silence is answered \"Sorry, I didn't catch that\" and listened for again, with no turn; after three "
      + "silences in a row Aide says goodbye and hangs up; 'that's all' and 'goodbye' hang up, a request that mentions "
      + "goodbye is a turn")
  void silenceAndGoodbyes() {
    PhoneCaller call = new PhoneCaller(client, ADA);
    String first = call.dial().action();

    PhoneCaller.Heard once = call.say(first, null);
    PhoneCaller.Heard twice = call.say(once.action(), "   ");
    PhoneCaller.Heard thrice = call.say(twice.action(), "");

    assertThat(once.said()).isEqualTo("Sorry, I didn't catch that.");
    assertThat(once.action()).endsWith("/gather?n=1&quiet=1");
    assertThat(twice.action()).endsWith("/gather?n=1&quiet=2");
    assertThat(thrice.verbs()).containsExactly("Say", "Hangup");
    assertThat(thrice.said()).contains("Goodbye");
    assertThat(aide.db().number("select count(*) from messages")).isZero();
    assertThat(aide.db().number("select count(*) from call_turns")).isZero();

    for (String leaving : List.of("That's all, thanks.", "Goodbye", "ok bye bye", "No, that's it. Thank you very much")) {
      assertThat(call.say(first, leaving).verbs()).as(leaving).containsExactly("Say", "Hangup");
    }
    PhoneCaller.Heard request = call.say(first, "remind me to say goodbye to Sam tomorrow at 5pm");
    assertThat(request.verbs()).containsExactly("Gather");
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(1);
  }

  @Test
  @DisplayName("a Gather callback delivered twice runs its turn once and answers both with the same words")
  void duplicateCallback() {
    PhoneCaller call = new PhoneCaller(client, ADA);
    String action = call.dial().action();
    Map<String, String> params = call.speechParams("remind me to call mum at 6pm");

    PhoneCaller.Heard first = call.post(action, params);
    PhoneCaller.Heard again = call.post(action, params);

    assertThat(again.said()).isEqualTo(first.said()).containsIgnoringCase("call mum");
    assertThat(again.action()).isEqualTo(first.action());
    assertThat(aide.db().number("select count(*) from reminders")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from messages where role = 'user'")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from call_turns")).isEqualTo(1);
  }

  @Test
  @DisplayName("another caller's poll URL, or this call's with another From, says nothing of the turn")
  void anotherCallersTurn() {
    PhoneCaller ada = new PhoneCaller(client, ADA);
    PhoneCaller.Heard answered = ada.say(ada.dial().action(), "remind me to call the bank at 6pm");
    assertThat(answered.said()).containsIgnoringCase("call the bank");
    String poll = TwilioWebhooks.PUBLIC_URL + "/webhooks/twilio/voice/poll?n=1&hold=1";

    PhoneCaller.Heard eve = new PhoneCaller(client, EVE).follow(poll);
    PhoneCaller.Heard spoofed = new PhoneCaller(client, ada.callSid, EVE).follow(poll);
    PhoneCaller.Heard own = ada.follow(poll);

    for (PhoneCaller.Heard heard : List.of(eve, spoofed)) {
      assertThat(heard.said()).startsWith("Sorry, I've lost track").doesNotContainIgnoringCase("bank");
      assertThat(heard.verbs()).containsExactly("Gather");
    }
    assertThat(own.said()).isEqualTo(answered.said());
  }

  @Test
  @DisplayName("no signature, a wrong one, one for another URL or query, or another account: 403, and nothing stored")
  void forged() {
    PhoneCaller call = new PhoneCaller(client, ADA);
    Map<String, String> dial = TwilioWebhooks.call(call.callSid, ADA);
    Map<String, String> speech = call.speechParams("remind me to call mum at 6pm");
    String gather = "/webhooks/twilio/voice/gather?n=1";
    Map<String, String> otherAccount = new LinkedHashMap<>(dial);
    otherAccount.put("AccountSid", "AC" + "f".repeat(32));

    assertThat(webhooks.post(TwilioWebhooks.VOICE, dial, null).status()).isEqualTo(403);
    assertThat(webhooks.post(TwilioWebhooks.VOICE, dial, TwilioWebhooks.signature("another-token",
        TwilioWebhooks.PUBLIC_URL + TwilioWebhooks.VOICE, dial)).status()).isEqualTo(403);
    assertThat(webhooks.post(gather, speech, TwilioWebhooks.signature(FakeTwilio.AUTH_TOKEN,
        TwilioWebhooks.PUBLIC_URL + "/webhooks/twilio/voice/gather?n=2", speech)).status()).isEqualTo(403);
    assertThat(webhooks.post(gather, speech, TwilioWebhooks.signature(FakeTwilio.AUTH_TOKEN,
        TwilioWebhooks.PUBLIC_URL + "/webhooks/twilio/voice/gather", speech)).status()).isEqualTo(403);
    Api.Response foreign = webhooks.post(TwilioWebhooks.VOICE, otherAccount);
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.errorCode()).isEqualTo("unknown_account");

    assertThat(aide.db().number("select count(*) from users")).isZero();
    assertThat(aide.db().number("select count(*) from call_turns")).isZero();
    assertThat(aide.db().number("select count(*) from messages")).isZero();
  }

  @Test
  @DisplayName("a missing CallSid or From, a broken form, a Gather URL without its number: 400 and nothing stored; a "
      + "withheld number is told Aide cannot take it; a SpeechResult over 2,000 characters is refused aloud, no turn; "
      + "NUL bytes in what was heard become spaces")
  void badInput() {
    Map<String, String> noSid = TwilioWebhooks.call(TwilioWebhooks.sid("CA"), ADA);
    noSid.remove("CallSid");
    Map<String, String> badSid = TwilioWebhooks.call("CA123", ADA);
    Map<String, String> noFrom = TwilioWebhooks.call(TwilioWebhooks.sid("CA"), ADA);
    noFrom.remove("From");

    assertError(webhooks.post(TwilioWebhooks.VOICE, noSid), 400, "CallSid is missing");
    assertError(webhooks.post(TwilioWebhooks.VOICE, badSid), 400, "CallSid is not");
    assertError(webhooks.post(TwilioWebhooks.VOICE, noFrom), 400, "From is missing");
    PhoneCaller call = new PhoneCaller(client, ADA);
    assertError(webhooks.post("/webhooks/twilio/voice/gather", call.speechParams("hi")), 400, "no n");
    assertError(webhooks.post("/webhooks/twilio/voice/gather?n=0", call.speechParams("hi")), 400, "n must be");
    assertError(webhooks.post("/webhooks/twilio/voice/gather?n=1&n=2", call.speechParams("hi")), 400, "n must be");
    assertError(webhooks.post("/webhooks/twilio/voice/poll?n=1&hold=9", call.speechParams("hi")), 400, "hold must be");
    String signature = TwilioWebhooks.signature(FakeTwilio.AUTH_TOKEN, TwilioWebhooks.PUBLIC_URL + TwilioWebhooks.VOICE,
        Map.of());
    assertError(client.send(HttpMethod.POST, TwilioWebhooks.VOICE, Buffer.buffer("CallSid=%zz"),
        "application/x-www-form-urlencoded", Map.of("X-Twilio-Signature", signature)), 400, "urlencoded");
    assertThat(aide.db().number("select count(*) from users")).isZero();

    PhoneCaller.Heard withheld = new PhoneCaller(client, "anonymous").dial();
    assertThat(withheld.verbs()).containsExactly("Say", "Hangup");
    assertThat(withheld.said()).contains("number I can see");
    assertThat(aide.db().number("select count(*) from users")).isZero();

    String action = call.dial().action();
    PhoneCaller.Heard tooLong = call.say(action, "remind me ".repeat(201));
    assertThat(tooLong.said()).contains("fewer words");
    assertThat(tooLong.action()).isEqualTo(action);
    assertThat(aide.db().number("select count(*) from messages")).isZero();

    PhoneCaller.Heard nul = call.say(action, "remind me to buy\u0000 milk at 6pm");
    assertThat(nul.said()).containsIgnoringCase("buy milk");
    assertThat(aide.db().strings("select content from messages where role = 'user'"))
        .containsExactly("remind me to buy milk at 6pm");
  }

  private static void assertError(Api.Response r, int status, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().getJsonObject("error").getString("message")).contains(message);
  }
}
