package dev.aide.calendar;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.UUID;

/**
 * Reminders set before an event follow it: moved by as much as it moves, cancelled when it is cancelled or deleted.
 * The calendar changes them in the event's transaction and tells whoever schedules reminders, in that transaction,
 * which ones changed, so their scheduled tasks follow too. The reminder feature registers itself
 * ({@link CalendarModule#linkReminders}); the calendar knows nothing of how reminders are scheduled.
 */
public interface LinkedReminders {

  /** No one follows: a calendar on its own (tests of the calendar alone). */
  LinkedReminders NONE = (tx, reminderIds) -> Future.succeededFuture();

  Future<Void> changed(SqlClient tx, List<UUID> reminderIds);
}
