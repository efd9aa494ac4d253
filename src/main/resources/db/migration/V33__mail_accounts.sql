-- Mail accounts (IMAP to read, SMTP to send) are linked accounts of kind 'imap'; Google and Microsoft accounts come
-- with their OAuth flow (V34 adds the same constraint).
alter table linked_accounts drop constraint linked_accounts_kind_check;
alter table linked_accounts add constraint linked_accounts_kind_check
    check (kind in ('caldav', 'imap', 'google', 'microsoft'));

-- A mail account's servers and address; the account's row holds the username and the sealed password (one login for
-- both servers). uid_validity and last_uid are where new-mail polling stopped: the INBOX's UIDVALIDITY and the
-- highest UID seen under it (a new UIDVALIDITY starts over from the mail there is then, without alerts).
create table mail_accounts (
    account_id    uuid primary key references linked_accounts (id) on delete cascade,
    user_id       uuid    not null references users (id) on delete cascade,
    address       text    not null check (length(address) between 3 and 320),
    imap_host     text    not null check (length(imap_host) between 1 and 253),
    imap_port     integer not null check (imap_port between 1 and 65535),
    imap_security text    not null check (imap_security in ('ssl', 'starttls', 'plain')),
    smtp_host     text    not null check (length(smtp_host) between 1 and 253),
    smtp_port     integer not null check (smtp_port between 1 and 65535),
    smtp_security text    not null check (smtp_security in ('ssl', 'starttls', 'plain')),
    uid_validity  bigint,
    last_uid      bigint
);
create index mail_accounts_user_idx on mail_accounts (user_id);

-- Mail Aide sent for a person, by the Message-ID it was given when the person saw the draft: a send that runs again
-- (a retry, a second yes) finds its row and sends nothing. 'sending' that never became 'sent' (the process died on
-- the way) is not retried either: at most once.
create table mail_sent (
    message_id  text primary key check (length(message_id) <= 500),
    user_id     uuid        not null references users (id) on delete cascade,
    account_id  uuid        references linked_accounts (id) on delete set null,
    status      text        not null check (status in ('sending', 'sent')),
    recipients  text        not null check (length(recipients) <= 5000),
    subject     text        not null check (length(subject) <= 1000),
    created_at  timestamptz not null default now(),
    sent_at     timestamptz
);
create index mail_sent_user_idx on mail_sent (user_id, created_at);

-- Sending mail always waits for the person's yes: a pending action of its own reason.
alter table pending_actions drop constraint pending_actions_reason_check;
alter table pending_actions add constraint pending_actions_reason_check
    check (reason in ('bulk', 'stored-text', 'old-change', 'outgoing'));
