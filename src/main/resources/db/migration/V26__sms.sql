-- SMS and WhatsApp through Twilio.

-- A phone number reaches Aide by SMS and, through the same Twilio account, by WhatsApp: one identity for each, both
-- keyed by the number in E.164, both belonging to the same person.
alter table channel_identities drop constraint channel_identities_channel_check;
alter table channel_identities add constraint channel_identities_channel_check
    check (channel in ('telegram', 'sms', 'whatsapp', 'voice', 'web'));
alter table users drop constraint users_preferred_channel_check;
alter table users add constraint users_preferred_channel_check
    check (preferred_channel in ('web', 'telegram', 'sms', 'whatsapp'));

-- What the channel said of a message it accepted: its id there (Twilio's message SID, which its status callbacks
-- name), how many segments an SMS took (what the person's carrier bill counts: GSM-7 160/153 characters a segment,
-- UCS-2 70/67), and the channel's last delivery report (queued, sent, delivered, undelivered, failed, read).
alter table outbox
    add column provider_id       text,
    add column segments          smallint check (segments > 0),
    add column channel_status    text,
    add column channel_status_at timestamptz;
create unique index outbox_provider_idx on outbox (provider_id) where provider_id is not null;

-- Numbers that sent STOP (or whose carrier refused a message as opted out, Twilio error 21610): Aide sends them
-- nothing on that channel until they send START. Kept by number, not by person: the carrier's rule outlives an
-- account, and a number that opted out must not be written to again because its account was deleted and made anew.
create table sms_opt_outs (
    channel      text        not null check (channel in ('sms', 'whatsapp')),
    number       text        not null check (number ~ '^\+[1-9][0-9]{6,14}$'),
    opted_out_at timestamptz not null default now(),
    primary key (channel, number)
);
