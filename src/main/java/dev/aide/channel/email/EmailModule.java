package dev.aide.channel.email;

import dev.aide.platform.channel.ChannelSender;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Aide's own email: the outbox's "email" channel, sent through the SMTP server of AIDE_SMTP_*. Built only when
 * AIDE_SMTP_HOST is set; the addresses it sends to are linked with a mailed code (channel linking's), and password
 * reset links go to the account's email through it.
 */
public final class EmailModule implements Feature {

  /** SMTP conversations at once: the delivery verticle sends a batch's recipients in parallel. */
  private static final int THREADS = 4;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Platform platform;

  public EmailModule(Platform platform) {
    this.platform = platform;
  }

  @Override
  public List<ChannelSender> senders() {
    return List.of(new SmtpSender(platform.config().smtp(),
        platform.vertx().createSharedWorkerExecutor("aide-smtp", THREADS, 2 * TIMEOUT.toSeconds() + 10,
            TimeUnit.SECONDS),
        platform.config().http().publicUrl().toString().replaceAll("/+$", ""), TIMEOUT));
  }
}
