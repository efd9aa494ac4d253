package dev.aide.calendar;

import dev.aide.calendar.CalendarEvent.Attendee;
import dev.aide.calendar.CalendarEvent.Status;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Calendars, events and attendees, always read and written for one user; instants come back in their timezone. */
public final class EventRepository {

  private static final String USER_TIMEZONE = "select timezone from users where id = $1";

  private static final String ENSURE_PRIMARY = """
      insert into calendars (user_id, name, is_primary) values ($1, 'Calendar', true)
      on conflict (user_id) where is_primary and deleted_at is null do nothing""";
  private static final String PRIMARY = "select id from calendars where user_id = $1 and is_primary and deleted_at is null";
  private static final String CALENDARS = """
      select id, name, color, is_primary, takes_new_events from calendars where user_id = $1 and deleted_at is null
      order by is_primary desc, created_at""";
  /** The calendar chosen for new events, else the primary one (made first). */
  private static final String FOR_NEW_EVENTS = """
      select id from calendars where user_id = $1 and deleted_at is null and (takes_new_events or is_primary)
      order by takes_new_events desc limit 1""";
  private static final String UNCHOOSE = """
      update calendars set takes_new_events = false where user_id = $1 and takes_new_events and id <> $2""";
  private static final String CHOOSE = """
      update calendars set takes_new_events = not is_primary where user_id = $1 and id = $2 and deleted_at is null""";
  private static final String CALENDAR_EXISTS =
      "select 1 from calendars where user_id = $1 and id = $2 and deleted_at is null";
  private static final String INSERT_CALENDAR =
      "insert into calendars (user_id, name, color) values ($1, $2, $3) returning id, name, color, is_primary, takes_new_events";

  private static final String COLUMNS = """
      select e.id, e.user_id, e.calendar_id, e.series_id, e.original_start, e.title, e.description, e.location,
             e.start_at, e.end_at, e.timezone, e.all_day, e.start_date, e.end_date, e.status, e.rrule, e.exdates,
             e.created_at, e.updated_at, u.timezone as user_timezone,
             case when e.series_id is null then e.alert_minutes
                  else (select s.alert_minutes from events s where s.id = e.series_id) end as alert_minutes
      from events e join users u on u.id = e.user_id
      """;
  private static final String BY_ID = COLUMNS + " where e.user_id = $1 and e.id = $2 and e.deleted_at is null";
  // NO KEY UPDATE leaves the key-share locks of overrides being inserted (their series_id reference) unblocked.
  private static final String BY_ID_LOCKED = BY_ID + " for no key update of e";
  /** Every event of the user that is not deleted: series, single events and overrides (for the iCalendar feed). */
  private static final String ALL = COLUMNS + " where e.user_id = $1 and e.deleted_at is null order by e.start_at, e.id";
  private static final String OVERRIDE = COLUMNS + """
       where e.user_id = $1 and e.series_id = $2 and e.original_start = $3 and e.deleted_at is null""";
  /** The overrides of a series' occurrences, cancelled ones included (an alert skips those). */
  private static final String OVERRIDES = COLUMNS + """
       where e.user_id = $1 and e.series_id = $2 and e.deleted_at is null""";
  /**
   * In one statement: the single events and overrides overlapping [from, to) (served by events_user_start_idx /
   * events_user_end_idx), then the series that may reach into it, begun before its end and not finished before its
   * start (events_user_recurring_idx); each part in start order.
   */
  private static final String IN_WINDOW = "(" + COLUMNS + """
       where e.user_id = $1 and e.deleted_at is null and e.rrule is null and e.status <> 'cancelled'
         and e.start_at < $3 and e.end_at > $2)
      union all
      (""" + COLUMNS + """
       where e.user_id = $1 and e.deleted_at is null and e.rrule is not null and e.status <> 'cancelled'
         and e.start_at < $3 and (e.recurs_until is null or e.recurs_until > $2))
      order by start_at""";
  /** Occurrences of these series that an override replaces (or cancels): the expansion skips them. */
  private static final String OVERRIDDEN = """
      select series_id, original_start from events
      where user_id = $1 and series_id = any($2) and deleted_at is null""";
  private static final String ATTENDEES = """
      select event_id, email, name, response_status from event_attendees
      where user_id = $1 and event_id = any($2) order by created_at, email""";

