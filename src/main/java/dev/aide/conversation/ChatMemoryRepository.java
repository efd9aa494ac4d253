package dev.aide.conversation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/** The serialized LangChain4j chat memory of each conversation (saved with the turn: ConversationRepository.recordTurn). */
public final class ChatMemoryRepository {

  private static final String SELECT = "select messages::text as messages from chat_memory where conversation_id = $1";
  private static final String DELETE = "delete from chat_memory where conversation_id = $1";

  private final Pool pool;

  public ChatMemoryRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<String>> find(UUID conversationId) {
    return pool.preparedQuery(SELECT).execute(Tuple.of(conversationId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("messages")));
  }

  public Future<Void> delete(UUID conversationId) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(conversationId)).mapEmpty();
  }
}
