package dev.aide.connect;

/**
 * A CalDAV server could not be used: what went wrong, in words a person reads on their account. The message never
 * holds a password or a header; it names the server by its URL only.
 */
final class CalDavException extends RuntimeException {

  /** What kind of failure: it decides the error code of a refused connection. */
  enum Reason {
    UNAUTHORIZED("account_unauthorized"),
    UNREACHABLE("account_unreachable"),
    TLS("account_tls"),
    NOT_CALDAV("account_not_caldav"),
    PROTOCOL("account_protocol"),
    REFUSED_ADDRESS("account_address_refused");

    final String code;

    Reason(String code) {
      this.code = code;
    }
  }

  private final Reason reason;

  CalDavException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }
}
