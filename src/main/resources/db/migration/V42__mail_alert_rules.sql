-- Rules a person sets for mail alerts (issue 15: "an important-mail alert (from people the person has written to, or
-- matching rules they set)"): new unread mail whose sender contains `sender` and whose subject contains `subject`
-- (each case-insensitive; at least one is given) is told to the person like mail from a correspondent.
create table mail_alert_rules (
    id         uuid primary key default gen_random_uuid(),
    user_id    uuid        not null references users (id) on delete cascade,
    sender     text check (length(sender) between 1 and 200),
    subject    text check (length(subject) between 1 and 200),
    created_at timestamptz not null default now(),
    check (sender is not null or subject is not null)
);
create index mail_alert_rules_user_idx on mail_alert_rules (user_id, created_at);
