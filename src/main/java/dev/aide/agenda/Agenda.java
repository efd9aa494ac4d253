package dev.aide.agenda;

import dev.aide.auth.User;
import dev.aide.auth.UserRepository;
import dev.aide.calendar.EventService;
import dev.aide.calendar.Occurrence;
import dev.aide.reminder.Reminder;
import dev.aide.reminder.ReminderService;
import io.vertx.core.Future;
import dev.aide.platform.time.ShortDates;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * What a person has on, as they read it in a chat: today's calendar and reminders, and their pending reminders. Read
 * from the calendar and reminder services the assistant's tools use, so every channel's /today and /reminders answer
 * alike; the tools give the model the same facts in its own shape (quoted, with ids).
 */
public final class Agenda {

  /** At most this many of today's reminders, and of the pending ones, are listed. */
  private static final int TODAY_REMINDERS = 50;
  private static final int PENDING_REMINDERS = 20;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

  private final EventService events;
  private final ReminderService reminders;
  private final UserRepository users;
  private final Clock clock;

  public Agenda(EventService events, ReminderService reminders, UserRepository users, Clock clock) {
    this.events = events;
    this.reminders = reminders;
    this.users = users;
    this.clock = clock;
  }

  /** One day of a person's: what is on their calendar and which pending reminders fall in it, in their timezone. */
  public record Day(LocalDate date, ZoneId zone, List<Occurrence> occurrences, List<Reminder> reminders) {

    /** "Today, Wed 18 Nov:" then the calendar and the reminders, one line each; or that nothing is on. */
    public String text() {
      if (occurrences.isEmpty() && reminders.isEmpty()) {
        return "Nothing on today (" + DAY.format(date) + ").";
      }
      StringBuilder out = new StringBuilder("Today, ").append(DAY.format(date)).append(':');
      if (!occurrences.isEmpty()) {
        out.append("\nCalendar:");
        occurrences.forEach(o -> out.append("\n• ").append(o.allDay() ? "all day"
            : TIME.format(o.start().atZoneSameInstant(zone)) + "–" + TIME.format(o.end().atZoneSameInstant(zone)))
            .append(' ').append(o.title()));
      }
      if (!reminders.isEmpty()) {
        out.append("\nReminders:");
        reminders.forEach(r -> out.append("\n• ").append(TIME.format(r.dueAt())).append(' ').append(r.text()));
      }
      return out.toString();
    }
  }

  /** Today, in the person's timezone. */
  public Future<Day> today(UUID userId) {
    return users.findById(userId)
        .map(found -> found.orElseThrow(() -> new IllegalStateException("no user " + userId)))
        .compose(this::today);
  }

  private Future<Day> today(User user) {
    ZoneId zone = user.timezone();
    LocalDate day = LocalDate.now(clock.withZone(zone));
    var from = day.atStartOfDay(zone).toOffsetDateTime();
    var to = day.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
    return events.occurrences(user.id(), from, to).compose(agenda -> reminders
        .list(user.id(), Reminder.Status.PENDING, from, to, TODAY_REMINDERS)
        .map(due -> new Day(day, zone, agenda, due)));
  }

  /** A person's pending reminders, soonest first, as of {@code now}. */
  public record Pending(List<Reminder> reminders, Instant now) {

    /** "Your reminders:" and one line each (with the year when it is not this one), or that there are none. */
    public String text() {
      return reminders.isEmpty()
          ? "You have no pending reminders."
          : "Your reminders:\n" + String.join("\n", reminders.stream()
              .map(r -> "• " + ShortDates.dayTime(r.dueAt(), now) + " — " + r.text()).toList());
    }
  }

  /** The person's pending reminders, soonest first. */
  public Future<Pending> pending(UUID userId) {
    return reminders.list(userId, Reminder.Status.PENDING, null, null, PENDING_REMINDERS)
        .map(list -> new Pending(list, clock.instant()));
  }
}
