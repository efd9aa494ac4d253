package dev.aide.reminder;

import dev.aide.auth.Authenticated;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Params;
import dev.aide.platform.http.Replies;
import dev.aide.reminder.Reminder.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** /reminders: list, create, read, update, delete. */
public final class ReminderRoutes {

  private final ReminderService reminders;
  private final java.time.Clock clock;

  public ReminderRoutes(ReminderService reminders, java.time.Clock clock) {
    this.reminders = reminders;
    this.clock = clock;
  }

  public void mount(Router api) {
    api.get("/reminders").handler(this::list);
    api.post("/reminders").handler(this::create);
    api.get("/reminders/:id").handler(this::get);
    api.patch("/reminders/:id").handler(this::update);
    api.delete("/reminders/:id").handler(this::delete);
    api.post("/reminders/:id/snooze").handler(this::snooze);
  }

  /** {"minutes": 10} or {"until": "2026-11-23T17:10:00+01:00"}: due again then, and pending. */
  private void snooze(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "reminder");
    JsonBody body = JsonBody.of(ctx).allowOnly("minutes", "until");
    var until = body.optionalInstant("until");
    Integer minutes = body.optionalInteger("minutes", 1, 43_200);
    if ((until == null) == (minutes == null)) {
      throw DomainException.invalid("give either minutes (1 to 43200) or until");
    }
    var when = until != null ? until : java.time.OffsetDateTime.now(clock).plusMinutes(minutes);
    Replies.json(ctx, 200, reminders.snooze(Authenticated.userId(ctx), id, when).map(Reminder::toJson));
  }

  private void list(RoutingContext ctx) {
    Status status = status(ctx.queryParams().get("status"));
    Replies.json(ctx, 200, reminders.list(Authenticated.userId(ctx), status, Params.instant(ctx, "from"),
        Params.instant(ctx, "to"), Params.limit(ctx, 100, 1000)).map(list -> Replies.items(list, Reminder::toJson)));
  }

  private void create(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("text", "dueAt", "rrule", "eventId", "urgent");
    String text = body.requiredString("text", ReminderService.MAX_TEXT);
    var dueAt = body.requiredInstant("dueAt");
    String rrule = body.optionalString("rrule", 500);
    UUID eventId = body.optionalUuid("eventId");
    boolean urgent = Boolean.TRUE.equals(body.optionalBoolean("urgent"));
    Replies.json(ctx, 201, reminders.create(Authenticated.userId(ctx), text, dueAt, rrule, null, eventId, urgent)
        .map(Reminder::toJson));
  }

  private void get(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "reminder");
    Replies.json(ctx, 200, reminders.get(Authenticated.userId(ctx), id).map(Reminder::toJson));
  }

  private void update(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "reminder");
    JsonBody body = JsonBody.of(ctx).allowOnly("text", "dueAt", "rrule", "status", "urgent")
        .changes("text", "dueAt", "status", "urgent");
    var changes = new ReminderRepository.Changes(body.optionalString("text", ReminderService.MAX_TEXT),
        body.optionalInstant("dueAt"), body.has("rrule"), body.optionalString("rrule", 500),
        status(body.optionalString("status", 20)), body.optionalBoolean("urgent"));
    Replies.json(ctx, 200, reminders.update(Authenticated.userId(ctx), id, changes).map(Reminder::toJson));
  }

  private void delete(RoutingContext ctx) {
    UUID id = Params.pathId(ctx, "id", "reminder");
    Replies.noContent(ctx, reminders.delete(Authenticated.userId(ctx), id));
  }

  private static Status status(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Status.fromWire(value);
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("status must be pending, done or cancelled");
    }
  }
}
