package dev.aide.connect;

import dev.aide.platform.secret.Sealed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** Authorizations under way (OAuth 2.0 state and PKCE verifier), stored by the state's hash and taken once. */
final class OAuthStateRepository {

  private static final String INSERT = """
      insert into oauth_states (state_hash, user_id, kind, verifier_key_id, verifier_nonce, verifier, expires_at, mail)
      values ($1, $2, $3, $4, $5, $6, $7, $8)""";
  // Expired rows go when new ones come: a few per person at most live at once.
  private static final String EXPIRED = "delete from oauth_states where expires_at < $1";
  private static final String PENDING = "select count(*) from oauth_states where user_id = $1 and expires_at >= $2";
  private static final String TAKE = """
      delete from oauth_states where state_hash = $1
      returning user_id, kind, verifier_key_id, verifier_nonce, verifier, expires_at, mail""";

  private final Pool pool;

  OAuthStateRepository(Pool pool) {
    this.pool = pool;
  }

  /** A state taken: whose it was, for which provider, its sealed verifier, when it expired, whether mail was asked. */
  record Taken(UUID userId, String kind, Sealed verifier, Instant expiresAt, boolean mail) {}

  /** Stores a new state; answers how many the person had pending (unexpired) before it. */
  Future<Long> insert(String stateHash, UUID userId, String kind, Sealed verifier, Instant expiresAt, Instant now,
                      boolean mail) {
    return pool.withTransaction(tx -> tx.preparedQuery(EXPIRED).execute(Tuple.of(now.atOffset(ZoneOffset.UTC)))
        .compose(v -> tx.preparedQuery(PENDING).execute(Tuple.of(userId, now.atOffset(ZoneOffset.UTC))))
        .compose(count -> tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {stateHash, userId, kind,
            verifier.keyId(), Buffer.buffer(verifier.nonce()), Buffer.buffer(verifier.ciphertext()),
            expiresAt.atOffset(ZoneOffset.UTC), mail})).map(count.iterator().next().getLong(0))));
  }

  /** Takes (deletes) the state with this hash, whoever it was for: a state is used once, even when refused. */
  Future<Optional<Taken>> take(String stateHash) {
    return pool.preparedQuery(TAKE).execute(Tuple.of(stateHash)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new Taken(r.getUUID("user_id"), r.getString("kind"), new Sealed(r.getString("verifier_key_id"),
          r.getBuffer("verifier_nonce").getBytes(), r.getBuffer("verifier").getBytes()),
          r.getOffsetDateTime("expires_at").toInstant(), r.getBoolean("mail")));
    });
  }
}
