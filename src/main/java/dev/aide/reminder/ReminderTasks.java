package dev.aide.reminder;

import dev.aide.scheduler.TaskRepository;
import dev.aide.scheduler.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;

/**
 * A reminder's scheduled task follows the reminder, written through the task repository in the transaction that
 * changes the reminder: one task per reminder ({@code reminder:<id>}) at its due time while it is pending, cancelled
 * when it is done or cancelled, gone with it. A change of text only retitles the task; a change of time, status or
 * rule schedules it afresh (a retry of the old time is dropped). The feature writes these columns; the scheduler
 * writes only its claim and outcome, and its outcome for a claim the feature replaced meanwhile changes nothing.
 */
final class ReminderTasks {

  private final TaskRepository tasks;

  ReminderTasks(TaskRepository tasks) {
    this.tasks = tasks;
  }

  static String key(UUID reminderId) {
    return "reminder:" + reminderId;
  }

  /** What the task carries: the reminder's id, and its text and rule for GET /scheduled. */
  static JsonObject payload(Reminder reminder) {
    JsonObject payload = new JsonObject().put("reminderId", reminder.id().toString()).put("title", reminder.text());
    return reminder.rrule() == null ? payload : payload.put("rrule", reminder.rrule());
  }

  /** The reminder as it is now, after it was {@code before} (null: it is new). */
  Future<Void> follow(SqlClient tx, Reminder before, Reminder after) {
    if (before != null && before.dueAt().isEqual(after.dueAt()) && before.status() == after.status()
        && java.util.Objects.equals(before.rrule(), after.rrule())) {
      return before.text().equals(after.text()) ? Future.succeededFuture()
          : tasks.repayload(tx, key(after.id()), payload(after));
    }
    return schedule(tx, after);
  }

  /** Schedules the task at the reminder's due time if it is pending, else cancels it. */
  Future<Void> schedule(SqlClient tx, Reminder reminder) {
    if (reminder.status() != Reminder.Status.PENDING) {
      return tasks.cancel(tx, key(reminder.id()));
    }
    return tasks.schedule(tx, TaskSpec.once(reminder.userId(), key(reminder.id()), ReminderDueHandler.TYPE,
        payload(reminder), reminder.dueAt().toInstant()));
  }

  /** The reminder is gone. */
  Future<Void> deleted(SqlClient tx, UUID reminderId) {
    return tasks.delete(tx, key(reminderId));
  }
}
