package dev.aide.calendar;

import dev.aide.calendar.EventAlerts.Alert;
import dev.aide.calendar.EventRepository.Alerting;
import dev.aide.notification.Notice;
import dev.aide.notification.Notifier;
import dev.aide.platform.task.DueItemHandler;
import dev.aide.platform.task.ScheduledTask;
import dev.aide.platform.task.TaskOutcome;
import dev.aide.platform.time.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * An event's alert came due: reads the event again and tells the person (in-app, and on their messaging channel)
 * about the occurrence that starts {@code alertMinutes} after the task's occurrence (the alert's time, the same on a
 * retry), then answers when the next alert
 * goes. The notice's key is the event and the occurrence's start, so running the task twice tells once. A task that
 * fires for an event changed meanwhile (moved, cancelled, its alert removed) tells nothing and moves to the event's
 * next alert, if any; an occurrence that has already begun (the task ran late, after downtime) is not announced.
 */
public final class EventAlertHandler extends DueItemHandler<Alerting> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

  private final EventRepository events;
  private final Notifier notifier;
  private final Vertx vertx;
  private final Clock clock;

  public EventAlertHandler(Pool pool, EventRepository events, Notifier notifier, Vertx vertx, Clock clock) {
    // One alert to a transaction: finding a series' next alert may walk it far on a worker, and one person's long
    // walk must not hold other people's alerts (and their transaction's locks) while it runs.
    super(pool);
    this.events = events;
    this.notifier = notifier;
    this.vertx = vertx;
    this.clock = clock;
  }

  /** The alerts due at the task's time and the event's next alert after them, worked out together. */
  private record Due(List<Alert> now, Optional<Alert> next) {}

  @Override
  public String type() {
    return EventAlerts.TYPE;
  }

  /** The event and what its alerts need, when it still exists; which of its alerts are due is worked out in tell. */
  @Override
  protected Future<Optional<Alerting>> due(SqlConnection tx, ScheduledTask task) {
    if (task.userId() == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return events.alerting(tx, task.userId(), UUID.fromString(task.payload().getString("eventId")), false);
  }

  @Override
  protected Future<TaskOutcome> tell(SqlConnection tx, Alerting a, ScheduledTask task) {
    UUID eventId = UUID.fromString(task.payload().getString("eventId"));
    Instant now = clock.instant();
    Instant after = task.occurrenceAt().isAfter(now) ? task.occurrenceAt() : now;
    // On a worker, as in EventAlerts.follow: both walk the series' rule from its start.
    return vertx.executeBlocking(() -> new Due(EventAlerts.dueAt(a, task.occurrenceAt()),
        EventAlerts.next(a, after)), false).compose(due -> {
          Future<Void> told = Future.succeededFuture();
          for (Alert alert : due.now()) {
            if (alert.start().isAfter(now)) {
              Notice notice = notice(task.userId(), eventId, a.userZone(), alert, now);
              told = told.compose(v -> notifier.tell(tx, notice).mapEmpty());
            }
          }
          return told.map(v -> due.next().map(Alert::at).map(TaskOutcome::runAgainAt).orElse(TaskOutcome.DONE));
        });
  }

  /** "Dentist at 15:00" in the app, "🔔 Dentist at 15:00 (in 15 minutes) — Main St 5" on a messaging channel. */
  static Notice notice(UUID userId, UUID eventId, ZoneId zone, Alert alert, Instant now) {
    LocalDate today = now.atZone(zone).toLocalDate();
    String place = alert.location() == null ? "" : " — " + alert.location();
    String title;
    String body;
    String message;
    if (alert.allDay()) {
      LocalDate day = alert.date();
      String when = day.equals(today) ? "today" : day.equals(today.plusDays(1)) ? "tomorrow" : "on " + DAY.format(day);
      title = alert.title() + " " + when + " (all day)";
      body = DAY.format(day) + ", all day" + place;
      message = "🔔 " + title + place;
    } else {
      ZonedDateTime start = alert.start().atZone(zone);
      ZonedDateTime end = alert.end().atZone(zone);
      String in = in(Duration.between(now, alert.start()));
      title = alert.title() + (start.toLocalDate().equals(today) ? "" : " on " + DAY.format(start)) + " at "
          + TIME.format(start);
      body = DAY.format(start) + " " + TIME.format(start) + "–"
          + (end.toLocalDate().equals(start.toLocalDate()) ? "" : DAY.format(end) + " ") + TIME.format(end)
          + " (" + in + ")" + place;
      message = "🔔 " + title + " (" + in + ")" + place;
    }
    JsonObject data = new JsonObject().put("eventId", eventId.toString())
        .put("start", Times.iso(alert.start().atZone(zone).toOffsetDateTime()));
    return new Notice(userId, EventAlerts.TYPE, EventAlerts.key(eventId) + ":" + alert.start(), title, body, message,
        false, data);
  }

  /** "in 15 minutes", "in 1 hour 30 minutes", "in 2 days": the time left, to the nearest minute. */
  static String in(Duration left) {
    long minutes = (left.toSeconds() + 30) / 60;
    if (minutes <= 0) {
      return "now";
    }
    List<String> parts = new ArrayList<>();
    long days = minutes / 1440;
    long hours = minutes % 1440 / 60;
    long rest = minutes % 60;
    if (days > 0) {
      parts.add(unit(days, "day"));
    }
    if (hours > 0) {
      parts.add(unit(hours, "hour"));
    }
    if (rest > 0 && days == 0) {
      parts.add(unit(rest, "minute"));
    }
    return "in " + String.join(" ", parts);
  }

  private static String unit(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
