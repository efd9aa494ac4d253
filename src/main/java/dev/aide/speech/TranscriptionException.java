package dev.aide.speech;

/** A transcription that could not be made: the server refused, failed or heard nothing. */
public class TranscriptionException extends RuntimeException {

  private final int status;

  public TranscriptionException(String message) {
    this(message, 0);
  }

  public TranscriptionException(String message, int status) {
    super(message);
    this.status = status;
  }

  public TranscriptionException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status the server answered with, or 0 when there was no answer or it was a success. */
  public int status() {
    return status;
  }
}
