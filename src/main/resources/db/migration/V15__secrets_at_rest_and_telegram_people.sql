-- Secrets at rest, hashed link tokens, and Telegram identities that are people, not chats.

-- app_secrets are sealed by Aide's vault (AES-256-GCM): the id of the key that sealed the value, the nonce, and the
-- ciphertext with its tag. Rows an older Aide wrote in plaintext keep 'value' until Aide seals them at start-up
-- (a Java step: the key is not the database's to know); no row ever has both.
alter table app_secrets
    add column key_id     text,
    add column nonce      bytea,
    add column ciphertext bytea,
    alter column value drop not null,
    add constraint app_secrets_sealed_or_plaintext check (
        (value is null and key_id is not null and nonce is not null and ciphertext is not null)
        or (value is not null and key_id is null and nonce is null and ciphertext is null));

-- Link tokens are kept as their SHA-256 only: the token itself is shown once, to the person. Tokens issued before
-- were stored as they are; they live 15 minutes, so they are simply withdrawn.
delete from link_tokens;
alter table link_tokens
    drop column token,
    add column token_hash bytea primary key check (octet_length(token_hash) = 32);

-- A Telegram identity is a person (their user id, which is also their private chat's id), never a group: a group
-- chat linked before stood for its owner, so that any member who addressed the bot acted as the owner. Such rows
-- (group ids are negative) stop standing for anyone: nothing is looked up or sent through them again. The users and
-- their data stay as they were; a member acts in a group as themselves once they have a private chat with the bot.
update channel_identities set active = false
where channel = 'telegram' and external_id like '-%';
alter table channel_identities add constraint channel_identities_telegram_person check (
    channel <> 'telegram' or not active or external_id ~ '^[1-9][0-9]*$');

-- Messages still waiting to be sent to such a group carry what a group member asked of the owner's data.
update outbox set status = 'dead', last_error = 'not sent: a group chat no longer acts for one person'
where channel = 'telegram' and recipient like '-%' and status = 'pending';

-- Where a person's answers to what they ask in a group go: to their private chat (false, the default) or, when they
-- said so with /privacy group, to the group for everyone there to read.
alter table channel_identities add column answers_in_groups boolean not null default false;
