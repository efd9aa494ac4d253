package dev.aide.speech;

/** A transcription that could not be made: the server refused, failed or heard nothing. */
public class TranscriptionException extends RuntimeException {

  private final int status;
  private final boolean heardNothing;

  public TranscriptionException(String message) {
    this(message, 0);
  }

  public TranscriptionException(String message, int status) {
    this(message, status, false);
  }

  private TranscriptionException(String message, int status, boolean heardNothing) {
    super(message);
    this.status = status;
    this.heardNothing = heardNothing;
  }

  public TranscriptionException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.heardNothing = false;
  }

  /** The server answered, but with an empty transcript: silence, or nothing it took for speech. */
  public static TranscriptionException nothingHeard(int status) {
    return new TranscriptionException("empty transcript", status, true);
  }

  /** The HTTP status the server answered with, or 0 when there was no answer or it was a success. */
  public int status() {
    return status;
  }

  /** Whether the recording was transcribed to nothing (rather than the transcription failing). */
  public boolean heardNothing() {
    return heardNothing;
  }
}
