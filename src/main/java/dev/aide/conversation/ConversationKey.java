package dev.aide.conversation;

import java.time.ZoneId;
import java.util.UUID;

/**
 * The LangChain4j memory id of one turn: whose conversation it is and which message started the turn. Tools receive
 * it through {@code @ToolMemoryId}, so they act for the conversation's user, never for one the model names.
 */
public record ConversationKey(UUID userId, UUID conversationId, UUID messageId, ZoneId timezone) {}
