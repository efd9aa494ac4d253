package dev.aide.channel.link;

import dev.aide.channel.ChannelsModule;
import dev.aide.delivery.DeliveryModule;
import dev.aide.notification.NotificationModule;
import dev.aide.platform.database.HousekeepingVerticle;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import dev.aide.platform.secret.OpaqueTokens;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One person, many channels: linking a phone number with a texted code, the list of a person's channels and
 * unlinking one (Telegram links with its own deep link, in its module; both merge a channel-only user the same way).
 */
public final class LinkModule implements Feature {

  /** An expired code is kept a while, so confirming it says "expired" rather than "no code". */
  static final Duration EXPIRED_KEPT = Duration.ofHours(1);

  private final Platform platform;
  private final ChannelsModule channels;
  private final NotificationModule notifications;
  private final PhoneCodeRepository codes;
  private final PhoneLinking phones;

  public LinkModule(Platform platform, ChannelsModule channels, DeliveryModule delivery,
                    NotificationModule notifications) {
    this.platform = platform;
    this.channels = channels;
    this.notifications = notifications;
    this.codes = new PhoneCodeRepository(platform.pool());
    boolean sms = platform.config().twilio().enabled();
    // The key codes are hashed with is made the first time texting is set up; without it no code is sent, and one
    // sent before matches nothing.
    String key = sms ? platform.storedSecret("phone-codes") : OpaqueTokens.random();
    this.phones = new PhoneLinking(platform.vertx(), platform.pool(), codes, channels.identities(), channels.linking(),
        delivery.outbox(), platform.limiter(), sms, key, platform.clock());
  }

  @Override
  public void routes(Router api) {
    new ChannelRoutes(phones, channels.linking(), channels.identities(), notifications.recipients(), platform.pool())
        .mount(api);
  }

  @Override
  public List<HousekeepingVerticle.Cleaner> cleaners() {
    return List.of(new HousekeepingVerticle.Cleaner("phone codes",
        limit -> codes.deleteExpired(OffsetDateTime.now(platform.clock()).minus(EXPIRED_KEPT), limit)));
  }
}
