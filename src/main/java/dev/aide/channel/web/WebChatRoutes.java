package dev.aide.channel.web;

import dev.aide.auth.Authenticated;
import dev.aide.conversation.ChatReply;
import dev.aide.conversation.ConversationGateway;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** POST /chat: the web chat page's (and any API client's) way to talk to Aide. */
public final class WebChatRoutes {

  /** Longest message accepted, in characters. */
  public static final int MAX_TEXT = 16_000;

  private final ConversationGateway gateway;

  public WebChatRoutes(ConversationGateway gateway) {
    this.gateway = gateway;
  }

  public void mount(Router api) {
    api.post("/chat").handler(this::chat);
  }

  private void chat(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("text", "conversationId");
    String text = body.requiredString("text", MAX_TEXT).strip();
    UUID requested = body.optionalUuid("conversationId");
    UUID userId = Authenticated.userId(ctx);
    Replies.json(ctx, 200, gateway.submit(userId, requested, "web", null, text, "web", null)
        .map(ChatReply::toJson));
  }
}
