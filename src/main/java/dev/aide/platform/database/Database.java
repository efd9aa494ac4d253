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

  private Database() {}

  public static Pool pool(Vertx vertx, DatabaseUrl url, int maxSize) {
    PoolOptions pool = new PoolOptions().setMaxSize(maxSize).setMaxWaitQueueSize(10_000);
    return PgBuilder.pool().with(pool).connectingTo(connectOptions(url)).using(vertx).build();
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
