package dev.aide.conversation;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.ratelimit.RateLimited;
import dev.aide.platform.ratelimit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The ingress side of a conversation: finds or opens the conversation, stores the person's message, then hands it
 * to the conversation verticle over the event bus and waits for the reply.
 */
public final class ConversationGateway {

  private final Vertx vertx;
  private final ConversationRepository conversations;
  private final ChatMemoryRepository memory;
  private final DeliveryOptions delivery;
  // Turns per person per minute, whichever channel they come from.
  private final RateLimiter.Gate turns;

  public ConversationGateway(Vertx vertx, ConversationRepository conversations, ChatMemoryRepository memory,
                             Duration turnTimeout, RateLimiter.Gate turns) {
    this.vertx = vertx;
    this.conversations = conversations;
    this.memory = memory;
    this.delivery = new DeliveryOptions().setSendTimeout(turnTimeout.toMillis());
    this.turns = turns;
  }

  /** Which conversation a message belongs to: a named one, the channel's recent one, or a new one. */
  public Future<UUID> conversationFor(UUID userId, UUID requested, String channel, Duration continueWithin, String text) {
    return going(userId, requested, channel, continueWithin).compose(found -> found.isPresent()
        ? Future.succeededFuture(found.get())
        : conversations.create(userId, channel, title(text)));
  }

  /** The named conversation (failing when it is not the person's) or the channel's recent one; empty: a new one. */
  private Future<Optional<UUID>> going(UUID userId, UUID requested, String channel, Duration continueWithin) {
    if (requested != null) {
      return conversations.isOwnedBy(userId, requested).compose(owned -> owned
          ? Future.succeededFuture(Optional.of(requested)) : Future.failedFuture(DomainException.notFound("conversation")));
    }
    return continueWithin == null
        ? Future.succeededFuture(Optional.empty())
        : conversations.recent(userId, channel, continueWithin);
  }

  /**
   * Starts a fresh conversation on the channel (/forget): the assistant's memory of the current one is cleared; its
   * messages and everything the person asked Aide to keep stay.
   */
  public Future<UUID> startOver(UUID userId, String channel) {
    return conversations.recent(userId, channel, Duration.ofDays(3650))
        .compose(current -> current.isPresent() ? memory.delete(current.get()) : Future.<Void>succeededFuture())
        .compose(v -> conversations.create(userId, channel, null));
  }

  /**
   * Stores the message, then asks for the reply; a failed reply leaves the message stored. Past the person's limit
   * of turns a minute, fails with {@link RateLimited} before anything is stored.
   */
  public Future<ChatReply> submit(UUID userId, UUID conversationId, String text, String source, String externalId) {
    return turns.pass(userId).compose(allowed -> ask(userId, conversations.insertUserMessage(userId, conversationId,
        text, source, externalId).map(id -> new ConversationRepository.Stored(conversationId, id)), text, source));
  }

  /**
   * The same, in the conversation {@link #conversationFor} picks, opened only once the turn is within the limit: a
   * refused turn writes nothing, not even an empty conversation. A new conversation is opened with the message in
   * one statement.
   */
  public Future<ChatReply> submit(UUID userId, UUID requested, String channel, Duration continueWithin, String text,
                                  String source, String externalId) {
    return turns.pass(userId)
        .compose(allowed -> going(userId, requested, channel, continueWithin))
        .compose(found -> ask(userId, found.isPresent()
            ? conversations.insertUserMessage(userId, found.get(), text, source, externalId)
                .map(id -> new ConversationRepository.Stored(found.get(), id))
            : conversations.startWithMessage(userId, channel, title(text), text, source, externalId), text, source));
  }

  /** Once the message is stored, asks its conversation's verticle for the reply. */
  private Future<ChatReply> ask(UUID userId, Future<ConversationRepository.Stored> storing, String text, String source) {
    return storing
        .onSuccess(stored -> vertx.eventBus().publish(ConversationBus.MESSAGE_STORED, new JsonObject()
            .put("id", stored.messageId().toString()).put("userId", userId.toString()).put("text", text)))
        .compose(stored -> vertx.eventBus().<JsonObject>request(ConversationBus.inbound(stored.conversationId()),
            new InboundMessage(userId, stored.conversationId(), stored.messageId(), text, source).toJson(), delivery))
        .map(reply -> ChatReply.fromJson(reply.body()))
        .recover(ConversationGateway::toApiError);
  }

  private static Future<ChatReply> toApiError(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return Future.failedFuture(new DomainException(DomainException.Kind.TIMED_OUT, "model_timeout",
            "The assistant took too long to answer; your message is saved"));
      }
      if (reply.failureCode() == ConversationBus.MODEL_FAILED) {
        return Future.failedFuture(new DomainException(DomainException.Kind.UNAVAILABLE, "model_unavailable", reply.getMessage()));
      }
      if (reply.failureCode() == ConversationBus.CONVERSATION_GONE) {
        return Future.failedFuture(DomainException.notFound("conversation"));
      }
      if (reply.failureCode() == ConversationBus.UNKNOWN_USER) {
        return Future.failedFuture(DomainException.unauthenticated(reply.getMessage()));
      }
      return Future.failedFuture(new DomainException(DomainException.Kind.FAILED, "The assistant failed; your message is saved"));
    }
    return Future.failedFuture(failure);
  }

  private static String title(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 59) + "…";
  }
}
