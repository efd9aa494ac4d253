package dev.aide.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aide.support.FakeOpenAi;
import dev.aide.support.FakeTranscriptionServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The OpenAI-compatible transcriber sends a voice note as multipart and reads back the transcript")
class OpenAiTranscriberTest {

  private static final String KEY = "sk-test-transcription-key";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static WebClient client;
  private static FakeTranscriptionServer server;
  private Transcriber transcriber;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    server = new FakeTranscriptionServer();
  }

  @AfterAll
  static void stop() {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @BeforeEach
  void reset() {
    server.requests().clear();
    server.transcribing("Remind me to call mom tomorrow at five.");
    transcriber = new OpenAiTranscriber(client, URI.create(server.baseUrl()), KEY, "whisper-large-v3", TIMEOUT);
  }

  @Test
  @DisplayName("the transcript in the answer comes back")
  void transcriptComesBack() {
    server.answering(200, FakeOpenAi.payload("transcription.json"));

    String text = join(transcriber.transcribe(voiceNote(), "voice.oga", "audio/ogg", "en"));

    assertThat(text).isEqualTo(FakeOpenAi.payload("transcription.json").getString("text"));
  }

  @Test
  @DisplayName("the request carries the audio bytes, file name, content type, model, language, json format and the bearer key")
  void requestCarriesEverything() {
    Buffer audio = voiceNote();

    join(transcriber.transcribe(audio, "voice.oga", "audio/ogg", "de"));

    assertThat(server.requests()).hasSize(1);
    FakeTranscriptionServer.Request request = server.requests().get(0);
    assertThat(request.requestContentType()).startsWith("multipart/form-data");
    assertThat(request.bytes()).isEqualTo(audio);
    assertThat(request.fileName()).isEqualTo("voice.oga");
    assertThat(request.fileContentType()).isEqualTo("audio/ogg");
    assertThat(request.model()).isEqualTo("whisper-large-v3");
    assertThat(request.language()).isEqualTo("de");
    assertThat(request.responseFormat()).isEqualTo("json");
    assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
  }

  @Test
  @DisplayName("without a key, model or language it sends no authorization, asks for whisper-1 and lets the server detect the language")
  void defaults() {
    Transcriber local = new OpenAiTranscriber(client, URI.create(server.baseUrl() + "/"), null, null, TIMEOUT);

    String text = join(local.transcribe(voiceNote(), "voice.oga", "audio/ogg", null));

    assertThat(text).isEqualTo("Remind me to call mom tomorrow at five.");
    FakeTranscriptionServer.Request request = server.requests().get(0);
    assertThat(request.authorization()).isNull();
    assertThat(request.model()).isEqualTo("whisper-1");
    assertThat(request.language()).isNull();
  }

  @Test
  @DisplayName("an error status fails with the server's message and status")
  void errorStatusFails() {
    server.answering(400, FakeOpenAi.payload("error-invalid-file-format.json"));

    assertThatThrownBy(() -> join(transcriber.transcribe(voiceNote(), "voice.oga", "audio/ogg", "en")))
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(TranscriptionException.class)
        .hasMessage("Invalid file format. Supported formats: "
            + "['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']")
        .extracting(e -> ((TranscriptionException) e).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("an error that quotes the rejected key does not carry the key on")
  void errorNeverCarriesTheKey() {
    server.answering(401,
        FakeTranscriptionServer.error("Incorrect API key provided: " + KEY + ".", "invalid_request_error"));

    assertThatThrownBy(() -> join(transcriber.transcribe(voiceNote(), "voice.oga", "audio/ogg", "en")))
        .cause().isInstanceOf(TranscriptionException.class)
        .hasMessage("Incorrect API key provided: [redacted].")
        .hasMessageNotContaining(KEY);
  }

  @Test
  @DisplayName("an empty transcript fails, as does one of only whitespace")
  void emptyTranscriptFails() {
    for (String empty : new String[] {"", "  \n "}) {
      server.transcribing(empty);

      assertThatThrownBy(() -> join(transcriber.transcribe(voiceNote(), "voice.oga", "audio/ogg", "en")))
          .cause().isInstanceOf(TranscriptionException.class)
          .hasMessage("empty transcript");
    }
  }

  @Test
  @DisplayName("a server that cannot be reached fails with a transcription error")
  void unreachableServerFails() {
    String gone;
    try (FakeTranscriptionServer closed = new FakeTranscriptionServer()) {
      gone = closed.baseUrl();
    }
    Transcriber unreachable = new OpenAiTranscriber(client, URI.create(gone), KEY, null, TIMEOUT);

    assertThatThrownBy(() -> join(unreachable.transcribe(voiceNote(), "voice.oga", "audio/ogg", "en")))
        .cause().isInstanceOf(TranscriptionException.class)
        .hasMessageStartingWith("transcription request failed");
  }

  /** Every byte value, behind an Ogg page marker, so any text-mode mangling of the upload shows. */
  private static Buffer voiceNote() {
    Buffer audio = Buffer.buffer("OggS");
    for (int i = 0; i < 4096; i++) {
      audio.appendByte((byte) i);
    }
    return audio;
  }

  private static <T> T join(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }
}
