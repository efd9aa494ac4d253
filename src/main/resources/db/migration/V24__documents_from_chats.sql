-- A document a person sends in a chat (a PDF to the Telegram bot) is answered in that chat: where the answers go
-- (reply_channel, reply_to: "Reading lease.pdf…" at once, "ready" or why it failed when it has been read), and the key
-- of the update it came in (source_key), so handling that update again after a crash keeps one document, not two.
-- Documents given through the API have none of them.
alter table documents
    add column reply_channel text,
    add column reply_to      text,
    add column source_key    text,
    add constraint documents_reply_check check ((reply_channel is null) = (reply_to is null));
create unique index documents_source_key_idx on documents (user_id, source_key) where source_key is not null;
