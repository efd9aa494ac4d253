package dev.aide.channel.voice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The voice API on an Aide without speech to text: transcripts from devices, answered to be spoken")
class VoiceTranscriptsTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).freshEachTest().person("ann@example.com", "UTC");

  private final Api api = aide.api();

  @Test
  @DisplayName("a transcript from a device token of scope voice is answered with the reply and its spoken form")
  void transcriptWithDeviceToken() {
    api.post("/api/v1/reminders", new JsonObject().put("text", "call mom").put("dueAt", "2026-11-18T17:00:00Z"));
    api.post("/api/v1/reminders", new JsonObject().put("text", "buy milk").put("dueAt", "2026-11-18T19:00:00Z"));
    Api watch = aide.client().as(api.post("/api/v1/tokens", new JsonObject().put("name", "watch")
        .put("scopes", new JsonArray().add("voice"))).json().getString("token"));

    Api.Response r = watch.post("/api/v1/voice/transcripts", new JsonObject().put("text", "what are my reminders?")
        .put("deviceId", "watch"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject reply = r.json().getJsonObject("reply");
    assertThat(reply.getString("text")).contains("call mom");
    String speech = reply.getString("speech");
    assertThat(speech).contains("call mom").contains("buy milk").doesNotContain("\n", "**", "- ", "http");
    assertThat(speech).doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-");
    assertThat(aide.db().number("select count(*) from messages where source = 'voice'")).isEqualTo(2);
  }

  @Test
  @DisplayName("a recording is 503 with a clear message when no speech-to-text service is configured")
  void audioWithoutSpeechToText() {
    Api.Response r = api.postForm("/api/v1/voice/audio", List.of(Api.Part.file("audio", "a.wav", "audio/wav",
        Recordings.wav(100))));

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.errorCode()).isEqualTo("speech_not_enabled");
    assertThat(r.json().getJsonObject("error").getString("message")).contains("AIDE_STT_BASE_URL")
        .contains("/api/v1/voice/transcripts");
    assertThat(aide.db().number("select count(*) from messages")).isZero();
  }
}
