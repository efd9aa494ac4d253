package dev.aide.channel.telegram;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** Telegram's own state (the long-polling offset) and how its updates are keyed in the inbox. */
public final class TelegramRepository {

  public static final String CHANNEL = "telegram";

  private static final String NEXT_UPDATE = "select next_update_id from telegram_state where bot_id = $1";
  private static final String SAVE_OFFSET = """
      insert into telegram_state (bot_id, next_update_id) values ($1, $2)
      on conflict (bot_id) do update set next_update_id = greatest(telegram_state.next_update_id, excluded.next_update_id),
        updated_at = now()
      """;

  private final Pool pool;

  public TelegramRepository(Pool pool) {
    this.pool = pool;
  }

  /** The inbox key of an update: unique per bot and update_id. */
  public static String externalId(long botId, long updateId) {
    return botId + ":" + updateId;
  }

  public Future<Long> nextUpdateId(long botId) {
    return pool.preparedQuery(NEXT_UPDATE).execute(Tuple.of(botId))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("next_update_id"));
  }

  /** The offset that confirms polled updates, in the transaction that stores them: none lost, none replayed. */
  public Future<Void> saveOffset(SqlClient tx, long botId, long nextUpdateId) {
    return tx.preparedQuery(SAVE_OFFSET).execute(Tuple.of(botId, nextUpdateId)).mapEmpty();
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
