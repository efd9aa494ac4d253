package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.TwilioWebhooks;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Without AIDE_TWILIO_ACCOUNT_SID the call routes do not exist, like the SMS ones")
class CallsWithoutTwilioTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().env("AIDE_PUBLIC_URL", TwilioWebhooks.PUBLIC_URL);

  @Test
  @DisplayName("a signed call, a Gather callback and a poll are all 404, and nothing is stored")
  void notFound() {
    TwilioWebhooks webhooks = new TwilioWebhooks(aide.client());
    String sid = TwilioWebhooks.sid("CA");
    Map<String, String> call = TwilioWebhooks.call(sid, "+447700900123");

    for (String path : new String[] {TwilioWebhooks.VOICE, TwilioWebhooks.VOICE + "/gather?n=1",
        TwilioWebhooks.VOICE + "/poll?n=1&hold=1", TwilioWebhooks.SMS}) {
      Api.Response r = webhooks.post(path, call);
      assertThat(r.status()).as(path).isEqualTo(404);
    }
    assertThat(aide.db().number("select count(*) from users")).isZero();
  }
}
