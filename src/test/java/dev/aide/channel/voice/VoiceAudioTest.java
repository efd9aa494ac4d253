package dev.aide.channel.voice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeTranscriptionServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("POST /voice/audio: a recording transcribed by the speech-to-text service, then a turn on the voice channel")
class VoiceAudioTest {

  // Wednesday 18 November 2026, 10:15 in New York.
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);
  private static final Instant TOMORROW_5PM_NEW_YORK = Instant.parse("2026-11-19T22:00:00Z");
  private static final int MAX_BYTES = 64 * 1024;

  private static final FakeTranscriptionServer stt = new FakeTranscriptionServer();

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).transcription(stt)
      .env("AIDE_STT_MAX_BYTES", String.valueOf(MAX_BYTES)).freshEachTest().person("ann@example.com",
          "America/New_York");

  private final Api api = aide.api();

  @AfterEach
  void resetFake() {
    stt.requests().clear();
    stt.transcribing("remind me to call mom tomorrow at 5pm");
  }

  /** A client with a device token of scope voice, as a phone shortcut would have. */
  private Api shortcut() {
    Api.Response made = api.post("/api/v1/tokens", new JsonObject().put("name", "Phone shortcut")
        .put("scopes", new JsonArray().add("voice")));
    return aide.client().as(made.json().getString("token"));
  }

  private static List<Api.Part> recording(byte[] audio, String filename, String type, Api.Part... fields) {
    List<Api.Part> parts = new ArrayList<>(List.of(fields));
    parts.add(Api.Part.file("audio", filename, type, audio));
    return parts;
  }

  private long storedTurns() {
    return aide.db().number("select count(*) from messages") + aide.db().number("select count(*) from conversations");
  }

  @Test
  @DisplayName("a recording from a shortcut's device token is transcribed, answered, and the reply given to be spoken")
  void happyPath() {
    stt.transcribing("Remind me to call mom tomorrow at 5pm.");
    byte[] audio = Recordings.wav(8000);

    Api.Response r = shortcut().postForm("/api/v1/voice/audio", recording(audio, "Recording 12.wav", "audio/wav",
        Api.Part.field("language", "en-US"), Api.Part.field("deviceId", "iphone")));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject body = r.json();
    assertThat(body.getString("transcript")).isEqualTo("Remind me to call mom tomorrow at 5pm.");
    assertThat(body.getJsonObject("reply").getString("text")).contains("call mom");
    assertThat(body.getJsonObject("reply").getString("speech")).contains("call mom").doesNotContain("**", "`", "\n");
    assertThat(body.getString("conversationId")).isNotNull();
    assertThat(body.getJsonArray("toolCalls").getJsonObject(0).getString("name")).isEqualTo("createReminder");
    assertThat(aide.db().value("select due_at from reminders", OffsetDateTime.class).toInstant())
        .isEqualTo(TOMORROW_5PM_NEW_YORK);
    assertThat(aide.db().number("select count(*) from messages where source = 'voice'")).isEqualTo(2);
    assertThat(aide.db().value("select external_id from messages where role = 'user'", String.class))
        .isEqualTo("iphone");

    assertThat(stt.requests()).hasSize(1);
    FakeTranscriptionServer.Request sent = stt.requests().get(0);
    assertThat(sent.authorization()).isEqualTo("Bearer stt-key");
    assertThat(sent.requestContentType()).startsWith("multipart/form-data");
    assertThat(sent.model()).isEqualTo("whisper-1");
    assertThat(sent.responseFormat()).isEqualTo("json");
    assertThat(sent.language()).isEqualTo("en");
    assertThat(sent.fileName()).isEqualTo("recording.wav");
    assertThat(sent.fileContentType()).isEqualTo("audio/wav");
    assertThat(sent.bytes().getBytes()).isEqualTo(audio);
  }

  @Test
  @DisplayName("an M4A memo sent without a type or an extension is recognised by its bytes and sent on as .m4a")
  void sniffed() {
    Api.Response r = api.postForm("/api/v1/voice/audio", recording(Recordings.m4a(), "blob", null));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(stt.requests().get(0).fileName()).isEqualTo("recording.m4a");
    assertThat(stt.requests().get(0).fileContentType()).isEqualTo("audio/mp4");
    assertThat(stt.requests().get(0).language()).isNull();
  }

  @Test
  @DisplayName("GET /me tells a client that recordings are taken here, and how large one may be")
  void capabilityInProfile() {
    JsonObject capabilities = api.get("/api/v1/me").json().getJsonObject("capabilities");
    assertThat(capabilities.getBoolean("voiceAudio")).isTrue();
    assertThat(capabilities.getLong("voiceMaxBytes")).isEqualTo(MAX_BYTES);
  }

  @Test
  @DisplayName("a recording sent with the web chat's conversation id is a turn in that conversation, which stays the "
      + "web's; without one it opens the voice conversation")
  void inTheConversationNamed() {
    stt.transcribing("remind me to call mom tomorrow at 5pm");
    String web = api.post("/api/v1/chat", new JsonObject().put("text", "hello")).json().getString("conversationId");

    Api.Response r = api.postForm("/api/v1/voice/audio", recording(Recordings.wav(800), "v.wav", "audio/wav",
        Api.Part.field("conversationId", web)));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("conversationId")).isEqualTo(web);
    assertThat(aide.db().strings("select content from messages where conversation_id = '" + web
        + "'::uuid and role = 'user' order by created_at")).containsExactly("hello", "remind me to call mom tomorrow at 5pm");
    assertThat(aide.db().number("select count(*) from messages where conversation_id = '" + web
        + "'::uuid and role = 'assistant'")).isEqualTo(2);
    assertThat(aide.db().strings("select channel from conversations")).containsExactly("web");

    String other = api.postForm("/api/v1/voice/audio", recording(Recordings.wav(800), "v.wav", "audio/wav"))
        .json().getString("conversationId");
    assertThat(other).isNotEqualTo(web);
    assertThat(aide.db().strings("select channel from conversations order by created_at")).containsExactly("web", "voice");
  }

  @Test
  @DisplayName("two recordings within 30 minutes continue one voice conversation")
  void continues() {
    Api shortcut = shortcut();
    String first = shortcut.postForm("/api/v1/voice/audio", recording(Recordings.wav(100), "a.wav", "audio/wav"))
        .json().getString("conversationId");
    String second = shortcut.postForm("/api/v1/voice/audio", recording(Recordings.wav(100), "b.wav", "audio/wav"))
        .json().getString("conversationId");
    assertThat(second).isEqualTo(first);
  }

  @Test
  @DisplayName("silence is answered in words to be spoken, with no turn and nothing stored")
  void silence() {
    stt.transcribing("   ");

    Api.Response r = shortcut().postForm("/api/v1/voice/audio", recording(Recordings.wav(800), "s.wav", "audio/wav"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("transcript")).isEmpty();
    assertThat(r.json().getJsonObject("reply").getString("speech")).isEqualTo(VoiceTurns.NOTHING_HEARD);
    assertThat(r.json().getValue("conversationId")).isNull();
    assertThat(storedTurns()).isZero();
  }

  @Test
  @DisplayName("a failing or refusing speech-to-text service is a 502 that stores nothing and leaks no key")
  void providerFails() {
    stt.answering(500, FakeTranscriptionServer.error("The server had an error processing your request.",
        "server_error"));
    Api.Response failed = api.postForm("/api/v1/voice/audio", recording(Recordings.wav(100), "a.wav", "audio/wav"));
    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.errorCode()).isEqualTo("transcription_failed");
    assertThat(failed.json().getJsonObject("error").getString("message")).contains("HTTP 500")
        .contains("nothing was stored");

    stt.answering(401, FakeTranscriptionServer.error("Incorrect API key provided: stt-key.", "invalid_request_error"));
    Api.Response refused = api.postForm("/api/v1/voice/audio", recording(Recordings.wav(100), "a.wav", "audio/wav"));
    assertThat(refused.status()).isEqualTo(502);
    assertThat(refused.body()).doesNotContain("stt-key");

    stt.answering(200, new JsonObject().put("unexpected", true));
    assertThat(api.postForm("/api/v1/voice/audio", recording(Recordings.wav(100), "a.wav", "audio/wav")).status())
        .isEqualTo(502);
    assertThat(storedTurns()).isZero();
  }

  @Test
  @DisplayName("a recording over the limit is 413, declared or streamed, and never reaches the service")
  void tooLarge() {
    byte[] big = Recordings.wav(MAX_BYTES / 2 + 100);
    Api.Response declared = api.postForm("/api/v1/voice/audio", recording(big, "big.wav", "audio/wav"));
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.errorCode()).isEqualTo("payload_too_large");

    byte[] huge = Recordings.wav(MAX_BYTES * 4);
    Api.Form form = Api.form(recording(huge, "huge.wav", "audio/wav"));
    Api.Response streamed = api.sendChunked(HttpMethod.POST, "/api/v1/voice/audio", form.body(), form.contentType());
    assertThat(streamed.status()).isEqualTo(413);

    assertThat(stt.requests()).isEmpty();
    assertThat(storedTurns()).isZero();
  }

  @Test
  @DisplayName("wrong forms are refused clearly before the service is asked: JSON, no part, empty, not audio, bad fields")
  void badForms() {
    byte[] wav = Recordings.wav(100);
    Api.Response json = api.post("/api/v1/voice/audio", new JsonObject().put("text", "hello"));
    assertThat(json.status()).isEqualTo(415);
    assertThat(json.json().getJsonObject("error").getString("message")).contains("audio=@");
    assertThat(api.send(HttpMethod.POST, "/api/v1/voice/audio", Buffer.buffer(wav), "audio/wav").status())
        .isEqualTo(415);
    assertThat(api.send(HttpMethod.POST, "/api/v1/voice/audio", null, null).status()).isEqualTo(415);

    assertThat(api.postForm("/api/v1/voice/audio", List.of(Api.Part.field("language", "en"))).status())
        .isEqualTo(422);
    assertThat(api.postForm("/api/v1/voice/audio", List.of(Api.Part.file("file", "a.wav", "audio/wav", wav)))
        .status()).isEqualTo(422);
    assertThat(api.postForm("/api/v1/voice/audio", List.of(Api.Part.file("audio", "a.wav", "audio/wav", wav),
        Api.Part.file("audio", "b.wav", "audio/wav", wav))).status()).isEqualTo(422);
    Api.Response empty = api.postForm("/api/v1/voice/audio", recording(new byte[0], "a.wav", "audio/wav"));
    assertThat(empty.status()).isEqualTo(422);
    assertThat(empty.json().getJsonObject("error").getString("message")).contains("empty");

    Api.Response text = api.postForm("/api/v1/voice/audio", recording("hello, this is not a recording"
        .getBytes(StandardCharsets.UTF_8), "note.mp3", "audio/mpeg"));
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.errorCode()).isEqualTo("unsupported_audio");
    assertThat(api.postForm("/api/v1/voice/audio", recording(wav, "a.txt", "text/plain")).status()).isEqualTo(415);
    assertThat(api.postForm("/api/v1/voice/audio", recording(Pdf.BYTES, "a.pdf", "application/octet-stream"))
        .status()).isEqualTo(415);

    assertThat(api.postForm("/api/v1/voice/audio", recording(wav, "a.wav", "audio/wav",
        Api.Part.field("language", "english"))).status()).isEqualTo(422);
    assertThat(api.postForm("/api/v1/voice/audio", recording(wav, "a.wav", "audio/wav",
        Api.Part.field("deviceId", "x\u0000y"))).status()).isEqualTo(422);
    assertThat(api.postForm("/api/v1/voice/audio", recording(wav, "a.wav", "audio/wav",
        Api.Part.field("deviceId", "d".repeat(201)))).status()).isEqualTo(422);
    assertThat(api.postForm("/api/v1/voice/audio", recording(wav, "a.wav", "audio/wav",
        Api.Part.field("conversationId", "nope"))).status()).isEqualTo(422);
    assertThat(api.postForm("/api/v1/voice/audio", recording(wav, "a.wav", "audio/wav",
        Api.Part.field("model", "gpt-4o-transcribe"))).status()).isEqualTo(422);
    assertThat(api.postForm("/api/v1/voice/audio", recording(wav, "a.wav", "audio/wav",
        Api.Part.field("language", "en"), Api.Part.field("language", "de"))).status()).isEqualTo(422);

    assertThat(stt.requests()).isEmpty();
    assertThat(storedTurns()).isZero();
  }

  @Test
  @DisplayName("another person's conversation id is not found, and nothing is transcribed for a token out of scope")
  void ownership() {
    Api bob = aide.signUp("bob@example.com", "UTC");
    String bobs = bob.post("/api/v1/chat", new JsonObject().put("text", "hello")).json().getString("conversationId");
    stt.requests().clear();

    Api.Response r = api.postForm("/api/v1/voice/audio", recording(Recordings.wav(100), "a.wav", "audio/wav",
        Api.Part.field("conversationId", bobs)));
    assertThat(r.status()).isEqualTo(404);

    Api reader = aide.client().as(api.post("/api/v1/tokens", new JsonObject().put("name", "watch")
        .put("scopes", new JsonArray().add("read").add("chat"))).json().getString("token"));
    assertThat(reader.postForm("/api/v1/voice/audio", recording(Recordings.wav(100), "a.wav", "audio/wav"))
        .status()).isEqualTo(403);
    assertThat(aide.client().postForm("/api/v1/voice/audio", recording(Recordings.wav(100), "a.wav", "audio/wav"))
        .status()).isEqualTo(401);
    assertThat(aide.db().number("select count(*) from messages m join users u on u.id = m.user_id "
        + "where u.email = 'ann@example.com'")).isZero();
  }

  /** The start of a PDF, which is no recording whatever it is called. */
  private static final class Pdf {
    static final byte[] BYTES = "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1);
  }
}
