package dev.aide.calendar;

import dev.aide.calendar.CalendarEvent.Status;
import dev.aide.calendar.EventRepository.Alerting;
import dev.aide.platform.time.Recurrence;
import dev.aide.scheduler.TaskRepository;
import dev.aide.scheduler.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * When an event's alerts go, and the one scheduled task per event that sends them ("event-alert:&lt;event id&gt;"),
 * due at the next alert still ahead. An alert goes {@code alertMinutes} before each occurrence: a series' exception
 * dates and cancelled occurrences have none, a moved occurrence has it before its new start. An all-day event's
 * occurrence starts at midnight in the event's timezone (RFC 5545 reads a VALARM on a DATE start the same way), so
 * 0 alerts at that midnight and 1440 at the midnight before; not being urgent, such an alert waits out quiet hours.
 *
 * <p>The task is rescheduled by {@link #follow} in the transaction of every write of the event (through
 * {@link EventService}, so the API, the assistant's tools and .ics imports alike); {@link EventAlertHandler} reads
 * the event again when the task runs and sends nothing for an occurrence that is no longer there.
 */
public final class EventAlerts {

  public static final String TYPE = "event-alert";

  private final EventRepository events;
  private final TaskRepository tasks;
  private final Vertx vertx;
  private final Clock clock;

  public EventAlerts(EventRepository events, TaskRepository tasks, Vertx vertx, Clock clock) {
    this.events = events;
    this.tasks = tasks;
    this.vertx = vertx;
    this.clock = clock;
  }

  /** One alert: when it goes, and the occurrence it is about (date: an all-day occurrence's day, else null). */
  public record Alert(Instant at, Instant start, Instant end, String title, String location, LocalDate date) {

    public boolean allDay() {
      return date != null;
    }
  }

  public static String key(UUID eventId) {
    return TYPE + ":" + eventId;
  }

  /**
   * After the event (or series) was written, in the same transaction: its task is set to its next alert after now,
   * or cancelled when it has none (no alert asked for, deleted, cancelled, the series ended). The next alert of a
   * series is looked for on a worker: its rule is fast-forwarded from the series' start, which for an hourly series
   * anchored a century ago is a million periods (milliseconds of CPU), not work for an event loop.
   */
  public Future<Void> follow(SqlClient tx, UUID userId, UUID eventId) {
    return events.alerting(tx, userId, eventId, true).compose(found -> vertx.executeBlocking(
        () -> found.flatMap(a -> next(a, clock.instant())), false).compose(next -> {
      if (next.isEmpty()) {
        return tasks.cancel(tx, key(eventId));
      }
      // Title and rule are for the list of upcoming work (GET /scheduled); the handler reads the event itself.
      CalendarEvent event = found.get().event();
      JsonObject payload = new JsonObject().put("eventId", eventId.toString()).put("title", event.title());
      if (event.recurring()) {
        payload.put("rrule", event.rrule());
      }
      return tasks.schedule(tx, TaskSpec.once(userId, key(eventId), TYPE, payload, next.get().at()));
    }));
  }

  /** The first alert strictly after the instant. */
  public static Optional<Alert> next(Alerting a, Instant after) {
    CalendarEvent e = a.event();
    if (e.alertMinutes() == null || e.status() == Status.CANCELLED) {
      return Optional.empty();
    }
    Duration lead = Duration.ofMinutes(e.alertMinutes());
    Instant firstStart = after.plus(lead);
    if (!e.recurring()) {
      return e.start().toInstant().isAfter(firstStart) ? Optional.of(alert(e, e, e.start().toInstant(), lead))
          : Optional.empty();
    }
    List<Alert> candidates = new ArrayList<>();
    ruleStartAfter(e, skipped(a), firstStart).ifPresent(start -> candidates.add(alert(e, e, start, lead)));
    for (CalendarEvent o : a.overrides()) {
      if (o.status() != Status.CANCELLED && o.start().toInstant().isAfter(firstStart)) {
        candidates.add(alert(e, o, o.start().toInstant(), lead));
      }
    }
    return candidates.stream().min(Comparator.comparing(Alert::at).thenComparing(Alert::start));
  }

  /** The alerts that go exactly at the instant (a task's due time): usually one, none if the event changed. */
  public static List<Alert> dueAt(Alerting a, Instant at) {
    CalendarEvent e = a.event();
    if (e.alertMinutes() == null || e.status() == Status.CANCELLED) {
      return List.of();
    }
    Duration lead = Duration.ofMinutes(e.alertMinutes());
    Instant start = at.plus(lead);
    if (!e.recurring()) {
      return e.start().toInstant().equals(start) ? List.of(alert(e, e, start, lead)) : List.of();
    }
    List<Alert> due = new ArrayList<>();
    if (!skipped(a).contains(start) && Recurrence.occursAt(e.rrule(), e.localStart(), start)) {
      due.add(alert(e, e, start, lead));
    }
    for (CalendarEvent o : a.overrides()) {
      if (o.status() != Status.CANCELLED && o.start().toInstant().equals(start)) {
        due.add(alert(e, o, start, lead));
      }
    }
    return due;
  }

  /**
   * The first start of the series' rule after the instant that no exception date or override replaces: one walk of
   * the rule that passes the skipped starts as it meets them, so its work is one fast-forward and at most one step
   * per exception date and override (each bounded by {@link EventService#MAX_EXDATES} and
   * {@link EventService#MAX_OVERRIDES}).
   */
  private static Optional<Instant> ruleStartAfter(CalendarEvent series, Set<Instant> skipped, Instant after) {
    return Recurrence.firstAfter(series.rrule(), series.localStart(), after, skipped).start();
  }

  /** Starts the rule gives that are not occurrences as the rule gives them: exception dates and overridden ones. */
  private static Set<Instant> skipped(Alerting a) {
    Set<Instant> skipped = new HashSet<>();
    a.event().exdates().forEach(t -> skipped.add(t.toInstant()));
    a.overrides().forEach(o -> skipped.add(o.originalStart().toInstant()));
    return skipped;
  }

  /** An alert about an occurrence of {@code series} that {@code source} (the series or an override) describes. */
  private static Alert alert(CalendarEvent series, CalendarEvent source, Instant start, Duration lead) {
    Instant end = source == series ? start.plus(series.duration()) : source.end().toInstant();
    LocalDate date = source.allDay() ? start.atZone(series.timezone()).toLocalDate() : null;
    return new Alert(start.minus(lead), start, end, source.title(), source.location(), date);
  }
}
