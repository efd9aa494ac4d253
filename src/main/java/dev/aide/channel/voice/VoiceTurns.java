package dev.aide.channel.voice;

import dev.aide.conversation.ChatReply;
import dev.aide.conversation.ConversationGateway;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.aide.platform.input.Sizes;
import dev.aide.speech.AudioFormat;
import dev.aide.speech.Speakable;
import dev.aide.speech.Transcriber;
import dev.aide.speech.TranscriptionException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;

/**
 * Turns on the voice channel: a transcript a device made, or a recording Aide transcribes first. Transcripts within 30
 * minutes of each other continue one voice conversation, so "and also at 6" follows the request before it. Every
 * answer carries the reply rewritten to be spoken ({@link Speakable}). A recording that could not be transcribed
 * starts no turn and stores nothing.
 */
final class VoiceTurns {

  static final String CHANNEL = "voice";
  static final String NOTHING_HEARD = "I didn't hear anything in that recording. Please try again.";
  private static final Duration CONTINUE_WITHIN = Duration.ofMinutes(30);

  private final ConversationGateway gateway;
  /** Null when this Aide has no speech-to-text endpoint. */
  private final Transcriber transcriber;
  private final long maxBytes;
  // Recordings a person may send a minute: each one costs a call to the (perhaps paid) transcription service before
  // the turn limit, which counts turns, is reached.
  private final RateLimiter.Gate recordings;

  VoiceTurns(ConversationGateway gateway, Transcriber transcriber, long maxBytes, RateLimiter.Gate recordings) {
    this.gateway = gateway;
    this.transcriber = transcriber;
    this.maxBytes = maxBytes;
    this.recordings = recordings;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** A turn from a device's own transcript. */
  Future<JsonObject> transcript(UUID userId, UUID conversationId, String text, String deviceId) {
    return turn(userId, conversationId, text, deviceId);
  }

  /**
   * A turn from a recording: checked (not empty, not too large, a format the endpoints take), transcribed in the
   * given language (ISO-639-1, or null to let the server tell), then answered like a transcript.
   */
  Future<JsonObject> recording(UUID userId, UUID conversationId, Buffer audio, String language, String deviceId) {
    if (audio.length() == 0) {
      return Future.failedFuture(DomainException.invalid("the audio file is empty"));
    }
    if (audio.length() > maxBytes) {
      return Future.failedFuture(DomainException.tooLarge("The recording is larger than " + Sizes.of(maxBytes)
          + ", the most Aide takes"));
    }
    byte[] head = audio.getBytes(0, Math.min(audio.length(), 16));
    AudioFormat format = AudioFormat.sniff(head).orElse(null);
    if (format == null) {
      return Future.failedFuture(new DomainException(DomainException.Kind.UNSUPPORTED, "unsupported_audio",
          "The file is not a recording Aide can transcribe: send " + AudioFormat.NAMES));
    }
    if (transcriber == null) {
      return Future.failedFuture(new DomainException(DomainException.Kind.NOT_ENABLED, "speech_not_enabled",
          "Speech to text is not set up on this Aide (AIDE_STT_BASE_URL); send the text to "
              + "/api/v1/voice/transcripts instead"));
    }
    return recordings.pass(userId)
        .compose(v -> transcriber.transcribe(audio, "recording." + format.extension(), format.mimeType(), language))
        .compose(text -> turn(userId, conversationId, text, deviceId).map(reply -> reply.put("transcript", text)),
            failure -> failure instanceof TranscriptionException e
                ? e.heardNothing() ? Future.succeededFuture(nothingHeard()) : Future.failedFuture(failed(e))
                : Future.failedFuture(failure));
  }

  /**
   * A turn from what a caller said on a phone call: the same conversation rules as a transcript (within 30 minutes,
   * one voice conversation), the message stored under {@code externalId}; answers the reply as it should be said.
   */
  Future<String> call(UUID userId, String text, String externalId) {
    return gateway.submit(userId, null, CHANNEL, CONTINUE_WITHIN, text, CHANNEL, externalId)
        .map(reply -> Speakable.of(reply.text()));
  }

  private Future<JsonObject> turn(UUID userId, UUID conversationId, String text, String deviceId) {
    return gateway.submit(userId, conversationId, CHANNEL, CONTINUE_WITHIN, text, CHANNEL, deviceId)
        .map(VoiceTurns::spoken);
  }

  private static JsonObject spoken(ChatReply reply) {
    JsonObject json = reply.toJson();
    json.getJsonObject("reply").put("speech", Speakable.of(reply.text()));
    return json;
  }

  /** Silence is an answer, not an error: the device says it and the person tries again; no turn, nothing stored. */
  private static JsonObject nothingHeard() {
    return new JsonObject().put("transcript", "").putNull("conversationId").putNull("messageId")
        .put("reply", new JsonObject().put("text", NOTHING_HEARD).put("speech", NOTHING_HEARD))
        .put("toolCalls", new JsonArray());
  }

  // The provider's own words when it answered (they say what was wrong with the file); not the network error's,
  // which would name the server's internal address.
  private static DomainException failed(TranscriptionException e) {
    return new DomainException(DomainException.Kind.UNAVAILABLE, "transcription_failed",
        (e.status() > 0
            ? "The speech-to-text service refused the recording (HTTP " + e.status() + ": " + e.getMessage() + ")"
            : "The speech-to-text service could not be reached or did not answer in time")
            + "; nothing was stored, please try again");
  }

  /** An ISO-639-1 code from a language tag ("en", "en-US" → "en"), or null; 422 for anything else. */
  static String language(String tag) {
    if (tag == null || tag.isBlank()) {
      return null;
    }
    String primary = tag.strip().split("[-_]", 2)[0];
    if (!primary.matches("[A-Za-z]{2}") || !tag.strip().matches("[A-Za-z]{2}([-_][A-Za-z0-9]{1,8})*")) {
      throw DomainException.invalid("language must be an ISO-639-1 code such as en, or a tag such as en-US");
    }
    return primary.toLowerCase(java.util.Locale.ROOT);
  }
}
