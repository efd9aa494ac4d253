package dev.aide.undo;

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
  private static final String LAST = """
      select id, tool from undo_changes
      where user_id = $1 and conversation_id = $2 and undone_at is null and expires_at > now()
      order by created_at desc limit 1
      """;
  private static final String DELETE_EXPIRED = """
      delete from undo_changes where id in (select id from undo_changes where expires_at <= now() limit $1)
      """;
  private static final String COLUMNS = """
      select attname from pg_attribute
      where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '' and attidentity = ''
      order by attnum
      """;

  private final Pool pool;
  /** Writable columns of each table (not generated), read once: migrations run before Aide starts. */
  private final Map<String, List<String>> columns = new ConcurrentHashMap<>();

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

  /** The conversation's latest change that can still be undone, and the tool that made it. */
  Future<Optional<Last>> last(UUID userId, UUID conversationId) {
    return pool.preparedQuery(LAST).execute(Tuple.of(userId, conversationId)).map(rows -> rows.size() == 0
        ? Optional.empty()
        : Optional.of(new Last(rows.iterator().next().getUUID("id"), rows.iterator().next().getString("tool"))));
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
      Future<Void> checked = Future.succeededFuture();
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
      return checked
          .compose(v -> sequence(plans.stream().<Supplier<Future<Void>>>map(plan -> () -> restore(tx, plan)).toList()))
          .compose(v -> {
            List<Plan> backwards = new ArrayList<>(plans);
            Collections.reverse(backwards);
            return sequence(backwards.stream().<Supplier<Future<Void>>>map(plan -> () -> removeAdded(tx, plan)).toList());
          })
          .compose(v -> tx.preparedQuery(MARK_UNDONE).execute(Tuple.of(id)))
          .map(done -> new Undone(id, tool, done.iterator().next().getOffsetDateTime("undone_at")));
    })).recover(UndoRepository::explained);
  }

  /** A restored row that clashes with something made since (a list of the same name): the person reads why. */
  private static Future<Undone> explained(Throwable failure) {
    if (failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("23")) {
      return Future.failedFuture(DomainException.conflict(
          "it clashes with something made since (" + pg.getErrorMessage() + "), so it was left as it is"));
    }
    return Future.failedFuture(failure);
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
        .<Supplier<Future<Void>>>map(e -> () -> tx.preparedQuery(upsert(plan.member, cols))
            .execute(Tuple.of(e.getValue())).mapEmpty())
        .toList()));
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

  private static String upsert(Member member, List<String> cols) {
    String list = String.join(", ", cols);
    return "insert into " + member.table() + " (" + list + ") select " + list + " from jsonb_populate_record(null::"
        + member.table() + ", $1::text::jsonb) on conflict (" + String.join(", ", member.key()) + ") do update set "
        + cols.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
  }

  private static String delete(Member member) {
    return "delete from " + member.table() + " kept where " + keyMatch(member);
  }

  private Future<List<String>> writable(SqlClient tx, String table) {
    List<String> known = columns.get(table);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return tx.preparedQuery(COLUMNS).execute(Tuple.of(table)).map(rows -> {
      List<String> names = new ArrayList<>();
      rows.forEach(row -> names.add(row.getString("attname")));
      columns.put(table, List.copyOf(names));
      return names;
    });
  }

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

  /** A change that can be undone, by id, and the tool that made it. */
  record Last(UUID id, String tool) {}

  /** A change that was undone. */
  record Undone(UUID id, String tool, OffsetDateTime undoneAt) {}
}
