package dev.aide.delivery;

import dev.aide.platform.channel.OutboxMessage;
import dev.aide.platform.database.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The outbox: messages written with the change that caused them, claimed and sent by the delivery verticle. */
public final class OutboxRepository {

  // A held message waits from the moment it is written (clock_timestamp(), not the transaction's start), so it is
  // never released before the end of the quiet hours its hold was measured to.
  // Several messages in one statement, in the order given (their seq follows it).
  private static final String INSERT = """
      insert into outbox (user_id, channel, recipient, body, idempotency_key, next_attempt_at, sensitive)
      select m.user_id, m.channel, m.recipient, m.body, m.idempotency_key,
        clock_timestamp() + make_interval(secs => m.hold), m.sensitive
      from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::boolean[])
        with ordinality as m(user_id, channel, recipient, body, idempotency_key, hold, sensitive, n)
      order by m.n
      on conflict (idempotency_key) do nothing
      """;
  // Claims due messages in order, only a recipient's first unfinished one, so one person's messages never
  // overtake each other (even when several instances claim at once) and a long queue for one person does not
  // hold a batch up. A message held back before its first attempt (quiet hours) is not in line yet: an urgent one
  // written after it goes first.
  // Its plan must not depend on statistics or on the table's size when the statement was first prepared: an outbox
  // idle a minute ago holds 100,000 messages now, and autovacuum analyzes it a minute or more later. The one plan that
  // stays cheap walks outbox_pending_seq_idx in seq order, probes outbox_recipient_idx for each candidate, and stops at
  // the limit: about 5 ms at 50,000 pending. Under a burst PostgreSQL chose others: NOT EXISTS as an anti-join
  // rescanning every pending row per candidate (11.6 s per claim at 20,000 pending); a bitmap scan checking every
  // pending row, then a sort (0.6 s at 50,000, 8 s under load); and, from a generic plan cached while the outbox was
  // small, a sequential scan of the outbox per candidate (claims of 90 s, whose row locks stalled every other
  // instance's markSent). OFFSET 0 keeps the check a per-candidate probe; = any(array(…)) updates the claimed rows by
  // primary key; CLAIM_PLAN plans each claim afresh and leaves index scans in index order as the only way.
  private static final String CLAIM_PLAN = Database.PLAN_AFRESH + "; "
      + "set local enable_seqscan = off; set local enable_bitmapscan = off; set local enable_sort = off";
  private static final String CLAIM = """
      update outbox set status = 'sending', attempts = attempts + 1, claimed_at = now(), claimed_by = $3
      where id = any(array(
        select o.id from outbox o
        where o.channel = $1 and o.status = 'pending' and o.next_attempt_at <= now()
          and not exists (
            select 1 from outbox e
            where e.channel = o.channel and e.recipient = o.recipient and e.seq < o.seq
              and e.status in ('pending', 'sending') and (e.claimed_at is not null or e.next_attempt_at <= now())
            offset 0)
        order by o.seq
        limit $2
        for update skip locked))
      returning id, seq, user_id, channel, recipient, body, attempts
      """;
  /** What stands in for a sensitive message's text, once sent or given up and wherever it is shown. */
  static final String HIDDEN = "(hidden: this message carried a one-time link or code)";
  // Each outcome applies only to a message still claimed, so a claim recovered by another instance is not overwritten.
  // A sensitive message's text goes with its last attempt: nobody needs a used or undeliverable link again.
  // The claimed messages are found by primary key (here and in RETRY, DEAD and HEARTBEAT; OutboxPlanTest): the check
  // that they are still claimed is written (… = 'sending') is true so that no partial index on the status can serve
  // it. With statistics from before a burst (autovacuum analyzes a minute or more later) PostgreSQL took
  // outbox_recipient_idx, "pending or sending", for a handful of rows and walked all of it: 29 ms and 600 buffers per
  // batch marked sent at 80,000 pending, 48 buffers a message, the burst's costliest statement.
  static final String SENT = """
      update outbox set status = 'sent', sent_at = now(), last_error = null,
        body = case when sensitive then $2 else body end
      where id = any($1) and (status = 'sending') is true
      """;
  static final String RETRY = """
      update outbox set status = 'pending', next_attempt_at = now() + make_interval(secs => $2), last_error = $3,
        attempts = attempts - $4
      where id = $1 and (status = 'sending') is true
      """;
  static final String DEAD = """
      update outbox set status = 'dead', last_error = $2, body = case when sensitive then $3 else body end
      where id = $1 and (status = 'sending') is true
      """;
  // Messages not yet sent to an address the person unlinked: given up, not sent (a claimed one is already on its way).
  // (Of one person, or of anyone when $1 is null: a number that sent STOP.)
  private static final String WITHDRAW = """
      update outbox set status = 'dead', last_error = $4, body = case when sensitive then $5 else body end
      where ($1::uuid is null or user_id = $1) and channel = $2 and recipient = $3 and status = 'pending'
      """;
  // An instance renews the claims it is still working on, so only the claims of an instance that stopped go stale,
  // however long a channel or a busy pool keeps a live one waiting.
  static final String HEARTBEAT = """
      update outbox set claimed_at = now() where id = any($1) and claimed_by = $2 and (status = 'sending') is true
      """;
  private static final String RECOVER = """
      update outbox set status = 'pending', attempts = greatest(attempts - 1, 0)
      where channel = $1 and status = 'sending' and claimed_at < now() - make_interval(secs => $2)
      """;
  private static final String HEALTH = """
      select count(*) filter (where status = 'pending' and next_attempt_at <= now()) as due,
        extract(epoch from now() - min(next_attempt_at) filter (where status = 'pending' and next_attempt_at <= now()))
          as oldest_due_seconds,
        count(*) filter (where status = 'pending' and next_attempt_at > now()) as waiting,
        count(*) filter (where status = 'sending') as sending,
        count(*) filter (where status = 'dead') as dead,
        count(*) filter (where status = 'dead' and claimed_at > now() - interval '1 hour') as dead_recent
      from outbox where status in ('pending', 'sending', 'dead')
      """;
  private static final String BY_USER = """
      select id, channel, case when sensitive then $4 else body end as body, status, attempts, last_error, created_at,
        sent_at, segments, channel_status
      from outbox
      where user_id = $1 and ($2::text is null or status = $2)
      order by created_at desc, seq desc
      limit $3
      """;

