package dev.aide.reminder;

import dev.aide.notification.Notice;
import dev.aide.notification.Notifier;
import dev.aide.platform.task.DueItemHandler;
import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskOutcome;
import dev.aide.platform.time.Recurrence;
import dev.aide.platform.time.ShortDates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reminder came due: tells the person (in-app, and on their messaging channel) and, for a repeating reminder,
 * moves it to its next occurrence, all in one transaction. The notice's key is the reminder and the instant it was
 * due, so running the task twice tells once. A task that fires for a reminder changed meanwhile (done, moved,
 * deleted) does nothing: the reminder's own task follows the change. The task's occurrence is what identifies the
 * due time it is for, so a retry after a failed attempt still tells (its run time is later than the reminder's).
 */
public final class ReminderDueHandler extends DueItemHandler<ReminderRepository.DueReminder> {

  public static final String TYPE = "reminder";
  private static final Logger LOG = LoggerFactory.getLogger(ReminderDueHandler.class);
  private static final Duration LATE = Duration.ofMinutes(5);

  private final ReminderRepository reminders;
  private final Notifier notifier;
  private final Clock clock;

  public ReminderDueHandler(Pool pool, ReminderRepository reminders, Notifier notifier, Clock clock) {
    super(pool, BATCH);
    this.reminders = reminders;
    this.notifier = notifier;
    this.clock = clock;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  protected Future<Optional<ReminderRepository.DueReminder>> due(SqlConnection tx, ScheduledTask task) {
    UUID id = UUID.fromString(task.payload().getString("reminderId"));
    return reminders.lockDue(tx, id).map(found -> found
        .filter(due -> due.reminder().dueAt().toInstant().equals(task.occurrenceAt())));
  }

  @Override
  protected Future<TaskOutcome> tell(SqlConnection tx, ReminderRepository.DueReminder due, ScheduledTask task) {
    return tell(tx, due, false);
  }

  /** The reminders of a batch of tasks, locked with one statement. */
  @Override
  protected Future<List<Optional<ReminderRepository.DueReminder>>> dueAll(SqlConnection tx, List<ScheduledTask> tasks) {
    List<UUID> ids = tasks.stream().map(task -> UUID.fromString(task.payload().getString("reminderId"))).toList();
    return reminders.lockDueAll(tx, ids).map(found -> {
      List<Optional<ReminderRepository.DueReminder>> due = new ArrayList<>(tasks.size());
      for (int i = 0; i < tasks.size(); i++) {
        Instant occurrence = tasks.get(i).occurrenceAt();
        due.add(Optional.ofNullable(found.get(ids.get(i)))
            .filter(d -> d.reminder().dueAt().toInstant().equals(occurrence)));
      }
      return due;
    });
  }

  /**
   * A batch of due reminders told with a statement a step: the notices together, the one-time reminders marked fired
   * together; a repeating one moves on to its next occurrence (and its task with it) on its own.
   */
  @Override
  protected Future<List<TaskOutcome>> tellAll(SqlConnection tx, List<ReminderRepository.DueReminder> due,
                                              List<ScheduledTask> tasks) {
    Instant now = clock.instant();
    List<Notice> notices = due.stream().map(d -> notice(d, now, false)).toList();
    return notifier.tellAll(tx, notices).compose(told -> {
      List<UUID> fired = new ArrayList<>();
      List<Future<Void>> moved = new ArrayList<>();
      for (ReminderRepository.DueReminder d : due) {
        UUID id = d.reminder().id();
        Optional<Instant> next = next(d, now);
        if (next.isPresent()) {
          moved.add(reminders.advance(tx, id, next.get(), now));
        } else {
          fired.add(id);
        }
      }
      if (!fired.isEmpty()) {
        moved.add(reminders.markFiredAll(tx, fired, now));
      }
      return Future.all(moved);
    }).map(v -> Collections.nCopies(due.size(), TaskOutcome.DONE));
  }

  /**
   * Every attempt failed: one more, outside the retries, so a person is told late rather than never. The notice has
   * the key of the one the attempts tried to write, so it is never told twice; if even this fails, the reminder stays
   * pending with its due time past, visible in GET /reminders, and /health says a task gave up.
   */
  @Override
  public Future<Void> gaveUp(ScheduledTask task, String error) {
    return inTransaction(task, (tx, due, t) -> tell(tx, due, true)).<Void>mapEmpty()
        .onFailure(e -> LOG.error("Reminder task {} gave up and its person could not be told: {}", task.key(),
            e.toString()));
  }

  private Future<TaskOutcome> tell(SqlConnection tx, ReminderRepository.DueReminder due, boolean afterFailures) {
    UUID id = due.reminder().id();
    Instant now = clock.instant();
    return notifier.tell(tx, notice(due, now, afterFailures))
        .compose(told -> next(due, now)
            .map(next -> reminders.advance(tx, id, next, now))
            .orElseGet(() -> reminders.markFired(tx, id, now)))
        .map(TaskOutcome.DONE);
  }

  private Notice notice(ReminderRepository.DueReminder due, Instant now, boolean afterFailures) {
    Reminder reminder = due.reminder();
    Instant dueAt = reminder.dueAt().toInstant();
    String late = afterFailures
        ? " (due " + ShortDates.dayTime(dueAt.atZone(due.zone()), now) + "; sorry, I couldn't send it on time)"
        : Duration.between(dueAt, now).compareTo(LATE) > 0
        ? " (due " + ShortDates.dayTime(dueAt.atZone(due.zone()), now) + ")" : "";
    return new Notice(reminder.userId(), "reminder", "reminder:" + reminder.id() + ":" + dueAt, "Reminder",
        reminder.text() + late, "⏰ Reminder: " + reminder.text() + late, reminder.urgent(),
        new JsonObject().put("reminderId", reminder.id().toString()).put("dueAt", dueAt.toString()));
  }

  /**
   * The next occurrence of a repeating reminder that is still ahead: after downtime the missed occurrences are told
   * once (this run), not one by one. A rule whose next occurrence cannot be found (one stored before rules were
   * checked, or anchored centuries ago) ends the series after this telling rather than failing it.
   */
  private static Optional<Instant> next(ReminderRepository.DueReminder due, Instant now) {
    Reminder reminder = due.reminder();
    if (reminder.rrule() == null) {
      return Optional.empty();
    }
    Instant dueAt = reminder.dueAt().toInstant();
    try {
      return Recurrence.nextAfter(reminder.rrule(), reminder.dueAt().atZoneSameInstant(due.zone()),
          dueAt.isAfter(now) ? dueAt : now);
    } catch (RuntimeException e) {
      LOG.warn("Reminder {} stops repeating: {}", reminder.id(), e.getMessage());
      return Optional.empty();
    }
  }
}
