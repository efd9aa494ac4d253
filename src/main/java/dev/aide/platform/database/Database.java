package dev.aide.platform.database;

import dev.aide.platform.config.DatabaseUrl;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

/** Builds the application's connection pool and migrates the schema (Flyway owns all DDL). */
public final class Database {

  /**
   * Plans the rest of the transaction's statements with their parameters and the tables' current size, not with a
   * plan cached while a table was small (see {@link #planningEachTime}): for one hot statement on the shared pool, sent
   * pipelined before it.
   */
  public static final String PLAN_AFRESH = "set local plan_cache_mode = force_custom_plan";

  private Database() {}

  public static Pool pool(Vertx vertx, DatabaseUrl url, int maxSize) {
    PoolOptions pool = new PoolOptions().setMaxSize(maxSize).setMaxWaitQueueSize(10_000);
    return PgBuilder.pool().with(pool).connectingTo(connectOptions(url)).using(vertx).build();
  }

  /**
   * A pool whose connections plan every statement with its parameters and the tables' current size
   * ({@code plan_cache_mode = force_custom_plan}, sent at connect). For hot statements on a table that can grow from
   * nearly empty to 100,000 rows in seconds (the outbox under a burst): a generic plan cached while it was small
   * scans the whole table for every "mark this message sent", and stays until the next ANALYZE. Planning each time
   * costs a fraction of a millisecond.
   */
  public static Pool planningEachTime(Vertx vertx, DatabaseUrl url, int maxSize) {
    PoolOptions pool = new PoolOptions().setMaxSize(maxSize).setMaxWaitQueueSize(10_000);
    PgConnectOptions connect = connectOptions(url);
    connect.addProperty("plan_cache_mode", "force_custom_plan");
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  /** A LISTEN connection of its own that reconnects (and listens again) after the database went away. */
  public static PgSubscriber subscriber(Vertx vertx, DatabaseUrl url) {
    return PgSubscriber.subscriber(vertx, connectOptions(url)).reconnectPolicy(retries -> Math.min(5_000L, 250L << Math.min(retries, 5)));
  }

  private static PgConnectOptions connectOptions(DatabaseUrl url) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(url.host())
        .setPort(url.port())
        .setDatabase(url.database())
        .setUser(url.user())
        .setCachePreparedStatements(true)
        // The default leaves statements over 2,048 characters uncached: the memory search, run every turn, was
        // parsed and planned anew each time.
        .setPreparedStatementCacheSqlLimit(16_384)
        .setPipeliningLimit(64);
    if (url.password() != null) {
      connect.setPassword(url.password());
    }
    return connect;
  }

  /** Blocking: call from the main thread or a worker, never from an event loop. */
  public static int migrate(DatabaseUrl url) {
    Flyway flyway = Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .load();
    return flyway.migrate().migrationsExecuted;
  }
}
