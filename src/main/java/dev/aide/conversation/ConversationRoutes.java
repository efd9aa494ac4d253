package dev.aide.conversation;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** GET /conversations and GET /conversations/{id}/messages. */
public final class ConversationRoutes {

  private final ConversationRepository conversations;

  public ConversationRoutes(ConversationRepository conversations) {
    this.conversations = conversations;
  }

  public void mount(Router api) {
    api.get("/conversations").handler(ctx -> Replies.json(ctx, 200,
        conversations.list(Authenticated.userId(ctx), Params.limit(ctx, 50, 500))
            .map(list -> Replies.items(list, Conversation::toJson))));
    api.get("/conversations/:id/messages").handler(this::messages);
  }

  private void messages(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    UUID id = Params.pathId(ctx, "id", "conversation");
    int limit = Params.limit(ctx, 200, 1000);
    Replies.json(ctx, 200, conversations.isOwnedBy(userId, id)
        .compose(owned -> owned ? conversations.messages(userId, id, limit) : Future.failedFuture(DomainException.notFound("conversation")))
        .map(list -> Replies.items(list, StoredMessage::toJson)));
  }
}
