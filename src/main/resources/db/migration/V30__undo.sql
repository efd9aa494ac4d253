-- What a chat tool changed, kept so the person can undo it exactly: the rows of each thing it touched (an aggregate:
-- a list with its items, an event with its overrides, attendees, linked reminders and alert task, a reminder with its
-- task) as they were before and right after the tool ran. An undo puts the "before" rows back, in one transaction,
-- only while the rows are still as "after" left them. Records end after a week (housekeeping deletes them).
create table undo_changes (
    id              uuid primary key default gen_random_uuid(),
    user_id         uuid        not null references users (id) on delete cascade,
    conversation_id uuid references conversations (id) on delete cascade,
    -- the person's message whose turn ran the tool
    message_id      uuid references messages (id) on delete set null,
    tool            text        not null,
    -- [{kind, id, rows: [{table, key: {...}, before: row|null, after: row|null, compared: bool}]}]
    aggregates      jsonb       not null,
    created_at      timestamptz not null default now(),
    expires_at      timestamptz not null,
    undone_at       timestamptz
);
create index undo_changes_user_idx on undo_changes (user_id, conversation_id, created_at desc);
create index undo_changes_expires_idx on undo_changes (expires_at);
