package dev.aide.channel;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves everything a channel-only person has (a Telegram chat or a phone number that talked to Aide before it was
 * linked: a user with no email and no password) into the account the channel is now linked to, in the caller's
 * transaction, then deletes the empty user. Nothing is copied (rows change owner), nothing is lost; where both have a
 * thing that may exist once per person, the account's stays and the other's is folded into it (a list of the same
 * name gives its items to the account's list) or dropped when it is the same (a memory said twice, a budget of the
 * same category, the same day's digest). Credentials of the channel-only user (sessions, link tokens, a calendar feed
 * URL) are never moved: they would open the account to whoever held them.
 *
 * <p>Every table with a user_id column is named in {@link #STEPS} ({@code AccountMergeTest} fails for one that is
 * not); a table added later and not named yet is still moved, row by row, by a generic update, so a forgotten table
 * loses nothing (and a collision there fails the link instead of losing rows).
 */
public final class AccountMerge {

  private static final Logger LOG = LoggerFactory.getLogger(AccountMerge.class);

  /** What the merge does with a table's rows of the channel-only user. */
  enum Handling {
    /** Every row changes owner. */
    MOVED,
    /** Rows change owner, except those the account already has (once-per-person things), which are folded or dropped. */
    MERGED,
    /** Credentials of the channel-only user: deleted with it, never moved into the account. */
    DROPPED
  }

  /**
   * One SQL statement over ($1 the channel-only user, $2 the account); its row count is rows of {@code counts} moved
   * (null: it moves nothing itself).
   */
  record Statement(String sql, String counts) {}

  /** What happens to one table, by which statements, in order. */
  record Step(String table, Handling handling, List<Statement> statements) {}

  private static Statement move(String table) {
    return new Statement("update " + table + " set user_id = $2 where user_id = $1", table);
  }

  private static Step moved(String table) {
    return new Step(table, Handling.MOVED, List.of(move(table)));
  }

  private static Step dropped(String table) {
    return new Step(table, Handling.DROPPED, List.of(new Statement("delete from " + table + " where user_id = $1", null)));
  }

  // Memories of the channel-only user that say what a current memory of the account says (or carry an import id the
  // account has): the account's is kept, the other's relations and history are pointed at it, then it goes.
  private static final String SAME_MEMORY = """
      with same as (
        select distinct on (f.id) f.id as from_id, a.id as into_id
        from memories f join memories a on a.user_id = $2
          and ((a.superseded_by is null and f.superseded_by is null
                and lower(btrim(a.content)) = lower(btrim(f.content)))
               or (a.external_id is not null and a.external_id = f.external_id))
        where f.user_id = $1
        order by f.id, a.created_at)
      """;

  // Lists named alike (whatever the case): the channel-only user's items join the end of the account's list, in their
  // order, but for an item the account's list already has (same text, quantity, unit and done mark).
  private static final String SAME_LIST = """
      with same as (
        select f.id as from_id, a.id as into_id
        from lists f join lists a on a.user_id = $2 and lower(a.name) = lower(f.name)
        where f.user_id = $1)
      """;

  private static final String PRIMARY_CALENDARS = """
      with same as (
        select f.id as from_id, a.id as into_id
        from calendars f join calendars a on a.user_id = $2 and a.is_primary and a.deleted_at is null
        where f.user_id = $1 and f.is_primary and f.deleted_at is null)
      """;

  private static final String SAME_ICAL_EVENT = """
      with same as (
        select f.id as from_id, a.id as into_id
        from events f join events a on a.user_id = $2 and a.ical_uid = f.ical_uid and a.deleted_at is null
        where f.user_id = $1 and f.ical_uid is not null and f.deleted_at is null)
      """;

