package dev.aide.channel.telegram;

import dev.aide.channel.ChannelAdapter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-polls getUpdates for as long as this instance leads: each batch is stored together with the offset that
 * confirms it to Telegram, so none is lost and none replayed, then the poll goes on at once. Errors back off.
 */
final class TelegramPoller {

  private static final Logger LOG = LoggerFactory.getLogger(TelegramPoller.class);
  private static final int LONG_POLL_SECONDS = 25;
  private static final long FIRST_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private final TelegramApi api;
  private final TelegramRepository telegram;
  private final TelegramAdapter adapter;
  private final ChannelAdapter.Leader leader;
  private final long botId;
  private long nextUpdateId;
  private long backoffMs = FIRST_BACKOFF_MS;

  TelegramPoller(Vertx vertx, TelegramApi api, TelegramRepository telegram, TelegramAdapter adapter,
                 ChannelAdapter.Leader leader, long botId, long nextUpdateId) {
    this.vertx = vertx;
    this.api = api;
    this.telegram = telegram;
    this.adapter = adapter;
    this.leader = leader;
    this.botId = botId;
    this.nextUpdateId = nextUpdateId;
  }

  void poll() {
    if (!leader.leads()) {
      return;
    }
    api.getUpdates(nextUpdateId, LONG_POLL_SECONDS, TelegramAdapter.ALLOWED_UPDATES)
        .compose(this::store)
        .onSuccess(v -> {
          backoffMs = FIRST_BACKOFF_MS;
          poll();
        })
        .onFailure(e -> {
          if (e instanceof TelegramApiException t && t.errorCode() == 409 && t.description().contains("webhook")) {
            // A webhook is set (by another deployment): polling needs it gone.
            api.deleteWebhook(false).onComplete(ar -> poll());
            return;
          }
          LOG.warn("getUpdates failed ({}); retrying in {} ms", e.toString(), backoffMs);
          vertx.setTimer(backoffMs, id -> poll());
          backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        });
  }

  private Future<Void> store(List<JsonObject> updates) {
    if (updates.isEmpty()) {
      return Future.succeededFuture();
    }
    long next = updates.stream().mapToLong(u -> u.getLong("update_id")).max().getAsLong() + 1;
    if (!leader.leads()) {
      // Another instance leads now; it will receive these updates again and store them once.
      return Future.succeededFuture();
    }
    return leader.store(updates.stream().map(adapter::received).toList(),
            tx -> telegram.saveOffset(tx, botId, next))
        .onSuccess(v -> nextUpdateId = next);
  }
}
