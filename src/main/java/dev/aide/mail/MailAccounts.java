package dev.aide.mail;

import dev.aide.connect.AccountKind;
import dev.aide.scheduler.TaskRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mail accounts as a kind of connected account ("imap"): the request names the IMAP and SMTP servers, the login (one
 * for both) and the person's address; the account is taken only when the IMAP login and the SMTP authentication both
 * work. Its servers are kept beside the account, and its new-mail polling starts with it.
 */
final class MailAccounts implements AccountKind {

  static final String KIND = "imap";
  /** The kinds of account that may read mail: a mailbox of its own, or a Google or Microsoft account (XOAUTH2). */
  static final java.util.Set<String> KINDS = java.util.Set.of(KIND, "google", "microsoft");
  static final int MAX_USERNAME = 500;
  static final int MAX_PASSWORD = 1000;

  private final MailAccountRepository rows;
  private final MailService mail;
  private final TaskRepository tasks;
  private final Clock clock;

  MailAccounts(MailAccountRepository rows, MailService mail, TaskRepository tasks, Clock clock) {
    this.rows = rows;
    this.mail = mail;
    this.tasks = tasks;
    this.clock = clock;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<String> fields() {
    return List.of("address", "username", "password", "imap", "smtp");
  }

  @Override
  public Link read(JsonObject body) {
    return MailAccountRoutes.read(body);
  }

  @Override
  public Future<Void> tryLink(UUID userId, Link link) {
    return mail.verify(userId, MailSettings.of(link.settings()), link.username(), link.password());
  }

  @Override
  public Future<Void> linked(SqlClient tx, UUID userId, UUID accountId, Link link) {
    return rows.insert(tx, accountId, userId, MailSettings.of(link.settings()))
        .compose(v -> tasks.schedule(tx, MailPollHandler.spec(userId, accountId, clock.instant())));
  }

  @Override
  public Future<Map<UUID, JsonObject>> details(UUID userId, List<UUID> accountIds) {
    return rows.of(userId, accountIds).map(found -> {
      Map<UUID, JsonObject> out = new HashMap<>();
      found.forEach((id, stored) -> out.put(id, stored.settings().toJson()));
      return out;
    });
  }

  @Override
  public Future<JsonObject> syncNow(UUID userId, UUID accountId) {
    return mail.poll(userId, accountId).map(MailService.PollReport::toJson);
  }

  @Override
  public Future<Void> unlinked(SqlClient tx, UUID userId, UUID accountId) {
    return tasks.delete(tx, MailPollHandler.key(accountId));
  }
}
