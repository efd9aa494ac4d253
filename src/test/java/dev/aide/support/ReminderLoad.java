package dev.aide.support;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Work for the scheduler, written with SQL the way the reminder API leaves it: people with a linked Telegram chat,
 * and one-time reminders for them (the V9 trigger gives each reminder its scheduled task). Reminder n says
 * "load-n", so a message that reaches a chat names the reminder it came from.
 */
public final class ReminderLoad {

  /** Person n talks to the bot from chat FIRST_CHAT + n. */
  public static final long FIRST_CHAT = 5_000_000;
  private static final Pattern TEXT = Pattern.compile("load-(\\d+)");

  private ReminderLoad() {}

  /** Adds people 0 … count-1, each with a verified Telegram chat. */
  public static void people(TestDatabase db, int count) {
    db.update("insert into users (name, timezone) select 'load-person-' || g, 'UTC' from generate_series(0, ? - 1) g",
        count);
    db.update("""
        insert into channel_identities (user_id, channel, external_id, verified, linked_at)
        select id, 'telegram', (? + split_part(name, '-', 3)::bigint)::text, true, now()
        from users where name like 'load-person-%'
        """, FIRST_CHAT);
  }

  /**
   * Adds reminders 0 … count-1 in one transaction, dealt round-robin to the first {@code people} people: reminder n
   * is due at {@code from} + n × spread / count (a zero spread: all at the same instant).
   */
  public static void reminders(TestDatabase db, int count, int people, Instant from, Duration spread) {
    reminders(db, "load-", count, people, from, spread);
  }

  /** The same with another text, e.g. "warmup-" for reminders that are not measured ({@link #reminderOf} is -1). */
  public static void reminders(TestDatabase db, String prefix, int count, int people, Instant from, Duration spread) {
    double stepMicros = spread.toNanos() / 1000.0 / count;
    // Each with its task, in one statement, as the reminder feature writes them.
    db.update("""
        with added as (
          insert into reminders (user_id, text, due_at)
          select p.id, ? || g, ? + (g * ?::float8) * interval '1 microsecond'
          from generate_series(0, ? - 1) g
          join users p on p.name = 'load-person-' || (g % ?)
          returning id, user_id, text, due_at)
        insert into scheduled_tasks (user_id, task_key, type, payload, next_run_at)
        select user_id, 'reminder:' || id, 'reminder', jsonb_build_object('reminderId', id, 'title', text), due_at
        from added
        """, prefix, OffsetDateTime.ofInstant(from, ZoneOffset.UTC), stepMicros, count, people);
  }

  /** The reminder a message is about ("⏰ Reminder: load-42" → 42), or -1 when it is about none. */
  public static int reminderOf(String text) {
    Matcher m = TEXT.matcher(text == null ? "" : text);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }
}
