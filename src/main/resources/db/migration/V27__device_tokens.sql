-- Device tokens: long-lived bearer tokens for things that cannot sign in (a smart speaker, a watch, a phone
-- shortcut), each limited to the scopes its person chose (voice, chat, read, write). The token is shown once, when it
-- is made; only its SHA-256 is kept, so a copy of the database holds nothing that can be presented. Revoking deletes
-- the row: the next request with the token finds nothing and is refused, on every instance, with no cache to expire.
create table device_tokens (
    id           uuid primary key default gen_random_uuid(),
    user_id      uuid        not null references users (id) on delete cascade,
    name         text        not null check (char_length(name) between 1 and 100),
    scopes       text[]      not null check (cardinality(scopes) between 1 and 10),
    token_hash   text        not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz not null default now(),
    last_used_at timestamptz
);
create index device_tokens_user_idx on device_tokens (user_id, created_at);
