package dev.aide.undo;

import java.util.List;
import java.util.Map;

/**
 * The things a chat tool can change, each with every row that belongs to it: what is kept before and after a change
 * and put back by an undo. A list is its row and its items; an event is the series, its overrides, attendees, the
 * reminders linked to it and the alert task; a reminder is its row and its task. In each, {@code $1} is the thing's
 * id (text) and {@code $2} the person's id; rows come parents first.
 */
final class Aggregates {

  /**
   * Rows of one table that belong to a thing. {@code key}: the columns that name a row (a primary or unique key);
   * {@code compared}: a row that differs from how the change left it means the thing was changed since, and the undo
   * is refused. Rows the scheduler keeps touching (tasks) and derived rows (vectors, relations) are put back, not
   * compared.
   */
  record Member(String table, List<String> key, String where, String order, boolean compared, boolean owned) {}

  /** The ids of a memory ($1) of the person ($2) and of the memories it superseded, directly or not. */
  private static final String CHAIN = "with recursive chain(id) as (select id from memories where id = $1::text::uuid"
      + " and user_id = $2 union select m.id from memories m join chain c on m.superseded_by = c.id"
      + " where m.user_id = $2) select id from chain";

  static final Map<String, List<Member>> KINDS = Map.of(
      "note", List.of(row("notes")),
      "expense", List.of(row("expenses")),
      "budget", List.of(new Member("budgets", List.of("user_id", "category"), "user_id = $2 and category = $1::text",
          "category", true, true)),
      "list", List.of(row("lists"),
          new Member("list_items", List.of("id"), "user_id = $2 and list_id = $1::text::uuid", "position, id", true, true)),
      "reminder", List.of(row("reminders"), task("'reminder:' || $1::text")),
      "proactive", List.of(row("proactive_messages"), task("'proactive:' || $1::text")),
      "memory", List.of(row("memories"),
          new Member("memory_vectors", List.of("memory_id", "model"), "user_id = $2 and memory_id = $1::text::uuid", "model",
              false, true),
          // Relations carry no user id: both ends are the person's memories (they are made only between them).
          new Member("memory_relations", List.of("from_id", "to_id", "relation"),
              "(from_id = $1::text::uuid or to_id = $1::text::uuid) and exists (select 1 from memories m where m.id = $1::text::uuid"
                  + " and m.user_id = $2)", "from_id, to_id, relation", false, false)),
      // A memory forgotten with its history: the rows it superseded go with it (MemoryRepository's delete follows
      // superseded_by), so all come back, the current one first and each row before those it replaced.
      "memory-chain", List.of(
          new Member("memories", List.of("id"), "user_id = $2 and id in (" + CHAIN + ")",
              "(with recursive up(s, n) as (select kept.superseded_by, 0 union all select m.superseded_by, n + 1"
                  + " from memories m join up on m.id = up.s where n < 1000) select max(n) from up), id", true, true),
          new Member("memory_vectors", List.of("memory_id", "model"), "user_id = $2 and memory_id in (" + CHAIN + ")",
              "memory_id, model", false, true),
          new Member("memory_relations", List.of("from_id", "to_id", "relation"),
              "(from_id in (" + CHAIN + ") or to_id in (" + CHAIN + "))", "from_id, to_id, relation", false, false)),
      "event", List.of(
          new Member("events", List.of("id"), "user_id = $2 and (id = $1::text::uuid or series_id = $1::text::uuid)",
              "series_id nulls first, original_start, id", true, true),
          new Member("event_attendees", List.of("id"), "user_id = $2 and event_id in (select id from events"
              + " where user_id = $2 and (id = $1::text::uuid or series_id = $1::text::uuid))", "event_id, id", true, true),
          new Member("reminders", List.of("id"), "user_id = $2 and event_id = $1::text::uuid", "id", true, true),
          new Member("scheduled_tasks", List.of("task_key"), "user_id = $2 and (task_key = 'event-alert:' || $1::text"
              + " or task_key in (select 'reminder:' || id from reminders where user_id = $2 and event_id = $1::text::uuid))",
              "task_key", false, true)));

  private Aggregates() {}

  private static Member row(String table) {
    return new Member(table, List.of("id"), "user_id = $2 and id = $1::text::uuid", "id", true, true);
  }

  private static Member task(String taskKey) {
    return new Member("scheduled_tasks", List.of("task_key"), "user_id = $2 and task_key = " + taskKey, "task_key",
        false, true);
  }
}
