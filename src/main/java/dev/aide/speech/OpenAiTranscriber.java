package dev.aide.speech;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Transcribes through an OpenAI-compatible {@code POST /audio/transcriptions} endpoint (OpenAI Whisper,
 * faster-whisper-server, LocalAI, whisper.cpp server, Groq).
 */
public final class OpenAiTranscriber implements Transcriber {

  private static final String DEFAULT_MODEL = "whisper-1";
  private static final String DEFAULT_FILE_NAME = "audio";
  private static final String DEFAULT_MIME_TYPE = "application/octet-stream";

  private final WebClient client;
  private final String endpoint;
  private final String apiKey;
  private final String model;
  private final long timeoutMillis;

  /**
   * @param baseUrl the API root including its version, e.g. https://api.openai.com/v1
   * @param apiKey sent as a bearer token; null for local servers that take none
   * @param model null for "whisper-1"
   */
  public OpenAiTranscriber(WebClient client, URI baseUrl, String apiKey, String model, Duration timeout) {
    this.client = Objects.requireNonNull(client, "client");
    String base = Objects.requireNonNull(baseUrl, "baseUrl").toString();
    this.endpoint = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/audio/transcriptions";
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    this.model = model == null || model.isBlank() ? DEFAULT_MODEL : model;
    this.timeoutMillis = Objects.requireNonNull(timeout, "timeout").toMillis();
  }

  @Override
  public Future<String> transcribe(Buffer audio, String fileName, String mimeType, String language) {
    if (audio == null || audio.length() == 0) {
      return Future.failedFuture(new TranscriptionException("no audio to transcribe"));
    }
    MultipartForm form = MultipartForm.create()
        .binaryFileUpload("file", orDefault(fileName, DEFAULT_FILE_NAME), audio, orDefault(mimeType, DEFAULT_MIME_TYPE))
        .attribute("model", model)
        .attribute("response_format", "json");
    if (language != null && !language.isBlank()) {
      form.attribute("language", language);
    }
    HttpRequest<Buffer> request = client.postAbs(endpoint).timeout(timeoutMillis);
    if (apiKey != null) {
      request.bearerTokenAuthentication(apiKey);
    }
    return request.sendMultipartForm(form)
        .recover(cause -> Future.failedFuture(
            new TranscriptionException("transcription request failed: " + redact(cause.getMessage()), cause)))
        .compose(this::transcript);
  }

  private Future<String> transcript(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body = json(response.body());
    if (status < 200 || status > 299) {
      return Future.failedFuture(new TranscriptionException(redact(errorMessage(status, body)), status));
    }
    String text = body == null ? null : body.getValue("text") instanceof String s ? s : null;
    if (text == null) {
      return Future.failedFuture(new TranscriptionException("the transcription answer has no text field", status));
    }
    if (text.isBlank()) {
      return Future.failedFuture(TranscriptionException.nothingHeard(status));
    }
    return Future.succeededFuture(text.strip());
  }

  // OpenAI, LocalAI and Groq answer {"error":{"message":...}}; FastAPI-based servers such as
  // faster-whisper-server answer {"detail":"..."}.
  private static String errorMessage(int status, JsonObject body) {
    if (body != null) {
      if (body.getValue("error") instanceof JsonObject error && error.getValue("message") instanceof String m
          && !m.isBlank()) {
        return m;
      }
      if (body.getValue("error") instanceof String m && !m.isBlank()) {
        return m;
      }
      if (body.getValue("detail") instanceof String m && !m.isBlank()) {
        return m;
      }
    }
    return "transcription failed with HTTP " + status;
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return body.toJsonValue() instanceof JsonObject object ? object : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  // Some servers quote the credentials they rejected; the key must never reach logs or users.
  private String redact(String message) {
    if (message == null) {
      return "no detail";
    }
    return apiKey == null ? message : message.replace(apiKey, "[redacted]");
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
