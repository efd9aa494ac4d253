package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.FakeOpenAi;
import dev.aide.support.FakeTwilio;
import dev.aide.support.TwilioWebhooks;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A phone call to a model slower than Twilio waits: the caller is held and the answer comes on a poll, "
    + "from either of two Aide instances, the turn run once")
class SlowPhoneCallTest {

  private static final String ADA = "+447700900123";
  private static final String REPLY = "**Noted.** The plumber comes at 9 (id 3f2b7c1e-8d4a-4c1b-9e2f-0a1b2c3d4e5f).";
  private static final Map<String, String> SHORT_WAIT = Map.of("AIDE_TWILIO_CALL_WAIT_MILLIS", "200");

  private static final FakeTwilio twilio = new FakeTwilio();
  private static final FakeOpenAi model = new FakeOpenAi(request -> FakeOpenAi.text(REPLY));

  @RegisterExtension
  @Order(1)
  static final AideServer one = AideServer.create().twilio(twilio).model(model).env(SHORT_WAIT).freshEachTest();

  // A second instance on the same database, as Twilio's poll may reach another replica (or this one restarted).
  @RegisterExtension
  @Order(2)
  static final AideServer two = AideServer.create().env(SHORT_WAIT).env(Map.of(
      "AIDE_TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID, "AIDE_TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN,
      "AIDE_TWILIO_FROM_NUMBER", FakeTwilio.NUMBER, "AIDE_TWILIO_API_URL", twilio.apiUrl(),
      "AIDE_PUBLIC_URL", TwilioWebhooks.PUBLIC_URL, "AIDE_LLM_PROVIDER", "openai",
      "AIDE_LLM_BASE_URL", model.baseUrl(), "AIDE_LLM_API_KEY", "sk-test", "AIDE_LLM_MODEL", "gpt-4o-mini"))
      .sharing(one);

  @AfterEach
  void settle() {
    model.releaseAnswers();
    one.settle();
  }

  @Test
  @DisplayName("a turn not answered within the wait is held (One moment, a pause, a POST redirect to the poll); the "
      + "poll on the other instance holds again while the model works and then says the answer; a redelivered "
      + "callback meanwhile starts nothing")
  void heldThenAnswered() {
    int before = model.requests().size();
    model.holdAnswers();
    PhoneCaller call = new PhoneCaller(one.client(), ADA);
    PhoneCaller elsewhere = new PhoneCaller(two.client(), call.callSid, ADA);
    String action = call.dial().action();
    Map<String, String> params = call.speechParams("the plumber comes tomorrow at 9");

    PhoneCaller.Heard held = call.post(action, params);

    assertThat(held.verbs()).containsExactly("Say", "Pause", "Redirect");
    assertThat(held.said()).isEqualTo("One moment.");
    assertThat(PhoneCaller.Heard.children(held.root()).get(1).getAttribute("length")).isEqualTo("2");
    assertThat(held.redirect()).isEqualTo(TwilioWebhooks.PUBLIC_URL + "/webhooks/twilio/voice/poll?n=1&hold=1");

    PhoneCaller.Heard redelivered = elsewhere.post(action, params);
    PhoneCaller.Heard stillHeld = elsewhere.follow(held.redirect());

    assertThat(redelivered.verbs()).containsExactly("Say", "Pause", "Redirect");
    assertThat(stillHeld.verbs()).containsExactly("Say", "Pause", "Redirect");
    assertThat(stillHeld.redirect()).endsWith("/poll?n=1&hold=2");
    await().atMost(Duration.ofSeconds(30)).until(() -> model.heldAnswers() == 1);
    model.releaseAnswers();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> one.db().number("select count(*) from call_turns where state = 'answered'") == 1);
    PhoneCaller.Heard answered = elsewhere.follow(stillHeld.redirect());

    assertThat(answered.verbs()).containsExactly("Gather");
    assertThat(answered.said()).isEqualTo("Noted. The plumber comes at 9.");
    assertThat(answered.action()).endsWith("/gather?n=2");
    assertThat(model.requests().size() - before).isEqualTo(1);
    assertThat(one.db().number("select count(*) from messages where role = 'user'")).isEqualTo(1);
  }

  @Test
  @DisplayName("after the last hold the caller hears that it is taking too long and is listened to again; the answer "
      + "is kept, and a later poll for it says it")
  void tooSlow() {
    model.holdAnswers();
    PhoneCaller call = new PhoneCaller(one.client(), ADA);
    PhoneCaller.Heard heard = call.say(call.dial().action(), "the plumber comes tomorrow at 9");
    for (int hold = 1; hold <= PhoneCalls.MAX_HOLDS; hold++) {
      assertThat(heard.redirect()).endsWith("/poll?n=1&hold=" + hold);
      heard = (hold % 2 == 0 ? call : new PhoneCaller(two.client(), call.callSid, ADA)).follow(heard.redirect());
    }

    assertThat(heard.verbs()).containsExactly("Gather");
    assertThat(heard.said()).startsWith("Sorry, that's taking me longer than it should.");
    assertThat(heard.action()).endsWith("/gather?n=2");

    model.releaseAnswers();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> one.db().number("select count(*) from call_turns where state = 'answered'") == 1);
    PhoneCaller.Heard later = call.follow(TwilioWebhooks.PUBLIC_URL + "/webhooks/twilio/voice/poll?n=1&hold=1");
    assertThat(later.said()).isEqualTo("Noted. The plumber comes at 9.");
  }
}
