package dev.aide.channel.voice;

import dev.aide.channel.ChannelsModule;
import dev.aide.conversation.ConversationModule;
import dev.aide.platform.http.Upload;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import dev.aide.platform.ratelimit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The voice API for a phone shortcut, a smart speaker or a watch: POST /api/v1/voice/transcripts (the device's own
 * transcript) and POST /api/v1/voice/audio (a recording, transcribed by the configured speech-to-text endpoint).
 */
public final class VoiceChannel implements Feature {

  private final Platform platform;
  private final VoiceTurns turns;

  public VoiceChannel(Platform platform, ConversationModule conversation, ChannelsModule channels) {
    this.platform = platform;
    var config = platform.config();
    this.turns = new VoiceTurns(conversation.gateway(), channels.transcriber().orElse(null), config.stt().maxBytes(),
        platform.limiter().gate(new RateLimiter.Window("voice-recordings", config.limits().chatTurnsPerMinute(),
            Duration.ofMinutes(1), "Too many recordings in a minute")));
  }

  /**
   * A turn on the voice channel from what a caller said on a phone call (the Twilio channel's), through the same path
   * as a device's transcript, so tools, confirmations and memory work alike; answers the reply as it should be said
   * (empty when there is nothing to say). Fails as the conversation fails (rate limit, model down or too slow).
   */
  public Future<String> phoneTurn(UUID userId, String text, String externalId) {
    return turns.call(userId, text, externalId);
  }

  @Override
  public void routes(Router api) {
    new VoiceRoutes(platform.vertx(), turns).mount(api);
  }

  @Override
  public List<Upload> uploads() {
    return List.of(VoiceRoutes.upload(turns.maxBytes()));
  }
}
