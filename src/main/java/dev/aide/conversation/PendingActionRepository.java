package dev.aide.conversation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Pending actions: proposed changes waiting for the person's yes, and how each ended. */
public final class PendingActionRepository {

  private static final String COLUMNS = "id, user_id, conversation_id, tool, targets, description, reason, created_at, expires_at";
  private static final String INSERT = """
      insert into pending_actions (user_id, conversation_id, asked_in, tool, targets, description, reason, created_at,
                                   expires_at)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning\s""" + COLUMNS;
  private static final String OPEN = "select " + COLUMNS + """
       from pending_actions
      where user_id = $1 and conversation_id = $2 and status = 'pending'
      order by created_at, id
      """;
  /** Takes a pending action for running: only one caller (of any instance) ever gets it, and only before it expires. */
  private static final String CLAIM = """
      update pending_actions set status = 'executing', resolved_at = $3
      where user_id = $1 and id = $2 and status = 'pending' and expires_at > $3
      """;
  private static final String FINISH = "update pending_actions set status = $3, result = $4 where user_id = $1 and id = $2";
  private static final String CLOSE = """
      update pending_actions set status = $3, resolved_at = $4
      where user_id = $1 and id = any($2) and status = 'pending'
      """;

  private final Pool pool;

  public PendingActionRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<PendingAction> insert(PendingAction action, UUID askedIn) {
    return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] {action.userId(), action.conversationId(), askedIn,
            action.tool(), action.targets(), action.description(), action.reason().column(), utc(action.createdAt()),
            utc(action.expiresAt())}))
        .map(rows -> toAction(rows.iterator().next()));
  }

  /** The conversation's actions still waiting for an answer, oldest first. */
  public Future<List<PendingAction>> open(UUID userId, UUID conversationId) {
    return pool.preparedQuery(OPEN).execute(Tuple.of(userId, conversationId)).map(rows -> {
      List<PendingAction> out = new ArrayList<>(rows.size());
      rows.forEach(row -> out.add(toAction(row)));
      return out;
    });
  }

  /** True when this caller took the action for running. */
  public Future<Boolean> claim(UUID userId, UUID id, Instant now) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(userId, id, utc(now))).map(rows -> rows.rowCount() == 1);
  }

  /** Records how a claimed action ran: done or failed, with what it answered. */
  public Future<Void> finish(UUID userId, UUID id, boolean failed, String result) {
    return pool.preparedQuery(FINISH).execute(Tuple.of(userId, id, failed ? "failed" : "done", result)).mapEmpty();
  }

  /** Ends still-pending actions without running them: declined, dismissed or expired. */
  public Future<Void> close(UUID userId, List<UUID> ids, String status, Instant now) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(CLOSE).execute(Tuple.of(userId, ids.toArray(UUID[]::new), status, utc(now))).mapEmpty();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** A pending action from a row with {@link #COLUMNS}' names (also {@link ConversationRepository#opening}'s). */
  static PendingAction toAction(Row row) {
    return new PendingAction(row.getUUID("id"), row.getUUID("user_id"), row.getUUID("conversation_id"),
        row.getString("tool"), row.getJsonObject("targets"), row.getString("description"),
        PendingAction.Reason.of(row.getString("reason")), row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("expires_at").toInstant());
  }
}
