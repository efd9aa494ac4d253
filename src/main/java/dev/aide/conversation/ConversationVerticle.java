package dev.aide.conversation;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes stored messages off the event bus and answers each on its own virtual thread, so hundreds of turns can wait
 * on a slow model at once without holding an event loop or a small worker pool.
 */
public final class ConversationVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConversationVerticle.class);

  private final ConversationService service;
  private ExecutorService turns;
  private MessageConsumer<JsonObject> consumer;

  public ConversationVerticle(ConversationService service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    turns = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("aide-turn-", 0).factory());
    consumer = vertx.eventBus().consumer(ConversationBus.INBOUND, this::onMessage);
    return consumer.completion();
  }

  private void onMessage(Message<JsonObject> message) {
    InboundMessage inbound = InboundMessage.fromJson(message.body());
    Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> service.answer(inbound), turns), context)
        .onSuccess(reply -> message.reply(reply.toJson()))
        .onFailure(failure -> {
          Throwable cause = failure.getCause() != null && !(failure instanceof ConversationException) ? failure.getCause() : failure;
          if (cause instanceof ConversationException c) {
            message.fail(c.code(), c.getMessage());
          } else {
            LOG.error("Turn failed for message {}", inbound.messageId(), cause);
            message.fail(500, "internal error");
          }
        });
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister().onComplete(ar -> turns.shutdown());
  }
}
