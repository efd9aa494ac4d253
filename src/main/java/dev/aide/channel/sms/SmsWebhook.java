package dev.aide.channel.sms;

import dev.aide.channel.ChannelAdapter;
import dev.aide.channel.Received;
import dev.aide.platform.error.DomainException;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * POST /webhooks/twilio/sms: a message to Aide's Twilio number, by SMS, MMS or WhatsApp ({@code From=whatsapp:+…}).
 * Signed by Twilio (403 otherwise), with a message SID and the sender's number in E.164 (400), a body within the
 * 1,600 characters Twilio delivers (413). The ingress stores it under its MessageSid (a redelivery is stored once)
 * and only then answers an empty TwiML response: the reply goes later, through the outbox, however long the model
 * takes, well inside Twilio's 15 seconds.
 */
final class SmsWebhook implements ChannelAdapter.Webhook {

  static final String PATH = "/webhooks/twilio/sms";
  static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
  static final String WHATSAPP_PREFIX = "whatsapp:";
  private static final int MAX_MEDIA = 10;

  private final TwilioForm form;

  SmsWebhook(TwilioForm form) {
    this.form = form;
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public Received accept(RoutingContext ctx) {
    Map<String, String> params = form.accept(ctx);
    String sid = TwilioForm.required(params, "MessageSid");
    if (!TwilioForm.MESSAGE_SID.matcher(sid).matches()) {
      throw DomainException.malformed("MessageSid is not a Twilio message SID (SM or MM and 32 hexadecimal digits)");
    }
    String from = TwilioForm.required(params, "From");
    String number = PhoneNumbers.e164(from.startsWith(WHATSAPP_PREFIX) ? from.substring(WHATSAPP_PREFIX.length()) : from)
        .orElseThrow(() -> DomainException.malformed("From is not a phone number in E.164 (+ and 7 to 15 digits)"));
    String body = params.getOrDefault("Body", "");
    if (body.codePointCount(0, body.length()) > SmsText.MAX_MESSAGE) {
      throw DomainException.tooLarge("Body is longer than the " + SmsText.MAX_MESSAGE + " characters Twilio delivers");
    }
    String media = params.get("NumMedia");
    if (media != null && !(media.matches("[0-9]{1,2}") && Integer.parseInt(media) <= MAX_MEDIA)) {
      throw DomainException.malformed("NumMedia must be a whole number from 0 to " + MAX_MEDIA);
    }
    return new Received(sid, number, TwilioForm.storable(params));
  }

  @Override
  public void acknowledge(RoutingContext ctx) {
    ctx.response().setStatusCode(200).putHeader("content-type", "text/xml; charset=utf-8").end(EMPTY_TWIML);
  }
}