  /** Every table with a user_id column, in the order the merge handles them. */
  static final List<Step> STEPS = List.of(
      // The person's other identities are theirs: they follow (a phone's SMS and WhatsApp, say).
      moved("channel_identities"),
      dropped("link_tokens"),
      dropped("sessions"),
      dropped("refresh_tokens"),
      dropped("password_resets"),
      dropped("calendar_feeds"),
      // An authorization under way is bound to the person who started it: it is started again after the merge.
      dropped("oauth_states"),
      dropped("link_codes"),
      dropped("device_tokens"),
      new Step("user_context", Handling.MERGED, List.of(new Statement("""
          insert into user_context (user_id, bio, goals, updated_at)
          select $2, bio, goals, updated_at from user_context where user_id = $1
          on conflict (user_id) do update set bio = coalesce(user_context.bio, excluded.bio),
            goals = coalesce(user_context.goals, excluded.goals)
          """, "user_context"))),
      moved("conversations"),
      moved("messages"),
      moved("message_vectors"),
      moved("ai_responses"),
      moved("chat_memory"),
      moved("tool_calls"),
      moved("pending_actions"),
      // An undo record holds rows as they were, user id included: put back after the merge they would be another's.
      dropped("undo_changes"),
      moved("reminders"),
      moved("expenses"),
      new Step("budgets", Handling.MERGED, List.of(new Statement("""
          update budgets f set user_id = $2
          where f.user_id = $1 and not exists (select 1 from budgets a where a.user_id = $2 and a.category = f.category)
          """, "budgets"))),
      moved("notes"),
      new Step("lists", Handling.MERGED, List.of(
          new Statement(SAME_LIST + """
              update list_items i set list_id = s.into_id, user_id = $2,
                position = i.position + 1 + (select coalesce(max(t.position), 0) from list_items t where t.list_id = s.into_id)
              from same s
              where i.list_id = s.from_id and not exists (
                select 1 from list_items t where t.list_id = s.into_id and lower(btrim(t.text)) = lower(btrim(i.text))
                  and t.quantity is not distinct from i.quantity and t.unit is not distinct from i.unit
                  and t.done = i.done)
              """, "list_items"),
          new Statement(SAME_LIST + "delete from lists l using same s where l.id = s.from_id", null),
          move("lists"))),
      moved("list_items"),
      new Step("calendars", Handling.MERGED, List.of(
          new Statement(PRIMARY_CALENDARS + "update events e set calendar_id = s.into_id from same s "
              + "where e.calendar_id = s.from_id", null),
          new Statement(PRIMARY_CALENDARS + "delete from calendars c using same s where c.id = s.from_id", null),
          // The account's choice of a calendar for new events stands (one choice a person).
          new Statement("update calendars set takes_new_events = false where user_id = $1", null),
          move("calendars"))),
      new Step("events", Handling.MERGED, List.of(
          // The same event imported by both (.ics UID): the account's stays; the other is deleted as the calendar
          // deletes, and what pointed at it points at the account's.
          new Statement(SAME_ICAL_EVENT + "update reminders r set event_id = s.into_id from same s "
              + "where r.event_id = s.from_id", null),
          new Statement(SAME_ICAL_EVENT + "update events e set deleted_at = now(), updated_at = now() from same s "
              + "where e.id = s.from_id", null),
          move("events"))),
      moved("event_attendees"),
      new Step("memories", Handling.MERGED, List.of(
          new Statement(SAME_MEMORY + """
              insert into memory_relations (from_id, to_id, relation, created_at)
              select coalesce(a.into_id, r.from_id), coalesce(b.into_id, r.to_id), r.relation, r.created_at
              from memory_relations r left join same a on a.from_id = r.from_id left join same b on b.from_id = r.to_id
              where (a.from_id is not null or b.from_id is not null)
                and coalesce(a.into_id, r.from_id) <> coalesce(b.into_id, r.to_id)
              on conflict do nothing
              """, null),
          new Statement(SAME_MEMORY + "update memories m set superseded_by = s.into_id from same s "
              + "where m.superseded_by = s.from_id", null),
          new Statement(SAME_MEMORY + "delete from memories m using same s where m.id = s.from_id", null),
          move("memories"))),
      moved("memory_vectors"),
      new Step("documents", Handling.MERGED, List.of(
          // source_key only keeps a chat's document from being stored twice; on the account it would clash.
          new Statement("""
              update documents f set source_key = null
              where f.user_id = $1 and exists (
                select 1 from documents a where a.user_id = $2 and a.source_key = f.source_key)
              """, null),
          move("documents"))),
      moved("document_chunks"),
      moved("chunk_vectors"),
      moved("notifications"),
      moved("proactive_messages"),
      new Step("ai_summaries", Handling.MERGED, List.of(new Statement("""
          update ai_summaries f set user_id = $2
          where f.user_id = $1 and not exists (select 1 from ai_summaries a where a.user_id = $2
            and a.summary_type = f.summary_type and a.summary_date = f.summary_date)
          """, "ai_summaries"))),
      new Step("scheduled_tasks", Handling.MERGED, List.of(
          // A task named after the person (their daily digest) is the person's setting: the account keeps its own.
          new Statement("delete from scheduled_tasks where user_id = $1 and strpos(task_key, $1::text) > 0", null),
          move("scheduled_tasks"))),
      moved("outbox"),
      // Connected accounts follow the person, with the calendars copied from them (their passwords are sealed for
      // the account row, not the person, so they still open).
      moved("linked_accounts"),
      moved("caldav_collections"),
      moved("caldav_objects"),
      // Mail accounts' servers and the mail Aide sent follow their account.
      moved("mail_accounts"),
      moved("mail_sent"),
      moved("mail_alert_rules"));

