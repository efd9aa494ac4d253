-- The daily digest may go by email while the other messages Aide writes first go to the preferred channel (issue 15:
-- "digest by email"): a person's choice, used when they linked an email address that still delivers.
alter table users add column digest_by_email boolean not null default false;
