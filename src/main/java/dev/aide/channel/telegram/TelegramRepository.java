package dev.aide.channel.telegram;

import dev.aide.channel.InboxRepository;
import dev.aide.delivery.OutboxRepository;
import dev.aide.delivery.Outgoing;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** Telegram's own state (the long-polling offset) and the transactions that tie inbox, offset and outbox together. */
public final class TelegramRepository {

  public static final String CHANNEL = "telegram";

  private static final String NEXT_UPDATE = "select next_update_id from telegram_state where bot_id = $1";
  private static final String SAVE_OFFSET = """
      insert into telegram_state (bot_id, next_update_id) values ($1, $2)
      on conflict (bot_id) do update set next_update_id = greatest(telegram_state.next_update_id, excluded.next_update_id),
        updated_at = now()
      """;

  private final Pool pool;
  private final InboxRepository inbox;
  private final OutboxRepository outbox;

  public TelegramRepository(Pool pool, InboxRepository inbox, OutboxRepository outbox) {
    this.pool = pool;
    this.inbox = inbox;
    this.outbox = outbox;
  }

  /** The inbox key of an update: unique per bot and update_id. */
  public static String externalId(long botId, long updateId) {
    return botId + ":" + updateId;
  }

  public Future<Long> nextUpdateId(long botId) {
    return pool.preparedQuery(NEXT_UPDATE).execute(Tuple.of(botId))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("next_update_id"));
  }

  /**
   * Stores polled updates (each with a whole-number update_id; NULs replaced, see {@link TelegramUpdate#storable})
   * and the offset that confirms them in one transaction: none lost, none replayed.
   */
  public Future<Void> storePolled(long botId, List<JsonObject> updates, long nextUpdateId) {
    return pool.withTransaction(tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (JsonObject update : updates) {
        chain = chain.compose(v -> inbox.insert(tx, CHANNEL,
            externalId(botId, TelegramUpdate.updateId(update).orElseThrow()), chatKey(update),
            TelegramUpdate.storable(update)).mapEmpty());
      }
      return chain.compose(v -> tx.preparedQuery(SAVE_OFFSET).execute(Tuple.of(botId, nextUpdateId)).mapEmpty());
    });
  }

  /** Finishes an update: its replies enter the outbox and it is marked processed, together. */
  public Future<Void> complete(long inboxId, List<Outgoing> replies, String note) {
    return pool.withTransaction(tx -> outbox.enqueue(tx, replies).compose(v -> inbox.markProcessed(tx, inboxId, note)));
  }

  /** The chat an update belongs to, so one chat's updates are handled in order. */
  public static String chatKey(JsonObject update) {
    for (String field : List.of("message", "edited_message", "channel_post", "callback_query")) {
      if (update.getValue(field) instanceof JsonObject part) {
        Object chat = part.getValue("chat");
        if (!(chat instanceof JsonObject) && part.getValue("message") instanceof JsonObject inner) {
          chat = inner.getValue("chat");
        }
        // Whatever the shape, the key is short: an update whose chat id is not a number still gets a chat of its own.
        if (chat instanceof JsonObject c && (c.getValue("id") instanceof Integer || c.getValue("id") instanceof Long)) {
          return String.valueOf(c.getValue("id"));
        }
      }
    }
    return "update";
  }
}
