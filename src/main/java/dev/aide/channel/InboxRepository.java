package dev.aide.channel;

import dev.aide.delivery.OutboxRepository;
import dev.aide.delivery.Outgoing;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The inbox: every inbound update, stored once (unique per channel and external id) before it is acknowledged, and
 * marked handled in the same transaction that puts its replies in the outbox.
 */
public final class InboxRepository {

  private static final String INSERT = """
      insert into inbox (channel, external_id, chat_key, payload) values ($1, $2, $3, $4)
      on conflict (channel, external_id) do nothing returning id
      """;
  // The oldest few of every chat, so one chat's backlog cannot hold back the others.
  private static final String UNPROCESSED = """
      select id, channel, external_id, chat_key, payload, attempts from (
        select *, row_number() over (partition by chat_key order by id) as position from inbox
        where channel = $1 and processed_at is null) pending
      where position <= 20
      order by id limit $2
      """;
  private static final String PROCESSED = "update inbox set processed_at = now(), last_error = $2 where id = $1";
  private static final String FAILED = "update inbox set attempts = attempts + 1, last_error = $2 where id = $1";
  // A handled update is kept only while its channel could still deliver it again (dedup); its payload holds what the
  // person wrote, including in groups, where deleting an account cannot find it by the person's chat.
  private static final String DELETE_HANDLED = """
      delete from inbox where id = any(array(
        select id from inbox where processed_at < $1 limit $2))
      """;

  private final Pool pool;
  private final OutboxRepository outbox;

  public InboxRepository(Pool pool, OutboxRepository outbox) {
    this.pool = pool;
    this.outbox = outbox;
  }

  /** The new row's id, or empty when this update was stored before (a redelivery). */
  private Future<Optional<Long>> insert(SqlClient client, String channel, String externalId, String chatKey,
                                       JsonObject payload) {
    return client.preparedQuery(INSERT).execute(Tuple.of(channel, externalId, chatKey, payload))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id")));
  }

  public Future<Optional<Long>> insert(String channel, Received update) {
    return insert(pool, channel, update.externalId(), update.chatKey(), update.payload());
  }

  /** Stores updates and what confirms them to the channel (a polling offset) in one transaction. */
  public Future<Void> insertAll(String channel, List<Received> updates, Function<SqlClient, Future<Void>> confirm) {
    return pool.withTransaction(tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (Received update : updates) {
        chain = chain.compose(v -> insert(tx, channel, update.externalId(), update.chatKey(), update.payload())
            .mapEmpty());
      }
      return chain.compose(v -> confirm.apply(tx));
    });
  }

  /** Finishes an update: its replies enter the outbox and it is marked handled, together. */
  public Future<Void> complete(long id, List<Outgoing> replies, String note) {
    return pool.withTransaction(tx -> outbox.enqueue(tx, replies).compose(v -> markProcessed(tx, id, note)));
  }

  /** Unprocessed updates, oldest first, at most 20 of any one chat. */
  public Future<List<InboxItem>> unprocessed(String channel, int limit) {
    return pool.preparedQuery(UNPROCESSED).execute(Tuple.of(channel, limit)).map(rows -> {
      List<InboxItem> items = new ArrayList<>(rows.size());
      for (Row row : rows) {
        items.add(new InboxItem(row.getLong("id"), row.getString("channel"), row.getString("external_id"),
            row.getString("chat_key"), (JsonObject) row.getValue("payload"), row.getInteger("attempts")));
      }
      return items;
    });
  }

  /** Done with an update, in the caller's transaction; a non-null note records why it was given up. */
  private Future<Void> markProcessed(SqlClient client, long id, String note) {
    return client.preparedQuery(PROCESSED).execute(Tuple.of(id, note)).mapEmpty();
  }

  public Future<Void> recordFailure(long id, String error) {
    return pool.preparedQuery(FAILED).execute(Tuple.of(id, error)).mapEmpty();
  }

  /** Deletes up to {@code limit} updates handled before {@code before}; answers how many went. */
  public Future<Integer> deleteHandled(OffsetDateTime before, int limit) {
    return pool.preparedQuery(DELETE_HANDLED).execute(Tuple.of(before, limit)).map(rows -> rows.rowCount());
  }
}
