package dev.aide.conversation;

/** Event-bus addresses and failure codes of the conversation feature. */
public final class ConversationBus {

  /**
   * Request: an {@link InboundMessage} as JSON. Reply: a {@link ChatReply} as JSON. Sent to one of several lanes, by
   * conversation ({@link #inbound}), each served by one {@link ConversationVerticle}.
   */
  public static final String INBOUND = "aide.conversation.inbound";
  /**
   * How many conversation verticles answer turns: one runs one turn's code at a time (its turns interleave only while
   * they wait), so a lane per core lets the cores share the CPU work of many turns.
   */
  public static final int LANES = Math.max(2, Runtime.getRuntime().availableProcessors());

  /**
   * Published after a person's message is stored, for whoever indexes messages (the memory feature makes them
   * searchable by meaning): a JSON object of its {@code id}, {@code userId} and {@code text} as stored, so the indexer
   * need not read the message back.
   */
  public static final String MESSAGE_STORED = "aide.conversation.message-stored";

  /** The chat model failed or timed out; the person's message is kept. */
  public static final int MODEL_FAILED = 502;
  /** The conversation's user no longer exists. */
  public static final int UNKNOWN_USER = 404;
  /** The person deleted the conversation while its turn ran: nothing of the turn is stored. */
  public static final int CONVERSATION_GONE = 410;

  private ConversationBus() {}

  /** The lane of a conversation: always the same one, so the conversation's turns stay in order. */
  public static String inbound(java.util.UUID conversationId) {
    return lane(Math.floorMod(conversationId.hashCode(), LANES));
  }

  static String lane(int index) {
    return INBOUND + "." + index;
  }
}
