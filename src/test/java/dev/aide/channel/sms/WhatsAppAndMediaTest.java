package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTwilio;
import dev.aide.support.Pdfs;
import dev.aide.support.TwilioWebhooks;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("WhatsApp through the same Twilio number, and files sent by MMS")
class WhatsAppAndMediaTest {

  private static final String ADA = "+447700900123";
  private static final String BEN = "+33612345678";
  private static final FakeTwilio twilio = new FakeTwilio();

  @RegisterExtension
  static final AideServer aide = AideServer.create().twilio(twilio).env("AIDE_SCHEDULER_POLL_MILLIS", "200")
      .freshEachTest();

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
  @DisplayName("a WhatsApp message is answered on WhatsApp from whatsapp:+Aide's number, as the same person the "
      + "number is on SMS, with the channel recorded as whatsapp")
  void whatsapp() {
    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(ADA, "I spent 12 pounds on lunch"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 2);

    Api.Response r = webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.whatsapp(ADA, "how much did I spend today?"));

    assertThat(r.status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo("whatsapp:" + ADA).size() == 1);
    FakeTwilio.Sent reply = twilio.sentTo("whatsapp:" + ADA).get(0);
    assertThat(reply.from()).isEqualTo("whatsapp:" + FakeTwilio.NUMBER);
    assertThat(reply.body()).contains("12");
    assertThat(aide.db().number("select count(*) from users")).isEqualTo(1);
    assertThat(aide.db().strings("select channel || ' ' || external_id || ' ' || coalesce(display_name, '-') "
        + "from channel_identities order by channel")).containsExactly("sms " + ADA + " -", "whatsapp " + ADA + " Ada");
    assertThat(aide.db().strings("select distinct channel from outbox order by channel"))
        .containsExactly("sms", "whatsapp");
    assertThat(aide.db().strings("select segments::text from outbox where channel = 'whatsapp'"))
        .containsOnlyNulls();
    assertThat(aide.db().strings("select channel from conversations order by channel"))
        .containsExactly("sms", "whatsapp");
  }

  @Test
  @DisplayName("a first message on WhatsApp makes a phone user named as WhatsApp shows them, and SMS from the "
      + "number later is the same person")
  void whatsappFirst() {
    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.whatsapp(BEN, "hello"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo("whatsapp:" + BEN).size() == 2);
    assertThat(twilio.sentTo("whatsapp:" + BEN).get(1).body()).contains("Europe/Paris");
    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.sms(BEN, "hello again"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(BEN).size() == 1);
    assertThat(aide.db().strings("select name || ' ' || timezone || ' ' || phone from users"))
        .containsExactly("Ada Europe/Paris " + BEN);
  }

  @Test
  @DisplayName("a PDF sent by MMS is fetched with the account's credentials from Twilio (and without them from the "
      + "media storage Twilio redirects to), read, and the chat hears it is ready")
  void pdf() {
    String sid = TwilioWebhooks.sid("MM");
    byte[] pdf = Pdfs.of(List.of("Tenancy agreement for the flat at 12 Rose Street.",
        "Notice: the tenant may end the tenancy with two months written notice."));
    String url = twilio.addMedia(sid, "application/pdf", pdf);

    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.mms(sid, ADA, "", url, "application/pdf"));

    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).stream()
        .anyMatch(m -> m.body().contains("is ready")));
    assertThat(twilio.sentTo(ADA).stream().map(FakeTwilio.Sent::body).toList())
        .anyMatch(b -> b.startsWith("Reading document.pdf"));
    assertThat(aide.db().strings("select title || ' ' || status from documents")).containsExactly("document.pdf ready");
    assertThat(twilio.mediaRequests()).hasSize(2);
    assertThat(twilio.mediaRequests().get(0)).endsWith(" auth");
    assertThat(twilio.mediaRequests().get(1)).isEqualTo("/media-store/ no-auth");
  }

  @Test
  @DisplayName("a picture is answered politely that Aide cannot read pictures yet, the words with it not acted on; a "
      + "media URL that is not this account's is never fetched")
  void picture() {
    String sid = TwilioWebhooks.sid("MM");
    String url = twilio.addMedia(sid, "image/jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.mms(sid, ADA, "what is this?", url, "image/jpeg"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 1);
    assertThat(twilio.sentTo(ADA).get(0).body()).startsWith("Thanks for the picture, but I can't read pictures yet")
        .contains("I haven't acted on the text").contains("Europe/London");
    assertThat(aide.db().number("select count(*) from messages")).isZero();

    String foreign = TwilioWebhooks.sid("MM");
    webhooks.post(TwilioWebhooks.SMS, TwilioWebhooks.mms(foreign, ADA, "", "http://169.254.169.254/latest/meta-data"
        + "/document.pdf", "application/pdf"));
    await().atMost(Duration.ofSeconds(30)).until(() -> twilio.sentTo(ADA).size() == 2);
    assertThat(twilio.sentTo(ADA).get(1).body()).startsWith("I couldn't take document.pdf");
    assertThat(twilio.mediaRequests()).isEmpty();
    assertThat(aide.db().number("select count(*) from documents")).isZero();
  }
}
