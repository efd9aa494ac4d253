package dev.aide.conversation;

/** Event-bus addresses and failure codes of the conversation feature. */
public final class ConversationBus {

  /** Request: an {@link InboundMessage} as JSON. Reply: a {@link ChatReply} as JSON. */
  public static final String INBOUND = "aide.conversation.inbound";

  /** The chat model failed or timed out; the person's message is kept. */
  public static final int MODEL_FAILED = 502;
  /** The conversation's user no longer exists. */
  public static final int UNKNOWN_USER = 404;

  private ConversationBus() {}
}