  private static final String INSERT = """
      insert into events (user_id, calendar_id, series_id, original_start, title, description, location, start_at,
                          end_at, timezone, all_day, start_date, end_date, status, rrule, exdates, recurs_until,
                          alert_minutes)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
      returning id""";
  // Reminders set before an event follow it: moved by as much as its start moves (run before the event changes),
  // cancelled when it is cancelled.
  private static final String MOVE_LINKED_REMINDERS = """
      update reminders r set due_at = r.due_at + ($3::timestamptz - e.start_at), updated_at = now()
      from events e
      where e.user_id = $1 and e.id = $2 and e.start_at <> $3::timestamptz
        and r.user_id = $1 and r.event_id = $2 and r.status = 'pending'
      returning r.id""";
  private static final String CANCEL_REMINDERS_OF_CANCELLED = """
      update reminders set status = 'cancelled', updated_at = now()
      where user_id = $1 and event_id = $2 and status = 'pending' and $3 = 'cancelled'
      returning id""";
  private static final String UPDATE = """
      update events set calendar_id = $3, title = $4, description = $5, location = $6, start_at = $7, end_at = $8,
             timezone = $9, all_day = $10, start_date = $11, end_date = $12, status = $13, rrule = $14,
             exdates = $15, recurs_until = $16, alert_minutes = $17, updated_at = now()
      where user_id = $1 and id = $2 and deleted_at is null""";
  /** A series moved to another calendar takes its changed occurrences with it. */
  private static final String OVERRIDES_FOLLOW = """
      update events set calendar_id = $3 where user_id = $1 and series_id = $2 and calendar_id <> $3""";
  private static final String DELETE_ATTENDEES = "delete from event_attendees where user_id = $1 and event_id = $2";
  private static final String INSERT_ATTENDEE = """
      insert into event_attendees (event_id, user_id, email, name, response_status) values ($1, $2, $3, $4, $5)""";
  private static final String SOFT_DELETE = """
      update events set deleted_at = now(), updated_at = now()
      where user_id = $1 and (id = $2 or series_id = $2) and deleted_at is null""";
  // A reminder set before an event goes with it.
  private static final String CANCEL_LINKED_REMINDERS = """
      update reminders set status = 'cancelled', updated_at = now()
      where user_id = $1 and status = 'pending'
        and event_id in (select id from events where user_id = $1 and (id = $2 or series_id = $2))
      returning id""";
  private static final String DROP_OVERRIDES = """
      update events set deleted_at = now(), updated_at = now()
      where user_id = $1 and series_id = $2 and deleted_at is null""";
  private static final String DROP_OVERRIDE = """
      update events set deleted_at = now(), updated_at = now()
      where user_id = $1 and series_id = $2 and original_start = $3 and deleted_at is null""";
  // A person's event writes take turns on their user row (no key update: the events' own references to it still
  // pass), so two writes cannot both see room for one more under a limit.
  private static final String LOCK_PERSON = "select 1 from users where id = $1 for no key update";
  private static final String COUNT_EVENTS = """
      select count(*) as events, count(*) filter (where rrule is not null) as series from events
      where user_id = $1 and series_id is null and deleted_at is null and id <> $2""";
  // The series' row is locked before its overrides are counted or an exception date added: later in the same
  // transaction its alert locks it too (EventAlerts.follow), so the order is always the same.
  private static final String LOCK_SERIES = """
      select cardinality(exdates) as exdates, $3 = any(exdates) as listed from events
      where user_id = $1 and id = $2 and deleted_at is null for no key update""";
  private static final String COUNT_OVERRIDES = """
      select count(*) from events where user_id = $1 and series_id = $2 and deleted_at is null""";
  private static final String ADD_EXDATE = """
      update events set exdates = array_append(exdates, $3), updated_at = now()
      where user_id = $1 and id = $2 and deleted_at is null and not ($3 = any(exdates))""";