  private static final String ACCEPTED = """
      update outbox set provider_id = $2, segments = $3, channel_status = $4, channel_status_at = now() where id = $1
      """;
  // A channel's reports may arrive out of order (Twilio: queued, sent, delivered): a later stage is never overwritten
  // by an earlier one. The stages, in order: accepted, queued, sending, sent, then an outcome, then read.
  private static final String STAGE = """
      case when %1$s is null then 0 when %1$s in ('accepted', 'scheduled') then 1 when %1$s = 'queued' then 2
        when %1$s = 'sending' then 3 when %1$s = 'sent' then 4 when %1$s = 'read' then 6 else 5 end""";
  // Answers the row's channel and recipient, and whether the report said something new (a report delivered again
  // changes nothing that follows from it).
  private static final String REPORT = """
      with old as (select id, channel_status as before from outbox where provider_id = $1 for update)
      update outbox o set channel_status = $2, channel_status_at = now(), last_error = coalesce($3, o.last_error)
      from old where o.id = old.id and (%s) <= (%s)
      returning o.id, o.channel, o.recipient, old.before is distinct from $2::text as changed
      """.formatted(STAGE.formatted("o.channel_status"), STAGE.formatted("$2::text"));
  private static final String KNOWN = "select 1 from outbox where provider_id = $1";

  /** How long a due message may wait unsent before /health calls the outbox behind. */
  static final java.time.Duration BACKLOG = java.time.Duration.ofMinutes(5);

