package dev.aide.conversation;

import static dev.aide.platform.database.Blocking.join;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import java.util.List;

/**
 * LangChain4j chat memory kept in PostgreSQL, so a conversation's history survives restarts. Called by the AI service
 * on the virtual thread that runs the turn.
 */
public final class PgChatMemoryStore implements ChatMemoryStore {

  private final ChatMemoryRepository repository;

  public PgChatMemoryStore(ChatMemoryRepository repository) {
    this.repository = repository;
  }

  @Override
  public List<ChatMessage> getMessages(Object memoryId) {
    return join(repository.find(key(memoryId).conversationId()))
        .map(ChatMessageDeserializer::messagesFromJson)
        .orElseGet(List::of);
  }

  @Override
  public void updateMessages(Object memoryId, List<ChatMessage> messages) {
    ConversationKey key = key(memoryId);
    join(repository.save(key.conversationId(), key.userId(), ChatMessageSerializer.messagesToJson(messages)));
  }

  @Override
  public void deleteMessages(Object memoryId) {
    join(repository.delete(key(memoryId).conversationId()));
  }

  private static ConversationKey key(Object memoryId) {
    return (ConversationKey) memoryId;
  }
}
