package dev.aide.calendar;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * GET /availability?from=&amp;to=&amp;duration=: the free slots within working hours, {@code {items:[{start, end}]}}.
 * The duration is ISO-8601 (PT1H, PT45M) or a number of minutes, 30 minutes when left out.
 */
public final class AvailabilityRoutes {

  public static final Duration DEFAULT_DURATION = Duration.ofMinutes(30);

  private final AvailabilityService availability;

  public AvailabilityRoutes(AvailabilityService availability) {
    this.availability = availability;
  }

  public void mount(Router api) {
    api.get("/availability").handler(this::free);
  }

  private void free(RoutingContext ctx) {
    Duration duration = duration(ctx.queryParams().get("duration"));
    Replies.json(ctx, 200, availability.freeSlots(Authenticated.userId(ctx), Params.instant(ctx, "from"),
        Params.instant(ctx, "to"), duration).map(slots -> Replies.items(slots, Availability.Slot::toJson)));
  }

  static Duration duration(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_DURATION;
    }
    String v = value.strip();
    try {
      return v.matches("\\d{1,5}") ? Duration.ofMinutes(Integer.parseInt(v)) : Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw DomainException.invalid("duration must be an ISO-8601 duration such as PT1H, or a number of minutes");
    }
  }
}
