-- Proactive work: scheduled tasks, in-app notifications, proactive messages, AI summaries, and the person's
-- delivery preferences.

-- Work Aide does at an instant: one-shot (no rule), or recurring by a cron expression or an RRULE in a timezone.
-- A claimed task is 'running' with the claiming instance and a heartbeat; a claim whose heartbeat stops is taken
-- over by another instance. task_key names what the task is for ('reminder:<id>', 'digest:<user id>', …), so
-- scheduling the same thing twice updates one row.
create table scheduled_tasks (
    id           uuid primary key default gen_random_uuid(),
    user_id      uuid references users (id) on delete cascade,
    task_key     text        not null unique,
    type         text        not null,
    payload      jsonb       not null default '{}',
    cron         text,
    rrule        text,
    timezone     text,
    next_run_at  timestamptz,
    status       text        not null default 'scheduled'
                 check (status in ('scheduled', 'running', 'done', 'failed', 'cancelled')),
    attempts     integer     not null default 0,
    last_error   text,
    claimed_by   text,
    heartbeat_at timestamptz,
    last_run_at  timestamptz,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    check (cron is null or rrule is null),
    check (status <> 'scheduled' or next_run_at is not null)
);
create index scheduled_tasks_due_idx on scheduled_tasks (next_run_at) where status = 'scheduled';
create index scheduled_tasks_running_idx on scheduled_tasks (heartbeat_at) where status = 'running';
create index scheduled_tasks_user_idx on scheduled_tasks (user_id, next_run_at);

-- Every scheduler instance LISTENs on aide_tasks: a task becoming due sooner than the one it waits for wakes it.
-- Notifications with the same payload are merged within a transaction, so a bulk insert wakes once.
create function aide_tasks_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('aide_tasks', '');
    return null;
end $$;
create trigger scheduled_tasks_notify after insert or update of next_run_at, status on scheduled_tasks
    for each row when (new.status = 'scheduled') execute function aide_tasks_notify();

-- A reminder's wake-up task follows the reminder, whichever code changes it (the reminder API and tools, an event
-- that moves or is cancelled with its reminders): pending reminders are due at due_at, others not at all. The
-- reminder-due handler checks the reminder again when it runs, so a task that fires late for a changed reminder
-- sends nothing.
alter table reminders add column urgent boolean not null default false;
alter table reminders add column fired_at timestamptz;

create function aide_reminder_task() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from scheduled_tasks where task_key = 'reminder:' || old.id;
        return null;
    end if;
    if tg_op = 'UPDATE' and old.due_at = new.due_at and old.status = new.status
       and old.rrule is not distinct from new.rrule then
        return null;
    end if;
    if new.status = 'pending' then
        insert into scheduled_tasks (user_id, task_key, type, payload, next_run_at)
        values (new.user_id, 'reminder:' || new.id, 'reminder', jsonb_build_object('reminderId', new.id), new.due_at)
        on conflict (task_key) do update set next_run_at = excluded.next_run_at, status = 'scheduled',
            attempts = 0, last_error = null, claimed_by = null, heartbeat_at = null, updated_at = now();
    else
        update scheduled_tasks set status = 'cancelled', next_run_at = null, claimed_by = null, updated_at = now()
        where task_key = 'reminder:' || new.id and status in ('scheduled', 'running');
    end if;
    return null;
end $$;
create trigger reminders_task after insert or update or delete on reminders
    for each row execute function aide_reminder_task();

-- Reminders written before this migration: the ones still ahead get their task (overdue ones are not sent late).
insert into scheduled_tasks (user_id, task_key, type, payload, next_run_at)
select user_id, 'reminder:' || id, 'reminder', jsonb_build_object('reminderId', id), due_at
from reminders where status = 'pending' and due_at > now();

-- In-app notifications: the web channel's inbox, and a record of what reached the person on other channels.
create table notifications (
    id         uuid primary key default gen_random_uuid(),
    user_id    uuid        not null references users (id) on delete cascade,
    kind       text        not null,
    title      text        not null,
    body       text        not null,
    data       jsonb       not null default '{}',
    source_key text        not null unique,
    created_at timestamptz not null default now(),
    read_at    timestamptz
);
create index notifications_user_idx on notifications (user_id, created_at desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;

-- Messages the person (or the assistant for them) asked Aide to send later.
create table proactive_messages (
    id            uuid primary key default gen_random_uuid(),
    user_id       uuid        not null references users (id) on delete cascade,
    content       text        not null,
    scheduled_for timestamptz not null,
    status        text        not null default 'pending' check (status in ('pending', 'sent', 'failed', 'cancelled')),
    urgent        boolean     not null default false,
    error         text,
    source_message_id uuid references messages (id) on delete set null,
    sent_at       timestamptz,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
create index proactive_messages_user_idx on proactive_messages (user_id, scheduled_for);

-- Texts the model (or the template) wrote for a person, such as the daily digest, with what it cost.
create table ai_summaries (
    id            uuid primary key default gen_random_uuid(),
    user_id       uuid        not null references users (id) on delete cascade,
    summary_type  text        not null,
    summary_date  date        not null,
    content       text        not null,
    source_data   jsonb       not null default '{}',
    ai_model      text        not null,
    input_tokens  integer,
    output_tokens integer,
    token_count   integer,
    created_at    timestamptz not null default now(),
    unique (user_id, summary_type, summary_date)
);

-- How the person wants to be reached: a preferred channel (null: any linked messaging channel, else the web),
-- quiet hours in their timezone (nothing but urgent messages between start and end), the daily digest.
alter table users add column preferred_channel text check (preferred_channel in ('web', 'telegram', 'sms'));
alter table users add column quiet_start time;
alter table users add column quiet_end time;
alter table users add column digest_enabled boolean not null default false;
alter table users add constraint users_quiet_hours check ((quiet_start is null) = (quiet_end is null));

-- An event may ask for an alert a number of minutes before each of its occurrences.
alter table events add column alert_minutes integer check (alert_minutes between 0 and 40320);

-- Which instance is sending a claimed outbox message: after a crash, the messages in doubt are exactly the ones
-- its instance had claimed.
alter table outbox add column claimed_by text;
create index outbox_dead_idx on outbox (user_id, created_at) where status = 'dead';
