-- Accounts and sessions: refresh-token sessions that can be revoked, one-time password reset links, and the abuse
-- limits every instance shares.

-- A session is one sign-in (a login or a registration) on one device. Access tokens (short-lived JWTs) name their
-- session, and every request checks it is still live, so logging out, signing out everywhere or changing the
-- password ends a session at once, on every instance.
create table sessions (
    id           uuid primary key default gen_random_uuid(),
    user_id      uuid        not null references users (id) on delete cascade,
    created_at   timestamptz not null default now(),
    refreshed_at timestamptz,
    -- When the session's last refresh token expires; a refresh moves it on.
    expires_at   timestamptz not null,
    revoked_at   timestamptz,
    revoked_why  text
);
create index sessions_user_idx on sessions (user_id) where revoked_at is null;
create index sessions_expires_idx on sessions (expires_at);

-- The refresh tokens of a session (its "family"), stored as SHA-256 hashes. Each is used once: a refresh marks it
-- used and issues the next. A used one presented again means a copy leaked, and the whole session is revoked.
create table refresh_tokens (
    token_hash text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
    session_id uuid        not null references sessions (id) on delete cascade,
    user_id    uuid        not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index refresh_tokens_user_idx on refresh_tokens (user_id, session_id);
create index refresh_tokens_session_idx on refresh_tokens (session_id);

-- One-time password reset links (30 minutes, single use), stored as SHA-256 hashes of their tokens.
create table password_resets (
    token_hash text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
    user_id    uuid        not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index password_resets_user_idx on password_resets (user_id);
create index password_resets_expires_idx on password_resets (expires_at);

-- Abuse limits shared by every instance: one row per limit and key (an account, a client address, a user), updated
-- by one upsert per check. The key is stored as its SHA-256, so no email or address is kept here. Either a counter
-- over a fixed window (hits since window_start, until expires_at), or a slow-down (hits are recent failures;
-- blocked_until is when the next attempt may come; forgotten at expires_at). Unlogged: the counters are not worth a
-- write-ahead log, and after a crash PostgreSQL empties the table, which only forgives recent attempts.
create unlogged table rate_limits (
    kind          text        not null,
    key_hash      text        not null,
    hits          integer     not null,
    window_start  timestamptz not null,
    blocked_until timestamptz,
    -- Whether the last check was let through (written by each check, so it answers for itself).
    allowed       boolean     not null default true,
    expires_at    timestamptz not null,
    primary key (kind, key_hash)
);
create index rate_limits_expires_idx on rate_limits (expires_at);