  // Events copied from another calendar (SyncedEvents): their versions, their overrides, the ones made in Aide.
  private static final String VERSIONS = """
      select coalesce(series_id, id) as event_id, max(updated_at) as version,
             bool_or(series_id is null and deleted_at is not null) as deleted,
             (array_agg(calendar_id) filter (where series_id is null))[1] as calendar_id
      from events where user_id = $1 and (id = any($2) or series_id = any($2))
      group by coalesce(series_id, id)""";
  private static final String SERIES_AND_OVERRIDES = COLUMNS + """
       where e.user_id = $1 and (e.id = $2 or e.series_id = $2) and e.deleted_at is null
       order by e.series_id nulls first, e.original_start""";
  private static final String IN_CALENDAR = """
      select id from events where user_id = $1 and calendar_id = $2 and series_id is null and deleted_at is null""";
  private static final String APPEND_NOTE = """
      update events set description = left(coalesce(description || E'\n\n', '') || $3, 5000), updated_at = now()
      where user_id = $1 and id = $2 and deleted_at is null""";
  private static final String DELETE_CALENDARS = "delete from calendars where user_id = $1 and id = any($2)";

  private static final UUID NONE = new UUID(0, 0);

  private final Pool pool;
  private volatile LinkedReminders linked = LinkedReminders.NONE;

  public EventRepository(Pool pool) {
    this.pool = pool;
  }

  /** Who hears of reminders this repository moves or cancels with their event; set once, at composition. */
  void followedBy(LinkedReminders linked) {
    this.linked = linked;
  }

  private Future<Void> reminded(SqlClient tx, RowSet<Row> changed) {
    if (changed.rowCount() == 0) {
      return Future.succeededFuture();
    }
    List<UUID> ids = new ArrayList<>(changed.rowCount());
    changed.forEach(row -> ids.add(row.getUUID("id")));
    return linked.changed(tx, ids);
  }

  public Future<ZoneId> userTimezone(UUID userId) {
    return pool.preparedQuery(USER_TIMEZONE).execute(Tuple.of(userId))
        .map(rows -> ZoneId.of(rows.iterator().next().getString("timezone")));
  }

