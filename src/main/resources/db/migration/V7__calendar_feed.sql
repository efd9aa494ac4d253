-- A private iCalendar feed per user: only the SHA-256 of its token is kept, so a copy of the database does not
-- reveal live feed URLs. Rotating the feed replaces the hash (the old URL stops working); revoking deletes the row.
create table calendar_feeds (
    user_id    uuid primary key references users (id) on delete cascade,
    token_hash text        not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz not null default now()
);

-- The UID of an event imported from an .ics file: importing the same file again does not duplicate it.
alter table events add column ical_uid text check (length(ical_uid) <= 1000);
create unique index events_user_ical_uid_key on events (user_id, ical_uid)
    where ical_uid is not null and deleted_at is null;
