-- A change the assistant proposed that waits for the person's own "yes" in a later message (issue 9): the model
-- cannot confirm it. It holds the exact resolved targets, so a "yes" does what was described and nothing else.
create table pending_actions (
    id              uuid primary key default gen_random_uuid(),
    user_id         uuid        not null references users (id) on delete cascade,
    conversation_id uuid        not null references conversations (id) on delete cascade,
    -- the person's message in whose turn the model proposed it
    asked_in        uuid references messages (id) on delete set null,
    tool            text        not null,
    targets         jsonb       not null,
    description     text        not null,
    -- why it waits: 'bulk' (more than one item or everything), 'stored-text' (stored text was in front of the model)
    reason          text        not null check (reason in ('bulk', 'stored-text')),
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    status          text        not null default 'pending'
                    check (status in ('pending', 'executing', 'done', 'failed', 'declined', 'dismissed', 'expired')),
    result          text,
    resolved_at     timestamptz
);
create index pending_actions_user_idx on pending_actions (user_id, created_at desc);
create index pending_actions_open_idx on pending_actions (user_id, conversation_id, created_at) where status = 'pending';