  private final Pool pool;

  public OutboxRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Writes messages in the caller's transaction, in one statement; a message whose key was written before is skipped.
   */
  public Future<Void> enqueue(SqlClient client, List<Outgoing> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = messages.size();
    UUID[] users = new UUID[n];
    String[] channels = new String[n];
    String[] recipients = new String[n];
    String[] bodies = new String[n];
    String[] keys = new String[n];
    Double[] holds = new Double[n];
    Boolean[] sensitive = new Boolean[n];
    for (int i = 0; i < n; i++) {
      Outgoing m = messages.get(i);
      users[i] = m.userId();
      channels[i] = m.channel();
      recipients[i] = m.recipient();
      bodies[i] = m.body();
      keys[i] = m.idempotencyKey();
      holds[i] = m.holdFor() == null ? 0.0 : m.holdFor().toMillis() / 1000.0;
      sensitive[i] = m.sensitive();
    }
    return client.preparedQuery(INSERT)
        .execute(Tuple.from(new Object[] {users, channels, recipients, bodies, keys, holds, sensitive})).mapEmpty();
  }

  public Future<List<OutboxMessage>> claim(String channel, int limit, String instance) {
    // SET LOCAL: the planner settings end with the claim's transaction.
    return pool.withTransaction(tx -> tx.query(CLAIM_PLAN).execute()
        .compose(v -> tx.preparedQuery(CLAIM).execute(Tuple.of(channel, limit, instance)))).map(rows -> {
      List<OutboxMessage> list = new ArrayList<>(rows.size());
      for (Row row : rows) {
        list.add(new OutboxMessage(row.getUUID("id"), row.getLong("seq"), row.getUUID("user_id"),
            row.getString("channel"), row.getString("recipient"), row.getString("body"), row.getInteger("attempts")));
      }
      list.sort((a, b) -> Long.compare(a.seq(), b.seq()));
      return list;
    });
  }

  /** Records the messages as sent, in one statement (and one commit). */
  public Future<Void> markSent(Collection<UUID> ids) {
    return pool.preparedQuery(SENT).execute(Tuple.of(ids.toArray(UUID[]::new), HIDDEN)).mapEmpty();
  }

  /** Back to pending after a delay; a wait the channel asked for does not count as an attempt. */
  public Future<Void> retryAfter(UUID id, Duration delay, String error, boolean countsAsAttempt) {
    return pool.preparedQuery(RETRY)
        .execute(Tuple.of(id, delay.toMillis() / 1000.0, error, countsAsAttempt ? 0 : 1)).mapEmpty();
  }

  public Future<Void> markDead(UUID id, String error) {
    return pool.preparedQuery(DEAD).execute(Tuple.of(id, error, HIDDEN)).mapEmpty();
  }

  /** Gives up the user's unsent messages to one address, in the caller's transaction; answers how many. */
  public Future<Integer> withdraw(SqlClient client, UUID userId, String channel, String recipient, String why) {
    return client.preparedQuery(WITHDRAW).execute(Tuple.of(userId, channel, recipient, why, HIDDEN))
        .map(rows -> rows.rowCount());
  }

  /**
   * What the channel said when it accepted a message: its id there (which its delivery reports name), the segments
   * it is billed as (null when the channel does not count them), and its status.
   */
  public Future<Void> recordAccepted(UUID id, String providerId, Integer segments, String channelStatus) {
    return pool.preparedQuery(ACCEPTED).execute(Tuple.of(id, providerId, segments, channelStatus)).mapEmpty();
  }

  /**
   * What a delivery report did: whether Aide sent a message the channel knows by that id, and whether the report was
   * news (a later stage, or another outcome) for it, with the message's channel and recipient.
   */
  public record Report(boolean known, boolean changed, String channel, String recipient) {}

