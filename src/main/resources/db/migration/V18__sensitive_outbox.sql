-- A message that carries a secret (a password-reset link) is marked sensitive: the person's list of deliveries and
-- their data export show a placeholder instead of its text, and its text is erased once it was sent or given up, so
-- a stolen access token cannot read a reset link out of the outbox and take the account over.
alter table outbox add column sensitive boolean not null default false;