  /** The tables the merge knows by name. */
  static Set<String> handledTables() {
    return STEPS.stream().map(Step::table).collect(Collectors.toUnmodifiableSet());
  }

  // Only a user with no way to sign in is ever merged away; locked so that a turn of the channel-only user that is
  // writing now finishes first, and one that starts later fails on the deleted user (and is handled again, for the
  // account) instead of leaving rows behind.
  private static final String LOCK_CHANNEL_ONLY = """
      select phone from users where id = $1 and email is null and password_hash is null for update
      """;
  private static final String UNKNOWN_TABLES = """
      select c.table_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and c.column_name = 'user_id' and t.table_type = 'BASE TABLE'
        and c.table_name <> all($1) and c.table_name <> 'users'
      order by c.table_name
      """;
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String DELETE_USER = "delete from users where id = $1";
  // The account takes the channel-only user's number only when it has none (and only after that user is gone: a
  // number belongs to one user).
  private static final String TAKE_PHONE = "update users set phone = $2, updated_at = now() where id = $1 and phone is null";

  /** A merge that happened: how many rows of each table changed owner. */
  public record Merged(UUID from, UUID into, Map<String, Long> moved) {
    public long total() {
      return moved.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Merges {@code from} into {@code into} when {@code from} is a channel-only user; empty (and nothing done) when it is
   * an account, or gone. Runs in the caller's transaction.
   */
  public Future<Optional<Merged>> absorb(SqlConnection tx, UUID from, UUID into) {
    if (from.equals(into)) {
      return Future.succeededFuture(Optional.empty());
    }
    Tuple both = Tuple.of(from, into);
    return tx.preparedQuery(LOCK_CHANNEL_ONLY).execute(Tuple.of(from)).compose(locked -> {
      if (locked.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      String phone = locked.iterator().next().getString("phone");
      Map<String, Long> moved = new LinkedHashMap<>();
      Future<Void> chain = Future.succeededFuture();
      for (Step step : STEPS) {
        for (Statement statement : step.statements()) {
          Tuple params = statement.sql().contains("$2") ? both : Tuple.of(from);
          chain = chain.compose(v -> tx.preparedQuery(statement.sql()).execute(params).map(rows -> {
            if (statement.counts() != null && rows.rowCount() > 0) {
              moved.merge(statement.counts(), (long) rows.rowCount(), Long::sum);
            }
            return null;
          }));
        }
      }
      return chain
          .compose(v -> moveUnknownTables(tx, both, moved))
          .compose(v -> tx.preparedQuery(DELETE_USER).execute(Tuple.of(from)))
          .compose(v -> phone == null ? Future.succeededFuture()
              : tx.preparedQuery(TAKE_PHONE).execute(Tuple.of(into, phone)).mapEmpty())
          .map(v -> {
            Merged merged = new Merged(from, into, Map.copyOf(moved));
            LOG.info("Channel-only user {} merged into account {}: {} rows moved ({})", from, into, merged.total(),
                moved);
            return Optional.of(merged);
          });
    });
  }

  /** Tables with a user_id that no step names (added after this class): their rows change owner as they are. */
  private static Future<Void> moveUnknownTables(SqlConnection tx, Tuple both, Map<String, Long> moved) {
    String[] known = handledTables().toArray(new String[0]);
    return tx.preparedQuery(UNKNOWN_TABLES).execute(Tuple.of(known)).compose(rows -> {
      List<String> tables = new ArrayList<>();
      rows.forEach(row -> tables.add(row.getString(0)));
      Future<Void> chain = Future.succeededFuture();
      for (String table : tables) {
        if (!TABLE_NAME.matcher(table).matches()) {
          return Future.failedFuture(new IllegalStateException("unexpected table name " + table));
        }
        LOG.warn("Table {} has a user_id column the account merge does not name; its rows are moved as they are",
            table);
        chain = chain.compose(v -> tx.preparedQuery("update \"" + table + "\" set user_id = $2 where user_id = $1")
            .execute(both).map(updated -> {
              if (updated.rowCount() > 0) {
                moved.merge(table, (long) updated.rowCount(), Long::sum);
              }
              return null;
            }));
      }
      return chain;
    });
  }
}
