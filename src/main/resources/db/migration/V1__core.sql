-- Core tables of Aide's foundation. Every user-owned table carries user_id with an index that starts with it,
-- and deleting a user removes their data (ON DELETE CASCADE).
create extension if not exists vector;

create table users (
    id            uuid primary key default gen_random_uuid(),
    email         text,
    phone         text,
    password_hash text,
    name          text,
    timezone      text        not null default 'UTC',
    digest_hour   smallint check (digest_hour between 0 and 23),
    preferences   jsonb       not null default '{}',
    chat_model    text,
    active        boolean     not null default true,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
create unique index users_email_key on users (lower(email)) where email is not null;
create unique index users_phone_key on users (phone) where phone is not null;

-- How a person reaches Aide on a channel: a Telegram chat, a phone number, a voice device.
create table channel_identities (
    id           uuid primary key default gen_random_uuid(),
    user_id      uuid        not null references users (id) on delete cascade,
    channel      text        not null check (channel in ('telegram', 'sms', 'voice', 'web')),
    external_id  text        not null,
    display_name text,
    verified     boolean     not null default false,
    active       boolean     not null default true,
    linked_at    timestamptz,
    created_at   timestamptz not null default now(),
    unique (channel, external_id)
);
create index channel_identities_user_idx on channel_identities (user_id);

create table link_tokens (
    token       text primary key,
    user_id     uuid        not null references users (id) on delete cascade,
    channel     text        not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    created_at  timestamptz not null default now()
);
create index link_tokens_user_idx on link_tokens (user_id);

create table conversations (
    id         uuid primary key default gen_random_uuid(),
    user_id    uuid        not null references users (id) on delete cascade,
    title      text,
    channel    text        not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index conversations_user_idx on conversations (user_id, updated_at desc);

create table messages (
    id              uuid primary key default gen_random_uuid(),
    user_id         uuid        not null references users (id) on delete cascade,
    conversation_id uuid        not null references conversations (id) on delete cascade,
    role            text        not null check (role in ('user', 'assistant')),
    content         text        not null,
    source          text        not null,
    external_id     text,
    reply_to        uuid references messages (id) on delete set null,
    tool_calls      jsonb,
    created_at      timestamptz not null default now()
);
create index messages_user_conversation_idx on messages (user_id, conversation_id, created_at);

-- One row per model turn: which model, how many tokens, how long, whether it worked.
create table ai_responses (
    id              uuid primary key default gen_random_uuid(),
    user_id         uuid        not null references users (id) on delete cascade,
    conversation_id uuid        not null references conversations (id) on delete cascade,
    message_id      uuid references messages (id) on delete set null,
    provider        text        not null,
    model           text        not null,
    input_tokens    integer,
    output_tokens   integer,
    total_tokens    integer,
    cost            numeric(12, 6),
    latency_ms      integer     not null,
    status          text        not null check (status in ('ok', 'failed')),
    error           text,
    created_at      timestamptz not null default now()
);
create index ai_responses_user_idx on ai_responses (user_id, created_at);

-- LangChain4j chat memory per conversation, so history survives restarts.
create table chat_memory (
    conversation_id uuid primary key references conversations (id) on delete cascade,
    user_id         uuid        not null references users (id) on delete cascade,
    messages        jsonb       not null,
    updated_at      timestamptz not null default now()
);
create index chat_memory_user_idx on chat_memory (user_id);

create table tool_calls (
    id              uuid primary key default gen_random_uuid(),
    user_id         uuid        not null references users (id) on delete cascade,
    conversation_id uuid references conversations (id) on delete cascade,
    message_id      uuid references messages (id) on delete set null,
    tool            text        not null,
    arguments       jsonb       not null,
    result          text,
    status          text        not null check (status in ('ok', 'failed')),
    duration_ms     integer,
    created_at      timestamptz not null default now()
);
create index tool_calls_user_idx on tool_calls (user_id, created_at);

-- Inbound updates from external channels, stored before they are acknowledged.
create table inbox (
    id           bigserial primary key,
    channel      text        not null,
    external_id  text        not null,
    payload      jsonb       not null,
    received_at  timestamptz not null default now(),
    processed_at timestamptz,
    attempts     integer     not null default 0,
    last_error   text,
    unique (channel, external_id)
);
create index inbox_unprocessed_idx on inbox (received_at) where processed_at is null;

-- Outbound messages, written in the same transaction as the state change that caused them.
create table outbox (
    id              uuid primary key default gen_random_uuid(),
    user_id         uuid references users (id) on delete cascade,
    channel         text        not null,
    recipient       text        not null,
    body            text        not null,
    idempotency_key text        not null unique,
    status          text        not null default 'pending'
                    check (status in ('pending', 'sending', 'sent', 'failed', 'dead')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    created_at      timestamptz not null default now(),
    sent_at         timestamptz
);
create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending';
create index outbox_user_idx on outbox (user_id, created_at);

create table reminders (
    id                uuid primary key default gen_random_uuid(),
    user_id           uuid        not null references users (id) on delete cascade,
    text              text        not null,
    due_at            timestamptz not null,
    rrule             text,
    status            text        not null default 'pending' check (status in ('pending', 'done', 'cancelled')),
    source_message_id uuid references messages (id) on delete set null,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);
create index reminders_user_due_idx on reminders (user_id, due_at);
create index reminders_pending_due_idx on reminders (due_at) where status = 'pending';

-- Secrets Aide generates for itself on first start (the JWT key), shared by every instance.
create table app_secrets (
    name       text primary key,
    value      text        not null,
    created_at timestamptz not null default now()
);
