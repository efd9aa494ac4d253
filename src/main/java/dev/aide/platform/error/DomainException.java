package dev.aide.platform.error;

/**
 * A request Aide refuses or cannot complete, said in the domain's terms: what kind of failure it is ({@link Kind}), a
 * stable code a program can branch on, and a sentence for a person. Services, repositories and tools throw it (or fail
 * a future with it); each edge maps it once — HTTP to a status and the error JSON ({@code platform.http.Errors}), a
 * tool call to an "Error: …" text the model can explain ({@code conversation.ToolResults}), a messaging channel to a
 * message ({@code channel.InboxHandler}). Thrown only after nothing was changed: an error means nothing happened.
 */
public class DomainException extends RuntimeException {

  /** What went wrong, as the person or the program that asked would put it. */
  public enum Kind {
    /** The request cannot be read at all (not JSON, not an object, an empty body). */
    MALFORMED("bad_request"),
    /** The request reads, but a value breaks a rule (a blank text, a date in 1700, a rule that never occurs). */
    INVALID("validation_failed"),
    /** The request is in a form Aide does not take (not JSON where JSON is expected, not an .ics file). */
    UNSUPPORTED("unsupported_media_type"),
    /** What was sent is larger than Aide takes (a document over its size limit). */
    TOO_LARGE("payload_too_large"),
    /** The thing asked for does not exist, or is not the asker's. */
    NOT_FOUND("not_found"),
    /** The thing is in a state the request does not fit (already sent, already imported, an email taken). */
    CONFLICT("conflict"),
    /** Who is asking is not known (no session, an expired one, a wrong password at sign-in). */
    UNAUTHENTICATED("unauthorized"),
    /** Who is asking is known but may not do this. */
    FORBIDDEN("forbidden"),
    /** Too many requests of this kind from this person or address just now; see {@code RateLimited}. */
    LIMITED("too_many_requests"),
    /** Something Aide depends on (the model) failed; what the person sent is kept. */
    UNAVAILABLE("unavailable"),
    /** A part of Aide this server was not set up for (speech to text without its endpoint configured). */
    NOT_ENABLED("not_enabled"),
    /** Something Aide depends on (the model) did not answer in time; what the person sent is kept. */
    TIMED_OUT("timeout"),
    /** Aide itself failed. */
    FAILED("internal_error");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    /** The code an error of this kind carries unless it names a more precise one. */
    public String code() {
      return code;
    }
  }

  private final Kind kind;
  private final String code;

  public DomainException(Kind kind, String code, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
  }

  public DomainException(Kind kind, String message) {
    this(kind, kind.code(), message);
  }

  public Kind kind() {
    return kind;
  }

  /** The stable code (the error JSON's {@code code}), e.g. {@code validation_failed} or {@code email_taken}. */
  public String code() {
    return code;
  }

  public static DomainException malformed(String message) {
    return new DomainException(Kind.MALFORMED, message);
  }

  public static DomainException invalid(String message) {
    return new DomainException(Kind.INVALID, message);
  }

  public static DomainException tooLarge(String message) {
    return new DomainException(Kind.TOO_LARGE, message);
  }

  public static DomainException notFound(String what) {
    return new DomainException(Kind.NOT_FOUND, what + " not found");
  }

  public static DomainException conflict(String message) {
    return new DomainException(Kind.CONFLICT, message);
  }

  public static DomainException unauthenticated(String message) {
    return new DomainException(Kind.UNAUTHENTICATED, message);
  }

  public static DomainException forbidden(String message) {
    return new DomainException(Kind.FORBIDDEN, message);
  }
}
