package dev.aide.calendar;

import dev.aide.auth.User;
import dev.aide.auth.UserRepository;
import dev.aide.calendar.Availability.Slot;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.time.DateRange;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Availability for the REST API and the tools: the person's free slots in a window and whether a given time is free,
 * from their occurrences and the working hours and timezone of their profile (see {@link Availability}).
 *
 * <p>Choices: a window spans at most {@value #MAX_WINDOW_DAYS} days; a duration is 1 minute to 24 hours.
 */
public final class AvailabilityService {

  public static final int MAX_WINDOW_DAYS = 62;
  public static final Duration MAX_DURATION = Duration.ofHours(24);

  private final EventService events;
  private final UserRepository users;

  public AvailabilityService(EventService events, UserRepository users) {
    this.events = events;
    this.users = users;
  }

  /** Whether a time is free: the events that take it up, and whether it lies within working hours. */
  public record Check(List<Occurrence> conflicts, boolean withinWorkingHours) {
    public boolean free() {
      return conflicts.isEmpty();
    }
  }

  public Future<List<Slot>> freeSlots(UUID userId, OffsetDateTime from, OffsetDateTime to, Duration duration) {
    return Future.<Void>succeededFuture().compose(v -> {
      window(from, to);
      if (duration == null || duration.compareTo(Duration.ofMinutes(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
        throw DomainException.invalid("duration must be between 1 minute and 24 hours");
      }
      return user(userId);
    }).compose(user -> events.occurrences(userId, from, to).map(list ->
        Availability.freeSlots(list, from, to, user.workingHours(), user.timezone(), duration)));
  }

  public Future<Check> check(UUID userId, OffsetDateTime start, OffsetDateTime end) {
    return Future.<Void>succeededFuture().compose(v -> {
      window(start, end);
      return user(userId);
    }).compose(user -> events.occurrences(userId, start, end).map(list -> new Check(
        Availability.conflicts(list, start, end),
        Availability.withinWorkingHours(start, end, user.workingHours(), user.timezone()))));
  }

  private Future<User> user(UUID userId) {
    return users.findById(userId).map(found -> found.orElseThrow(() -> DomainException.notFound("user")));
  }

  private static void window(OffsetDateTime from, OffsetDateTime to) {
    if (from == null || to == null) {
      throw DomainException.invalid("from and to are required, ISO-8601 date-times with offset");
    }
    DateRange.check(from, "from");
    DateRange.check(to, "to");
    if (!to.isAfter(from)) {
      throw DomainException.invalid("to must be after from");
    }
    if (Duration.between(from, to).compareTo(Duration.ofDays(MAX_WINDOW_DAYS)) > 0) {
      throw DomainException.invalid("the window must span at most " + MAX_WINDOW_DAYS + " days");
    }
  }
}
