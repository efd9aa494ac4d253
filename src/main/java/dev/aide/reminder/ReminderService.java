package dev.aide.reminder;

import dev.aide.platform.http.ApiException;
import dev.aide.platform.http.Texts;
import dev.aide.platform.time.DateRange;
import dev.aide.reminder.Reminder.Status;
import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** The rules of reminders, shared by the REST API and the assistant's tools. */
public final class ReminderService {

  public static final int MAX_TEXT = 1000;
  private static final Pattern RRULE = Pattern.compile(
      "^(RRULE:)?FREQ=(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z-]+=[A-Za-z0-9,:+-]+)*$");

  private final ReminderRepository reminders;

  public ReminderService(ReminderRepository reminders) {
    this.reminders = reminders;
  }

  public Future<Reminder> create(UUID userId, String text, OffsetDateTime dueAt, String rrule, UUID sourceMessageId) {
    return create(userId, text, dueAt, rrule, sourceMessageId, null);
  }

  /** A reminder, linked to one of the user's events when eventId is given (404 if it is not theirs). */
  public Future<Reminder> create(UUID userId, String text, OffsetDateTime dueAt, String rrule, UUID sourceMessageId,
                                 UUID eventId) {
    return create(userId, text, dueAt, rrule, sourceMessageId, eventId, false);
  }

  /** A reminder; an urgent one breaks through the person's quiet hours. */
  public Future<Reminder> create(UUID userId, String text, OffsetDateTime dueAt, String rrule, UUID sourceMessageId,
                                 UUID eventId, boolean urgent) {
    // Validation throws; composing on a succeeded future turns that into a failed future for the caller.
    return Future.<Void>succeededFuture()
        .compose(v -> reminders.insert(userId, text(text), required(dueAt), rrule(rrule), sourceMessageId, eventId,
            urgent))
        .map(found -> found.orElseThrow(() -> ApiException.notFound("event")));
  }

  public Future<List<Reminder>> list(UUID userId, Status status, OffsetDateTime from, OffsetDateTime to, int limit) {
    return Future.<Void>succeededFuture().compose(v -> reminders.list(userId, status, DateRange.check(from, "from"),
        DateRange.check(to, "to"), limit));
  }

  public Future<Reminder> get(UUID userId, UUID id) {
    return reminders.find(userId, id).map(found -> found.orElseThrow(() -> ApiException.notFound("reminder")));
  }

  public Future<Reminder> update(UUID userId, UUID id, ReminderRepository.Changes changes) {
    return Future.<Void>succeededFuture()
        .compose(v -> {
          var checked = new ReminderRepository.Changes(changes.text() == null ? null : text(changes.text()),
              DateRange.check(changes.dueAt(), "dueAt"), changes.rruleSet(), changes.rruleSet() ? rrule(changes.rrule()) : null, changes.status(),
              changes.urgent());
          return reminders.update(userId, id, checked);
        })
        .map(found -> found.orElseThrow(() -> ApiException.notFound("reminder")));
  }

  /**
   * The reminders a request names: by id, else pending ones whose text contains the words, else (for "snooze it")
   * the one that came due last.
   */
  public Future<List<Reminder>> find(UUID userId, UUID id, String text, OffsetDateTime now) {
    if (id != null) {
      return reminders.find(userId, id).map(found -> found.map(List::of).orElse(List.of()));
    }
    if (text != null && !text.isBlank()) {
      return reminders.pendingMatching(userId, text.strip());
    }
    return reminders.lastDue(userId, now).map(found -> found.map(List::of).orElse(List.of()));
  }

  /** Puts a reminder off until the given instant; it is pending again. */
  public Future<Reminder> snooze(UUID userId, UUID id, OffsetDateTime until) {
    return Future.<Void>succeededFuture().compose(v -> {
      if (until == null) {
        throw ApiException.invalid("until is required");
      }
      DateRange.check(until, "until");
      return Future.<Void>succeededFuture();
    }).compose(v -> update(userId, id, new ReminderRepository.Changes(null, until, false, null, Reminder.Status.PENDING)));
  }

  public Future<Void> delete(UUID userId, UUID id) {
    return reminders.delete(userId, id).compose(deleted -> deleted
        ? Future.succeededFuture() : Future.failedFuture(ApiException.notFound("reminder")));
  }

  private static String text(String text) {
    return Texts.required(text, "text", MAX_TEXT);
  }

  private static OffsetDateTime required(OffsetDateTime dueAt) {
    if (dueAt == null) {
      throw ApiException.invalid("dueAt is required");
    }
    return DateRange.check(dueAt, "dueAt");
  }

  private static String rrule(String rrule) {
    if (rrule == null || rrule.isBlank()) {
      return null;
    }
    String value = rrule.strip().toUpperCase();
    if (!RRULE.matcher(value).matches()) {
      throw ApiException.invalid("rrule must be an RFC 5545 RRULE value such as FREQ=WEEKLY;BYDAY=MO");
    }
    return value.startsWith("RRULE:") ? value.substring(6) : value;
  }
}
