package dev.aide.notification;

import dev.aide.platform.database.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** In-app notifications, and what the notifier needs to know about the person it tells. */
public final class NotificationRepository {

  // Each person's active messaging identities, oldest link first, each with whether its last DEAD_AFTER finished
  // messages (to the same recipient, through outbox_finished_idx) all died. One row a person, all in one statement
  // (the notifier tells a batch of notices with it). The people are found by primary key and their identities by
  // channel_identities_user_idx, a probe each: array(select unnest(…)) hides the list's length from the planner,
  // which otherwise, for a batch of 250, scanned all of users and all of channel_identities and compared every row
  // with every id (13 ms a batch at 10,000 people, growing with the table; now 3 ms whatever its size).
  private static final String RECIPIENTS = """
      select u.id, u.timezone, u.preferred_channel, u.quiet_start, u.quiet_end, u.proactive_paused, u.digest_by_email,
        coalesce(linked.channels, '{}') as channels, coalesce(linked.external_ids, '{}') as external_ids,
        coalesce(linked.dead, '{}') as dead
      from users u
      cross join lateral (
        select array_agg(i.channel order by i.linked_at nulls last, i.created_at) as channels,
          array_agg(i.external_id order by i.linked_at nulls last, i.created_at) as external_ids,
          array_agg(coalesce(d.dead, false) order by i.linked_at nulls last, i.created_at) as dead
        from channel_identities i
        left join lateral (
          select count(*) = $2::int and bool_and(last.dead) as dead
          from (select o.status = 'dead' or o.channel_status in ('undelivered', 'failed') as dead from outbox o
                where o.channel = i.channel and o.status in ('sent', 'dead')
                  and o.recipient = case when i.channel = 'whatsapp' then replace(i.external_id, 'whatsapp:', '')
                                         else i.external_id end
                order by o.seq desc limit $2::int) last) d on true
        where i.user_id = u.id and i.active and i.channel in ('telegram', 'sms', 'whatsapp', 'email')) linked
      where u.id = any(array(select unnest($1::uuid[]))) and u.active
      """;
  // The people of a batch are read with a plan made for the outbox as it is now, not one cached while it was small:
  // a generic plan cached right after the outbox was nearly empty probed it with a sequential scan per linked address
  // (10.8 s for one batch of 250 as a burst of 100,000 reminders grew it, 47 % of the database's time in the burst),
  // and kept doing so until the next ANALYZE. SET LOCAL: for the rest of the caller's transaction.
  private static final String PLAN_NOW = Database.PLAN_AFRESH;
  private static final String INSERT = """
      insert into notifications (user_id, kind, title, body, data, source_key, created_at)
      values ($1, $2, $3, $4, $5, $6, $7)
      on conflict (source_key) do nothing
      returning id
      """;
  // A batch of notifications in one statement; answers the keys written (those written before are skipped).
  private static final String INSERT_ALL = """
      insert into notifications (user_id, kind, title, body, data, source_key, created_at)
      select n.user_id, n.kind, n.title, n.body, n.data::jsonb, n.source_key, $7
      from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
        as n(user_id, kind, title, body, data, source_key)
      on conflict (source_key) do nothing
      returning source_key
      """;
  private static final String COLUMNS = "id, kind, title, body, data, created_at, read_at";
  private static final String LIST = "select " + COLUMNS + """
       from notifications
      where user_id = $1 and ($2 = false or read_at is null)
      order by created_at desc, id
      limit $3
      """;
  private static final String UNREAD = "select count(*) from notifications where user_id = $1 and read_at is null";
  private static final String MARK_READ = """
      update notifications set read_at = coalesce(read_at, $3) where user_id = $1 and id = $2 returning """
      + " " + COLUMNS;
  private static final String MARK_ALL_READ = """
      update notifications set read_at = $2 where user_id = $1 and read_at is null
      """;

  private final Pool pool;
  private final Clock clock;
  private final boolean emailSends;

  /**
   * {@code emailSends}: whether Aide has an SMTP server (AIDE_SMTP_HOST). Without one, email addresses linked while it
   * had one are left out of how a person is reached: nothing could send what was queued for them, and it would wait in
   * the outbox for good while the person's other channels got nothing.
   */
  public NotificationRepository(Pool pool, Clock clock, boolean emailSends) {
    this.pool = pool;
    this.clock = clock;
    this.emailSends = emailSends;
  }

  /** The person as the notifier reaches them, read in the caller's transaction; empty for an unknown user. */
  public Future<Optional<Recipient>> recipient(SqlClient client, UUID userId) {
    return recipients(client, List.of(userId)).map(found -> Optional.ofNullable(found.get(userId)));
  }

