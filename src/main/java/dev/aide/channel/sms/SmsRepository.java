package dev.aide.channel.sms;

import dev.aide.delivery.OutboxRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;

/**
 * People by phone number on SMS and WhatsApp (one number, one person on both), and the numbers that opted out.
 */
public final class SmsRepository {

  static final String SMS = "sms";
  static final String WHATSAPP = "whatsapp";

  private static final String IDENTITY = """
      select user_id, active from channel_identities where channel = $1 and external_id = $2
      """;
  private static final String ACTIVATE = """
      update channel_identities set active = $3 where channel = $1 and external_id = $2
      """;
  private static final String LINK = """
      insert into channel_identities (user_id, channel, external_id, display_name, verified, active, linked_at)
      values ($1, $2, $3, $4, true, true, now())
      on conflict (channel, external_id) do nothing
      """;
  // The number is the user's phone unless another account has it already: a number is proven by the message it came
  // from, but an account that holds it may have been given it some other way, and neither is taken from the other.
  private static final String NEW_USER = """
      insert into users (name, timezone, phone)
      values ($1, $2, case when exists (select 1 from users where phone = $3) then null else $3 end)
      returning id
      """;
  // A caller new to Aide is given an SMS identity (the same person when they text), but one that stays inactive while
  // the number is unsubscribed from texts: a call is no START.
  private static final String LINK_CALLER = """
      insert into channel_identities (user_id, channel, external_id, verified, active, linked_at)
      values ($1, 'sms', $2, true, not exists (select 1 from sms_opt_outs where channel = 'sms' and number = $2), now())
      on conflict (channel, external_id) do nothing
      """;
  private static final String NAME = "select name from users where id = $1";
  private static final String OPTED_OUT = "select 1 from sms_opt_outs where channel = $1 and number = $2";
  private static final String OPT_OUT = """
      insert into sms_opt_outs (channel, number) values ($1, $2) on conflict do nothing returning opted_out_at
      """;
  private static final String OPT_IN = "delete from sms_opt_outs where channel = $1 and number = $2";

  private final Pool pool;
  private final OutboxRepository outbox;

  public SmsRepository(Pool pool, OutboxRepository outbox) {
    this.pool = pool;
    this.outbox = outbox;
  }

  /** Who a number is on a channel: their user, and whether this identity was made just now. */
  public record Person(UUID userId, boolean isNew) {}

  /** The user of the number on this channel, if Aide knows it there. */
  public Future<Optional<UUID>> find(String channel, String number) {
    return pool.preparedQuery(IDENTITY).execute(Tuple.of(channel, number))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("user_id")));
  }

  /**
   * The person behind the number on this channel, in one transaction: the identity's user (made active again: the
   * number writes, and did not opt out, or the caller would not ask); else the user the same number has on the
   * other Twilio channel (SMS and WhatsApp are one person), given this identity too; else a new phone-only user,
   * named as the channel shows them, in the timezone the number suggests.
   */
  public Future<Person> personFor(String channel, String number, String name, ZoneId zone) {
    String other = channel.equals(SMS) ? WHATSAPP : SMS;
    return pool.withTransaction(tx -> identity(tx, channel, number).compose(found -> {
      if (found.isPresent()) {
        Row row = found.get();
        UUID userId = row.getUUID("user_id");
        return (row.getBoolean("active") ? Future.<Void>succeededFuture()
            : tx.preparedQuery(ACTIVATE).execute(Tuple.of(channel, number, true)).<Void>mapEmpty())
            .map(new Person(userId, false));
      }
      return identity(tx, other, number).compose(sibling -> {
        if (sibling.isPresent()) {
          UUID userId = sibling.get().getUUID("user_id");
          return tx.preparedQuery(LINK).execute(Tuple.of(userId, channel, number, name)).map(new Person(userId, false));
        }
        return tx.preparedQuery(NEW_USER).execute(Tuple.of(name, zone.getId(), number))
            .map(rows -> rows.iterator().next().getUUID("id"))
            .compose(userId -> tx.preparedQuery(LINK).execute(Tuple.of(userId, channel, number, name))
                .map(new Person(userId, true)));
      });
    }));
  }

  /**
   * The person who calls from a number: the user the number is on SMS, else on WhatsApp — whether or not it opted out
   * of texts, which a call does not change — else a new phone-only user in the timezone the number suggests, with an
   * SMS identity (inactive when the number is unsubscribed from texts).
   */
  public Future<Person> personForCall(String number, ZoneId zone) {
    return pool.withTransaction(tx -> identity(tx, SMS, number)
        .compose(sms -> sms.isPresent() ? Future.succeededFuture(sms) : identity(tx, WHATSAPP, number))
        .compose(found -> {
          if (found.isPresent()) {
            return Future.succeededFuture(new Person(found.get().getUUID("user_id"), false));
          }
          return tx.preparedQuery(NEW_USER).execute(Tuple.of(null, zone.getId(), number))
              .map(rows -> rows.iterator().next().getUUID("id"))
              .compose(userId -> tx.preparedQuery(LINK_CALLER).execute(Tuple.of(userId, number))
                  .map(new Person(userId, true)));
        }));
  }

  /** The user's name, if they gave one. */
  public Future<Optional<String>> name(UUID userId) {
    return pool.preparedQuery(NAME).execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.ofNullable(rows.iterator().next().getString("name")).filter(n -> !n.isBlank()));
  }

  private static Future<Optional<Row>> identity(SqlClient client, String channel, String number) {
    return client.preparedQuery(IDENTITY).execute(Tuple.of(channel, number))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()));
  }

  public Future<Boolean> optedOut(String channel, String number) {
    return pool.preparedQuery(OPTED_OUT).execute(Tuple.of(channel, number)).map(rows -> rows.size() > 0);
  }

  /**
   * The number opts out of the channel, in one transaction: recorded, its identity inactive (so reminders and other
   * messages Aide would send first go elsewhere or nowhere), and every message still waiting for it given up.
   * Answers false when it had opted out already.
   */
  public Future<Boolean> optOut(String channel, String number, String reason) {
    return pool.withTransaction(tx -> tx.preparedQuery(OPT_OUT).execute(Tuple.of(channel, number))
        .compose(rows -> {
          boolean fresh = rows.size() > 0;
          return tx.preparedQuery(ACTIVATE).execute(Tuple.of(channel, number, false))
              .compose(v -> outbox.cancelPending(tx, channel, number, reason))
              .map(fresh);
        }));
  }

  /** The number opts back in: Aide may write to it again. Answers false when it had not opted out. */
  public Future<Boolean> optIn(String channel, String number) {
    return pool.withTransaction(tx -> tx.preparedQuery(OPT_IN).execute(Tuple.of(channel, number))
        .compose(rows -> tx.preparedQuery(ACTIVATE).execute(Tuple.of(channel, number, true))
            .map(rows.rowCount() > 0)));
  }
}
