package dev.aide.channel.sms;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The turns of phone calls: one per thing a caller said (the call's SID and the number of its Gather), started once
 * however often Twilio delivers the callback, and answered here for whichever instance Twilio asks next.
 */
final class CallRepository {

  private static final String START = """
      insert into call_turns (call_sid, seq, number) values ($1, $2, $3)
      on conflict (call_sid, seq) do nothing returning seq
      """;
  private static final String FINISH = """
      update call_turns set state = $3, answer = $4, answered_at = now()
      where call_sid = $1 and seq = $2 and state = 'running'
      """;
  // The number must match too: a call's SID alone is not enough to hear its answers.
  private static final String FIND = """
      select state, answer from call_turns where call_sid = $1 and seq = $2 and number = $3
      """;
  private static final String DELETE_OLD = """
      delete from call_turns where ctid = any(array(select ctid from call_turns where started_at < $1 limit $2))
      """;

  /** A turn as a caller may hear of it: running, or answered (or failed) with what to say. */
  record Turn(String state, String answer) {
    static final String RUNNING = "running";
    static final String ANSWERED = "answered";
    static final String FAILED = "failed";

    boolean running() {
      return RUNNING.equals(state);
    }
  }

  private final Pool pool;

  CallRepository(Pool pool) {
    this.pool = pool;
  }

  /** Records the turn as running; false when it was started before (a redelivered callback). */
  Future<Boolean> start(String callSid, int seq, String number) {
    return pool.preparedQuery(START).execute(Tuple.of(callSid, seq, number)).map(rows -> rows.size() > 0);
  }

  /** The turn's answer, once: an answer already recorded stays. */
  Future<Void> finish(String callSid, int seq, Turn turn) {
    return pool.preparedQuery(FINISH).execute(Tuple.of(callSid, seq, turn.state(), turn.answer())).mapEmpty();
  }

  /** The turn of this call and number; empty for another caller's, or none. */
  Future<Optional<Turn>> find(String callSid, int seq, String number) {
    return pool.preparedQuery(FIND).execute(Tuple.of(callSid, seq, number)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Turn(row.getString("state"), row.getString("answer")));
    });
  }

  /** Deletes up to {@code limit} turns started before {@code before}; answers how many went. */
  Future<Integer> deleteOld(OffsetDateTime before, int limit) {
    return pool.preparedQuery(DELETE_OLD).execute(Tuple.of(before, limit)).map(rows -> rows.rowCount());
  }
}
