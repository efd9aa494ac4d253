package dev.aide.platform.task;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape of a handler whose task tells a person about one thing at its time (a reminder, a scheduled message, an
 * event's alert): in one transaction, the thing is locked and checked to be still due for the task's occurrence
 * ({@link ScheduledTask#occurrenceAt()}, never the time a retry runs), then told about and marked, so a task run twice
 * (a retry, a takeover) tells once: what it tells carries a key made of the thing and the occurrence. A thing changed
 * meanwhile (done, moved, deleted) is not told: its own task follows the change.
 *
 * <p>Tasks due together may be told together: one transaction for the batch, their things read ({@link #dueAll}) and
 * told ({@link #tellAll}) with the statements of each step sent at once on its connection (the client pipelines
 * them) or as one set-based statement, and one commit. When anything in it fails (a row locked elsewhere for more
 * than five seconds too), nothing of it is kept and each task runs again in a transaction of its own, one after
 * another, so a task that cannot be told fails alone and the others are told once.
 *
 * @param <T> the thing, as {@link #due} reads it
 */
public abstract class DueItemHandler<T> implements TaskHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DueItemHandler.class);

  /**
   * Tasks told together in one transaction by a handler that batches: enough that a commit and the round trips'
   * waiting are shared by many, few enough that a batch holds its connection only briefly.
   */
  protected static final int BATCH = 250;
  /** How long a batch waits for a row another transaction holds before it fails and each task runs alone. */
  private static final String LOCK_WAIT = "set local lock_timeout = '5s'";

  private final Pool pool;
  private final int batchSize;

  /** A handler that tells each task in a transaction of its own. */
  protected DueItemHandler(Pool pool) {
    this(pool, 1);
  }

  /** A handler that tells up to {@code batchSize} tasks due together in one transaction. */
  protected DueItemHandler(Pool pool, int batchSize) {
    this.pool = pool;
    this.batchSize = batchSize;
  }

  /** The thing the task is for, locked in the transaction; empty when it is gone or no longer due at this occurrence. */
  protected abstract Future<Optional<T>> due(SqlConnection tx, ScheduledTask task);

  /** Tells the person and records it on the thing, in the transaction; answers what becomes of the task. */
  protected abstract Future<TaskOutcome> tell(SqlConnection tx, T thing, ScheduledTask task);

  @Override
  public final Future<TaskOutcome> run(ScheduledTask task) {
    return inTransaction(task, this::tell);
  }

  @Override
  public final int batchSize() {
    return batchSize;
  }

  @Override
  public final List<Future<TaskOutcome>> runAll(List<ScheduledTask> tasks) {
    if (tasks.size() == 1) {
      return List.of(runGuarded(tasks.get(0)));
    }
    // A row another transaction holds fails the batch within LOCK_WAIT instead of holding all its tasks behind it.
    Future<List<TaskOutcome>> together = pool.withTransaction(tx -> tx.query(LOCK_WAIT).execute()
        .compose(v -> guardedAll(tx, tasks)));
    List<Promise<TaskOutcome>> outcomes = tasks.stream().map(t -> Promise.<TaskOutcome>promise()).toList();
    together.onComplete(ar -> {
      if (ar.succeeded()) {
        for (int i = 0; i < tasks.size(); i++) {
          outcomes.get(i).complete(ar.result().get(i));
        }
        return;
      }
      LOG.debug("A batch of {} {} tasks failed together, each runs alone: {}", tasks.size(), type(), ar.cause().toString());
      // One after another: a failed batch must not put its whole size on the pool the rest of Aide shares at once.
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < tasks.size(); i++) {
        int index = i;
        chain = chain.transform(previous -> {
          Future<TaskOutcome> alone = runGuarded(tasks.get(index));
          alone.onComplete(outcomes.get(index));
          return alone.transform(done -> Future.<Void>succeededFuture());
        });
      }
    });
    return outcomes.stream().map(Promise::future).toList();
  }

  /**
   * The things of several tasks, locked, in the order of the tasks (empty where gone or no longer due). By default
   * each task's {@link #due}, all sent at once; a handler may read them in one statement instead.
   */
  protected Future<List<Optional<T>>> dueAll(SqlConnection tx, List<ScheduledTask> tasks) {
    List<Future<Optional<T>>> found = new ArrayList<>(tasks.size());
    for (ScheduledTask task : tasks) {
      found.add(due(tx, task));
    }
    return Future.all(found).map(all -> all.<Optional<T>>list());
  }

  /**
   * Tells about several due things (each with its task, in the same order); answers what becomes of each task. By
   * default each {@link #tell}, all sent at once; a handler may write them with a statement a step instead.
   */
  protected Future<List<TaskOutcome>> tellAll(SqlConnection tx, List<T> things, List<ScheduledTask> tasks) {
    List<Future<TaskOutcome>> told = new ArrayList<>(things.size());
    for (int i = 0; i < things.size(); i++) {
      told.add(tell(tx, things.get(i), tasks.get(i)));
    }
    return Future.all(told).map(all -> all.<TaskOutcome>list());
  }

  /** The batch's steps in the transaction: the due things read, then told; a step that throws fails the batch. */
  private Future<List<TaskOutcome>> guardedAll(SqlConnection tx, List<ScheduledTask> tasks) {
    try {
      return dueAll(tx, tasks).compose(found -> {
        List<T> things = new ArrayList<>();
        List<ScheduledTask> theirs = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
          found.get(i).ifPresent(things::add);
          if (found.get(i).isPresent()) {
            theirs.add(tasks.get(i));
          }
        }
        Future<List<TaskOutcome>> told = things.isEmpty() ? Future.succeededFuture(List.of())
            : tellAll(tx, things, theirs);
        return told.map(outcomes -> {
          List<TaskOutcome> all = new ArrayList<>(tasks.size());
          int next = 0;
          for (Optional<T> thing : found) {
            all.add(thing.isPresent() ? outcomes.get(next++) : TaskOutcome.DONE);
          }
          return all;
        });
      });
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The same steps with another telling: what {@link #gaveUp} may use to tell late, once more. */
  protected final Future<TaskOutcome> inTransaction(ScheduledTask task, Telling<T> telling) {
    return pool.withTransaction(tx -> guarded(tx, task, telling));
  }

  /** One task's steps in the transaction; a step that throws answers a failed future instead. */
  private Future<TaskOutcome> guarded(SqlConnection tx, ScheduledTask task, Telling<T> telling) {
    try {
      return due(tx, task).compose(found -> found.isEmpty()
          ? Future.succeededFuture(TaskOutcome.DONE) : telling.tell(tx, found.get(), task));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** One way of telling about a due thing. */
  @FunctionalInterface
  protected interface Telling<T> {
    Future<TaskOutcome> tell(SqlConnection tx, T thing, ScheduledTask task);
  }
}
