package dev.aide.channel.sms;

import dev.aide.delivery.OutboxRepository;
import dev.aide.platform.channel.ChannelSender;
import dev.aide.platform.channel.DeliveryFailure;
import dev.aide.platform.channel.OutboxMessage;
import io.vertx.core.Future;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox messages of one Twilio channel (SMS, or WhatsApp from the same number as whatsapp:+…) with the
 * Messages API, at the configured pace (a long code sends about one SMS a second). The message SID, the segments an
 * SMS is billed as and Twilio's status go on the outbox row, so status callbacks find it. A number that opted out is
 * sent nothing but the answers to its keywords; Twilio's 21610 (unsubscribed) opts it out here too and gives the
 * message up; 429, 5xx and network failures are retried with backoff; other refusals are dead letters.
 */
public final class TwilioSender implements ChannelSender {

  private static final Logger LOG = LoggerFactory.getLogger(TwilioSender.class);

  private final String channel;
  private final String prefix;
  private final TwilioApi api;
  private final SmsRepository numbers;
  private final OutboxRepository outbox;
  private final String from;
  private final String statusCallback;
  private final double perSecond;

  /**
   * @param from Aide's Twilio number, E.164
   * @param statusCallback where Twilio reports on the message (AIDE_PUBLIC_URL + /webhooks/twilio/status)
   */
  public TwilioSender(String channel, TwilioApi api, SmsRepository numbers, OutboxRepository outbox, String from,
                      String statusCallback, double perSecond) {
    this.channel = channel;
    this.prefix = channel.equals(SmsRepository.WHATSAPP) ? SmsWebhook.WHATSAPP_PREFIX : "";
    this.api = api;
    this.numbers = numbers;
    this.outbox = outbox;
    this.from = from;
    this.statusCallback = statusCallback;
    this.perSecond = perSecond;
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public double globalPerSecond() {
    return perSecond;
  }

  @Override
  public double perRecipientPerSecond() {
    return perSecond;
  }

  @Override
  public Future<Void> send(OutboxMessage message) {
    boolean keywordAnswer = SmsKeywords.isKeywordAnswer(message.body());
    return numbers.optedOut(channel, message.recipient()).compose(optedOut -> {
      if (optedOut && !keywordAnswer) {
        return Future.failedFuture(DeliveryFailure.permanent("not sent: the number unsubscribed (STOP)"));
      }
      Integer segments = channel.equals(SmsRepository.SMS) ? SmsText.segments(message.body()).count() : null;
      // Only Twilio's refusal is classified (and maybe retried): once Twilio accepted the message it is sent, even
      // when its sid and segments cannot be recorded, or a retry would send it twice.
      return api.send(prefix + message.recipient(), prefix + from, message.body(), statusCallback)
          .recover(failure -> classify(message, failure, keywordAnswer).map(v -> null))
          .compose(accepted -> accepted == null ? Future.<Void>succeededFuture()
              : outbox.recordAccepted(message.id(), accepted.sid(), segments, accepted.status())
                  .recover(e -> {
                    LOG.warn("{} message {} was accepted by Twilio as {}, but that could not be recorded: {}",
                        channel, message.id(), accepted.sid(), e.toString());
                    return Future.<Void>succeededFuture();
                  }));
    });
  }

  private Future<Void> classify(OutboxMessage message, Throwable failure, boolean keywordAnswer) {
    if (!(failure instanceof TwilioApiException t)) {
      return Future.failedFuture(DeliveryFailure.transientError("network: " + failure.getMessage()));
    }
    if (t.unsubscribed()) {
      LOG.info("A {} number unsubscribed at Twilio (21610); it is opted out", channel);
      return numbers.optOut(channel, message.recipient(), "not sent: the number unsubscribed (Twilio error 21610)")
          .transform(ar -> {
            if (ar.failed()) {
              // Not recorded (the database failed): sent again later, it meets the 21610 again and tries again.
              return Future.failedFuture(DeliveryFailure.transientError(t.getMessage()
                  + "; the opt-out could not be recorded: " + ar.cause()));
            }
            // Twilio answered the keyword itself (its opt-out handling) and refused Aide's answer: nothing is lost.
            return keywordAnswer
                ? outbox.recordAccepted(message.id(), null, null, "answered by Twilio")
                : Future.failedFuture(DeliveryFailure.permanent(t.getMessage()));
          });
    }
    if (t.status() == 429 && t.retryAfter() != null) {
      return Future.failedFuture(DeliveryFailure.waitFor(Duration.ofSeconds(t.retryAfter()), t.getMessage()));
    }
    return Future.failedFuture(t.passing() ? DeliveryFailure.transientError(t.getMessage())
        : DeliveryFailure.permanent(t.getMessage()));
  }
}
