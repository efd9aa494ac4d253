-- The calendar new events go to when none is named ("from now on put events in my work calendar"); without one
-- chosen, the primary calendar. A chosen calendar that is deleted (its account disconnected) is simply no longer
-- chosen: the primary calendar takes new events again.
alter table calendars add column takes_new_events boolean not null default false;
create unique index calendars_user_default_key on calendars (user_id) where takes_new_events and deleted_at is null;
