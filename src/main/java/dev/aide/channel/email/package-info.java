/**
 * Aide's own email: a channel of the outbox that sends through the SMTP server the operator configured
 * (AIDE_SMTP_*), to addresses people proved are theirs. It only sends; the person's own mailboxes are the mail
 * feature's.
 */
package dev.aide.channel.email;
