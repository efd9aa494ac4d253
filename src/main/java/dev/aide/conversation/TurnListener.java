package dev.aide.conversation;

/**
 * Told of each turn the model answered, after it is stored: a feature that learns from what the person says (memory
 * keeps the facts they state). Called on the turn's virtual thread, so it may await; what it throws is logged and
 * costs the turn nothing.
 */
@FunctionalInterface
public interface TurnListener {

  void turnTaken(ConversationKey key, String personsText);
}
