package dev.aide.reminder;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import dev.aide.platform.time.DateRange;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.aide.platform.time.Recurrence;
import dev.aide.reminder.Reminder.Status;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.Optional;

/**
 * The rules of reminders, shared by the REST API and the assistant's tools.
 *
 * <p>A repeating reminder's dueAt is its first occurrence, and the rule is followed from there to find each next one:
 * so it may lie in the past by at most {@value #MAX_PAST_REPEATS} repetitions of its rule (FREQ=MINUTELY: about ten
 * weeks; FREQ=DAILY: any date Aide accepts). Further back is refused rather than walked ("every minute since 1900" is
 * 66 million steps of CPU for one reminder); the person gives its next due time instead.
 */
public final class ReminderService {

  public static final int MAX_TEXT = 1000;
  public static final long MAX_PAST_REPEATS = 100_000;

  private final ReminderRepository reminders;
  // How many reminders a person may create per hour and per day (the API and the tools alike).
  private final RateLimiter.Gate creations;
  private final Clock clock;

  public ReminderService(ReminderRepository reminders) {
    this(reminders, RateLimiter.Gate.OPEN, Clock.systemUTC());
  }

  public ReminderService(ReminderRepository reminders, RateLimiter.Gate creations, Clock clock) {
    this.reminders = reminders;
    this.creations = creations;
    this.clock = clock;
  }

  public Future<Reminder> create(UUID userId, String text, OffsetDateTime dueAt, String rrule, UUID sourceMessageId) {
    return create(userId, text, dueAt, rrule, sourceMessageId, null);
  }

  /** A reminder, linked to one of the user's events when eventId is given (not found if it is not theirs). */
  public Future<Reminder> create(UUID userId, String text, OffsetDateTime dueAt, String rrule, UUID sourceMessageId,
                                 UUID eventId) {
    return create(userId, text, dueAt, rrule, sourceMessageId, eventId, false);
  }

  /** A reminder; an urgent one breaks through the person's quiet hours. */
  public Future<Reminder> create(UUID userId, String text, OffsetDateTime dueAt, String rrule, UUID sourceMessageId,
                                 UUID eventId, boolean urgent) {
    // Validation throws; composing on a succeeded future turns that into a failed future for the caller.
    return Future.<Void>succeededFuture()
        .compose(v -> {
          String checkedText = text(text);
          OffsetDateTime due = required(dueAt);
          String rule = rrule(rrule, dueAt);
          // Valid requests only count against the limit, and one past it writes nothing.
          return creations.pass(userId).compose(allowed -> reminders.insert(userId, checkedText, due, rule,
              sourceMessageId, eventId, urgent));
        })
        .map(found -> found.orElseThrow(() -> DomainException.notFound("event")));
  }

  public Future<List<Reminder>> list(UUID userId, Status status, OffsetDateTime from, OffsetDateTime to, int limit) {
    return Future.<Void>succeededFuture().compose(v -> reminders.list(userId, status, DateRange.check(from, "from"),
        DateRange.check(to, "to"), limit));
  }

  public Future<Reminder> get(UUID userId, UUID id) {
    return reminders.find(userId, id).map(found -> found.orElseThrow(() -> DomainException.notFound("reminder")));
  }

  /**
   * Changes a reminder. A repeating one is checked again when its rule or its start moves: the rule must still occur
   * from the (new) due time.
   */
  public Future<Reminder> update(UUID userId, UUID id, ReminderRepository.Changes changes) {
    boolean recheck = changes.rruleSet() || changes.dueAt() != null;
    return Future.<Void>succeededFuture()
        .compose(v -> {
          DateRange.check(changes.dueAt(), "dueAt");
          return recheck ? get(userId, id).map(Optional::of) : Future.succeededFuture(Optional.<Reminder>empty());
        })
        .compose(current -> {
          String text = changes.text() == null ? null : text(changes.text());
          String rrule = null;
          if (current.isPresent()) {
            OffsetDateTime start = changes.dueAt() != null ? changes.dueAt() : current.get().dueAt();
            String rule = changes.rruleSet() ? changes.rrule() : current.get().rrule();
            rrule = rrule(rule, start);
          }
          var checked = new ReminderRepository.Changes(text, changes.dueAt(), changes.rruleSet(),
              changes.rruleSet() ? rrule : null, changes.status(), changes.urgent());
          return reminders.update(userId, id, checked);
        })
        .map(found -> found.orElseThrow(() -> DomainException.notFound("reminder")));
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
        throw DomainException.invalid("until is required");
      }
      DateRange.check(until, "until");
      return Future.<Void>succeededFuture();
    }).compose(v -> update(userId, id, new ReminderRepository.Changes(null, until, false, null, Reminder.Status.PENDING)));
  }

  public Future<Void> delete(UUID userId, UUID id) {
    return reminders.delete(userId, id).compose(deleted -> deleted
        ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("reminder")));
  }

  private static String text(String text) {
    return Texts.required(text, "text", MAX_TEXT);
  }

  private static OffsetDateTime required(OffsetDateTime dueAt) {
    if (dueAt == null) {
      throw DomainException.invalid("dueAt is required");
    }
    return DateRange.check(dueAt, "dueAt");
  }

  /**
   * The rule in canonical form, checked from the reminder's due time: a valid RRULE, repeating at most once a minute,
   * occurring at least once from the due time (read at the due time's own offset), which lies at most
   * {@value #MAX_PAST_REPEATS} repetitions in the past.
   */
  private String rrule(String rrule, OffsetDateTime dueAt) {
    if (rrule == null || rrule.isBlank()) {
      return null;
    }
    String rule;
    try {
      rule = Recurrence.check(rrule, required(dueAt).toZonedDateTime(), Recurrence.MINUTELY);
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid(e.getMessage() + " (an RRULE value such as FREQ=WEEKLY;BYDAY=MO)");
    }
    Instant earliest = Recurrence.earliestStart(rule, clock.instant(), MAX_PAST_REPEATS);
    if (dueAt.toInstant().isBefore(earliest)) {
      throw DomainException.invalid("dueAt of a repeating reminder may lie at most " + MAX_PAST_REPEATS
          + " repetitions in the past (" + Recurrence.step(rule) + ": not before "
          + earliest.truncatedTo(ChronoUnit.MINUTES) + "); give the next time it is due");
    }
    return rule;
  }
}
