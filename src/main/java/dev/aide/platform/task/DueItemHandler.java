package dev.aide.platform.task;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.Optional;

/**
 * The shape of a handler whose task tells a person about one thing at its time (a reminder, a scheduled message, an
 * event's alert): in one transaction, the thing is locked and checked to be still due for the task's occurrence
 * ({@link ScheduledTask#occurrenceAt()}, never the time a retry runs), then told about and marked, so a task run twice
 * (a retry, a takeover) tells once: what it tells carries a key made of the thing and the occurrence. A thing changed
 * meanwhile (done, moved, deleted) is not told: its own task follows the change.
 *
 * @param <T> the thing, as {@link #due} reads it
 */
public abstract class DueItemHandler<T> implements TaskHandler {

  private final Pool pool;

  protected DueItemHandler(Pool pool) {
    this.pool = pool;
  }

  /** The thing the task is for, locked in the transaction; empty when it is gone or no longer due at this occurrence. */
  protected abstract Future<Optional<T>> due(SqlConnection tx, ScheduledTask task);

  /** Tells the person and records it on the thing, in the transaction; answers what becomes of the task. */
  protected abstract Future<TaskOutcome> tell(SqlConnection tx, T thing, ScheduledTask task);

  @Override
  public final Future<TaskOutcome> run(ScheduledTask task) {
    return inTransaction(task, this::tell);
  }

  /** The same steps with another telling: what {@link #gaveUp} may use to tell late, once more. */
  protected final Future<TaskOutcome> inTransaction(ScheduledTask task, Telling<T> telling) {
    return pool.withTransaction(tx -> due(tx, task).compose(found -> found.isEmpty()
        ? Future.succeededFuture(TaskOutcome.DONE) : telling.tell(tx, found.get(), task)));
  }

  /** One way of telling about a due thing. */
  @FunctionalInterface
  protected interface Telling<T> {
    Future<TaskOutcome> tell(SqlConnection tx, T thing, ScheduledTask task);
  }
}
