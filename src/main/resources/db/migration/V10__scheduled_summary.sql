-- GET /scheduled reads each upcoming entry from its task alone, so a task's payload carries a human summary
-- ('title') beside the id of its thing. A reminder's task now carries its text and its RRULE (a reminder repeats by
-- its own rule; its task is one-shot and moved on after each run). Changing only the text refreshes the summary
-- without touching when the task runs.
create function aide_reminder_payload(r reminders) returns jsonb language sql immutable as $$
    select jsonb_strip_nulls(jsonb_build_object('reminderId', r.id, 'title', r.text, 'rrule', r.rrule))
$$;

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
            status = 'scheduled', attempts = 0, last_error = null, claimed_by = null, heartbeat_at = null,
            updated_at = now();
    else
        update scheduled_tasks set status = 'cancelled', next_run_at = null, claimed_by = null, updated_at = now()
        where task_key = 'reminder:' || new.id and status in ('scheduled', 'running');
    end if;
    return null;
end $$;

-- The reminder tasks written before this migration get their summary.
update scheduled_tasks t set payload = aide_reminder_payload(r)
from reminders r
where t.task_key = 'reminder:' || r.id;
