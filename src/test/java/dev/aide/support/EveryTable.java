package dev.aide.support;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A person's rows in every table of a person's data, written as Aide would (each a thing of its own, named after a
 * tag so two people's rows never collide), and counts of them: what tests of moving or deleting a person's data need
 * so they cannot pass on empty tables.
 */
public final class EveryTable {

  private static final SecureRandom RANDOM = new SecureRandom();

  private EveryTable() {}

  /** Every table of the schema with a user_id column. */
  public static List<String> tables(TestDatabase db) {
    return db.strings("""
        select c.table_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and c.column_name = 'user_id' and t.table_type = 'BASE TABLE'
        order by c.table_name""");
  }

  /** The person's rows in each table with a user_id column. */
  public static Map<String, Long> counts(TestDatabase db, UUID userId) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : tables(db)) {
      counts.put(table, db.number("select count(*) from " + table + " where user_id = ?", userId));
    }
    return counts;
  }

  /**
   * One row or more of the person in every table of a person's data (the tables of the schema when this was written;
   * a test that checks every table finds a new one empty). Nothing is due before 2030, so nothing fires meanwhile.
   */
  public static void fill(TestDatabase db, UUID user, String tag) {
    db.update("insert into embedding_models (model, dimension) values ('test-3d', 3) on conflict do nothing");
    UUID conversation = id(db, "insert into conversations (user_id, channel, title) values (?, 'telegram', ?) returning id::text",
        user, tag + " chat");
    UUID message = id(db, "insert into messages (user_id, conversation_id, role, content, source) "
        + "values (?, ?, 'user', ?, 'telegram') returning id::text", user, conversation, tag + " said hello");
    db.update("insert into message_vectors (message_id, model, user_id, vector) values (?, 'test-3d', ?, '[1,0,0]')",
        message, user);
    db.update("insert into ai_responses (user_id, conversation_id, message_id, provider, model, latency_ms, status) "
        + "values (?, ?, ?, 'offline', 'offline', 5, 'ok')", user, conversation, message);
    db.update("insert into chat_memory (conversation_id, user_id, messages) values (?, ?, '[]'::jsonb)",
        conversation, user);
    db.update("insert into tool_calls (user_id, conversation_id, message_id, tool, arguments, status) "
        + "values (?, ?, ?, 'listNotes', '{}'::jsonb, 'ok')", user, conversation, message);
    db.update("insert into pending_actions (user_id, conversation_id, asked_in, tool, targets, description, reason, "
        + "created_at, expires_at) values (?, ?, ?, 'deleteNotes', '{}'::jsonb, ?, 'bulk', now(), "
        + "'2030-01-01T00:00:00Z')", user, conversation, message, tag + " delete all notes");
    db.update("insert into undo_changes (user_id, conversation_id, message_id, tool, aggregates, expires_at) "
        + "values (?, ?, ?, 'createNote', '[]'::jsonb, '2030-01-01T00:00:00Z')", user, conversation, message);
    UUID reminder = id(db, "insert into reminders (user_id, text, due_at) values (?, ?, '2030-01-01T09:00:00Z') "
        + "returning id::text", user, tag + " call mom");
    db.update("insert into scheduled_tasks (user_id, task_key, type, payload, next_run_at) "
        + "values (?, ?, 'reminder', '{}'::jsonb, '2030-01-01T09:00:00Z')", user, "reminder:" + reminder);
    db.update("insert into expenses (user_id, amount, currency, category, spent_on) "
        + "values (?, 12.5, 'EUR', 'food', '2026-11-20')", user);
    db.update("insert into budgets (user_id, category, amount, currency) values (?, ?, 300, 'EUR')", user,
        tag + "-budget");
    db.update("insert into notes (user_id, content, tags) values (?, ?, '{}')", user, tag + " wifi is tulip42");
    UUID list = id(db, "insert into lists (user_id, name) values (?, ?) returning id::text", user, tag + " packing");
    db.update("insert into list_items (list_id, user_id, text, position) values (?, ?, 'socks', 1)", list, user);
    UUID calendar = id(db, "insert into calendars (user_id, name) values (?, ?) returning id::text", user, tag + " work");
    UUID event = id(db, "insert into events (user_id, calendar_id, title, start_at, end_at, timezone) "
        + "values (?, ?, ?, '2030-01-02T09:00:00Z', '2030-01-02T10:00:00Z', 'UTC') returning id::text", user, calendar,
        tag + " dentist");
    db.update("insert into event_attendees (event_id, user_id, email) values (?, ?, 'dr@example.com')", event, user);
    UUID linked = id(db, "insert into linked_accounts (user_id, kind, url, username, secret_key_id, secret_nonce, "
        + "secret) values (?, 'caldav', 'https://dav.example.com/', ?, 'k', '\\x00', '\\x00') returning id::text",
        user, tag);
    UUID collection = id(db, "insert into caldav_collections (account_id, user_id, href, calendar_id) "
        + "values (?, ?, '/cal/', ?) returning id::text", linked, user, calendar);
    db.update("insert into caldav_objects (collection_id, user_id, href, uid, event_id) values (?, ?, ?, ?, ?)",
        collection, user, "/cal/" + tag + ".ics", tag + "-uid", event);
    UUID mailbox = id(db, "insert into linked_accounts (user_id, kind, url, username, secret_key_id, secret_nonce, "
        + "secret) values (?, 'imap', 'imaps://imap.example.com:993', ?, 'k', '\\x00', '\\x00') returning id::text",
        user, tag);
    db.update("insert into mail_accounts (account_id, user_id, address, imap_host, imap_port, imap_security, "
        + "smtp_host, smtp_port, smtp_security) values (?, ?, ?, 'imap.example.com', 993, 'ssl', 'smtp.example.com', "
        + "465, 'ssl')", mailbox, user, tag + "@example.com");
    db.update("insert into mail_alert_rules (user_id, sender) values (?, ?)", user, tag + " bank");
    db.update("insert into mail_sent (message_id, user_id, account_id, status, recipients, subject) "
        + "values (?, ?, ?, 'sent', 'landlord@example.com', ?)", "<" + UUID.randomUUID() + "@aide>", user, mailbox,
        tag + " deposit");
    db.update("insert into calendar_feeds (user_id, token_hash) values (?, ?)", user, hex(32));
    db.update("insert into oauth_states (state_hash, user_id, kind, verifier_key_id, verifier_nonce, verifier, "
        + "expires_at) values (?, ?, 'google', 'k', '\\x00', '\\x00', '2030-01-01T00:00:00Z')", hex(32), user);
    db.update("insert into notifications (user_id, kind, title, body, source_key) values (?, 'test', 'Hi', ?, ?)",
        user, tag + " notice", "test:" + UUID.randomUUID());
    db.update("insert into proactive_messages (user_id, content, scheduled_for) values (?, ?, '2030-01-01T08:00:00Z')",
        user, tag + " stretch");
    db.update("insert into ai_summaries (user_id, summary_type, summary_date, content, ai_model) "
        + "values (?, ?, '2026-11-20', ?, 'template')", user, tag, tag + " digest");
    UUID session = id(db, "insert into sessions (user_id, expires_at) values (?, '2030-01-01T00:00:00Z') returning id::text",
        user);
    db.update("insert into refresh_tokens (token_hash, session_id, user_id, expires_at) "
        + "values (?, ?, ?, '2030-01-01T00:00:00Z')", hex(32), session, user);
    db.update("insert into password_resets (token_hash, user_id, expires_at) values (?, ?, '2030-01-01T00:00:00Z')",
        hex(32), user);
    db.update("insert into link_tokens (token_hash, user_id, channel, expires_at) "
        + "values (?, ?, 'telegram', '2030-01-01T00:00:00Z')", bytes(32), user);
    db.update("insert into device_tokens (user_id, name, scopes, token_hash) values (?, 'speaker', '{voice}', ?)",
        user, hex(32));
    UUID memory = id(db, "insert into memories (user_id, content, source) values (?, ?, 'asked') returning id::text",
        user, tag + " likes tea");
    UUID other = id(db, "insert into memories (user_id, content, source) values (?, ?, 'asked') returning id::text",
        user, tag + " has a sister");
    db.update("insert into memory_relations (from_id, to_id, relation) values (?, ?, 'about')", memory, other);
    db.update("insert into memory_vectors (memory_id, model, user_id, vector) values (?, 'test-3d', ?, '[0,1,0]')",
        memory, user);
    UUID document = id(db, "insert into documents (user_id, title, media_type, size_bytes, status) "
        + "values (?, ?, 'text/plain', 10, 'ready') returning id::text", user, tag + " lease");
    UUID chunk = id(db, "insert into document_chunks (document_id, user_id, ordinal, text, char_start, char_end) "
        + "values (?, ?, 0, 'the rent is due monthly', 0, 23) returning id::text", document, user);
    db.update("insert into chunk_vectors (chunk_id, model, user_id, vector) values (?, 'test-3d', ?, '[0,0,1]')",
        chunk, user);
    db.update("insert into user_context (user_id, bio) values (?, ?) on conflict (user_id) do nothing", user,
        tag + " bio");
    db.update("insert into outbox (user_id, channel, recipient, body, idempotency_key, status) "
        + "values (?, 'telegram', '1', ?, ?, 'sent')", user, tag + " hello", "test:" + UUID.randomUUID());
    db.update("insert into link_codes (user_id, channel, address, code_hash, expires_at) "
        + "values (?, 'sms', ?, ?, '2030-01-01T00:00:00Z')",
        user, "+1415555" + String.format("%04d", RANDOM.nextInt(10_000)), bytes(32));
    db.update("insert into channel_identities (user_id, channel, external_id, verified, linked_at) "
        + "values (?, 'voice', ?, true, now())", user, tag + "-watch-" + UUID.randomUUID());
  }

  private static UUID id(TestDatabase db, String sql, Object... args) {
    return UUID.fromString(db.value(sql, String.class, args));
  }

  private static String hex(int bytes) {
    return HexFormat.of().formatHex(bytes(bytes));
  }

  private static byte[] bytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
