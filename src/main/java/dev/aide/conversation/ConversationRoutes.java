package dev.aide.conversation;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** The person's conversations: list (and search), rename, delete, and the messages of one. */
public final class ConversationRoutes {

  /** Longest title, in characters. */
  public static final int MAX_TITLE = 200;
  /** Longest search, in characters. */
  public static final int MAX_QUERY = 200;

  private final ConversationRepository conversations;
  private final ChangeJournal journal;

  public ConversationRoutes(ConversationRepository conversations, ChangeJournal journal) {
    this.conversations = conversations;
    this.journal = journal;
  }

  public void mount(Router api) {
    api.get("/conversations").handler(this::list);
    api.get("/conversations/:id/messages").handler(this::messages);
    api.patch("/conversations/:id").handler(this::rename);
    api.delete("/conversations/:id").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    String q = ctx.queryParams().get("q");
    if (q != null && q.length() > MAX_QUERY) {
      throw DomainException.invalid("q must be at most " + MAX_QUERY + " characters");
    }
    String words = q == null || q.isBlank() ? null : q.strip();
    Replies.json(ctx, 200, conversations.list(Authenticated.userId(ctx), words, Params.limit(ctx, 50, 500))
        .map(list -> Replies.items(list, Conversation::toJson)));
  }

  private void messages(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    UUID id = Params.pathId(ctx, "id", "conversation");
    int limit = Params.limit(ctx, 200, 1000);
    Replies.json(ctx, 200, conversations.isOwnedBy(userId, id)
        .compose(owned -> owned ? conversations.messages(userId, id, limit) : Future.failedFuture(DomainException.notFound("conversation")))
        .compose(messages -> stillUndoable(userId, messages))
        .map(list -> Replies.items(list, StoredMessage::toJson)));
  }

  /** The messages, their tool calls offering Undo only where it can still be done (not undone, not expired). */
  private Future<List<StoredMessage>> stillUndoable(UUID userId, List<StoredMessage> messages) {
    List<UUID> handles = messages.stream().flatMap(m -> m.toolCalls().stream()).map(ToolCall::undo)
        .filter(Objects::nonNull).toList();
    if (handles.isEmpty()) {
      return Future.succeededFuture(messages);
    }
    return journal.undoable(userId, handles).map(open -> messages.stream().map(m -> m.toolCalls().isEmpty() ? m
        : new StoredMessage(m.id(), m.role(), m.content(), m.source(),
            m.toolCalls().stream().map(call -> call.undoableIf(open)).toList(), m.createdAt())).toList());
  }

  private void rename(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    UUID id = Params.pathId(ctx, "id", "conversation");
    JsonBody body = JsonBody.of(ctx).allowOnly("title");
    String title = body.requiredString("title", MAX_TITLE).strip();
    if (title.isEmpty()) {
      throw DomainException.invalid("title must not be blank");
    }
    Replies.json(ctx, 200, conversations.rename(userId, id, title)
        .map(found -> found.orElseThrow(() -> DomainException.notFound("conversation")).toJson()));
  }

  private void delete(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    UUID id = Params.pathId(ctx, "id", "conversation");
    Replies.noContent(ctx, conversations.delete(userId, id)
        .compose(deleted -> deleted ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("conversation"))));
  }
}
