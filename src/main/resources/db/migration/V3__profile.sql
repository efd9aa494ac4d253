-- The person's frame (PROCODE's user context): default currency, working hours, a short bio and goals.
-- It feeds the system prompt and the tools (expenses in the default currency, free slots within working hours).
alter table users add column default_currency char(3) not null default 'USD' check (default_currency ~ '^[A-Z]{3}$');
alter table users add column working_hours_start time not null default '09:00';
alter table users add column working_hours_end time not null default '17:00' check (working_hours_end > working_hours_start);
-- ISO days of the week, Monday = 1.
alter table users add column working_days smallint[] not null default '{1,2,3,4,5}';

create table user_context (
    user_id    uuid primary key references users (id) on delete cascade,
    bio        text,
    goals      text,
    updated_at timestamptz not null default now()
);
