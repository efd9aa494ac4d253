-- Aide's own email (issue 15): messages Aide writes first may go by email, through the SMTP server the operator
-- configures, to an address the person proved is theirs with a mailed code — the way a number is proved with a texted
-- one. The codes of both live in one table, named by the channel that carries them.
alter table phone_codes rename to link_codes;
alter table link_codes rename column phone to address;
alter table link_codes add column channel text not null default 'sms';
alter table link_codes alter column channel drop default;
alter table link_codes drop constraint phone_codes_phone_check;
alter table link_codes add constraint link_codes_address_check check (
    (channel = 'sms' and address ~ '^\+[1-9][0-9]{1,14}$')
    or (channel = 'email' and length(address) <= 254 and address ~ '^[^@\s]+@[^@\s]+$'));
alter table link_codes drop constraint phone_codes_pkey;
alter table link_codes add primary key (user_id, channel, address);
alter index phone_codes_expires_idx rename to link_codes_expires_idx;

alter table users drop constraint if exists users_preferred_channel_check;
alter table users add constraint users_preferred_channel_check
    check (preferred_channel in ('web', 'telegram', 'sms', 'whatsapp', 'email'));
