-- Accounts a person connects to Aide (CalDAV calendars now; OAuth calendars and mail later). The password is sealed
-- by the vault (AES-256-GCM, platform.secret.Vault): the id of the key that sealed it, the random 96-bit nonce and
-- the ciphertext with its tag; the account's id is bound in as associated data, so a ciphertext copied to another
-- row does not open.
create table linked_accounts (
    id              uuid primary key default gen_random_uuid(),
    user_id         uuid        not null references users (id) on delete cascade,
    kind            text        not null check (kind in ('caldav')),
    url             text        not null check (length(url) between 1 and 2000),
    username        text        not null check (length(username) between 1 and 500),
    secret_key_id   text        not null,
    secret_nonce    bytea       not null,
    secret          bytea       not null,
    status          text        not null default 'ok' check (status in ('ok', 'error')),
    status_reason   text check (length(status_reason) <= 1000),
    last_synced_at  timestamptz,
    last_attempt_at timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index linked_accounts_user_idx on linked_accounts (user_id, created_at);
-- The key rotation finds the rows an older key sealed.
create index linked_accounts_key_idx on linked_accounts (secret_key_id);

-- A calendar collection of a CalDAV account and the Aide calendar its events are copied into, with what the server
-- said last: RFC 6578's sync token, or (servers without sync-collection) the collection's ctag.
create table caldav_collections (
    id           uuid primary key default gen_random_uuid(),
    account_id   uuid not null references linked_accounts (id) on delete cascade,
    user_id      uuid not null references users (id) on delete cascade,
    href         text not null check (length(href) <= 2000),
    display_name text check (length(display_name) <= 200),
    calendar_id  uuid not null references calendars (id) on delete cascade,
    sync_token   text check (length(sync_token) <= 2000),
    ctag         text check (length(ctag) <= 2000),
    unique (account_id, href)
);
create index caldav_collections_user_idx on caldav_collections (user_id, account_id);

-- One calendar object resource (one UID: a series with its overrides, or a single event) and the Aide event that
-- copies it. synced_version is the event's version (the latest updated_at of the series and its overrides) when it
-- last matched the server's copy: a later one is a change made in Aide, written back with If-Match: etag.
create table caldav_objects (
    collection_id  uuid        not null references caldav_collections (id) on delete cascade,
    user_id        uuid        not null references users (id) on delete cascade,
    href           text        not null check (length(href) <= 2000),
    etag           text check (length(etag) <= 500),
    uid            text        not null check (length(uid) <= 1000),
    event_id       uuid references events (id) on delete set null,
    synced_version timestamptz,
    primary key (collection_id, href)
);
create index caldav_objects_user_idx on caldav_objects (user_id, event_id);
create index caldav_objects_event_idx on caldav_objects (event_id);
