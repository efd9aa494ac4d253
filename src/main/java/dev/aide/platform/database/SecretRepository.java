package dev.aide.platform.database;

import dev.aide.platform.secret.Sealed;
import dev.aide.platform.secret.Vault;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets Aide generates for itself once and shares between its instances through the database (the JWT key, the
 * Telegram webhook secret), sealed by the vault: the database holds only ciphertext, bound to the secret's name.
 */
public final class SecretRepository {

  private static final String INSERT = """
      insert into app_secrets (name, key_id, nonce, ciphertext) values ($1, $2, $3, $4) on conflict (name) do nothing
      """;
  private static final String SELECT = "select name, value, key_id, nonce, ciphertext from app_secrets where name = $1";
  private static final String SELECT_ALL = "select name, value, key_id, nonce, ciphertext from app_secrets order by name";
  private static final String PLAINTEXT = "select name, value from app_secrets where value is not null for update";
  private static final String SEAL = """
      update app_secrets set value = null, key_id = $2, nonce = $3, ciphertext = $4 where name = $1
      """;

  private static final String OLDER = """
      select name, value, key_id, nonce, ciphertext from app_secrets where value is null and key_id <> $1
      order by name for update""";

  private final Pool pool;
  private final Vault vault;
  private final SecureRandom random = new SecureRandom();

  public SecretRepository(Pool pool, Vault vault) {
    this.pool = pool;
    this.vault = vault;
  }

  /**
   * The stored secret of that name, generated (32 random bytes, URL-safe base64) the first time it is asked for.
   * Fails with a {@link dev.aide.platform.secret.VaultException} when the stored one does not open with this
   * instance's key: a new secret is never made in its place (a new JWT key would sign everybody out).
   */
  public Future<String> getOrCreate(String name) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String candidate = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Sealed sealed = vault.seal(context(name), candidate);
    return pool.preparedQuery(INSERT).execute(Tuple.of(name, sealed.keyId(), Buffer.buffer(sealed.nonce()),
            Buffer.buffer(sealed.ciphertext())))
        .compose(ignored -> pool.preparedQuery(SELECT).execute(Tuple.of(name)))
        .compose(rows -> {
          Row row = rows.iterator().next();
          // A row an older instance wrote in plaintext while this one started: sealed now, on first use.
          return row.getString("value") != null ? sealAll().map(n -> row.getString("value"))
              : Future.succeededFuture(open(row));
        });
  }

  /** Seals the rows an older Aide stored in plaintext; answers how many. */
  public Future<Integer> sealAll() {
    return pool.withTransaction(tx -> tx.preparedQuery(PLAINTEXT).execute().compose(rows -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (Row row : rows) {
        Sealed sealed = vault.seal(context(row.getString("name")), row.getString("value"));
        chain = chain.compose(n -> seal(tx, row.getString("name"), sealed).map(n + 1));
      }
      return chain;
    }));
  }

  /** The vault these secrets are sealed with; other stores of sealed values use the same one. */
  public Vault vault() {
    return vault;
  }

  /**
   * Seals again, with the current key, the secrets an older key sealed (key rotation); answers how many. Safe to run
   * on several instances at once: the rows are locked while they change.
   */
  public Future<Integer> resealOlder() {
    return pool.withTransaction(tx -> tx.preparedQuery(OLDER).execute(Tuple.of(vault.currentKeyId())).compose(rows -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (Row row : rows) {
        String name = row.getString("name");
        Sealed sealed = vault.seal(context(name), open(row));
        chain = chain.compose(n -> seal(tx, name, sealed).map(n + 1));
      }
      return chain;
    }));
  }

  /**
   * Opens every stored secret, so an instance whose key is not the one the database's secrets were sealed with stops
   * at start-up, whichever secrets it happens to need.
   */
  public Future<Integer> verifyAll() {
    return pool.preparedQuery(SELECT_ALL).execute().map(rows -> {
      int opened = 0;
      for (Row row : rows) {
        if (row.getString("value") == null) {
          open(row);
          opened++;
        }
      }
      return opened;
    });
  }

  private static Future<Void> seal(SqlClient tx, String name, Sealed sealed) {
    return tx.preparedQuery(SEAL).execute(Tuple.of(name, sealed.keyId(), Buffer.buffer(sealed.nonce()),
        Buffer.buffer(sealed.ciphertext()))).mapEmpty();
  }

  private String open(Row row) {
    Sealed sealed = new Sealed(row.getString("key_id"), row.getBuffer("nonce").getBytes(),
        row.getBuffer("ciphertext").getBytes());
    return vault.openText(context(row.getString("name")), sealed);
  }

  /** Where a secret lives, as the vault binds it: a ciphertext copied to another name does not open. */
  private static String context(String name) {
    return "app_secrets/" + name;
  }
}
