package dev.aide.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A fake OpenAI-compatible speech-to-text server on 127.0.0.1 answering POST /v1/audio/transcriptions: it parses
 * the multipart upload, records it, and answers with the transcript or the error it is told to, in the documented
 * wire format (payload files under src/test/resources/payload/openai).
 */
public final class FakeTranscriptionServer implements AutoCloseable {

  /** One transcription request as the server received it; absent fields and headers are null. */
  public record Request(String authorization, String requestContentType, String model, String language,
      String responseFormat, String fileName, String fileContentType, Buffer bytes) {}

  /** The extensions OpenAI names in its "Invalid file format" error. */
  private static final java.util.Set<String> FORMATS =
      java.util.Set.of("flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm");
  private static final java.util.Set<String> RESPONSE_FORMATS = java.util.Set.of("json", "text", "srt",
      "verbose_json", "vtt");

  private final Vertx vertx = Vertx.vertx();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  // BodyHandler can only stream uploads to disk; keep them out of the working directory.
  private final Path uploads;
  private final HttpServer server;
  private volatile int status = 200;
  private volatile JsonObject answer;

  public FakeTranscriptionServer() {
    this.answer = FakeOpenAi.payload("transcription.json");
    try {
      this.uploads = Files.createTempDirectory("aide-fake-transcription-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Router router = Router.router(vertx);
    router.post("/v1/audio/transcriptions")
        .handler(BodyHandler.create(uploads.toString()).setDeleteUploadedFilesOnEnd(true))
        .handler(this::transcribe);
    router.route().handler(ctx -> ctx.response().setStatusCode(404).end());
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setHttp2ClearTextEnabled(false))
        .requestHandler(router);
    server.listen(0).toCompletionStage().toCompletableFuture().join();
  }

  /**
   * Checks the form as OpenAI documents it (multipart/form-data; a {@code file} part whose name's extension is a
   * supported format; {@code model} required; {@code response_format} one of json, text, srt, verbose_json, vtt;
   * {@code language} ISO-639-1), refusing a wrong one with OpenAI's 400 error body, before answering as told.
   */
  private void transcribe(RoutingContext ctx) {
    var req = ctx.request();
    String type = req.getHeader("content-type");
    if (type == null || !type.startsWith("multipart/form-data")) {
      reply(ctx, 400, error("Invalid Content-Type header (" + type + "), expected multipart/form-data",
          "invalid_request_error"));
      return;
    }
    List<FileUpload> files = ctx.fileUploads().stream().filter(f -> f.name().equals("file")).toList();
    if (files.size() != 1) {
      reply(ctx, 400, error("Could not parse multipart form: expected one 'file' part", "invalid_request_error"));
      return;
    }
    FileUpload file = files.get(0);
    String name = file.fileName() == null ? "" : file.fileName();
    String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase() : "";
    if (!FORMATS.contains(extension)) {
      reply(ctx, 400, FakeOpenAi.payload("error-invalid-file-format.json"));
      return;
    }
    String model = req.getFormAttribute("model");
    if (model == null || model.isBlank()) {
      reply(ctx, 400, error("you must provide a model parameter", "invalid_request_error"));
      return;
    }
    String format = req.getFormAttribute("response_format");
    if (format != null && !RESPONSE_FORMATS.contains(format)) {
      reply(ctx, 400, error("'" + format + "' is not one of ['json', 'text', 'srt', 'verbose_json', 'vtt'] - "
          + "'response_format'", "invalid_request_error"));
      return;
    }
    String language = req.getFormAttribute("language");
    if (language != null && !language.matches("[a-z]{2}")) {
      reply(ctx, 400, error("Invalid language '" + language + "'. Language parameter must be specified in "
          + "ISO-639-1 format.", "invalid_request_error"));
      return;
    }
    vertx.fileSystem().readFile(file.uploadedFileName()).onComplete(read -> {
      if (read.failed()) {
        reply(ctx, 500, error(read.cause().getMessage(), "server_error"));
        return;
      }
      requests.add(new Request(req.getHeader("authorization"), req.getHeader("content-type"),
          req.getFormAttribute("model"), req.getFormAttribute("language"), req.getFormAttribute("response_format"),
          file.fileName(), file.contentType(), read.result()));
      reply(ctx, status, answer);
    });
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  /** The /v1 base URL to configure for the transcriber. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** Answer every request with this transcript. */
  public FakeTranscriptionServer transcribing(String text) {
    JsonObject body = FakeOpenAi.payload("transcription.json").put("text", text);
    this.answer = body;
    this.status = 200;
    return this;
  }

  /** Answer every request with this status and body, e.g. 400 and {@link #error} or a payload file. */
  public FakeTranscriptionServer answering(int status, JsonObject body) {
    this.answer = body;
    this.status = status;
    return this;
  }

  /** An OpenAI error body: {"error":{"message","type","param","code"}}. */
  public static JsonObject error(String message, String type) {
    return new JsonObject().put("error", new JsonObject()
        .put("message", message).put("type", type).putNull("param").putNull("code"));
  }

  public List<Request> requests() {
    return requests;
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
    if (Files.exists(uploads)) {
      try (Stream<Path> paths = Files.walk(uploads)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
