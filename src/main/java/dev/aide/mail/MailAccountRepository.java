package dev.aide.mail;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Mail accounts' servers and polling state, and the mail Aide sent (so a send never goes twice). */
final class MailAccountRepository {

  private static final String INSERT = """
      insert into mail_accounts (account_id, user_id, address, imap_host, imap_port, imap_security, smtp_host,
                                 smtp_port, smtp_security)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";
  private static final String COLUMNS = """
      select account_id, address, imap_host, imap_port, imap_security, smtp_host, smtp_port, smtp_security,
             uid_validity, last_uid
      from mail_accounts""";
  private static final String OF_ACCOUNTS = COLUMNS + " where user_id = $1 and account_id = any($2)";
  private static final String POLLED = """
      update mail_accounts set uid_validity = $3, last_uid = $4 where user_id = $1 and account_id = $2""";
  private static final String BEGIN_SEND = """
      insert into mail_sent (message_id, user_id, account_id, status, recipients, subject)
      values ($1, $2, $3, 'sending', left($4, 5000), left($5, 1000))
      on conflict (message_id) do nothing returning message_id""";
  private static final String SEND_STATUS = """
      select status from mail_sent where user_id = $1 and message_id = $2""";
  private static final String LOCK = """
      select 1 from mail_accounts where user_id = $1 and account_id = $2 for update""";
  private static final String SENT = """
      update mail_sent set status = 'sent', sent_at = $3 where user_id = $1 and message_id = $2""";
  private static final String NOT_SENT = """
      delete from mail_sent where user_id = $1 and message_id = $2 and status = 'sending'""";
  private static final String LIST_SENT = """
      select message_id, account_id, status, recipients, subject, created_at, sent_at from mail_sent
      where user_id = $1 order by created_at, message_id""";

  private final Pool pool;

  MailAccountRepository(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** A mail account's settings and where its polling stopped. */
  record Stored(UUID accountId, MailSettings settings, Long uidValidity, Long lastUid) {}

  Future<Void> insert(SqlClient tx, UUID accountId, UUID userId, MailSettings s) {
    return tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {accountId, userId, s.address(), s.imap().host(),
        s.imap().port(), s.imap().security(), s.smtp().host(), s.smtp().port(), s.smtp().security()})).mapEmpty();
  }

  Future<Map<UUID, Stored>> of(UUID userId, List<UUID> accountIds) {
    Tuple args = Tuple.from(new Object[] {userId, accountIds.toArray(UUID[]::new)});
    return pool.preparedQuery(OF_ACCOUNTS).execute(args).map(rows -> {
      Map<UUID, Stored> out = new HashMap<>();
      rows.forEach(r -> out.put(r.getUUID("account_id"), stored(r)));
      return out;
    });
  }

  Future<Optional<Stored>> find(UUID userId, UUID accountId) {
    return of(userId, List.of(accountId)).map(found -> Optional.ofNullable(found.get(accountId)));
  }

  private static Stored stored(Row r) {
    return new Stored(r.getUUID("account_id"), new MailSettings(r.getString("address"),
        new MailSettings.Server(r.getString("imap_host"), r.getInteger("imap_port"), r.getString("imap_security")),
        new MailSettings.Server(r.getString("smtp_host"), r.getInteger("smtp_port"), r.getString("smtp_security"))),
        r.getLong("uid_validity"), r.getLong("last_uid"));
  }

  /** Where polling stopped, in the caller's transaction (with the alerts it made). */
  Future<Void> polled(SqlClient tx, UUID userId, UUID accountId, long uidValidity, long lastUid) {
    return tx.preparedQuery(POLLED).execute(Tuple.of(userId, accountId, uidValidity, lastUid)).mapEmpty();
  }

  /** How claiming a send went: claimed now; sent before; or claimed before and never marked sent. */
  enum Claim { CLAIMED, SENT, SENDING }

  /**
   * Claims the sending of a mail by its Message-ID; a claim left 'sending' (a crash between the claim and the
   * server's answer, or a send under way) is told apart from a mail known to be sent.
   */
  Future<Claim> beginSend(UUID userId, UUID accountId, String messageId, String recipients, String subject) {
    return pool.preparedQuery(BEGIN_SEND).execute(Tuple.of(messageId, userId, accountId, recipients, subject))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(Claim.CLAIMED)
            : pool.preparedQuery(SEND_STATUS).execute(Tuple.of(userId, messageId)).map(found ->
                found.size() == 1 && "sent".equals(found.iterator().next().getString("status"))
                    ? Claim.SENT : Claim.SENDING));
  }

  /** Locks the account's row in the caller's transaction (its deletion waits): false when it is gone. */
  Future<Boolean> lock(SqlClient tx, UUID userId, UUID accountId) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(userId, accountId)).map(rows -> rows.size() == 1);
  }

  Future<Void> sent(UUID userId, String messageId, Instant at) {
    return pool.preparedQuery(SENT).execute(Tuple.of(userId, messageId, at.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  /** The SMTP server refused the mail: the claim goes, so the person can try again. */
  Future<Void> notSent(UUID userId, String messageId) {
    return pool.preparedQuery(NOT_SENT).execute(Tuple.of(userId, messageId)).mapEmpty();
  }

  /** The mail Aide sent for the person, for their export. */
  Future<List<io.vertx.core.json.JsonObject>> sentList(UUID userId) {
    return pool.preparedQuery(LIST_SENT).execute(Tuple.of(userId)).map(rows -> {
      List<io.vertx.core.json.JsonObject> out = new java.util.ArrayList<>();
      rows.forEach(r -> out.add(new io.vertx.core.json.JsonObject().put("messageId", r.getString("message_id"))
          .put("accountId", r.getUUID("account_id") == null ? null : r.getUUID("account_id").toString())
          .put("status", r.getString("status")).put("recipients", r.getString("recipients"))
          .put("subject", r.getString("subject")).put("createdAt", r.getOffsetDateTime("created_at").toString())
          .put("sentAt", r.getOffsetDateTime("sent_at") == null ? null : r.getOffsetDateTime("sent_at").toString())));
      return out;
    });
  }
}
