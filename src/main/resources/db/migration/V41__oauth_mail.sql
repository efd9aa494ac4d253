-- A Google or Microsoft connection may also read and send the person's mail (IMAP and SMTP with XOAUTH2, the access
-- token as the credential): the authorization under way remembers that mail was asked for, so the callback checks the
-- mail scopes were granted and links a mail account. That mail account is the OAuth account itself: its mail_accounts
-- row (servers, address, polling state) has the OAuth account's id, and goes with it.
alter table oauth_states add column mail boolean not null default false;