  /** The people as the notifier reaches them, in the caller's transaction; an unknown or inactive one is left out. */
  public Future<Map<UUID, Recipient>> recipients(SqlClient client, Collection<UUID> userIds) {
    return client.preparedQuery(RECIPIENTS).execute(Tuple.of(userIds.toArray(UUID[]::new), Recipient.DEAD_AFTER))
        .map(rows -> {
          Map<UUID, Recipient> found = new HashMap<>();
          for (Row row : rows) {
            UUID id = row.getUUID("id");
            found.put(id, toRecipient(id, row));
          }
          return found;
        });
  }

  /**
   * The same for a batch being told in the caller's transaction, planned with the tables' current size (see
   * {@link #PLAN_NOW}); the setting holds for the rest of that transaction. Both statements go at once (pipelined).
   */
  public Future<Map<UUID, Recipient>> recipientsPlannedNow(SqlConnection tx, Collection<UUID> userIds) {
    Future<?> plan = tx.query(PLAN_NOW).execute();
    Future<Map<UUID, Recipient>> read = recipients(tx, userIds);
    return plan.compose(v -> read);
  }

  private Recipient toRecipient(UUID userId, Row row) {
    List<Recipient.Address> addresses = new ArrayList<>();
    String[] channels = row.getArrayOfStrings("channels");
    String[] externalIds = row.getArrayOfStrings("external_ids");
    Boolean[] dead = row.getArrayOfBooleans("dead");
    for (int i = 0; i < channels.length; i++) {
      if (!emailSends && channels[i].equals("email")) {
        continue;
      }
      addresses.add(new Recipient.Address(channels[i], externalIds[i], dead[i]));
    }
    return new Recipient(userId, ZoneId.of(row.getString("timezone")), row.getString("preferred_channel"),
        row.getLocalTime("quiet_start"), row.getLocalTime("quiet_end"), row.getBoolean("proactive_paused"),
        List.copyOf(addresses), row.getBoolean("digest_by_email"));
  }

  /** Writes the notification in the caller's transaction; answers false when its key was written before. */
  public Future<Boolean> insert(SqlClient client, Notice notice) {
    return client.preparedQuery(INSERT).execute(Tuple.of(notice.userId(), notice.kind(), notice.title(), notice.body(),
            notice.data() == null ? new JsonObject() : notice.data(), notice.key(), OffsetDateTime.now(clock)))
        .map(rows -> rows.size() == 1);
  }

  /** Writes the notifications in the caller's transaction, in one statement; answers the keys that were new. */
  public Future<Set<String>> insertAll(SqlClient client, List<Notice> notices) {
    int n = notices.size();
    UUID[] users = new UUID[n];
    String[] kinds = new String[n];
    String[] titles = new String[n];
    String[] bodies = new String[n];
    String[] data = new String[n];
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      Notice notice = notices.get(i);
      users[i] = notice.userId();
      kinds[i] = notice.kind();
      titles[i] = notice.title();
      bodies[i] = notice.body();
      data[i] = (notice.data() == null ? new JsonObject() : notice.data()).encode();
      keys[i] = notice.key();
    }
    return client.preparedQuery(INSERT_ALL)
        .execute(Tuple.from(new Object[] {users, kinds, titles, bodies, data, keys, OffsetDateTime.now(clock)}))
        .map(rows -> {
          Set<String> written = new HashSet<>();
          rows.forEach(row -> written.add(row.getString("source_key")));
          return written;
        });
  }

  public Future<List<Notification>> list(UUID userId, boolean unreadOnly, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(userId, unreadOnly, limit)).map(rows -> {
      List<Notification> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(toNotification(row)));
      return list;
    });
  }

  public Future<Long> unread(UUID userId) {
    return pool.preparedQuery(UNREAD).execute(Tuple.of(userId)).map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Optional<Notification>> markRead(UUID userId, UUID id) {
    return pool.preparedQuery(MARK_READ).execute(Tuple.of(userId, id, OffsetDateTime.now(clock)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toNotification(rows.iterator().next())));
  }

  public Future<Integer> markAllRead(UUID userId) {
    return pool.preparedQuery(MARK_ALL_READ).execute(Tuple.of(userId, OffsetDateTime.now(clock)))
        .map(rows -> rows.rowCount());
  }

  private static Notification toNotification(Row row) {
    Object data = row.getValue("data");
    return new Notification(row.getUUID("id"), row.getString("kind"), row.getString("title"), row.getString("body"),
        data instanceof JsonObject json ? json : new JsonObject(), row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("read_at"));
  }
}
