package dev.aide.conversation;

import dev.aide.platform.database.Storable;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LangChain4j chat memory kept in PostgreSQL, so a conversation's history survives restarts. Within a turn the
 * memory is read once and kept here while the AI service reads and rewrites it (several times per tool call);
 * the turn then writes it once, in the transaction that stores the reply ({@link #finishTurn}), or drops it when the
 * model failed ({@link #abandonTurn}). Called on the virtual thread that runs the turn, which awaits the database: no
 * lock may be held across that wait (see {@link ConversationVerticle}).
 */
public final class PgChatMemoryStore implements ChatMemoryStore {

  private final ChatMemoryRepository repository;
  private final ConcurrentHashMap<ConversationKey, List<ChatMessage>> turns = new ConcurrentHashMap<>();

  public PgChatMemoryStore(ChatMemoryRepository repository) {
    this.repository = repository;
  }

  /** Begins the turn with the memory stored for its conversation, read with what else the turn reads first. */
  public void begin(ConversationKey key, Optional<String> stored) {
    turns.put(key, stored.map(ChatMessageDeserializer::messagesFromJson).orElseGet(List::of));
  }

  @Override
  public List<ChatMessage> getMessages(Object memoryId) {
    ConversationKey key = key(memoryId);
    List<ChatMessage> kept = turns.get(key);
    if (kept != null) {
      return kept;
    }
    // Read outside the map: awaiting inside computeIfAbsent would hold the map's bin lock while the turn is parked,
    // and a turn of another conversation hashing to the same bin would then block its virtual thread, and with it
    // the conversation verticle. Each key is used by one turn at a time, so nobody races for it.
    List<ChatMessage> stored = repository.find(key.conversationId()).await()
        .map(ChatMessageDeserializer::messagesFromJson)
        .orElseGet(List::of);
    turns.put(key, stored);
    return stored;
  }

  @Override
  public void updateMessages(Object memoryId, List<ChatMessage> messages) {
    turns.put(key(memoryId), List.copyOf(messages));
  }

  @Override
  public void deleteMessages(Object memoryId) {
    turns.remove(key(memoryId));
    repository.delete(key(memoryId).conversationId()).await();
  }

  /** Adds messages to the turn's memory: a turn answered without the model (a "yes") is remembered as it went. */
  public void append(ConversationKey key, ChatMessage... messages) {
    List<ChatMessage> all = new ArrayList<>(getMessages(key));
    all.addAll(List.of(messages));
    turns.put(key, List.copyOf(all));
  }

  /** Replaces the text of the turn's final reply, which Aide completed after the model wrote it. */
  public void replaceLastReply(ConversationKey key, String text) {
    List<ChatMessage> all = new ArrayList<>(getMessages(key));
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i) instanceof AiMessage ai && !ai.hasToolExecutionRequests()) {
        all.set(i, AiMessage.from(text));
        turns.put(key, List.copyOf(all));
        return;
      }
      if (all.get(i) instanceof ToolExecutionResultMessage) {
        break;
      }
    }
    all.add(AiMessage.from(text));
    turns.put(key, List.copyOf(all));
  }

  /**
   * The turn's memory, serialized for storing with the reply, with what the model wrote made storable (a NUL as
   * U+FFFD, as in the stored reply); empty if the turn never touched its memory.
   */
  public Optional<String> finishTurn(ConversationKey key) {
    return Optional.ofNullable(turns.remove(key)).map(ChatMessageSerializer::messagesToJson).map(Storable::jsonText);
  }

  /** Forgets what the turn changed: the stored memory stays as it was before the turn. */
  public void abandonTurn(ConversationKey key) {
    turns.remove(key);
  }

  private static ConversationKey key(Object memoryId) {
    return (ConversationKey) memoryId;
  }
}
