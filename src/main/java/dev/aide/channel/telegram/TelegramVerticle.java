package dev.aide.channel.telegram;

import dev.aide.channel.InboxItem;
import dev.aide.channel.InboxRepository;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Telegram channel's worker. One Aide instance at a time leads (a PostgreSQL advisory lock held on a connection
 * of its own; the others stand by and take over if it goes): it registers the webhook or long-polls getUpdates, and
 * handles the inbox — each chat's updates in order, one at a time, different chats in parallel. Updates left
 * unhandled by a crash are in the inbox and are handled when the next leader starts.
 */
public final class TelegramVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TelegramVerticle.class);
  static final List<String> ALLOWED_UPDATES = List.of("message");
  static final List<TelegramApi.BotCommand> COMMANDS = List.of(
      new TelegramApi.BotCommand("today", "Today's calendar and reminders"),
      new TelegramApi.BotCommand("reminders", "Your pending reminders"),
      new TelegramApi.BotCommand("forget", "Start a fresh conversation (your data is kept)"),
      new TelegramApi.BotCommand("timezone", "Set your timezone, e.g. /timezone Europe/Paris"),
      new TelegramApi.BotCommand("stop", "Pause messages Aide sends first"),
      new TelegramApi.BotCommand("resume", "Resume messages Aide sends first"),
      new TelegramApi.BotCommand("privacy", "Where Aide answers what you ask in groups"),
      new TelegramApi.BotCommand("help", "What Aide can do"));
  private static final int LONG_POLL_SECONDS = 25;
  private static final long STANDBY_RETRY_MS = 5_000;
  private static final long SCAN_EVERY_MS = 1_000;
  private static final int MAX_ATTEMPTS = 3;

  /** How this instance reaches Telegram: a webhook URL and secret, or long polling. */
  public record Mode(boolean webhook, String webhookUrl, String webhookSecret) {}

  private final Pool pool;
  private final TelegramApi api;
  private final TelegramRepository telegram;
  private final InboxRepository inbox;
  private final TelegramUpdateHandler handler;
  private final long botId;
  private final Mode mode;

  private final Map<String, Future<Void>> chats = new HashMap<>();
  private final Set<Long> queued = new HashSet<>();
  // Finished updates leave `queued` only when the next scan starts: a scan that read the inbox before one of them
  // committed would otherwise see it as unprocessed and handle it again.
  private final Set<Long> finished = new HashSet<>();
  // Bumped whenever leadership is gained or lost, so work begun under an earlier leadership stops.
  private int epoch;
  private MessageConsumer<Object> wake;
  private SqlConnection lock;
  private TelegramUpdateHandler.Bot bot;
  private boolean stopped;
  private boolean scanning;
  private boolean scanAgain;
  private long nextUpdateId;
  private long pollBackoffMs = 500;
  private long scanTimer = -1;
  private long retryTimer = -1;

  public TelegramVerticle(Pool pool, TelegramApi api, TelegramRepository telegram, InboxRepository inbox,
                          TelegramUpdateHandler handler, long botId, Mode mode) {
    this.pool = pool;
    this.api = api;
    this.telegram = telegram;
    this.inbox = inbox;
    this.handler = handler;
    this.botId = botId;
    this.mode = mode;
  }

  @Override
  public Future<?> start() {
    wake = vertx.eventBus().consumer(TelegramBus.INBOX, message -> scan());
    return wake.completion().onSuccess(v -> tryToLead());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(scanTimer);
    vertx.cancelTimer(retryTimer);
    Future<Void> release = lock == null ? Future.succeededFuture() : lock.close();
    return Future.join(wake.unregister(), release);
  }

  private boolean leading() {
    return lock != null && bot != null && !stopped;
  }

  private boolean leading(int since) {
    return leading() && epoch == since;
  }

  private void tryToLead() {
    if (stopped) {
      return;
    }
    pool.getConnection()
        .compose(connection -> connection.preparedQuery("select pg_try_advisory_lock(hashtext($1)) as locked")
            .execute(Tuple.of("aide.telegram." + botId))
            .compose(rows -> {
              if (rows.iterator().next().getBoolean("locked")) {
                return Future.succeededFuture(connection);
              }
              return connection.close().map((SqlConnection) null);
            }))
        .onSuccess(connection -> {
          if (connection == null) {
            retryTimer = vertx.setTimer(STANDBY_RETRY_MS, id -> tryToLead());
            return;
          }
          lock = connection;
          // The lock lives as long as the connection: losing it means another instance may lead now.
          connection.closeHandler(v -> {
            if (!stopped) {
              LOG.warn("Lost the Telegram leadership connection; standing by");
              epoch++;
              lock = null;
              bot = null;
              vertx.cancelTimer(scanTimer);
              vertx.cancelTimer(retryTimer);
              retryTimer = vertx.setTimer(STANDBY_RETRY_MS, id -> tryToLead());
            }
          });
          epoch++;
          lead(epoch);
        })
        .onFailure(e -> {
          LOG.warn("Cannot contend for Telegram leadership: {}", e.toString());
          retryTimer = vertx.setTimer(STANDBY_RETRY_MS, id -> tryToLead());
        });
  }

  private void lead(int since) {
    if (lock == null || stopped || epoch != since) {
      return;
    }
    api.getMe()
        .compose(me -> api.setMyCommands(COMMANDS).map(me))
        .compose(me -> (mode.webhook()
            ? api.setWebhook(mode.webhookUrl(), mode.webhookSecret(), ALLOWED_UPDATES)
            : api.deleteWebhook(false).compose(v -> telegram.nextUpdateId(botId)).onSuccess(next -> nextUpdateId = next).mapEmpty())
            .map(me))
        .onSuccess(me -> {
          if (lock == null || stopped || epoch != since) {
            return;
          }
          bot = new TelegramUpdateHandler.Bot(me.id(), me.username());
          LOG.info("Telegram bot @{} ready ({} mode)", me.username(), mode.webhook() ? "webhook" : "polling");
          scanTimer = vertx.setPeriodic(SCAN_EVERY_MS, id -> scan());
          scan();
          if (!mode.webhook()) {
            poll(since);
          }
        })
        .onFailure(e -> {
          LOG.warn("Telegram start-up failed ({}); retrying", e.toString());
          retryTimer = vertx.setTimer(STANDBY_RETRY_MS, id -> lead(since));
        });
  }

  private void poll(int since) {
    if (!leading(since)) {
      return;
    }
    api.getUpdates(nextUpdateId, LONG_POLL_SECONDS, ALLOWED_UPDATES)
        .compose(updates -> {
          if (updates.isEmpty()) {
            return Future.succeededFuture();
          }
          long next = updates.stream().mapToLong(u -> u.getLong("update_id")).max().getAsLong() + 1;
          if (!leading(since)) {
            // Another instance leads now; it will receive these updates again and store them once.
            return Future.succeededFuture();
          }
          return telegram.storePolled(botId, updates, next).onSuccess(v -> {
            nextUpdateId = next;
            scan();
          });
        })
        .onSuccess(v -> {
          pollBackoffMs = 500;
          poll(since);
        })
        .onFailure(e -> {
          if (e instanceof TelegramApiException t && t.errorCode() == 409 && t.description().contains("webhook")) {
            // A webhook is set (by another deployment): polling needs it gone.
            api.deleteWebhook(false).onComplete(ar -> poll(since));
            return;
          }
          LOG.warn("getUpdates failed ({}); retrying in {} ms", e.toString(), pollBackoffMs);
          vertx.setTimer(pollBackoffMs, id -> poll(since));
          pollBackoffMs = Math.min(pollBackoffMs * 2, 30_000);
        });
  }

  /** Queues every unprocessed update not already queued, behind the earlier updates of its chat. */
  private void scan() {
    if (!leading()) {
      return;
    }
    if (scanning) {
      scanAgain = true;
      return;
    }
    scanning = true;
    scanAgain = false;
    queued.removeAll(finished);
    finished.clear();
    int since = epoch;
    inbox.unprocessed(TelegramRepository.CHANNEL, 500).onComplete(ar -> {
      scanning = false;
      if (ar.failed()) {
        LOG.warn("Cannot read the Telegram inbox: {}", ar.cause().toString());
        return;
      }
      if (epoch != since) {
        return;
      }
      ar.result().stream().filter(item -> queued.add(item.id())).forEach(item -> enqueue(item, since));
      if (scanAgain) {
        scan();
      }
    });
  }

  private void enqueue(InboxItem item, int since) {
    String chat = item.chatKey() == null ? "update" : item.chatKey();
    Future<Void> previous = chats.getOrDefault(chat, Future.succeededFuture());
    Future<Void> next = previous.transform(ignored -> process(item, 1, since));
    chats.put(chat, next);
    next.onComplete(ar -> {
      // A failure that could not even be recorded stays queued: handled again only by the next leader, after a restart.
      if (ar.succeeded()) {
        finished.add(item.id());
      } else {
        LOG.error("Telegram update {} could not be finished: {}", item.externalId(), ar.cause().toString());
      }
      if (chats.get(chat) == next) {
        chats.remove(chat);
      }
    });
  }

  /**
   * Handles an update, retrying failures that happened before its turn reached the assistant; once the assistant
   * may have acted (tools run), a failure is not retried — that could act twice — and the person is told instead.
   */
  private Future<Void> process(InboxItem item, int attempt, int since) {
    if (!leading(since)) {
      return Future.succeededFuture();
    }
    return handler.handle(item, bot).recover(failure -> {
      LOG.warn("Telegram update {} failed (attempt {}): {}", item.externalId(), attempt, failure.toString());
      if (attempt >= MAX_ATTEMPTS || failure instanceof TelegramUpdateHandler.TurnStarted) {
        return handler.giveUp(item, failure.toString());
      }
      return inbox.recordFailure(item.id(), failure.toString())
          .compose(v -> vertx.timer(1000L * attempt))
          .compose(v -> process(item, attempt + 1, since));
    });
  }
}
