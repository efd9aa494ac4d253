package dev.aide.conversation;

import dev.aide.platform.database.SqlStates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Conversations, their messages, and the record of each model turn (ai responses and tool calls). */
public final class ConversationRepository {

  private static final String CREATE = "insert into conversations (user_id, channel, title) values ($1, $2, $3) returning id";
  private static final String OWNED = "select id from conversations where user_id = $1 and id = $2";
  private static final String EXISTS = "select 1 from conversations where id = $1";
  private static final String RECENT = """
      select id from conversations
      where user_id = $1 and channel = $2 and updated_at > now() - make_interval(secs => $3)
      order by updated_at desc limit 1
      """;
  private static final String INSERT_MESSAGE = """
      insert into messages (user_id, conversation_id, role, content, source, external_id, reply_to, tool_calls)
      values ($1, $2, $3, $4, $5, $6, $7, $8) returning id
      """;
  /** A person's message, and the conversation moved up the list, in one statement. */
  private static final String INSERT_USER_MESSAGE = """
      with message as (
        insert into messages (user_id, conversation_id, role, content, source, external_id, reply_to, tool_calls)
        values ($1, $2, $3, $4, $5, $6, $7, $8) returning id),
      touched as (update conversations set updated_at = now() where id = $2)
      select id from message
      """;
  /** A new conversation and its first message, the person's, in one statement. */
  private static final String START_WITH_MESSAGE = """
      with conversation as (
        insert into conversations (user_id, channel, title) values ($1, $2, $3) returning id)
      insert into messages (user_id, conversation_id, role, content, source, external_id)
      select $1, c.id, 'user', $4, $5, $6 from conversation c
      returning id, conversation_id
      """;
  /**
   * A turn's reply with, as the turn has them, the model call ($9..$14), the chat memory (the parameter after) and the
   * tool calls (the five arrays after), and the conversation moved up the list: one statement, so one round trip and
   * no transaction ({@link #recordTurn}; a BEGIN, a batch of tool calls and a COMMIT were three more). By variant: bit
   * 1 the model call, bit 2 the memory, bit 4 the tool calls.
   */
  private static final List<String> INSERT_REPLY = java.util.stream.IntStream.range(0, 8)
      .mapToObj(ConversationRepository::insertReply).toList();

  /**
   * What a turn reads of its conversation before the model, in one statement: the chat memory (on every row; null
   * when the conversation has none yet) and the open question's pending actions (a row each; none: one row of nulls).
   */
  private static final String OPENING = """
      select m.messages::text as memory, p.id, p.user_id, p.conversation_id, p.tool, p.targets, p.description, p.reason,
             p.created_at, p.expires_at
      from (select 1) as one
      left join chat_memory m on m.conversation_id = $2
      left join pending_actions p on p.user_id = $1 and p.conversation_id = $2 and p.status = 'pending'
      order by p.created_at, p.id
      """;

  private static final String INSERT_AI_RESPONSE = """
      insert into ai_responses (user_id, conversation_id, message_id, provider, model, input_tokens, output_tokens,
                                total_tokens, latency_ms, status, error)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
      """;
  private static final String LIST = """
      select id, title, channel, created_at, updated_at from conversations c
      where user_id = $1
        and ($3::text is null or strpos(lower(coalesce(c.title, '')), lower($3)) > 0
             or exists (select 1 from messages m where m.user_id = $1 and m.conversation_id = c.id
                        and strpos(lower(m.content), lower($3)) > 0))
      order by updated_at desc limit $2
      """;
  // A new title does not move the conversation up the list: only what is said in it does.
  private static final String RENAME = """
      update conversations set title = $3 where user_id = $1 and id = $2
      returning id, title, channel, created_at, updated_at
      """;
  // Its messages, tool-call records, chat memory and pending questions go with it (foreign keys cascade).
  private static final String DELETE = "delete from conversations where user_id = $1 and id = $2";
  private static final String MESSAGES = """
      select id, role, content, source, tool_calls, created_at from messages
      where user_id = $1 and conversation_id = $2 order by created_at, role desc limit $3
      """;

  private final Pool pool;

