package dev.aide.channel.sms;

import dev.aide.channel.ChannelsModule;
import dev.aide.channel.Ingress;
import dev.aide.channel.voice.VoiceChannel;
import dev.aide.delivery.DeliveryModule;
import dev.aide.platform.channel.ChannelSender;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Features;
import dev.aide.platform.database.HousekeepingVerticle;
import dev.aide.platform.module.Platform;
import io.vertx.core.Deployable;
import io.vertx.ext.web.Router;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * SMS and WhatsApp through Twilio: the adapter over the generic ingress (POST /webhooks/twilio/sms), Twilio's
 * delivery reports (POST /webhooks/twilio/status), delivery with the Messages API on both channels, and phone calls to
 * the same number (POST /webhooks/twilio/voice…, turns on the voice channel). Built only when AIDE_TWILIO_ACCOUNT_SID
 * is set; without it none of these routes exists (404) and nothing starts.
 */
public final class SmsModule implements Feature {

  private final Platform platform;
  private final TwilioApi api;
  private final SmsRepository numbers;
  private final DeliveryModule delivery;
  private final TwilioForm form;
  private final Ingress ingress;
  private final CallRepository calls;
  private final CallRoutes callRoutes;

  public SmsModule(Platform platform, ChannelsModule channels, DeliveryModule delivery, VoiceChannel voice) {
    this.platform = platform;
    this.delivery = delivery;
    var config = platform.config().twilio();
    this.api = new TwilioApi(platform.web(), config.apiUrl(), config.accountSid(), config.authToken());
    this.numbers = new SmsRepository(platform.pool(), delivery.outbox());
    this.form = new TwilioForm(config.accountSid(), config.authToken(), platform.config().http().publicUrl());
    this.ingress = channels.ingress(new SmsAdapter(api, numbers, form));
    this.calls = new CallRepository(platform.pool());
    this.callRoutes = new CallRoutes(form, new PhoneCalls(platform.vertx(), numbers, calls, voice,
        platform.config().http().publicUrl(), config.callWait()));
  }

  @Override
  public void publicRoutes(Router root) {
    ingress.mount(root);
    new StatusRoutes(form, delivery.outbox(), numbers).mount(root);
    callRoutes.mount(root);
  }

  /** A call's turns are kept a day: long past any call, which Twilio ends after four hours. */
  @Override
  public List<HousekeepingVerticle.Cleaner> cleaners() {
    return List.of(new HousekeepingVerticle.Cleaner("phone call turns",
        limit -> calls.deleteOld(OffsetDateTime.now(platform.clock()).minusDays(1), limit)));
  }

  @Override
  public List<ChannelSender> senders() {
    var config = platform.config().twilio();
    String callback = platform.config().http().publicUrl().toString().replaceAll("/+$", "") + StatusRoutes.PATH;
    return List.of(SmsRepository.SMS, SmsRepository.WHATSAPP).stream()
        .map(channel -> (ChannelSender) new TwilioSender(channel, api, numbers, delivery.outbox(), config.fromNumber(),
            callback, config.messagesPerSecond()))
        .toList();
  }

  @Override
  public List<Deployable> verticles(Features all) {
    return List.of(ingress.verticle());
  }
}