  /** A delivery report for the message the channel knows by this id. */
  public Future<Report> reportStatus(String providerId, String channelStatus, String error) {
    return pool.preparedQuery(REPORT).execute(Tuple.of(providerId, channelStatus, error)).compose(rows -> {
      if (rows.size() > 0) {
        Row row = rows.iterator().next();
        return Future.succeededFuture(new Report(true, row.getBoolean("changed"), row.getString("channel"),
            row.getString("recipient")));
      }
      // Not updated: no such message, or a report of an earlier stage than the one recorded.
      return pool.preparedQuery(KNOWN).execute(Tuple.of(providerId))
          .map(known -> new Report(known.size() > 0, false, null, null));
    });
  }

  /** Gives up every message still waiting for this recipient on this channel; answers how many. */
  public Future<Integer> cancelPending(SqlClient client, String channel, String recipient, String reason) {
    return client.preparedQuery(WITHDRAW).execute(Tuple.of(null, channel, recipient, reason, HIDDEN))
        .map(rows -> rows.rowCount());
  }

  /** Renews this instance's claims on messages it has not finished. */
  public Future<Void> heartbeat(Collection<UUID> ids, String instance) {
    return pool.preparedQuery(HEARTBEAT).execute(Tuple.of(ids.toArray(new UUID[0]), instance)).mapEmpty();
  }

  /** Messages whose claim was not renewed for this long (their instance stopped) are sent again. */
  public Future<Integer> recoverStale(String channel, Duration claimedFor) {
    return pool.preparedQuery(RECOVER).execute(Tuple.of(channel, (double) claimedFor.toSeconds())).map(rows -> rows.rowCount());
  }

  /** Due but unsent messages, the oldest one's age, messages waiting (quiet hours, backoff), in flight, dead. */
  public Future<JsonObject> health() {
    return pool.query(HEALTH).execute().map(rows -> {
      Row row = rows.iterator().next();
      Number oldest = (Number) row.getValue("oldest_due_seconds");
      double oldestSeconds = oldest == null ? 0.0 : Math.round(oldest.doubleValue() * 1000) / 1000.0;
      long deadRecent = row.getLong("dead_recent");
      JsonArray reasons = new JsonArray();
      if (oldestSeconds > BACKLOG.toSeconds()) {
        reasons.add(row.getLong("due") + " message(s) due more than " + BACKLOG.toMinutes() + " minutes ago are unsent"
            + " (oldest due " + Math.round(oldestSeconds) + " s ago)");
      }
      if (deadRecent > 0) {
        reasons.add(deadRecent + " message(s) could not be delivered in the last hour and were given up (dead letters)");
      }
      JsonObject report = new JsonObject()
          .put("status", reasons.isEmpty() ? "ok" : "degraded")
          .put("dueUnsent", row.getLong("due"))
          .put("oldestDueAgeSeconds", oldestSeconds)
          .put("waiting", row.getLong("waiting"))
          .put("sending", row.getLong("sending"))
          .put("deadLetters", row.getLong("dead"))
          .put("deadLastHour", deadRecent);
      return reasons.isEmpty() ? report : report.put("reasons", reasons);
    });
  }


  /**
   * A person's outgoing messages, newest first, optionally of one status (dead: the dead letters); a sensitive
   * message shows a placeholder, even while it waits to be sent.
   */
  public Future<List<Delivery>> forUser(UUID userId, String status, int limit) {
    return pool.preparedQuery(BY_USER).execute(Tuple.of(userId, status, limit, HIDDEN)).map(rows -> {
      List<Delivery> list = new ArrayList<>(rows.size());
      for (Row row : rows) {
        list.add(new Delivery(row.getUUID("id"), row.getString("channel"), row.getString("body"),
            row.getString("status"), row.getInteger("attempts"), row.getString("last_error"),
            row.getOffsetDateTime("created_at"), row.getOffsetDateTime("sent_at"), row.getInteger("segments"),
            row.getString("channel_status")));
      }
      return list;
    });
  }
}