  /** The user's primary calendar, created on first use; concurrent first uses agree on one. */
  public Future<UUID> primaryCalendar(UUID userId) {
    return pool.preparedQuery(ENSURE_PRIMARY).execute(Tuple.of(userId))
        .compose(v -> pool.preparedQuery(PRIMARY).execute(Tuple.of(userId)))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  /** The calendar new events go to when none is named: the one the person chose, else the primary one. */
  public Future<UUID> calendarForNewEvents(UUID userId) {
    return primaryCalendar(userId).compose(primary -> pool.preparedQuery(FOR_NEW_EVENTS).execute(Tuple.of(userId))
        .map(rows -> rows.iterator().next().getUUID("id")));
  }

  /**
   * New events go to this calendar from now on (the primary one: no choice stands); false when the person has no
   * such calendar, and nothing changed.
   */
  public Future<Boolean> chooseForNewEvents(UUID userId, UUID calendarId) {
    return calendarExists(userId, calendarId).compose(exists -> !exists ? Future.succeededFuture(false)
        : pool.withTransaction(tx -> tx.preparedQuery(UNCHOOSE).execute(Tuple.of(userId, calendarId))
            .compose(v -> tx.preparedQuery(CHOOSE).execute(Tuple.of(userId, calendarId)))
            .map(chosen -> chosen.rowCount() == 1)));
  }

  public Future<Boolean> calendarExists(UUID userId, UUID calendarId) {
    return pool.preparedQuery(CALENDAR_EXISTS).execute(Tuple.of(userId, calendarId)).map(rows -> rows.size() == 1);
  }

  public Future<List<Calendar>> calendars(UUID userId) {
    return primaryCalendar(userId).compose(v -> pool.preparedQuery(CALENDARS).execute(Tuple.of(userId)))
        .map(rows -> {
          List<Calendar> list = new ArrayList<>();
          rows.forEach(row -> list.add(toCalendar(row)));
          return list;
        });
  }

  public Future<Calendar> insertCalendar(UUID userId, String name, String color) {
    return insertCalendar(pool, userId, name, color);
  }

  /** A new calendar, in the caller's transaction. */
  public Future<Calendar> insertCalendar(SqlClient client, UUID userId, String name, String color) {
    return client.preparedQuery(INSERT_CALENDAR).execute(Tuple.of(userId, name, color))
        .map(rows -> toCalendar(rows.iterator().next()));
  }

  /**
   * Work that follows an event in the transaction that writes it, given the id of the event written (of the series,
   * when one of its occurrences changed): its alert task is rescheduled this way.
   */
  @FunctionalInterface
  public interface AfterWrite {
    AfterWrite NOTHING = (tx, userId, eventId) -> Future.succeededFuture();

    Future<Void> run(SqlClient tx, UUID userId, UUID eventId);
  }

  /**
   * How much one person's calendar may hold: events (series and single ones; overrides count against their series),
   * repeating series among them, and per series its overrides and its exception dates.
   */
  public record Limits(int events, int series, int overrides, int exdates) {}

  /** A write refused because it would take the calendar past one of its {@link Limits}; nothing was written. */
  public static final class LimitReached extends RuntimeException {

    /** Which limit. */
    public enum What { EVENTS, SERIES, OVERRIDES, EXDATES }

    private final What what;

    public LimitReached(What what) {
      super(what.name(), null, false, false);
      this.what = what;
    }

    public What what() {
      return what;
    }
  }

  /**
   * Inserts an event (a series, a single event or an override) with its attendees, in one transaction; a
   * {@link LimitReached} when the person's calendar, or the series an override belongs to, is full.
   */
  public Future<UUID> insert(UUID userId, EventData data, Limits limits, AfterWrite after) {
    return pool.withTransaction(conn -> room(conn, userId, NONE, data, limits).compose(ok -> conn
        .preparedQuery(INSERT)
        .execute(Tuple.from(new Object[] {userId, data.calendarId(), data.seriesId(), data.originalStart(),
            data.title(), data.description(), data.location(), data.start(), data.end(), data.timezone().getId(),
            data.allDay(), data.startDate(), data.endDate(), data.status().wire(), data.rrule(), exdates(data),
            data.recursUntil(), data.alertMinutes()}))
        .map(rows -> rows.iterator().next().getUUID("id"))
        .compose(id -> writeAttendees(conn, userId, id, data.attendees())
            .compose(v -> after.run(conn, userId, data.seriesId() != null ? data.seriesId() : id))
            .map(id))));
  }

  /**
   * Whether the calendar has room for the event {@code id} (NONE: a new one) as {@code data} describes it: a new
   * override needs room in its series; a series or a single event, in the person's calendar.
   */
  private static Future<Void> room(SqlClient conn, UUID userId, UUID id, EventData data, Limits limits) {
    if (data.seriesId() != null) {
      if (!id.equals(NONE)) {
        return Future.succeededFuture();
      }
      return conn.preparedQuery(LOCK_SERIES).execute(Tuple.of(userId, data.seriesId(), data.originalStart()))
          .compose(v -> conn.preparedQuery(COUNT_OVERRIDES).execute(Tuple.of(userId, data.seriesId())))
          .compose(rows -> rows.iterator().next().getLong(0) >= limits.overrides()
              ? Future.failedFuture(new LimitReached(LimitReached.What.OVERRIDES)) : Future.succeededFuture());
    }
    return conn.preparedQuery(LOCK_PERSON).execute(Tuple.of(userId))
        .compose(v -> conn.preparedQuery(COUNT_EVENTS).execute(Tuple.of(userId, id)))
        .compose(rows -> {
          Row counts = rows.iterator().next();
          if (id.equals(NONE) && counts.getLong("events") >= limits.events()) {
            return Future.failedFuture(new LimitReached(LimitReached.What.EVENTS));
          }
          if (data.rrule() != null && counts.getLong("series") >= limits.series()) {
            return Future.failedFuture(new LimitReached(LimitReached.What.SERIES));
          }
          return Future.succeededFuture();
        });
  }

  /** Replaces every field of an event; with dropOverrides its overridden occurrences go too (its times moved). */
  public Future<Boolean> update(UUID userId, UUID id, EventData data, boolean dropOverrides, Limits limits,
                                AfterWrite after) {
    return pool.withTransaction(conn -> room(conn, userId, id, data, limits)
        .compose(v -> conn.preparedQuery(MOVE_LINKED_REMINDERS).execute(Tuple.of(userId, id, data.start())))
        .compose(moved -> reminded(conn, moved))
        .compose(v -> conn.preparedQuery(CANCEL_REMINDERS_OF_CANCELLED).execute(Tuple.of(userId, id, data.status().wire())))
        .compose(cancelled -> reminded(conn, cancelled))
        .compose(followed -> conn.preparedQuery(UPDATE)
        .execute(Tuple.from(new Object[] {userId, id, data.calendarId(), data.title(), data.description(),
            data.location(), data.start(), data.end(), data.timezone().getId(), data.allDay(), data.startDate(),
            data.endDate(), data.status().wire(), data.rrule(), exdates(data), data.recursUntil(),
            data.alertMinutes()}))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            return Future.succeededFuture(false);
          }
          Future<?> overrides = (dropOverrides
              ? conn.preparedQuery(DROP_OVERRIDES).execute(Tuple.of(userId, id)) : Future.succeededFuture())
              .compose(v -> conn.preparedQuery(OVERRIDES_FOLLOW).execute(Tuple.of(userId, id, data.calendarId())));
          return overrides.compose(v -> conn.preparedQuery(DELETE_ATTENDEES).execute(Tuple.of(userId, id)))
              .compose(v -> writeAttendees(conn, userId, id, data.attendees()))
              .compose(v -> after.run(conn, userId, data.seriesId() != null ? data.seriesId() : id)).map(true);
        })));
  }

  /** Soft-deletes an event; a series takes its overrides with it. */
  public Future<Boolean> softDelete(UUID userId, UUID id, AfterWrite after) {
    return pool.withTransaction(tx -> tx.preparedQuery(SOFT_DELETE).execute(Tuple.of(userId, id))
        .compose(rows -> tx.preparedQuery(CANCEL_LINKED_REMINDERS).execute(Tuple.of(userId, id))
            .compose(cancelled -> reminded(tx, cancelled))
            .compose(v -> after.run(tx, userId, id))
            .map(rows.rowCount() > 0)));
  }

  /**
   * Cancels one occurrence of a series: its start becomes an exception date and any override of it goes; a
   * {@link LimitReached} when the series has as many exception dates as it may.
   */
  public Future<Void> cancelOccurrence(UUID userId, UUID seriesId, OffsetDateTime originalStart, Limits limits,
                                       AfterWrite after) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_SERIES)
        .execute(Tuple.of(userId, seriesId, originalStart))
        .compose(rows -> {
          Row series = rows.size() == 0 ? null : rows.iterator().next();
          return series != null && !Boolean.TRUE.equals(series.getBoolean("listed"))
              && series.getInteger("exdates") >= limits.exdates()
              ? Future.failedFuture(new LimitReached(LimitReached.What.EXDATES)) : Future.succeededFuture();
        })
        .compose(v -> conn.preparedQuery(ADD_EXDATE).execute(Tuple.of(userId, seriesId, originalStart)))
        .compose(v -> conn.preparedQuery(DROP_OVERRIDE).execute(Tuple.of(userId, seriesId, originalStart)))
        .compose(v -> after.run(conn, userId, seriesId)));
  }

  /** An event's version and whether it was deleted, by event id, for the series or single events given. */
  public record Version(java.time.Instant at, boolean deleted, UUID calendarId) {}

  public Future<java.util.Map<UUID, Version>> versions(UUID userId, List<UUID> ids) {
    return pool.preparedQuery(VERSIONS).execute(Tuple.from(new Object[] {userId, ids.toArray(UUID[]::new)})).map(rows -> {
      java.util.Map<UUID, Version> out = new java.util.HashMap<>();
      rows.forEach(row -> out.put(row.getUUID("event_id"),
          new Version(row.getOffsetDateTime("version").toInstant(), row.getBoolean("deleted"),
              row.getUUID("calendar_id"))));
      return out;
    });
  }

  /** A series with its overrides (or a single event), not deleted, with attendees; the series first. */
  public Future<List<CalendarEvent>> withOverrides(UUID userId, UUID id) {
    return pool.preparedQuery(SERIES_AND_OVERRIDES).execute(Tuple.of(userId, id))
        .compose(rows -> withAttendees(userId, rows));
  }

  /** The series and single events of one calendar, not deleted. */
  public Future<List<UUID>> inCalendar(UUID userId, UUID calendarId) {
    return pool.preparedQuery(IN_CALENDAR).execute(Tuple.of(userId, calendarId)).map(rows -> {
      List<UUID> ids = new ArrayList<>();
      rows.forEach(row -> ids.add(row.getUUID("id")));
      return ids;
    });
  }

  /** Soft-deletes the overrides of a series, in a transaction that runs {@code after} too. */
  public Future<Void> dropOverrides(UUID userId, UUID seriesId, AfterWrite after) {
    return pool.withTransaction(tx -> tx.preparedQuery(DROP_OVERRIDES).execute(Tuple.of(userId, seriesId))
        .compose(v -> after.run(tx, userId, seriesId)));
  }

  /** Adds a paragraph at the end of an event's description (cut at the description's limit). */
  public Future<Void> appendNote(UUID userId, UUID id, String note) {
    return pool.preparedQuery(APPEND_NOTE).execute(Tuple.of(userId, id, note)).mapEmpty();
  }

  /** Deletes calendars with their events, for good, in the caller's transaction. */
  public Future<Void> deleteCalendars(SqlClient tx, UUID userId, List<UUID> calendarIds) {
    return tx.preparedQuery(DELETE_CALENDARS).execute(Tuple.from(new Object[] {userId, calendarIds.toArray(UUID[]::new)})).mapEmpty();
  }

  public Future<Optional<CalendarEvent>> find(UUID userId, UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(userId, id)).compose(rows -> withAttendees(userId, rows))
        .map(list -> list.stream().findFirst());
  }

  /** Every event of the user that is not deleted, with attendees, ordered by start. */
  public Future<List<CalendarEvent>> all(UUID userId) {
    return pool.preparedQuery(ALL).execute(Tuple.of(userId)).compose(rows -> withAttendees(userId, rows));
  }

  /**
   * An event as its alerts see it, read in the caller's transaction: the event or series (not deleted), the
   * overrides of its occurrences (read only when it asks for an alert), and its owner's timezone. Attendees are left
   * out. With {@code lock} the event's row stays locked until the transaction ends, so concurrent writes to a series
   * (one moving an occurrence, another cancelling one) compute its next alert one after the other, each seeing the
   * other's change.
   */
  public Future<Optional<Alerting>> alerting(SqlClient client, UUID userId, UUID eventId, boolean lock) {
    return client.preparedQuery(lock ? BY_ID_LOCKED : BY_ID).execute(Tuple.of(userId, eventId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row row = rows.iterator().next();
      CalendarEvent event = toEvent(row);
      ZoneId userZone = ZoneId.of(row.getString("user_timezone"));
      if (!event.recurring() || event.alertMinutes() == null) {
        return Future.succeededFuture(Optional.of(new Alerting(event, List.of(), userZone)));
      }
      return client.preparedQuery(OVERRIDES).execute(Tuple.of(userId, eventId))
          .map(overrides -> Optional.of(new Alerting(event, all(overrides), userZone)));
    });
  }

  public Future<Optional<CalendarEvent>> findOverride(UUID userId, UUID seriesId, OffsetDateTime originalStart) {
    return pool.preparedQuery(OVERRIDE).execute(Tuple.of(userId, seriesId, originalStart))
        .compose(rows -> withAttendees(userId, rows)).map(list -> list.stream().findFirst());
  }

  /** What a window needs: single events overlapping it, series that may reach into it, and their overrides. */
  public Future<Window> window(UUID userId, OffsetDateTime from, OffsetDateTime to) {
    return pool.preparedQuery(IN_WINDOW).execute(Tuple.of(userId, from, to)).compose(rows -> {
      List<CalendarEvent> singles = new ArrayList<>();
      List<CalendarEvent> series = new ArrayList<>();
      for (Row row : rows) {
        CalendarEvent event = toEvent(row);
        (event.recurring() ? series : singles).add(event);
      }
      return overridden(userId, series).map(skip -> new Window(singles, series, skip));
    });
  }

  private Future<Map<UUID, Set<java.time.Instant>>> overridden(UUID userId, List<CalendarEvent> series) {
    if (series.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    UUID[] ids = series.stream().map(CalendarEvent::id).toArray(UUID[]::new);
    return pool.preparedQuery(OVERRIDDEN).execute(Tuple.tuple().addUUID(userId).addArrayOfUUID(ids)).map(rows -> {
      Map<UUID, Set<java.time.Instant>> skip = new HashMap<>();
      rows.forEach(row -> skip.computeIfAbsent(row.getUUID("series_id"), k -> new java.util.HashSet<>())
          .add(row.getOffsetDateTime("original_start").toInstant()));
      return skip;
    });
  }

  private Future<List<CalendarEvent>> withAttendees(UUID userId, RowSet<Row> rows) {
    List<CalendarEvent> events = all(rows);
    if (events.isEmpty()) {
      return Future.succeededFuture(events);
    }
    UUID[] ids = events.stream().map(CalendarEvent::id).toArray(UUID[]::new);
    return pool.preparedQuery(ATTENDEES).execute(Tuple.tuple().addUUID(userId).addArrayOfUUID(ids)).map(attendeeRows -> {
      Map<UUID, List<Attendee>> byEvent = new HashMap<>();
      attendeeRows.forEach(row -> byEvent.computeIfAbsent(row.getUUID("event_id"), k -> new ArrayList<>())
          .add(new Attendee(row.getString("email"), row.getString("name"),
              Attendee.Response.fromWire(row.getString("response_status")))));
      return events.stream().map(e -> withAttendees(e, byEvent.getOrDefault(e.id(), List.of()))).toList();
    });
  }

  private static Future<Void> writeAttendees(SqlClient conn, UUID userId, UUID eventId, List<Attendee> attendees) {
    if (attendees.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = attendees.stream()
        .map(a -> Tuple.of(eventId, userId, a.email(), a.name(), a.response().wire())).toList();
    return conn.preparedQuery(INSERT_ATTENDEE).executeBatch(batch).mapEmpty();
  }

  private static OffsetDateTime[] exdates(EventData data) {
    return data.exdates().toArray(OffsetDateTime[]::new);
  }

  private static List<CalendarEvent> all(RowSet<Row> rows) {
    List<CalendarEvent> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(toEvent(row)));
    return list;
  }

  private static CalendarEvent toEvent(Row row) {
    ZoneId zone = ZoneId.of(row.getString("user_timezone"));
    OffsetDateTime[] exdates = row.getArrayOfOffsetDateTimes("exdates");
    return new CalendarEvent(row.getUUID("id"), row.getUUID("user_id"), row.getUUID("calendar_id"),
        row.getUUID("series_id"), inZone(row.getOffsetDateTime("original_start"), zone), row.getString("title"),
        row.getString("description"), row.getString("location"), inZone(row.getOffsetDateTime("start_at"), zone),
        inZone(row.getOffsetDateTime("end_at"), zone), ZoneId.of(row.getString("timezone")),
        row.getBoolean("all_day"), row.getLocalDate("start_date"), row.getLocalDate("end_date"),
        Status.fromWire(row.getString("status")), row.getString("rrule"),
        exdates == null ? List.of() : Arrays.stream(exdates).map(t -> inZone(t, zone)).toList(),
        row.getInteger("alert_minutes"), List.of(),
        inZone(row.getOffsetDateTime("created_at"), zone), inZone(row.getOffsetDateTime("updated_at"), zone));
  }

  private static CalendarEvent withAttendees(CalendarEvent e, List<Attendee> attendees) {
    return new CalendarEvent(e.id(), e.userId(), e.calendarId(), e.seriesId(), e.originalStart(), e.title(),
        e.description(), e.location(), e.start(), e.end(), e.timezone(), e.allDay(), e.startDate(), e.endDate(),
        e.status(), e.rrule(), e.exdates(), e.alertMinutes(), attendees, e.createdAt(), e.updatedAt());
  }

  private static Calendar toCalendar(Row row) {
    return new Calendar(row.getUUID("id"), row.getString("name"), row.getString("color"), row.getBoolean("is_primary"),
        row.getBoolean("takes_new_events"));
  }

  private static OffsetDateTime inZone(OffsetDateTime instant, ZoneId zone) {
    return instant == null ? null : instant.atZoneSameInstant(zone).toOffsetDateTime();
  }

  /** Every stored field of an event, as the service has checked and computed them. */
  public record EventData(UUID calendarId, UUID seriesId, OffsetDateTime originalStart, String title,
                          String description, String location, OffsetDateTime start, OffsetDateTime end,
                          ZoneId timezone, boolean allDay, LocalDate startDate, LocalDate endDate, Status status,
                          String rrule, List<OffsetDateTime> exdates, OffsetDateTime recursUntil,
                          List<Attendee> attendees, Integer alertMinutes) {}

  /** An event with what its alerts depend on: the overrides of its occurrences and its owner's timezone. */
  public record Alerting(CalendarEvent event, List<CalendarEvent> overrides, ZoneId userZone) {}

  /** The rows a window query needs; {@code skip} holds, per series, the original starts overrides replace. */
  public record Window(List<CalendarEvent> singles, List<CalendarEvent> series,
                       Map<UUID, Set<java.time.Instant>> skip) {}
}
