-- Calendars, events (RFC 5545 recurrence with exception dates and overrides of single occurrences) and attendees,
-- after Calento's schema. Times are instants (timestamptz); an event's own IANA timezone is kept because a
-- recurring event repeats at the same wall-clock time in that zone across daylight-saving changes.

create table calendars (
    id         uuid primary key default gen_random_uuid(),
    user_id    uuid        not null references users (id) on delete cascade,
    name       text        not null check (length(name) between 1 and 200),
    color      text check (color ~ '^#[0-9a-fA-F]{6}$'),
    is_primary boolean     not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz
);
create index calendars_user_idx on calendars (user_id);
-- Exactly one primary calendar per user; it is created on demand.
create unique index calendars_user_primary_key on calendars (user_id) where is_primary and deleted_at is null;

create table events (
    id             uuid primary key default gen_random_uuid(),
    user_id        uuid        not null references users (id) on delete cascade,
    calendar_id    uuid        not null references calendars (id) on delete cascade,
    -- An override of one occurrence of a recurring series: the series and the occurrence's original start
    -- (iCalendar's RECURRENCE-ID). The row replaces that occurrence (new times, title, or status 'cancelled').
    series_id      uuid references events (id) on delete cascade,
    original_start timestamptz,
    title          text        not null check (length(title) between 1 and 500),
    description    text,
    location       text,
    start_at       timestamptz not null,
    end_at         timestamptz not null,
    timezone       text        not null,
    all_day        boolean     not null default false,
    -- All-day events: the dates (end exclusive, as iCalendar's DTEND;VALUE=DATE); start_at/end_at are their
    -- midnights in the event's timezone.
    start_date     date,
    end_date       date,
    status         text        not null default 'confirmed' check (status in ('confirmed', 'tentative', 'cancelled')),
    rrule          text,
    exdates        timestamptz[] not null default '{}',
    -- The end of the last occurrence of a recurring series, computed when it is written; null = endless.
    recurs_until   timestamptz,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    deleted_at     timestamptz,
    check (end_at > start_at),
    check ((series_id is null) = (original_start is null)),
    check (series_id is null or rrule is null),
    check (not all_day or (start_date is not null and end_date > start_date))
);
-- Single events (and overrides) overlapping a window: start_at < to and end_at > from.
create index events_user_start_idx on events (user_id, start_at) where deleted_at is null and rrule is null;
create index events_user_end_idx on events (user_id, end_at) where deleted_at is null and rrule is null;
-- Recurring series that may reach into a window: started before its end, not finished before its start.
create index events_user_recurring_idx on events (user_id, recurs_until) where deleted_at is null and rrule is not null;
create index events_series_idx on events (series_id, original_start) where series_id is not null;
create unique index events_series_occurrence_key on events (series_id, original_start)
    where series_id is not null and deleted_at is null;
create index events_calendar_idx on events (calendar_id);

create table event_attendees (
    id              uuid primary key default gen_random_uuid(),
    event_id        uuid        not null references events (id) on delete cascade,
    user_id         uuid        not null references users (id) on delete cascade,
    email           text        not null,
    name            text,
    response_status text        not null default 'needs-action'
                    check (response_status in ('needs-action', 'accepted', 'declined', 'tentative')),
    created_at      timestamptz not null default now(),
    unique (event_id, email)
);
create index event_attendees_user_idx on event_attendees (user_id, event_id);
