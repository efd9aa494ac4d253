package dev.aide.platform.database;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets Aide generates for itself once and shares between its instances through the database. */
public final class SecretRepository {

  private static final String INSERT = "insert into app_secrets (name, value) values ($1, $2) on conflict (name) do nothing";
  private static final String SELECT = "select value from app_secrets where name = $1";

  private final Pool pool;
  private final SecureRandom random = new SecureRandom();

  public SecretRepository(Pool pool) {
    this.pool = pool;
  }

  /** The stored secret of that name, generated (32 random bytes, URL-safe base64) the first time it is asked for. */
  public Future<String> getOrCreate(String name) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String candidate = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return pool.preparedQuery(INSERT).execute(Tuple.of(name, candidate))
        .compose(ignored -> pool.preparedQuery(SELECT).execute(Tuple.of(name)))
        .map(rows -> rows.iterator().next().getString("value"));
  }
}