  public ConversationRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<UUID> create(UUID userId, String channel, String title) {
    return pool.preparedQuery(CREATE).execute(Tuple.of(userId, channel, title))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  public Future<Boolean> isOwnedBy(UUID userId, UUID conversationId) {
    return pool.preparedQuery(OWNED).execute(Tuple.of(userId, conversationId)).map(rows -> rows.size() == 1);
  }

  /** The user's conversation on that channel still going within the window, if any. */
  public Future<Optional<UUID>> recent(UUID userId, String channel, Duration window) {
    return pool.preparedQuery(RECENT).execute(Tuple.of(userId, channel, (double) window.toSeconds()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("id")));
  }

  /** The conversation as a turn opens it: its chat memory, if any, and the pending actions of its open question. */
  public record Opening(Optional<String> memory, List<PendingAction> pending) {}

  /** What the turn reads of the person's conversation before the model ({@link #OPENING}). */
  public Future<Opening> opening(UUID userId, UUID conversationId) {
    return pool.preparedQuery(OPENING).execute(Tuple.of(userId, conversationId)).map(rows -> {
      String memory = null;
      List<PendingAction> pending = new ArrayList<>();
      for (Row row : rows) {
        memory = row.getString("memory");
        if (row.getUUID("id") != null) {
          pending.add(PendingActionRepository.toAction(row));
        }
      }
      return new Opening(Optional.ofNullable(memory), List.copyOf(pending));
    });
  }

  /** A message stored in its conversation: the ids of both. */
  public record Stored(UUID conversationId, UUID messageId) {}

  /** Opens a conversation on the channel with the person's message in it ({@link #START_WITH_MESSAGE}). */
  public Future<Stored> startWithMessage(UUID userId, String channel, String title, String text, String source,
                                         String externalId) {
    return pool.preparedQuery(START_WITH_MESSAGE)
        .execute(Tuple.from(new Object[] {userId, channel, title, text, source, externalId}))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Stored(row.getUUID("conversation_id"), row.getUUID("id"));
        });
  }

  public Future<UUID> insertUserMessage(UUID userId, UUID conversationId, String text, String source, String externalId) {
    return pool.preparedQuery(INSERT_USER_MESSAGE)
        .execute(Tuple.from(new Object[] {userId, conversationId, "user", text, source, externalId, null, null}))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  /** The statement of {@link #INSERT_REPLY}'s variant, its parameters numbered in the order the parts come. */
  private static String insertReply(int variant) {
    StringBuilder sql = new StringBuilder("""
        with reply as (
          insert into messages (user_id, conversation_id, role, content, source, external_id, reply_to, tool_calls)
          values ($1, $2, $3, $4, $5, $6, $7, $8) returning id),
        """);
    int next = 9;
    if ((variant & 1) != 0) {
      sql.append("""
          usage as (
            insert into ai_responses (user_id, conversation_id, message_id, provider, model, input_tokens, output_tokens,
                                      total_tokens, latency_ms, status, error)
            values ($1, $2, (select id from reply), $9, $10, $11, $12, $13, $14, 'ok', null)),
          """);
      next = 15;
    }
    if ((variant & 2) != 0) {
      sql.append("""
          memory as (
            insert into chat_memory (conversation_id, user_id, messages) values ($2, $1, $%d::text::jsonb)
            on conflict (conversation_id) do update set messages = excluded.messages, updated_at = now()),
          """.formatted(next++));
    }
    if ((variant & 4) != 0) {
      sql.append("""
          tools as (
            insert into tool_calls (user_id, conversation_id, message_id, tool, arguments, result, status, duration_ms)
            select $1, $2, (select id from reply), t.tool, t.arguments::jsonb, t.result, t.status, t.duration_ms
            from unnest($%d::text[], $%d::text[], $%d::text[], $%d::text[], $%d::int[])
              as t(tool, arguments, result, status, duration_ms)),
          """.formatted(next, next + 1, next + 2, next + 3, next + 4));
    }
    return sql.append("""
        touched as (update conversations set updated_at = now() where id = $2)
        select id from reply
        """).toString();
  }

  /** Stores a completed turn at once, in one statement: the reply, the model call, the chat memory, every tool call. */
  public Future<UUID> recordTurn(Turn turn) {
    ConversationKey key = turn.key();
    List<ToolCall> toolCalls = turn.toolCalls();
    JsonArray calls = new JsonArray(toolCalls.stream().map(ToolCall::toJson).toList());
    List<Object> args = new ArrayList<>(20);
    args.addAll(java.util.Arrays.asList(key.userId(), key.conversationId(), "assistant", turn.reply(), turn.source(),
        null, key.messageId(), calls));
    ModelUsage usage = turn.usage();
    if (usage != null) {
      args.addAll(java.util.Arrays.asList(usage.provider(), usage.model(), usage.inputTokens(), usage.outputTokens(),
          usage.totalTokens(), (int) usage.latency().toMillis()));
    }
    if (turn.memoryJson() != null) {
      args.add(turn.memoryJson());
    }
    if (!toolCalls.isEmpty()) {
      args.add(toolCalls.stream().map(ToolCall::name).toArray(String[]::new));
      args.add(toolCalls.stream().map(call -> call.arguments() == null ? null : call.arguments().encode())
          .toArray(String[]::new));
      args.add(toolCalls.stream().map(ToolCall::result).toArray(String[]::new));
      args.add(toolCalls.stream().map(call -> call.failed() ? "failed" : "ok").toArray(String[]::new));
      args.add(toolCalls.stream().map(call -> (int) call.durationMs()).toArray(Integer[]::new));
    }
    String sql = INSERT_REPLY.get((usage != null ? 1 : 0) | (turn.memoryJson() != null ? 2 : 0)
        | (toolCalls.isEmpty() ? 0 : 4));
    return pool.preparedQuery(sql).execute(Tuple.from(args.toArray()))
        .map(rows -> rows.iterator().next().getUUID("id"))
        .recover(e -> gone(e, key));
  }

  /** Records a model call that failed; the person's message stays stored (unless they deleted the conversation). */
  public Future<Void> recordFailure(ConversationKey key, ModelUsage usage, String error) {
    return insertAiResponse(pool, key, null, usage, error)
        .recover(e -> this.<Void>gone(e, key).recover(g -> g instanceof ConversationException
            ? Future.succeededFuture() : Future.failedFuture(g)));
  }

  /**
   * A turn's record refused by a foreign key because the person deleted the conversation while the turn ran: the
   * turn ends as {@link ConversationBus#CONVERSATION_GONE}, its transaction rolled back; any other failure as it was.
   */
  private <T> Future<T> gone(Throwable failure, ConversationKey key) {
    if (!SqlStates.isForeignKeyViolation(failure)) {
      return Future.failedFuture(failure);
    }
    return pool.preparedQuery(EXISTS).execute(Tuple.of(key.conversationId())).transform(ar ->
        ar.succeeded() && ar.result().size() == 0
            ? Future.failedFuture(new ConversationException(ConversationBus.CONVERSATION_GONE,
                "The conversation was deleted"))
            : Future.failedFuture(failure));
  }

  /** The person's conversations, last spoken in first; with {@code words}, those whose title or messages hold them. */
  public Future<List<Conversation>> list(UUID userId, String words, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(userId, limit, words)).map(rows -> {
      List<Conversation> list = new ArrayList<>(rows.size());
      for (Row row : rows) {
        list.add(toConversation(row));
      }
      return list;
    });
  }

  /** The renamed conversation, or empty when the person has none of that id. */
  public Future<Optional<Conversation>> rename(UUID userId, UUID conversationId, String title) {
    return pool.preparedQuery(RENAME).execute(Tuple.of(userId, conversationId, title))
        .map(rows -> rows.size() == 0 ? Optional.<Conversation>empty() : Optional.of(toConversation(rows.iterator().next())));
  }

  /** Whether the person had a conversation of that id (now deleted with everything said in it). */
  public Future<Boolean> delete(UUID userId, UUID conversationId) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(userId, conversationId)).map(rows -> rows.rowCount() == 1);
  }

  private static Conversation toConversation(Row row) {
    return new Conversation(row.getUUID("id"), row.getString("title"), row.getString("channel"),
        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }

  public Future<List<StoredMessage>> messages(UUID userId, UUID conversationId, int limit) {
    return pool.preparedQuery(MESSAGES).execute(Tuple.of(userId, conversationId, limit)).map(rows -> {
      List<StoredMessage> list = new ArrayList<>(rows.size());
      for (Row row : rows) {
        JsonArray stored = row.getJsonArray("tool_calls");
        List<ToolCall> calls = stored == null ? List.of()
            : stored.stream().map(o -> ToolCall.fromJson((JsonObject) o)).toList();
        list.add(new StoredMessage(row.getUUID("id"), row.getString("role"), row.getString("content"),
            row.getString("source"), calls, row.getOffsetDateTime("created_at")));
      }
      return list;
    });
  }

  private static Future<Void> insertAiResponse(SqlClient client, ConversationKey key, UUID replyId, ModelUsage usage,
                                               String error) {
    return client.preparedQuery(INSERT_AI_RESPONSE)
        .execute(Tuple.from(new Object[] {key.userId(), key.conversationId(), replyId, usage.provider(), usage.model(),
            usage.inputTokens(), usage.outputTokens(), usage.totalTokens(), (int) usage.latency().toMillis(),
            error == null ? "ok" : "failed", error}))
        .mapEmpty();
  }

  /** What one turn produced, ready to store; no usage when no model was called (the person answered a question). */
  public record Turn(ConversationKey key, String source, String reply, List<ToolCall> toolCalls, ModelUsage usage,
                     String memoryJson) {}

  /** Which model answered, with what token counts (null when the provider does not report them) and latency. */
  public record ModelUsage(String provider, String model, Integer inputTokens, Integer outputTokens,
                           Integer totalTokens, Duration latency) {}
}
