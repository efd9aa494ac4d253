-- A typed "undo" that would reach back past the conversation's last turn names the change and waits for a yes, as a
-- pending action of its own reason.
alter table pending_actions drop constraint pending_actions_reason_check;
alter table pending_actions add constraint pending_actions_reason_check
    check (reason in ('bulk', 'stored-text', 'old-change'));
