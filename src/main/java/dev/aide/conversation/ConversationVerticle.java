package dev.aide.conversation;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes stored messages of its lane's conversations off the event bus and answers them. Deployed on virtual threads
 * ({@code ThreadingModel.VIRTUAL_THREAD}): a turn is sequential code that awaits the model and the tools' SQL, and
 * each await lets the verticle run other turns meanwhile, so hundreds of turns wait on a slow model at once without
 * an executor of their own and without holding an event loop.
 *
 * <p>Turns of one conversation run one after the other, so its memory is read and written in order: each turn is
 * chained on the one before it in the same conversation. A lock would not do: a turn waiting on a lock blocks its
 * virtual thread without awaiting, and so the whole verticle, including the turn holding the lock.
 */
public final class ConversationVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConversationVerticle.class);

  private final ConversationService service;
  private final String address;
  /** The last turn of each conversation with one running or waiting; touched only on this verticle's context. */
  private final Map<UUID, Future<Void>> lastTurn = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;

  /** The verticle of one lane ({@link ConversationBus#LANES}): the conversations whose turns it answers. */
  public ConversationVerticle(ConversationService service, int lane) {
    this.service = service;
    this.address = ConversationBus.lane(lane);
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(address, this::onMessage);
    return consumer.completion();
  }

  private void onMessage(Message<JsonObject> message) {
    InboundMessage inbound = InboundMessage.fromJson(message.body());
    UUID conversation = inbound.conversationId();
    Promise<Void> done = Promise.promise();
    Future<Void> before = lastTurn.getOrDefault(conversation, Future.succeededFuture());
    lastTurn.put(conversation, done.future());
    // Each turn is a task of its own on the context, never run inside this handler: the consumer goes on taking
    // messages while turns wait.
    before.onComplete(previous -> context.runOnContext(v -> {
      try {
        message.reply(service.answer(inbound).toJson());
      } catch (ConversationException e) {
        message.fail(e.code(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("Turn failed for message {}", inbound.messageId(), e);
        message.fail(500, "internal error");
      } finally {
        if (lastTurn.get(conversation) == done.future()) {
          lastTurn.remove(conversation);
        }
        done.complete();
      }
    }));
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }
}
