package dev.aide.channel;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's worker. One Aide instance at a time leads the channel (a PostgreSQL advisory lock held on a connection
 * of its own; the others stand by and take over if it goes): it runs the adapter's leader hook (a webhook registered,
 * long polling) and handles the channel's inbox — each chat's updates in order, one at a time, different chats in
 * parallel. Updates left unhandled by a crash are in the inbox and are handled when the next leader starts. A failure
 * before the turn reached the assistant is retried; after, never (the assistant may have acted), and the person is
 * told instead.
 */
public final class IngressVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(IngressVerticle.class);
  private static final long STANDBY_RETRY_MS = 5_000;
  private static final long SCAN_EVERY_MS = 1_000;
  private static final int SCAN_LIMIT = 500;
  private static final int MAX_ATTEMPTS = 3;

  private final Pool pool;
  private final ChannelAdapter adapter;
  private final InboxRepository inbox;
  private final InboxHandler handler;
  private final Commands commands;

  private final Map<String, Future<Void>> chats = new HashMap<>();
  private final Set<Long> queued = new HashSet<>();
  // Finished updates leave `queued` only when the next scan starts: a scan that read the inbox before one of them
  // committed would otherwise see it as unprocessed and handle it again.
  private final Set<Long> finished = new HashSet<>();
  // Bumped whenever leadership is gained or lost, so work begun under an earlier leadership stops.
  private int epoch;
  private MessageConsumer<Object> wake;
  private SqlConnection lock;
  private boolean ready;
  private boolean stopped;
  private boolean scanning;
  private boolean scanAgain;
  private long scanTimer = -1;
  private long retryTimer = -1;

  public IngressVerticle(Pool pool, ChannelAdapter adapter, InboxRepository inbox, InboxHandler handler,
                         Commands commands) {
    this.pool = pool;
    this.adapter = adapter;
    this.inbox = inbox;
    this.handler = handler;
    this.commands = commands;
  }

  @Override
  public Future<?> start() {
    wake = vertx.eventBus().consumer(ChannelBus.inbox(adapter.channel()), message -> scan());
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
    return lock != null && ready && !stopped;
  }

  private boolean leading(int since) {
    return leading() && epoch == since;
  }

  /** Holds the lock and is still the leadership begun at {@code since}, ready or not. */
  private boolean holds(int since) {
    return lock != null && !stopped && epoch == since;
  }

  private void tryToLead() {
    if (stopped) {
      return;
    }
    pool.getConnection()
        .compose(connection -> connection.preparedQuery("select pg_try_advisory_lock(hashtext($1)) as locked")
            .execute(Tuple.of(adapter.leadership()))
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
              LOG.warn("Lost the {} leadership connection; standing by", adapter.channel());
              epoch++;
              lock = null;
              ready = false;
              vertx.cancelTimer(scanTimer);
              vertx.cancelTimer(retryTimer);
              retryTimer = vertx.setTimer(STANDBY_RETRY_MS, id -> tryToLead());
            }
          });
          epoch++;
          lead(epoch);
        })
        .onFailure(e -> {
          LOG.warn("Cannot contend for the {} leadership: {}", adapter.channel(), e.toString());
          retryTimer = vertx.setTimer(STANDBY_RETRY_MS, id -> tryToLead());
        });
  }

  private void lead(int since) {
    if (!holds(since)) {
      return;
    }
    adapter.lead(new Term(since))
        .onSuccess(v -> {
          if (!holds(since)) {
            return;
          }
          ready = true;
          scanTimer = vertx.setPeriodic(SCAN_EVERY_MS, id -> scan());
          scan();
        })
        .onFailure(e -> {
          LOG.warn("{} start-up failed ({}); retrying", adapter.channel(), e.toString());
          retryTimer = vertx.setTimer(STANDBY_RETRY_MS, id -> lead(since));
        });
  }

  /** One leadership, as the adapter's leader hook sees it. */
  private final class Term implements ChannelAdapter.Leader {

    private final int since;

    Term(int since) {
      this.since = since;
    }

    @Override
    public boolean leads() {
      return holds(since);
    }

    @Override
    public List<ChannelCommand> commands() {
      return commands.all();
    }

    @Override
    public Future<Void> store(List<Received> updates, Function<SqlClient, Future<Void>> confirm) {
      return inbox.insertAll(adapter.channel(), updates, confirm).onSuccess(v -> scan());
    }
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
    inbox.unprocessed(adapter.channel(), SCAN_LIMIT).onComplete(ar -> {
      scanning = false;
      if (ar.failed()) {
        LOG.warn("Cannot read the {} inbox: {}", adapter.channel(), ar.cause().toString());
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
        LOG.error("{} update {} could not be finished: {}", adapter.channel(), item.externalId(),
            ar.cause().toString());
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
    return handler.handle(item).recover(failure -> {
      LOG.warn("{} update {} failed (attempt {}): {}", adapter.channel(), item.externalId(), attempt,
          failure.toString());
      if (attempt >= MAX_ATTEMPTS || failure instanceof InboxHandler.TurnStarted) {
        return handler.giveUp(item, failure.toString());
      }
      return inbox.recordFailure(item.id(), failure.toString())
          .compose(v -> vertx.timer(1000L * attempt))
          .compose(v -> process(item, attempt + 1, since));
    });
  }
}
