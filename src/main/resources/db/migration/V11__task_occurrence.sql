-- The occurrence a task runs for, when it is not next_run_at: a retry moves next_run_at to now + backoff, and the
-- handler must still see the occurrence it is retrying (a reminder's due time, an alert's time, a digest's day), not
-- the retry's time. Null means next_run_at is the occurrence, so whatever schedules a task afresh (Java's upsert,
-- the reminder trigger below, a row written by hand) needs to know nothing of retries: it sets occurrence_at null.
alter table scheduled_tasks add column occurrence_at timestamptz;

-- The reminder trigger of V10, now clearing a retry's occurrence when the reminder changes: a reminder moved while
-- its task waited to retry is told at its new time only.
create or replace function aide_reminder_task() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from scheduled_tasks where task_key = 'reminder:' || old.id;
        return null;
    end if;
    if tg_op = 'UPDATE' and old.due_at = new.due_at and old.status = new.status
       and old.rrule is not distinct from new.rrule then
        if old.text is distinct from new.text then
            update scheduled_tasks set payload = payload || jsonb_build_object('title', new.text), updated_at = now()
            where task_key = 'reminder:' || new.id;
        end if;
        return null;
    end if;
    if new.status = 'pending' then
        insert into scheduled_tasks (user_id, task_key, type, payload, next_run_at)
        values (new.user_id, 'reminder:' || new.id, 'reminder', aide_reminder_payload(new), new.due_at)
        on conflict (task_key) do update set payload = excluded.payload, next_run_at = excluded.next_run_at,
            occurrence_at = null, status = 'scheduled', attempts = 0, last_error = null, claimed_by = null,
            heartbeat_at = null, updated_at = now();
    else
        update scheduled_tasks set status = 'cancelled', next_run_at = null, occurrence_at = null, claimed_by = null,
            updated_at = now()
        where task_key = 'reminder:' || new.id and status in ('scheduled', 'running');
    end if;
    return null;
end $$;
