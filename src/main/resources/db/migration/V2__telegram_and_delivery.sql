-- Telegram channel and outbox delivery.

-- Where long polling left off for each bot: the next update_id to ask for. Written in the same transaction as the
-- inbox rows of the updates it confirms, so a restart neither loses nor replays updates.
create table telegram_state (
    bot_id         bigint primary key,
    next_update_id bigint      not null default 0,
    updated_at     timestamptz not null default now()
);

-- Inbox rows of one chat are handled in order; the chat is kept beside the payload to find them quickly.
alter table inbox add column chat_key text;
create index inbox_chat_idx on inbox (channel, chat_key, id) where processed_at is null;

-- The outbox sends each recipient's messages in the order they were written.
alter table outbox add column seq bigint generated always as identity;
alter table outbox add column claimed_at timestamptz;
create index outbox_pending_seq_idx on outbox (channel, seq) where status in ('pending', 'sending');
create index outbox_recipient_idx on outbox (channel, recipient, seq) where status in ('pending', 'sending');

-- /stop and /resume: the person pauses messages Aide would send first (digests, proactive messages).
alter table users add column proactive_paused boolean not null default false;
