package dev.aide.channel.voice;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Replies;
import dev.aide.platform.http.Upload;
import dev.aide.platform.input.Sizes;
import dev.aide.platform.input.Texts;
import dev.aide.speech.AudioFormat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The voice API, for a phone shortcut, a smart speaker or a watch (with a session or a device token of scope voice):
 * POST /voice/transcripts {text, deviceId?, language?, conversationId?} with the device's own transcript, and POST
 * /voice/audio, a multipart form with the recording in a part named {@code audio} (and maybe the fields language,
 * deviceId, conversationId), which Aide transcribes. Both answer like /chat, with {@code reply.speech}, the reply to be
 * spoken; /voice/audio adds the {@code transcript}.
 */
final class VoiceRoutes {

  static final String AUDIO = "/voice/audio";
  private static final String AUDIO_PART = "audio";
  private static final Set<String> AUDIO_FIELDS = Set.of("language", "deviceId", "conversationId");
  private static final int MAX_TEXT = 16_000;
  private static final int MAX_DEVICE_ID = 200;

  private final Vertx vertx;
  private final VoiceTurns turns;

  VoiceRoutes(Vertx vertx, VoiceTurns turns) {
    this.vertx = vertx;
    this.turns = turns;
  }

  /** The route that takes recordings, and their limit. */
  static Upload upload(long maxBytes) {
    return new Upload(HttpMethod.POST, AUDIO, maxBytes);
  }

  void mount(Router api) {
    api.post("/voice/transcripts").handler(this::transcript);
    api.post(AUDIO).handler(this::audio);
  }

  private void transcript(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("text", "deviceId", "language", "conversationId");
    String text = body.requiredString("text", MAX_TEXT).strip();
    String deviceId = body.optionalString("deviceId", MAX_DEVICE_ID);
    body.optionalString("language", 35);
    UUID requested = body.optionalUuid("conversationId");
    Replies.json(ctx, 200, turns.transcript(Authenticated.userId(ctx), requested, text, deviceId));
  }

  /**
   * The recording is read from its temporary file and the file deleted before the turn; whatever else the form
   * carried is deleted when the request is answered.
   */
  private void audio(RoutingContext ctx) {
    UUID userId = Authenticated.userId(ctx);
    String type = ctx.request().getHeader("content-type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw new DomainException(DomainException.Kind.UNSUPPORTED, "Send the recording as multipart/form-data with "
          + "the file in a part named audio, e.g. curl -F audio=@note.m4a");
    }
    List<FileUpload> files = ctx.fileUploads();
    for (FileUpload file : files) {
      if (!AUDIO_PART.equals(file.name())) {
        throw DomainException.invalid("unknown file part " + printable(file.name())
            + ": send the recording in a part named audio");
      }
    }
    if (files.isEmpty()) {
      throw DomainException.invalid("the form has no recording: send it in a part named audio, "
          + "e.g. curl -F audio=@note.m4a");
    }
    if (files.size() > 1) {
      throw DomainException.invalid("send one recording per request");
    }
    var form = ctx.request().formAttributes();
    for (String name : form.names()) {
      if (!AUDIO_FIELDS.contains(name)) {
        throw DomainException.invalid("unknown field " + printable(name));
      }
      if (form.getAll(name).size() > 1) {
        throw DomainException.invalid(name + " is given more than once");
      }
    }
    String language = VoiceTurns.language(field(ctx, "language", 35));
    String deviceId = field(ctx, "deviceId", MAX_DEVICE_ID);
    UUID requested = uuid(field(ctx, "conversationId", 64));
    FileUpload file = files.get(0);
    if (!AudioFormat.plausible(file.contentType())) {
      throw new DomainException(DomainException.Kind.UNSUPPORTED, "unsupported_audio", "The audio part is "
          + printable(file.contentType()) + ", not a recording: send " + AudioFormat.NAMES);
    }
    if (file.size() > turns.maxBytes()) {
      throw DomainException.tooLarge("The recording is larger than "
          + Sizes.of(turns.maxBytes()) + ", the most Aide takes");
    }
    Future<JsonObject> answer = vertx.fileSystem().readFile(file.uploadedFileName())
        .compose(bytes -> file.delete().otherwiseEmpty().map(bytes))
        .compose(bytes -> turns.recording(userId, requested, bytes, language, deviceId));
    Replies.json(ctx, 200, answer);
  }

  /** A form field, trimmed (blank is absent), of characters a person types and at most max long. */
  private static String field(RoutingContext ctx, String name, int max) {
    return Texts.optional(ctx.request().getFormAttribute(name), name, max);
  }

  private static UUID uuid(String value) {
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("conversationId must be a UUID");
    }
  }

  /** A name from the request fit for an error message: control characters shown as '?', at most 60 characters. */
  private static String printable(String name) {
    if (name == null) {
      return "(none)";
    }
    String shown = name.codePoints().map(c -> c < 0x20 ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return shown.length() > 60 ? shown.substring(0, 60) + "…" : shown;
  }
}
