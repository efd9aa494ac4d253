package dev.aide.channel.voice;

import dev.aide.conversation.ConversationModule;
import dev.aide.platform.module.Feature;
import io.vertx.ext.web.Router;

/** Transcripts from a phone shortcut, a smart speaker or a watch: POST /api/v1/voice/transcripts. */
public final class VoiceChannel implements Feature {

  private final ConversationModule conversation;

  public VoiceChannel(ConversationModule conversation) {
    this.conversation = conversation;
  }

  @Override
  public void routes(Router api) {
    new VoiceRoutes(conversation.gateway()).mount(api);
  }
}
