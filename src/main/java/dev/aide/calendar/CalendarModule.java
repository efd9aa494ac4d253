package dev.aide.calendar;

import dev.aide.auth.AuthModule;
import dev.aide.conversation.ConversationModule;
import dev.aide.notification.NotificationModule;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import dev.aide.platform.task.TaskHandler;
import dev.aide.scheduler.SchedulerModule;
import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The person's calendar: events and their occurrences, alerts before them, free time within working hours, the
 * private iCalendar feed and .ics import, and the assistant's calendar tools.
 */
public final class CalendarModule implements Feature {

  private final Platform platform;
  private final ConversationModule conversation;
  private final EventRepository rows;
  private final EventService events;
  private final AvailabilityService availability;
  private final FeedRoutes feed;
  private final EventAlertHandler alerts;
  private final java.util.concurrent.atomic.AtomicReference<EventRepository.AfterWrite> alsoAfterWrite =
      new java.util.concurrent.atomic.AtomicReference<>(EventRepository.AfterWrite.NOTHING);

  public CalendarModule(Platform platform, AuthModule auth, SchedulerModule scheduler,
                        NotificationModule notifications, ConversationModule conversation) {
    this.platform = platform;
    this.conversation = conversation;
    this.rows = new EventRepository(platform.pool());
    EventAlerts eventAlerts = new EventAlerts(rows, scheduler.tasks(), platform.vertx(), platform.clock());
    this.events = new EventService(rows, platform.vertx(), (tx, userId, eventId) ->
        eventAlerts.follow(tx, userId, eventId).compose(v -> alsoAfterWrite.get().run(tx, userId, eventId)));
    this.availability = new AvailabilityService(events, auth.users());
    FeedRepository feeds = new FeedRepository(platform.pool());
    this.feed = new FeedRoutes(new CalendarFeed(feeds, rows, platform.vertx(), platform.config().http().publicUrl()),
        new IcsImport(events, rows, feeds, platform.vertx()));
    this.alerts = new EventAlertHandler(platform.pool(), rows, notifications.notifier(), platform.vertx(),
        platform.clock());
  }

  public EventService events() {
    return events;
  }

  /** Events copied from calendars elsewhere (connected accounts). */
  public SyncedEvents synced() {
    return new SyncedEvents(events, rows, platform.vertx());
  }

  /**
   * Work that follows every event write in its transaction, after the alerts: a connected account's sync, told that
   * one of its copies changed. Set once, at composition.
   */
  public void alsoAfterWrite(EventRepository.AfterWrite more) {
    alsoAfterWrite.set(more);
  }

  /** The reminder feature follows the reminders set before events (see {@link LinkedReminders}). */
  public void linkReminders(LinkedReminders linked) {
    rows.followedBy(linked);
  }

  @Override
  public void routes(Router api) {
    new EventRoutes(events).mount(api);
    new AvailabilityRoutes(availability).mount(api);
    feed.mount(api);
  }

  @Override
  public void publicRoutes(Router root) {
    feed.mountPublic(root);
  }

  @Override
  public List<Object> tools() {
    return List.of(new CalendarTools(events, conversation.confirmations(), platform.clock()),
        new AvailabilityTools(availability, platform.clock()));
  }

  @Override
  public List<TaskHandler> taskHandlers() {
    return List.of(alerts);
  }

  @Override
  public Map<String, Exporter> exports() {
    Map<String, Exporter> parts = new LinkedHashMap<>();
    parts.put("calendars", (userId, zone) -> Exports.of(rows.calendars(userId), Calendar::toJson));
    parts.put("events", (userId, zone) -> Exports.of(rows.all(userId), CalendarEvent::toJson));
    return parts;
  }
}
