-- One person, many channels (issue 12): a phone number linked with a texted code, the channels a person may prefer
-- for the messages Aide writes first, and what tells a channel that no longer delivers.

-- A code texted to a number the person asked to link. Only an HMAC of it is kept, keyed by a secret Aide keeps sealed
-- in app_secrets: a copy of this table alone cannot be tried against the million possible codes. One live code per
-- person and number (asking again replaces it); wrong guesses are counted on the row, and five make it useless.
create table phone_codes (
    user_id    uuid        not null references users (id) on delete cascade,
    phone      text        not null check (phone ~ '^\+[1-9][0-9]{1,14}$'),
    code_hash  bytea       not null check (octet_length(code_hash) = 32),
    attempts   integer     not null default 0 check (attempts >= 0),
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    primary key (user_id, phone)
);
create index phone_codes_expires_idx on phone_codes (expires_at);

-- The channels a person is reached on are named by the code that sends on them (telegram, sms, whatsapp, voice, web,
-- and whichever comes next); the table only asks for a plain name, so a new channel needs no migration here.
alter table channel_identities drop constraint if exists channel_identities_channel_check;
alter table channel_identities add constraint channel_identities_channel_check
    check (channel ~ '^[a-z][a-z0-9_-]{0,31}$');

-- WhatsApp may be preferred for the messages Aide writes first, like Telegram and SMS.
alter table users drop constraint if exists users_preferred_channel_check;
alter table users add constraint users_preferred_channel_check
    check (preferred_channel in ('web', 'telegram', 'sms', 'whatsapp'));

-- A channel whose last messages all died (a number out of service, a chat that is gone) is passed over for the next
-- channel the person linked: the notifier reads the few newest finished messages of each address through this index.
create index outbox_finished_idx on outbox (channel, recipient, seq desc) where status in ('sent', 'dead');
