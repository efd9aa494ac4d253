-- One scheduling path, in Java: a reminder's task is written through the task repository in the transaction that
-- changes the reminder (ReminderRepository, and the calendar's linked reminders), like every other due thing. The
-- trigger of V9–V11 that did it in PL/pgSQL goes. Existing reminders keep the tasks it wrote. (The NOTIFY trigger on
-- scheduled_tasks stays: it schedules nothing, it wakes the schedulers.)
drop trigger reminders_task on reminders;
drop function aide_reminder_task();
drop function aide_reminder_payload(reminders);
