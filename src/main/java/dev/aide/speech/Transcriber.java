package dev.aide.speech;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** Turns recorded speech (a voice note) into text; fails with a {@link TranscriptionException}. */
public interface Transcriber {

  /**
   * @param fileName the name the audio is sent under, e.g. "voice.oga"; servers guess the format from its extension
   * @param mimeType the audio's media type, e.g. "audio/ogg"
   * @param language an ISO-639-1 hint such as "en", or null to let the server detect it
   */
  Future<String> transcribe(Buffer audio, String fileName, String mimeType, String language);
}
