package dev.aide.channel.sms;

/**
 * A failure Twilio's REST API reported: the HTTP status, and the documented error code and message of its error body
 * ({@code {"code": 21610, "message": "…", "more_info": "…", "status": 400}}).
 */
public final class TwilioApiException extends RuntimeException {

  /** "Attempt to send to unsubscribed recipient": the number sent STOP. */
  public static final int UNSUBSCRIBED = 21610;

  private final int status;
  private final Integer code;
  private final Integer retryAfter;

  public TwilioApiException(int status, Integer code, String message, Integer retryAfter) {
    // Never the URL or the request: neither carries a secret, but the body is a person's message.
    super("Twilio answered " + status + (code == null ? "" : " (error " + code + ")")
        + (message == null ? "" : ": " + message), null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  public Integer code() {
    return code;
  }

  /** Seconds Twilio asked to wait (Retry-After), or null. */
  public Integer retryAfter() {
    return retryAfter;
  }

  public boolean unsubscribed() {
    return code != null && code == UNSUBSCRIBED;
  }

  /** Worth trying again later: too many requests, Twilio's own failures, a rejected credential being fixed. */
  public boolean passing() {
    return status == 429 || status >= 500 || status == 401;
  }
}
