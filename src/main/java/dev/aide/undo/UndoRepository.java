package dev.aide.undo;

import dev.aide.calendar.EventService;
import dev.aide.platform.error.DomainException;
import dev.aide.undo.Aggregates.Member;
import io.vertx.pgclient.PgException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The undo records and the rows they keep. A row is kept as PostgreSQL's own text of {@code to_jsonb(row)}, never
 * decoded and encoded again in Java, so a restored amount or instant is exactly the stored one, and "changed since"
 * is a comparison of two such texts. Table and column names come from {@link Aggregates} and the catalog only.
 */
final class UndoRepository {

  private static final String INSERT = """
      insert into undo_changes (user_id, conversation_id, message_id, tool, aggregates, expires_at)
      values ($1, $2, $3, $4, $5, now() + make_interval(days => $6)) returning id
      """;
  private static final String FOR_UNDO = """
      select tool, aggregates, undone_at, expires_at <= now() as expired from undo_changes
      where user_id = $1 and id = $2 for update
      """;
  private static final String MARK_UNDONE = "update undo_changes set undone_at = now() where id = $1 returning undone_at";
  private static final String UNDOABLE = """
      select id from undo_changes
      where user_id = $1 and id = any($2) and undone_at is null and expires_at > now()
      """;
  /**
   * The conversation's latest change that can still be undone; {@code recent}: made in the turn of the person's message
   * just before $3 (the one asking), or within {@link #RECENT_MINUTES}.
   */
  private static final String LAST = """
      select u.id, u.tool, u.aggregates, extract(epoch from now() - u.created_at)::bigint as age_seconds,
        u.created_at > now() - make_interval(mins => $4) or u.message_id = (
          select m.id from messages m
          where m.user_id = $1 and m.conversation_id = $2 and m.role = 'user' and m.id <> $3
          order by m.created_at desc limit 1) as recent
      from undo_changes u
      where u.user_id = $1 and u.conversation_id = $2 and u.undone_at is null and u.expires_at > now()
      order by u.created_at desc limit 1
      """;
  /** How long after a change a bare "undo" undoes it at once, whatever was said in between. */
  static final int RECENT_MINUTES = 10;
  private static final String KEPT = "select tool, aggregates from undo_changes where user_id = $1 and id = $2";
  private static final String DELETE_EXPIRED = """
      delete from undo_changes where id in (select id from undo_changes where expires_at <= now() limit $1)
      """;
  /**
   * Writable columns (not generated) and, for a column whose reference is {@code on delete set null}, the table and
   * column it refers to: a kept row whose referenced row has gone since is put back with null there, as the delete
   * would have left it.
   */
  private static final String COLUMNS = """
      select a.attname, r.relname as ref_table, ra.attname as ref_column
      from pg_attribute a
      left join pg_constraint c on c.conrelid = a.attrelid and c.contype = 'f' and c.confdeltype = 'n'
        and cardinality(c.conkey) = 1 and c.conkey[1] = a.attnum
      left join pg_class r on r.oid = c.confrelid
      left join pg_attribute ra on ra.attrelid = c.confrelid and ra.attnum = c.confkey[1]
      where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
        and a.attidentity = ''
      order by a.attnum
      """;
  private static final String LOCK_PERSON = "select 1 from users where id = $1 for no key update";
  private static final String COUNT_EVENTS = """
      select count(*) as events, count(*) filter (where rrule is not null) as series from events
      where user_id = $1 and series_id is null and deleted_at is null""";
  /** A kept reminder of an event that is gone or deleted since: put back, it would remind of nothing. */
  private static final String EVENT_GONE = """
      select exists (select 1 from jsonb_populate_record(null::reminders, $1::text::jsonb) r
        where r.event_id is not null
          and not exists (select 1 from events e where e.id = r.event_id and e.deleted_at is null)) as gone""";
  /**
   * A scheduled task comes back as the scheduler would take it up anew: no worker's claim, heartbeat, attempts or
   * error of its old runs (a claim by a worker long gone would wait for the stale-claim sweep; old attempts would cut
   * its retries short), and one that was running is scheduled again.
   */
  private static final Map<String, String> FRESH = Map.of("scheduled_tasks", """
      $1::text::jsonb || '{"claimed_by": null, "heartbeat_at": null, "attempts": 0, "last_error": null}'::jsonb
        || case when $1::text::jsonb ->> 'status' = 'running' then jsonb_build_object('status', 'scheduled',
          'next_run_at', coalesce($1::text::jsonb -> 'next_run_at', to_jsonb(now()))) else '{}'::jsonb end""");
  private static final String CLASHES = "it clashes with something made or removed since, so it was left as it is";

  private final Pool pool;
  /** Writable columns of each table (not generated), read once: migrations run before Aide starts. */
  private final Map<String, List<Column>> columns = new ConcurrentHashMap<>();

