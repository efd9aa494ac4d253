package dev.aide.conversation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/** The serialized LangChain4j chat memory of each conversation. */
public final class ChatMemoryRepository {

  private static final String SELECT = "select messages::text as messages from chat_memory where conversation_id = $1";
  private static final String UPSERT = """
      insert into chat_memory (conversation_id, user_id, messages) values ($1, $2, $3::text::jsonb)
      on conflict (conversation_id) do update set messages = excluded.messages, updated_at = now()
      """;
  private static final String DELETE = "delete from chat_memory where conversation_id = $1";

  private final Pool pool;

  public ChatMemoryRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<String>> find(UUID conversationId) {
    return pool.preparedQuery(SELECT).execute(Tuple.of(conversationId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("messages")));
  }

  /** Saves in the caller's transaction. */
  public Future<Void> save(SqlClient client, UUID conversationId, UUID userId, String messagesJson) {
    return client.preparedQuery(UPSERT).execute(Tuple.of(conversationId, userId, messagesJson)).mapEmpty();
  }

  public Future<Void> delete(UUID conversationId) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(conversationId)).mapEmpty();
  }
}
