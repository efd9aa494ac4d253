package dev.aide.delivery;

import dev.aide.platform.channel.ChannelSender;
import dev.aide.platform.channel.DeliveryFailure;
import dev.aide.platform.channel.OutboxMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox, channel by channel: claims due messages (several instances can share the outbox), sends each
 * recipient's messages in order within the channel's rate limits, retries with exponential backoff, and turns what
 * can never be delivered into dead letters. While it works on claimed messages it renews their claims; messages whose
 * claim stops being renewed (their instance stopped) are sent again after the claim timeout.
 */
public final class DeliveryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);
  // Messages claimed at once, sent in parallel (one per recipient); up to BATCHES such batches are on their way at a
  // time, the next claimed while the last is sent (a batch at a time, delivery waited on each claim, send and record
  // in turn: about 1,000 messages a second however fast the channel). Together they bound what an instance that dies
  // leaves in doubt: a message the channel accepted but that was not yet marked sent is sent again by another
  // instance, so at most BATCH × BATCHES (80). A recipient's messages stay in order: a claim passes over a recipient
  // whose earlier message is still pending or being sent.
  private static final int BATCH = 20;
  private static final int BATCHES = 4;
  private static final int MAX_ATTEMPTS = 8;
  /** How long after a failed record of "sent" it is written once more. */
  private static final long MARK_RETRY_MILLIS = 500;
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
  private static final long TICK_MILLIS = 1000;
  /** How long stopping waits for the batches on their way to be sent and recorded. */
  private static final long STOP_WAIT_MILLIS = 5_000;

  private final OutboxRepository outbox;
  private final SentMarks sent;
  private final List<ChannelSender> senders;
  private final String instance;
  private final Duration claimTimeout;
  private final MeterRegistry metrics;
  private final Map<String, Lane> lanes = new HashMap<>();
  private MessageConsumer<Object> wake;
  private long tick;
  private long recovery;
  private long heartbeat;
  /** Set by {@link #stop}: nothing more is claimed, and it completes once every lane is idle. */
  private Promise<Void> stopped;

  /**
   * @param instance     names this process in its claims
   * @param claimTimeout a message whose claim was not renewed for this long (its instance stopped) is sent again;
   *                     claims are renewed every quarter of it
   */
  public DeliveryVerticle(OutboxRepository outbox, List<ChannelSender> senders, String instance, Duration claimTimeout,
                          MeterRegistry metrics) {
    this.outbox = outbox;
    this.sent = new SentMarks(outbox);
    this.senders = senders;
    this.instance = instance;
    this.claimTimeout = claimTimeout;
    this.metrics = metrics;
  }

  /** One channel's state, confined to this verticle's event loop. */
  private static final class Lane {
    final ChannelSender sender;
    final TokenBucket global;
    final Map<String, TokenBucket> perRecipient = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
        return size() > 10_000;
      }
    };
    /** The messages of the batches being sent, whose claims the heartbeat renews. */
    final Set<UUID> claimed = new HashSet<>();
    /** Whether a claim is under way (one at a time a lane). */
    boolean claiming;
    /** Batches claimed and not yet all sent or recorded. */
    int sending;
    /** Whether to claim again once the claim under way (or a batch, when BATCHES are out) is done. */
    boolean again;

    Lane(ChannelSender sender) {
      this.sender = sender;
      this.global = new TokenBucket(sender.globalPerSecond(), Math.max(1, sender.globalPerSecond()), System.nanoTime());
    }
  }

  @Override
  public Future<?> start() {
    senders.forEach(s -> lanes.put(s.channel(), new Lane(s)));
    wake = vertx.eventBus().consumer(DeliveryBus.WAKE, message -> drainAll());
    tick = vertx.setPeriodic(TICK_MILLIS, id -> drainAll());
    recovery = vertx.setPeriodic(claimTimeout.toMillis() / 2, id -> recoverStale());
    heartbeat = vertx.setPeriodic(Math.max(100, claimTimeout.toMillis() / 4), id -> beat());
    return wake.completion().compose(v -> recoverStale()).onSuccess(v -> drainAll());
  }

  /**
   * Claims nothing more and waits (at most {@link #STOP_WAIT_MILLIS}) for the batches on their way: a message the
   * channel accepted is recorded as sent before Aide stops. Stopped without it, such a message stayed claimed by the
   * stopped instance, sent again after the claim timeout, and held up that recipient's next messages until then.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tick);
    vertx.cancelTimer(recovery);
    Promise<Void> idle = Promise.promise();
    stopped = idle;
    long limit = vertx.setTimer(STOP_WAIT_MILLIS, id -> {
      if (idle.tryComplete()) {
        LOG.warn("Stopped with outbox messages still on their way; they are sent again after the claim timeout");
      }
    });
    idleIfStopping();
    return wake.unregister().compose(v -> idle.future()).onComplete(ar -> {
      vertx.cancelTimer(limit);
      vertx.cancelTimer(heartbeat);
    });
  }

  /** Completes {@link #stopped} once no lane is claiming or sending. */
  private void idleIfStopping() {
    if (stopped != null && lanes.values().stream().allMatch(lane -> !lane.claiming && lane.sending == 0)) {
      stopped.tryComplete();
    }
  }

  private void beat() {
    List<UUID> claimed = lanes.values().stream().flatMap(lane -> lane.claimed.stream()).toList();
    if (!claimed.isEmpty()) {
      outbox.heartbeat(claimed, instance).onFailure(e -> LOG.warn("Outbox heartbeat failed: {}", e.toString()));
    }
  }

  private Future<Void> recoverStale() {
    return Future.all(lanes.keySet().stream().map(channel -> outbox.recoverStale(channel, claimTimeout)
            .onSuccess(n -> {
              if (n > 0) {
                LOG.warn("{} {} message(s) claimed by a stopped instance are pending again", n, channel);
              }
            })).toList())
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("Could not recover stale outbox claims: {}", e.toString());
          return Future.succeededFuture();
        });
  }

  private void drainAll() {
    lanes.values().forEach(this::drain);
  }

  /**
   * Claims the lane's next batch unless a claim is under way or {@link #BATCHES} are out, starts sending it, and claims
   * again at once; a batch that is done makes room for the next claim.
   */
  private void drain(Lane lane) {
    if (stopped != null) {
      return;
    }
    if (lane.claiming || lane.sending >= BATCHES) {
      lane.again = true;
      return;
    }
    lane.claiming = true;
    lane.again = false;
    outbox.claim(lane.sender.channel(), BATCH, instance).onComplete(ar -> {
      lane.claiming = false;
      if (ar.failed()) {
        LOG.warn("Outbox drain of {} failed: {}", lane.sender.channel(), ar.cause().toString());
        idleIfStopping();
        return;
      }
      List<OutboxMessage> batch = ar.result();
      if (!batch.isEmpty()) {
        lane.sending++;
        batch.forEach(m -> lane.claimed.add(m.id()));
        sendBatch(lane, batch).onComplete(sent -> {
          batch.forEach(m -> lane.claimed.remove(m.id()));
          lane.sending--;
          idleIfStopping();
          if (sent.succeeded()) {
            drain(lane);
          } else {
            // A message the channel refused: the lane goes on at the next tick or wake-up, not at once, so a channel
            // that is down is not walked through every queued message in a burst of failed attempts.
            LOG.warn("Outbox drain of {} failed: {}", lane.sender.channel(), sent.cause().toString());
          }
        });
      }
      if (!batch.isEmpty() || lane.again) {
        drain(lane);
      }
      idleIfStopping();
    });
  }

  /** Recipients in parallel, each recipient's messages one after another in order. */
  private Future<Void> sendBatch(Lane lane, List<OutboxMessage> batch) {
    Map<String, List<OutboxMessage>> byRecipient = new LinkedHashMap<>();
    batch.forEach(m -> byRecipient.computeIfAbsent(m.recipient(), r -> new ArrayList<>()).add(m));
    List<Future<Void>> chains = new ArrayList<>();
    byRecipient.values().forEach(messages -> chains.add(sendInOrder(lane, messages, 0)));
    return Future.join(chains).mapEmpty();
  }

  private Future<Void> sendInOrder(Lane lane, List<OutboxMessage> messages, int index) {
    if (index == messages.size()) {
      return Future.succeededFuture();
    }
    OutboxMessage message = messages.get(index);
    return sendOne(lane, message).transform(ar -> {
      if (ar.succeeded()) {
        return sendInOrder(lane, messages, index + 1);
      }
      // The rest wait behind the failed one, so they cannot overtake it.
      return Future.join(messages.subList(index + 1, messages.size()).stream()
          .map(m -> outbox.retryAfter(m.id(), Duration.ZERO, null, false)).toList()).mapEmpty();
    });
  }

  /** Sends after the rate limits allow it; succeeds when the message is sent, fails when it is not (and recorded). */
  private Future<Void> sendOne(Lane lane, OutboxMessage message) {
    long now = System.nanoTime();
    TokenBucket recipient = lane.perRecipient.computeIfAbsent(message.recipient(),
        r -> new TokenBucket(lane.sender.perRecipientPerSecond(), 1, now));
    long waitNanos = Math.max(lane.global.reserve(now), recipient.reserve(now));
    Future<Void> ready = waitNanos <= 0 ? Future.succeededFuture()
        : vertx.timer(Math.max(1, waitNanos / 1_000_000)).mapEmpty();
    return ready
        .compose(v -> lane.sender.send(message))
        .recover(failure -> record(message, failure).compose(v -> Future.failedFuture(failure)))
        .compose(v -> recordSent(message));
  }

  /**
   * The channel took the message: it is recorded as sent, once more after a failed write. It is never queued to be sent
   * again from here (a failed write covers every message of a group); one whose record still fails stays in doubt, as
   * after a crash between sending and recording, until its claim times out.
   */
  private Future<Void> recordSent(OutboxMessage message) {
    return sent.mark(message.id())
        .recover(first -> vertx.timer(MARK_RETRY_MILLIS).compose(t -> sent.mark(message.id())))
        .onSuccess(v -> count(message, "sent"))
        .onFailure(e -> LOG.warn("{} message {} was sent but could not be recorded as sent: {}", message.channel(),
            message.id(), e.toString()));
  }

  private Future<Void> record(OutboxMessage message, Throwable failure) {
    DeliveryFailure delivery = failure instanceof DeliveryFailure d ? d : DeliveryFailure.transientError(failure.toString());
    String error = delivery.getMessage();
    return switch (delivery.kind()) {
      case WAIT -> {
        count(message, "throttled");
        yield outbox.retryAfter(message.id(), delivery.waitDuration(), error, false);
      }
      case PERMANENT -> {
        LOG.warn("{} message {} is a dead letter: {}", message.channel(), message.id(), error);
        count(message, "dead");
        yield outbox.markDead(message.id(), error);
      }
      case TRANSIENT -> {
        boolean giveUp = message.attempts() >= MAX_ATTEMPTS;
        count(message, giveUp ? "dead" : "retried");
        yield giveUp
            ? outbox.markDead(message.id(), "gave up after " + message.attempts() + " attempts: " + error)
            : outbox.retryAfter(message.id(), backoff(message.attempts()), error, true);
      }
    };
  }

  private void count(OutboxMessage message, String outcome) {
    metrics.counter("aide.outbox.messages", "channel", message.channel(), "outcome", outcome).increment();
  }

  /** 2 s, 4 s, 8 s … up to ten minutes. */
  static Duration backoff(int attempts) {
    long seconds = 1L << Math.min(attempts, 20);
    return seconds > MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
  }
}
