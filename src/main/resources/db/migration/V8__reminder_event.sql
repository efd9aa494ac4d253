-- A reminder may belong to an event ("remind me 10 minutes before the dentist").
alter table reminders add column event_id uuid references events (id) on delete set null;
create index reminders_user_event_idx on reminders (user_id, event_id) where event_id is not null;
