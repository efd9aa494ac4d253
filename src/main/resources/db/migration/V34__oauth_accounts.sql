-- Google and Microsoft calendar accounts, connected with OAuth 2.0. Their access and refresh tokens are the account's
-- sealed secret (the same columns as a CalDAV password); their calendars and events use caldav_collections (href: the
-- provider's calendar id; sync_token: Google's nextSyncToken or Graph's deltaLink) and caldav_objects (href: the
-- provider's event id; etag: its etag; uid: its iCalUID).
alter table linked_accounts drop constraint linked_accounts_kind_check;
alter table linked_accounts add constraint linked_accounts_kind_check
    check (kind in ('caldav', 'imap', 'google', 'microsoft'));

-- An authorization under way: the person who asked, the provider, and the PKCE code verifier sealed by the vault
-- (bound to the state's hash). The state itself, sent to the provider and back, is stored only as its SHA-256; a row
-- is taken (deleted) by the first callback that names it, and is good for a few minutes.
create table oauth_states (
    state_hash      text primary key,
    user_id         uuid        not null references users (id) on delete cascade,
    kind            text        not null check (kind in ('google', 'microsoft')),
    verifier_key_id text        not null,
    verifier_nonce  bytea       not null,
    verifier        bytea       not null,
    expires_at      timestamptz not null,
    created_at      timestamptz not null default now()
);
create index oauth_states_user_idx on oauth_states (user_id, created_at);
create index oauth_states_expires_idx on oauth_states (expires_at);

-- Push for a Google or Microsoft calendar (when AIDE_PUBLIC_URL is https): the provider's channel or subscription id,
-- its resource (Google's resourceId, for channels.stop), the SHA-256 of the secret it sends back with each
-- notification (Google's channel token, Graph's clientState), and when it ends.
alter table caldav_collections
    add column push_id         text check (length(push_id) <= 500),
    add column push_resource   text check (length(push_resource) <= 2000),
    add column push_secret     text check (length(push_secret) <= 100),
    add column push_expires_at timestamptz;
create unique index caldav_collections_push_idx on caldav_collections (push_id) where push_id is not null;