  UndoRepository(Pool pool) {
    this.pool = pool;
  }

  /** The rows of one member of a thing, parents first, as texts. */
  Future<List<String>> snapshot(Member member, String id, UUID userId) {
    return snapshot(pool, member, id, userId, false);
  }

  Future<Optional<UUID>> insert(UUID userId, UUID conversationId, UUID messageId, String tool, JsonArray aggregates,
                                int days) {
    return pool.preparedQuery(INSERT)
        .execute(Tuple.from(new Object[] {userId, conversationId, messageId, tool, aggregates, days}))
        .map(rows -> Optional.of(rows.iterator().next().getUUID("id")))
        // The person deleted the conversation while its turn ran: there is nothing to offer an Undo in.
        .recover(e -> e instanceof PgException pg && "23503".equals(pg.getSqlState())
            ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
  }

  Future<Set<UUID>> undoable(UUID userId, Collection<UUID> ids) {
    return pool.preparedQuery(UNDOABLE).execute(Tuple.tuple().addValue(userId).addValue(ids.toArray(UUID[]::new)))
        .map(rows -> {
          Set<UUID> open = new HashSet<>();
          rows.forEach(row -> open.add(row.getUUID("id")));
          return open;
        });
  }

  /** The conversation's latest change that can still be undone, seen from the person's message {@code asking}. */
  Future<Optional<Last>> last(UUID userId, UUID conversationId, UUID asking) {
    return pool.preparedQuery(LAST).execute(Tuple.of(userId, conversationId, asking, RECENT_MINUTES)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Last(row.getUUID("id"), row.getString("tool"), (JsonArray) row.getValue("aggregates"),
          Boolean.TRUE.equals(row.getBoolean("recent")), row.getLong("age_seconds")));
    });
  }

  /** What one change kept, by id: the tool and the things, to name them. */
  Future<Optional<Last>> kept(UUID userId, UUID id) {
    return pool.preparedQuery(KEPT).execute(Tuple.of(userId, id)).map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of(new Last(id, rows.iterator().next().getString("tool"),
            (JsonArray) rows.iterator().next().getValue("aggregates"), false, 0)));
  }

  Future<Integer> deleteExpired(int limit) {
    return pool.preparedQuery(DELETE_EXPIRED).execute(Tuple.of(limit)).map(rows -> rows.rowCount());
  }

  /**
   * Puts back what the change replaced, in one transaction: refused (409) with nothing changed when it was undone
   * already, has expired, or a thing it touched has been changed since; 404 when the person has no such change.
   */
  Future<Undone> undo(UUID userId, UUID id) {
    return pool.withTransaction(tx -> tx.preparedQuery(FOR_UNDO).execute(Tuple.of(userId, id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(DomainException.notFound("change"));
      }
      Row row = rows.iterator().next();
      if (row.getOffsetDateTime("undone_at") != null) {
        return Future.failedFuture(DomainException.conflict("that change has already been undone"));
      }
      if (row.getBoolean("expired")) {
        return Future.failedFuture(DomainException.conflict("that change is too old to be undone"));
      }
      String tool = row.getString("tool");
      JsonArray aggregates = (JsonArray) row.getValue("aggregates");
      List<JsonObject> things = new ArrayList<>();
      aggregates.forEach(o -> things.add((JsonObject) o));
      // The last thing changed is put back first.
      Collections.reverse(things);
      List<Plan> plans = new ArrayList<>();
      boolean calendar = things.stream().anyMatch(t -> "event".equals(t.getString("kind")));
      // The person's row is locked first, as every calendar write does (EventRepository.room), so the count of events
      // after the undo holds and the locks are always taken in the same order.
      Future<Void> checked = calendar
          ? tx.preparedQuery(LOCK_PERSON).execute(Tuple.of(userId)).mapEmpty() : Future.succeededFuture();
      for (JsonObject thing : things) {
        List<Member> members = Aggregates.KINDS.get(thing.getString("kind"));
        JsonArray kept = thing.getJsonArray("members");
        if (members == null || kept.size() != members.size()) {
          return Future.failedFuture(DomainException.conflict("that change can no longer be undone"));
        }
        for (int i = 0; i < members.size(); i++) {
          Member member = members.get(i);
          JsonObject keptMember = kept.getJsonObject(i);
          if (!member.table().equals(keptMember.getString("table"))) {
            return Future.failedFuture(DomainException.conflict("that change can no longer be undone"));
          }
          Plan plan = new Plan(member, thing.getString("id"), texts(keptMember.getJsonArray("before")),
              texts(keptMember.getJsonArray("after")));
          plans.add(plan);
          checked = checked.compose(v -> current(tx, plan, userId).compose(now -> {
            plan.current.putAll(now);
            return plan.member.compared() && !plan.unchangedSince()
                ? Future.failedFuture(DomainException.conflict("it has been changed since, so it was left as it is"))
                : Future.<Void>succeededFuture();
          }));
        }
      }
      // Rows the change added go first (children first), so a row put back never clashes with its own replacement
      // (an event's attendees are rewritten with new ids on every update: same (event_id, email), another id).
      return checked
          .compose(v -> {
            List<Plan> backwards = new ArrayList<>(plans);
            Collections.reverse(backwards);
            return sequence(backwards.stream().<Supplier<Future<Void>>>map(plan -> () -> removeAdded(tx, plan)).toList());
          })
          .compose(v -> sequence(plans.stream().<Supplier<Future<Void>>>map(plan -> () -> restore(tx, plan)).toList()))
          .compose(v -> calendar ? roomInCalendar(tx, userId) : Future.<Void>succeededFuture())
          .compose(v -> tx.preparedQuery(MARK_UNDONE).execute(Tuple.of(id)))
          .map(done -> new Undone(id, tool, done.iterator().next().getOffsetDateTime("undone_at")));
    })).recover(UndoRepository::explained);
  }

  /**
   * A restored row that clashes with something made or removed since (a list of the same name, a parent gone): the
   * person reads a fixed sentence, never the database's words (they name constraints and values).
   */
  private static Future<Undone> explained(Throwable failure) {
    if (failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("23")) {
      return Future.failedFuture(DomainException.conflict(CLASHES));
    }
    return Future.failedFuture(failure);
  }

  /** The calendar, events put back, still within {@link EventService#MAX_EVENTS} and {@link EventService#MAX_SERIES}. */
  private static Future<Void> roomInCalendar(SqlClient tx, UUID userId) {
    return tx.preparedQuery(COUNT_EVENTS).execute(Tuple.of(userId)).compose(rows -> {
      Row counts = rows.iterator().next();
      return counts.getLong("events") > EventService.MAX_EVENTS || counts.getLong("series") > EventService.MAX_SERIES
          ? Future.failedFuture(DomainException.conflict("your calendar is full since, so it was left as it is"))
          : Future.<Void>succeededFuture();
    });
  }

  /** The rows of a member as they are now, by key: those it holds now and those the change kept, locked. */
  private Future<Map<String, String>> current(SqlClient tx, Plan plan, UUID userId) {
    Map<String, String> now = new LinkedHashMap<>();
    return snapshot(tx, plan.member, plan.id, userId, true).compose(rows -> {
      rows.forEach(text -> now.put(key(plan.member, text), text));
      List<String> elsewhere = new ArrayList<>();
      plan.before.forEach((key, text) -> {
        if (!now.containsKey(key)) {
          elsewhere.add(text);
        }
      });
      plan.after.forEach((key, text) -> {
        if (!now.containsKey(key) && !plan.before.containsKey(key)) {
          elsewhere.add(text);
        }
      });
      // A row can have left the thing since (a reminder unlinked from its event): found by its key.
      return sequence(elsewhere.stream().<Supplier<Future<Void>>>map(text -> () -> byKey(tx, plan.member, text, userId)
          .map(found -> {
            found.ifPresent(t -> now.put(key(plan.member, t), t));
            return null;
          })).toList()).map(now);
    });
  }

  /** Writes back each row the change replaced or deleted, as it was. */
  private Future<Void> restore(SqlClient tx, Plan plan) {
    return writable(tx, plan.member.table()).compose(cols -> sequence(plan.before.entrySet().stream()
        .filter(e -> !e.getValue().equals(plan.current.get(e.getKey())))
        .<Supplier<Future<Void>>>map(e -> () -> liveEvent(tx, plan, e.getValue())
            .compose(v -> tx.preparedQuery(upsert(plan.member, cols)).execute(Tuple.of(e.getValue()))).mapEmpty())
        .toList()));
  }

  /**
   * A reminder is put back only while the event it belongs to is there: the event's deletion cancelled its reminders,
   * and one brought back live would remind of an event that no longer is (refused, 409, nothing changed).
   */
  private static Future<Void> liveEvent(SqlClient tx, Plan plan, String text) {
    if (!plan.member.table().equals("reminders")) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(EVENT_GONE).execute(Tuple.of(text)).compose(rows -> rows.iterator().next().getBoolean("gone")
        ? Future.failedFuture(DomainException.conflict("the event it belonged to has been deleted since, so it was left"
            + " as it is"))
        : Future.<Void>succeededFuture());
  }

  /** Deletes the rows the change created (children first), which are no part of the thing as it was. */
  private Future<Void> removeAdded(SqlClient tx, Plan plan) {
    List<String> added = new ArrayList<>();
    plan.current.forEach((key, text) -> {
      if (!plan.before.containsKey(key)) {
        added.add(text);
      }
    });
    Collections.reverse(added);
    return sequence(added.stream().<Supplier<Future<Void>>>map(text -> () -> tx.preparedQuery(delete(plan.member))
        .execute(Tuple.of(text)).mapEmpty()).toList());
  }

  private static Future<List<String>> snapshot(SqlClient client, Member member, String id, UUID userId, boolean lock) {
    String sql = "select to_jsonb(kept)::text as row from " + member.table() + " kept where " + member.where()
        + " order by " + member.order() + (lock ? " for update" : "");
    return client.preparedQuery(sql).execute(Tuple.of(id, userId)).map(rows -> {
      List<String> texts = new ArrayList<>(rows.size());
      rows.forEach(row -> texts.add(row.getString("row")));
      return texts;
    });
  }

  private static Future<Optional<String>> byKey(SqlClient tx, Member member, String text, UUID userId) {
    String sql = "select to_jsonb(kept)::text as row from " + member.table() + " kept where " + keyMatch(member)
        + (member.owned() ? " and kept.user_id = $2" : " and $2::uuid is not null") + " for update";
    return tx.preparedQuery(sql).execute(Tuple.of(text, userId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("row")));
  }

  private static String keyMatch(Member member) {
    return "(" + member.key().stream().map(k -> "kept." + k).collect(Collectors.joining(", ")) + ") = (select "
        + member.key().stream().map(k -> "r." + k).collect(Collectors.joining(", "))
        + " from jsonb_populate_record(null::" + member.table() + ", $1::text::jsonb) r)";
  }

  private static String upsert(Member member, List<Column> cols) {
    String list = cols.stream().map(Column::name).collect(Collectors.joining(", "));
    String values = cols.stream().map(c -> c.refTable() == null ? "r." + c.name()
        : "case when exists (select 1 from " + c.refTable() + " f where f." + c.refColumn() + " = r." + c.name()
            + ") then r." + c.name() + " end").collect(Collectors.joining(", "));
    return "insert into " + member.table() + " (" + list + ") select " + values + " from jsonb_populate_record(null::"
        + member.table() + ", " + FRESH.getOrDefault(member.table(), "$1::text::jsonb") + ") r on conflict (" + String.join(", ", member.key()) + ") do update set "
        + cols.stream().map(c -> c.name() + " = excluded." + c.name()).collect(Collectors.joining(", "));
  }

  private static String delete(Member member) {
    return "delete from " + member.table() + " kept where " + keyMatch(member);
  }

  private Future<List<Column>> writable(SqlClient tx, String table) {
    List<Column> known = columns.get(table);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return tx.preparedQuery(COLUMNS).execute(Tuple.of(table)).map(rows -> {
      List<Column> found = new ArrayList<>();
      rows.forEach(row -> found.add(new Column(row.getString("attname"), row.getString("ref_table"),
          row.getString("ref_column"))));
      columns.put(table, List.copyOf(found));
      return found;
    });
  }

  /** A writable column; {@code refTable} and {@code refColumn}: what it refers to, when that is on delete set null. */
  private record Column(String name, String refTable, String refColumn) {}

  /** The key of a row of the member, as text: its key columns' values in order. */
  static String key(Member member, String rowText) {
    JsonObject row = new JsonObject(rowText);
    JsonArray key = new JsonArray();
    member.key().forEach(k -> key.add(row.getValue(k)));
    return key.encode();
  }

  private static List<String> texts(JsonArray array) {
    List<String> texts = new ArrayList<>(array.size());
    array.forEach(o -> texts.add((String) o));
    return texts;
  }

  private static Future<Void> sequence(List<Supplier<Future<Void>>> steps) {
    Future<Void> chain = Future.succeededFuture();
    for (Supplier<Future<Void>> step : steps) {
      chain = chain.compose(v -> step.get());
    }
    return chain;
  }

  /** What one undo will do to one member of a thing: its rows before and after the change, and now. */
  private static final class Plan {
    private final Member member;
    private final String id;
    private final Map<String, String> before = new LinkedHashMap<>();
    private final Map<String, String> after = new LinkedHashMap<>();
    private final Map<String, String> current = new LinkedHashMap<>();

    Plan(Member member, String id, List<String> before, List<String> after) {
      this.member = member;
      this.id = id;
      before.forEach(text -> this.before.put(key(member, text), text));
      after.forEach(text -> this.after.put(key(member, text), text));
    }

    /** Every row is as the change left it: none changed, none gone, none added. */
    boolean unchangedSince() {
      return after.equals(current);
    }
  }

  /**
   * A change that can be undone, by id: the tool that made it, the things it kept, whether it is the conversation's
   * latest turn's (or minutes old), and how old it is.
   */
  record Last(UUID id, String tool, JsonArray things, boolean recent, long ageSeconds) {}

  /** A change that was undone. */
  record Undone(UUID id, String tool, OffsetDateTime undoneAt) {}
}
