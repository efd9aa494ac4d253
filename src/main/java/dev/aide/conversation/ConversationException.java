package dev.aide.conversation;

/** A turn that could not be answered, with the event-bus failure code of {@link ConversationBus}. */
public class ConversationException extends RuntimeException {

  private final int code;

  public ConversationException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
