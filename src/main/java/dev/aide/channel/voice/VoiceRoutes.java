package dev.aide.channel.voice;

import dev.aide.auth.Authenticated;
import dev.aide.conversation.ChatReply;
import dev.aide.conversation.ConversationGateway;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.UUID;

/**
 * POST /voice/transcripts: text a phone shortcut, smart speaker or watch transcribed. Transcripts within 30 minutes
 * of each other continue one voice conversation, so "and also at 6" follows the request before it.
 */
public final class VoiceRoutes {

  private static final Duration CONTINUE_WITHIN = Duration.ofMinutes(30);
  private static final int MAX_TEXT = 16_000;

  private final ConversationGateway gateway;

  public VoiceRoutes(ConversationGateway gateway) {
    this.gateway = gateway;
  }

  public void mount(Router api) {
    api.post("/voice/transcripts").handler(this::transcript);
  }

  private void transcript(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("text", "deviceId", "language", "conversationId");
    String text = body.requiredString("text", MAX_TEXT).strip();
    String deviceId = body.optionalString("deviceId", 200);
    body.optionalString("language", 35);
    UUID requested = body.optionalUuid("conversationId");
    UUID userId = Authenticated.userId(ctx);
    Replies.json(ctx, 200, gateway.submit(userId, requested, "voice", CONTINUE_WITHIN, text, "voice", deviceId)
        .map(ChatReply::toJson));
  }
}
