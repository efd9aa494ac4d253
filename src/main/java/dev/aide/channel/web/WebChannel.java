package dev.aide.channel.web;

import dev.aide.conversation.ConversationModule;
import dev.aide.platform.module.Feature;
import io.vertx.ext.web.Router;

/** The web chat: POST /api/v1/chat (the page itself is served by the HTTP server). */
public final class WebChannel implements Feature {

  private final ConversationModule conversation;

  public WebChannel(ConversationModule conversation) {
    this.conversation = conversation;
  }

  @Override
  public void routes(Router api) {
    new WebChatRoutes(conversation.gateway()).mount(api);
  }
}
