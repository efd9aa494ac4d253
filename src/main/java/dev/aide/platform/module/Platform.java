package dev.aide.platform.module;

import dev.aide.platform.config.AideConfig;
import dev.aide.platform.config.ConfigException;
import dev.aide.platform.database.Database;
import dev.aide.platform.database.SecretRepository;
import dev.aide.platform.ratelimit.RateLimitRepository;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.aide.platform.secret.SecretKeys;
import dev.aide.platform.secret.VaultException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The infrastructure every feature is built from, made once by the composition root: configuration, clock, Vert.x,
 * the connection pools, metrics, the HTTP client for outside services, the abuse limiter and the secrets Aide keeps
 * for itself. Features receive it; none makes its own.
 *
 * @param deliveryPool the outbox's own connections: a message is marked sent the moment the channel accepted it, not
 *     after a burst of scheduled tasks queued for the main pool, so an instance that dies leaves few messages in doubt
 * @param remote the HTTP client for servers a person names (their CalDAV accounts), apart from {@code web}: it never
 *     follows a redirect by itself, so a server cannot send a request (and its password) on to another host
 * @param instance names this process in task and outbox claims
 */
public record Platform(AideConfig config, Clock clock, Vertx vertx, Pool pool, Pool deliveryPool,
                       PrometheusMeterRegistry metrics, WebClient web, HttpClient remote, RateLimiter limiter,
                       SecretRepository secrets, String instance) {

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  /** Migrates the schema, then starts Vert.x and opens the pools. Blocking: the main thread or a test's. */
  public static Platform open(AideConfig config, Clock clock) {
    int migrations = Database.migrate(config.database().url());
    LOG.info("Database {} migrated ({} new migrations)", config.database().url(), migrations);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(metrics))
        .build();
    Pool pool = Database.pool(vertx, config.database().url(), config.database().poolSize());
    Pool deliveryPool = Database.planningEachTime(vertx, config.database().url(), config.delivery().poolSize());
    WebClient web = WebClient.create(vertx, new WebClientOptions().setUserAgent("Aide"),
        new PoolOptions().setHttp1MaxSize(64));
    HttpClient remote = vertx.createHttpClient(new HttpClientOptions().setMaxRedirects(0).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(16));
    Platform platform = new Platform(config, clock, vertx, pool, deliveryPool, metrics, web, remote,
        new RateLimiter(new RateLimitRepository(pool), clock),
        new SecretRepository(pool, SecretKeys.vault(config.secrets())), instanceId());
    try {
      platform.openSecrets();
      return platform;
    } catch (RuntimeException e) {
      platform.close();
      throw e;
    }
  }

  /**
   * Rows an older Aide stored in plaintext are sealed now, and every row must open with this instance's key, or
   * start-up stops with one line.
   */
  private void openSecrets() {
    try {
      int sealed = secrets.sealAll().await();
      if (sealed > 0) {
        LOG.info("Encrypted {} secret(s) an earlier version had stored in plaintext", sealed);
      }
      secrets.verifyAll().await();
    } catch (VaultException e) {
      throw wrongKey(e);
    }
  }

  /** A secret Aide made for itself (the JWT key, the webhook secret), generated the first time. Blocking. */
  public String storedSecret(String name) {
    try {
      return secrets.getOrCreate(name).await();
    } catch (VaultException e) {
      throw wrongKey(e);
    }
  }

  private static ConfigException wrongKey(VaultException e) {
    return new ConfigException("config secret.key (AIDE_SECRET_KEY): " + e.getMessage() + "; every Aide sharing a "
        + "database must use the same secret key (AIDE_SECRET_KEY, or the same key file)");
  }

  /** Undeploys every verticle, then closes the pools, then Vert.x; blocking. */
  public void close() {
    // Verticles first (they may hold pool connections, like the Telegram leadership lock), then the pools, then
    // Vert.x; separate steps because a future chained on a pool would complete on a stopped event loop.
    Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()).await();
    pool.close().await();
    deliveryPool.close().await();
    vertx.close().await();
  }

  /** Host, process id and a random suffix: a restarted process is a new instance. */
  private static String instanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "aide";
    }
    return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
  }
}
