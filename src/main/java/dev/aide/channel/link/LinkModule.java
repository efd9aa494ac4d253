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
 * One person, many channels: linking a phone number with a texted code or an email address with a mailed one, the list
 * of a person's channels and
 * unlinking one (Telegram links with its own deep link, in its module; both merge a channel-only user the same way).
 */
public final class LinkModule implements Feature {

  /** An expired code is kept a while, so confirming it says "expired" rather than "no code". */
  static final Duration EXPIRED_KEPT = Duration.ofHours(1);

  private final Platform platform;
  private final ChannelsModule channels;
  private final NotificationModule notifications;
  private final LinkCodeRepository codes;
  private final CodeLinking linking;
  private final PhoneWay phones;
  private final EmailWay emails;

  public LinkModule(Platform platform, ChannelsModule channels, DeliveryModule delivery,
                    NotificationModule notifications) {
    this.platform = platform;
    this.channels = channels;
    this.notifications = notifications;
    this.codes = new LinkCodeRepository(platform.pool());
    boolean sms = platform.config().twilio().enabled();
    boolean email = platform.config().smtp().enabled();
    // The key codes are hashed with is made the first time texting or email is set up; without either no code is
    // sent, and one sent before matches nothing.
    String key = sms || email ? platform.storedSecret("phone-codes") : OpaqueTokens.random();
    this.linking = new CodeLinking(platform.vertx(), platform.pool(), codes, channels.identities(), delivery.outbox(),
        platform.limiter(), key, platform.clock());
    this.phones = new PhoneWay(codes, channels.linking(), sms);
    this.emails = new EmailWay(codes, channels.linking(), email);
  }

  @Override
  public void routes(Router api) {
    new ChannelRoutes(linking, phones, emails, channels.linking(), channels.identities(), notifications.recipients(), platform.pool())
        .mount(api);
  }

  @Override
  public List<HousekeepingVerticle.Cleaner> cleaners() {
    return List.of(new HousekeepingVerticle.Cleaner("link codes",
        limit -> codes.deleteExpired(OffsetDateTime.now(platform.clock()).minus(EXPIRED_KEPT), limit)));
  }
}
