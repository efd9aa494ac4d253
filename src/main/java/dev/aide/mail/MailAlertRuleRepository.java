package dev.aide.mail;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The person's mail alert rules. */
final class MailAlertRuleRepository {

  private static final String COLUMNS = "id, sender, subject, created_at";
  private static final String LIST = "select " + COLUMNS
      + " from mail_alert_rules where user_id = $1 order by created_at, id";
  // Written only while the person has fewer than the most rules kept. The person's row is locked by a statement of
  // its own first: a statement's snapshot is taken when it starts, so a count in the statement that waited for the
  // lock would not see the rule the other request added meanwhile (two requests at once made 51).
  private static final String LOCK_PERSON = "select id from users where id = $1 for update";
  private static final String ADD = """
      insert into mail_alert_rules (user_id, sender, subject)
      select $1, $2, $3
      where (select count(*) from mail_alert_rules where user_id = $1) < $4
      returning\s""" + COLUMNS;
  private static final String DELETE = "delete from mail_alert_rules where user_id = $1 and id = $2 returning "
      + COLUMNS;

  private final Pool pool;

  MailAlertRuleRepository(Pool pool) {
    this.pool = pool;
  }

  Future<List<MailAlertRule>> list(SqlClient client, UUID userId) {
    return client.preparedQuery(LIST).execute(Tuple.of(userId)).map(rows -> {
      List<MailAlertRule> rules = new ArrayList<>();
      rows.forEach(row -> rules.add(toRule(row)));
      return rules;
    });
  }

  Future<List<MailAlertRule>> list(UUID userId) {
    return list(pool, userId);
  }

  /** The rule written, or empty when the person already has the most rules kept. */
  Future<Optional<MailAlertRule>> add(UUID userId, String sender, String subject) {
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK_PERSON).execute(Tuple.of(userId))
        .compose(person -> person.size() == 0 ? Future.succeededFuture(null) : tx.preparedQuery(ADD)
            .execute(Tuple.of(userId, sender, subject, MailAlertRule.MAX_PER_PERSON)))
        .map(rows -> rows == null || rows.size() == 0 ? Optional.<MailAlertRule>empty()
            : Optional.of(toRule(rows.iterator().next()))));
  }

  /** The rule removed; empty when the person has none with that id. */
  Future<Optional<MailAlertRule>> delete(UUID userId, UUID id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(userId, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRule(rows.iterator().next())));
  }

  private static MailAlertRule toRule(Row row) {
    return new MailAlertRule(row.getUUID("id"), row.getString("sender"), row.getString("subject"),
        row.getOffsetDateTime("created_at"));
  }
}
