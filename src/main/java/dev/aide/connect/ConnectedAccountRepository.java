package dev.aide.connect;

import dev.aide.platform.secret.Sealed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Connected accounts, their CalDAV collections and the calendar objects copied from them. */
final class ConnectedAccountRepository {

  private static final String ACCOUNT_COLUMNS = """
      select a.id, a.user_id, a.kind, a.url, a.username, a.secret_key_id, a.secret_nonce, a.secret, a.status,
             a.status_reason, a.last_synced_at, a.last_attempt_at, a.created_at, u.timezone
      from linked_accounts a join users u on u.id = a.user_id
      """;
  private static final String INSERT = """
      insert into linked_accounts (id, user_id, kind, url, username, secret_key_id, secret_nonce, secret)
      values ($1, $2, $3, $4, $5, $6, $7, $8)""";
  private static final String LIST = ACCOUNT_COLUMNS + " where a.user_id = $1 order by a.created_at, a.id";
  private static final String ONE = ACCOUNT_COLUMNS + " where a.user_id = $1 and a.id = $2";
  private static final String BY_ID = ACCOUNT_COLUMNS + " where a.id = $1";
  private static final String COLLECTIONS = """
      select id, account_id, href, display_name, calendar_id, sync_token, ctag from caldav_collections
      where user_id = $1 and account_id = any($2) order by display_name, href""";
  private static final String DELETE = "delete from linked_accounts where user_id = $1 and id = $2 returning id";
  private static final String CALENDARS_OF = """
      select calendar_id from caldav_collections where user_id = $1 and account_id = $2""";
  private static final String SYNCED = """
      update linked_accounts set status = 'ok', status_reason = null, last_synced_at = $3, last_attempt_at = $3,
             updated_at = now()
      where user_id = $1 and id = $2""";
  private static final String FAILED = """
      update linked_accounts a set status = 'error', status_reason = left($3, 1000), last_attempt_at = $4,
             updated_at = now()
      from (select id, status from linked_accounts where user_id = $1 and id = $2 for update) before
      where a.id = before.id
      returning before.status as before""";
  private static final String INSERT_COLLECTION = """
      insert into caldav_collections (account_id, user_id, href, display_name, calendar_id) values ($1, $2, $3, $4, $5)
      on conflict (account_id, href) do update set display_name = excluded.display_name
      returning id""";
  private static final String DELETE_COLLECTION = """
      delete from caldav_collections where user_id = $1 and id = $2""";
  private static final String COLLECTION_STATE = """
      update caldav_collections set sync_token = $3, ctag = $4 where user_id = $1 and id = $2""";
  private static final String OBJECTS = """
      select href, etag, uid, event_id, synced_version from caldav_objects where user_id = $1 and collection_id = $2""";
  private static final String SAVE_OBJECT = """
      insert into caldav_objects (collection_id, user_id, href, etag, uid, event_id, synced_version)
      values ($1, $2, $3, $4, $5, $6, $7)
      on conflict (collection_id, href) do update
        set etag = excluded.etag, uid = excluded.uid, event_id = excluded.event_id,
            synced_version = excluded.synced_version""";
  private static final String DELETE_OBJECT = """
      delete from caldav_objects where user_id = $1 and collection_id = $2 and href = $3""";
  // The account whose calendar holds the event, and the one it was copied from when the person moved it elsewhere.
  private static final String ACCOUNT_OF_EVENT = """
      select c.account_id from caldav_collections c join events e on e.calendar_id = c.calendar_id
      where c.user_id = $1 and e.user_id = $1 and e.id = $2
      union
      select c.account_id from caldav_objects o join caldav_collections c on c.id = o.collection_id
      where o.user_id = $1 and o.event_id = $2""";
  // A session-level advisory lock per account, held on a connection of its own for the length of a sync, so two
  // instances never sync one account at once (the scheduler's claim covers its task, not a manual sync elsewhere).
  private static final String LOCK = "select pg_try_advisory_lock(hashtextextended('account-sync:' || $1::text, 0))";
  private static final String UNLOCK = "select pg_advisory_unlock(hashtextextended('account-sync:' || $1::text, 0))";
  private static final String RESEAL_ONE = """
      update linked_accounts set secret_key_id = $3, secret_nonce = $4, secret = $5, updated_at = now()
      where user_id = $1 and id = $2""";
  private static final String PUSH = """
      select push_id, push_resource, push_expires_at from caldav_collections where user_id = $1 and id = $2""";
  private static final String SAVE_PUSH = """
      update caldav_collections set push_id = $3, push_resource = $4, push_secret = $5, push_expires_at = $6
      where user_id = $1 and id = $2""";
  private static final String BY_PUSH = """
      select c.user_id, c.account_id, c.push_secret from caldav_collections c where c.push_id = $1""";
  private static final String PUSHES = """
      select push_id, push_resource, push_expires_at from caldav_collections
      where user_id = $1 and account_id = $2 and push_id is not null""";
  private static final String OLDER_KEYS = """
      select id, secret_key_id, secret_nonce, secret from linked_accounts where secret_key_id <> $1 and id > $3
      order by id limit $2 for update skip locked""";
  private static final String RESEAL = """
      update linked_accounts set secret_key_id = $2, secret_nonce = $3, secret = $4 where id = $1""";

  private final Pool pool;

  ConnectedAccountRepository(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** An account row with its owner's timezone, for the API's times. */
  record Stored(ConnectedAccount account, ZoneId zone) {}

  /** Inserts the account in the caller's transaction (with its collections and its sync task). */
  Future<Void> insert(SqlClient tx, ConnectedAccount a) {
    return tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {a.id(), a.userId(), a.kind(), a.url(),
        a.username(), a.password().keyId(), Buffer.buffer(a.password().nonce()),
        Buffer.buffer(a.password().ciphertext())})).mapEmpty();
  }

  Future<List<Stored>> list(UUID userId) {
    return pool.preparedQuery(LIST).execute(Tuple.of(userId)).compose(rows -> withCollections(userId, rows));
  }

  Future<Optional<Stored>> find(UUID userId, UUID id) {
    return pool.preparedQuery(ONE).execute(Tuple.of(userId, id)).compose(rows -> withCollections(userId, rows))
        .map(list -> list.stream().findFirst());
  }

  /** An account by id alone: for its sync task, which carries the owner too and checks it. */
  Future<Optional<Stored>> byId(UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.<Stored>empty());
      }
      UUID userId = rows.iterator().next().getUUID("user_id");
      return withCollections(userId, rows).map(list -> list.stream().findFirst());
    });
  }

  private Future<List<Stored>> withCollections(UUID userId, io.vertx.sqlclient.RowSet<Row> rows) {
    List<Row> accounts = new ArrayList<>();
    rows.forEach(accounts::add);
    if (accounts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    UUID[] ids = accounts.stream().map(r -> r.getUUID("id")).toArray(UUID[]::new);
    return pool.preparedQuery(COLLECTIONS).execute(Tuple.from(new Object[] {userId, ids})).map(found -> {
      Map<UUID, List<ConnectedAccount.Collection>> byAccount = new HashMap<>();
      found.forEach(r -> byAccount.computeIfAbsent(r.getUUID("account_id"), k -> new ArrayList<>())
          .add(new ConnectedAccount.Collection(r.getUUID("id"), r.getString("href"), r.getString("display_name"),
              r.getUUID("calendar_id"), r.getString("sync_token"), r.getString("ctag"))));
      return accounts.stream().map(r -> new Stored(account(r, byAccount.getOrDefault(r.getUUID("id"), List.of())),
          ZoneId.of(r.getString("timezone")))).toList();
    });
  }

  private static ConnectedAccount account(Row r, List<ConnectedAccount.Collection> collections) {
    return new ConnectedAccount(r.getUUID("id"), r.getUUID("user_id"), r.getString("kind"), r.getString("url"),
        r.getString("username"), new Sealed(r.getString("secret_key_id"), r.getBuffer("secret_nonce").getBytes(),
        r.getBuffer("secret").getBytes()), r.getString("status"), r.getString("status_reason"),
        r.getOffsetDateTime("last_synced_at"), r.getOffsetDateTime("last_attempt_at"),
        r.getOffsetDateTime("created_at"), collections);
  }

  /**
   * Deletes the account and, in the same transaction, what {@code alsoDelete} removes given the Aide calendars its
   * collections were copied into. False when the person has no such account.
   */
  Future<Boolean> delete(UUID userId, UUID id, Function<SqlClient, Function<List<UUID>, Future<Void>>> alsoDelete) {
    return pool.withTransaction(tx -> tx.preparedQuery(CALENDARS_OF).execute(Tuple.of(userId, id)).compose(rows -> {
      List<UUID> calendars = new ArrayList<>();
      rows.forEach(r -> calendars.add(r.getUUID("calendar_id")));
      return tx.preparedQuery(DELETE).execute(Tuple.of(userId, id)).compose(deleted -> deleted.size() == 0
          ? Future.succeededFuture(false)
          : alsoDelete.apply(tx).apply(calendars).map(true));
    }));
  }

  /** A held sync lock of one account; closing it releases the lock and its connection. */
  interface SyncLock extends AutoCloseable {
    @Override
    void close();
  }

  /** The account's sync lock, or empty when another instance (or sync) holds it. Blocking: a virtual thread's. */
  Optional<SyncLock> trySyncLock(UUID accountId) {
    io.vertx.sqlclient.SqlConnection connection = pool.getConnection().await();
    try {
      boolean taken = connection.preparedQuery(LOCK).execute(Tuple.of(accountId.toString())).await().iterator().next()
          .getBoolean(0);
      if (!taken) {
        connection.close().await();
        return Optional.empty();
      }
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
    return Optional.of(() -> connection.preparedQuery(UNLOCK).execute(Tuple.of(accountId.toString()))
        .eventually(() -> connection.close()).await());
  }

  /**
   * The accounts the event belongs to, read in the caller's transaction: the one whose calendar holds it, and the
   * one it is a copy of when the person moved it to another calendar.
   */
  Future<List<UUID>> accountsOfEvent(SqlClient tx, UUID userId, UUID eventId) {
    return tx.preparedQuery(ACCOUNT_OF_EVENT).execute(Tuple.of(userId, eventId)).map(rows -> {
      List<UUID> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.getUUID("account_id")));
      return out;
    });
  }

  Future<Void> synced(UUID userId, UUID id, Instant at) {
    return pool.preparedQuery(SYNCED).execute(Tuple.of(userId, id, at.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  /** Records a failed sync in the caller's transaction; answers whether the account was ok until now. */
  Future<Boolean> failed(SqlClient tx, UUID userId, UUID id, String reason, Instant at) {
    return tx.preparedQuery(FAILED).execute(Tuple.of(userId, id, reason, at.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.size() > 0 && "ok".equals(rows.iterator().next().getString("before")));
  }

  /** Records a collection, in the caller's transaction (with the Aide calendar it is copied into). */
  Future<UUID> saveCollection(SqlClient tx, UUID accountId, UUID userId, String href, String name, UUID calendarId) {
    return tx.preparedQuery(INSERT_COLLECTION).execute(Tuple.of(accountId, userId, href, name, calendarId))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  /** Deletes a collection gone from the server, with its objects, in the caller's transaction. */
  Future<Void> deleteCollection(SqlClient tx, UUID userId, UUID collectionId) {
    return tx.preparedQuery(DELETE_COLLECTION).execute(Tuple.of(userId, collectionId)).mapEmpty();
  }

  Future<Void> collectionState(UUID userId, UUID collectionId, String syncToken, String ctag) {
    return pool.preparedQuery(COLLECTION_STATE).execute(Tuple.of(userId, collectionId, syncToken, ctag)).mapEmpty();
  }

  /** A calendar object as last synced: its etag, UID, the event copying it and that event's version then. */
  record StoredObject(String href, String etag, String uid, UUID eventId, Instant syncedVersion) {

    /** Whether the event changed in Aide (or went) since it last matched the server's copy; {@code v} its version. */
    boolean changedInAide(dev.aide.calendar.SyncedEvents.Version v) {
      return v == null || v.deleted() || syncedVersion == null || v.at().isAfter(syncedVersion);
    }
  }

  Future<Map<String, StoredObject>> objects(UUID userId, UUID collectionId) {
    return pool.preparedQuery(OBJECTS).execute(Tuple.of(userId, collectionId)).map(rows -> {
      Map<String, StoredObject> out = new HashMap<>();
      rows.forEach(r -> {
        OffsetDateTime version = r.getOffsetDateTime("synced_version");
        out.put(r.getString("href"), new StoredObject(r.getString("href"), r.getString("etag"), r.getString("uid"),
            r.getUUID("event_id"), version == null ? null : version.toInstant()));
      });
      return out;
    });
  }

  Future<Void> saveObject(UUID collectionId, UUID userId, StoredObject o) {
    return pool.preparedQuery(SAVE_OBJECT).execute(Tuple.from(new Object[] {collectionId, userId, o.href(), o.etag(),
        o.uid(), o.eventId(), o.syncedVersion() == null ? null : o.syncedVersion().atOffset(ZoneOffset.UTC)}))
        .mapEmpty();
  }

  Future<Void> deleteObject(UUID userId, UUID collectionId, String href) {
    return pool.preparedQuery(DELETE_OBJECT).execute(Tuple.of(userId, collectionId, href)).mapEmpty();
  }

  /** Stores the account's secret sealed anew (OAuth tokens refreshed). */
  Future<Void> secret(UUID userId, UUID id, Sealed sealed) {
    return pool.preparedQuery(RESEAL_ONE).execute(Tuple.from(new Object[] {userId, id, sealed.keyId(),
        Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.ciphertext())})).mapEmpty();
  }

  /** A calendar's push subscription (Google channel, Graph subscription): its id, resource and end. */
  record Push(String id, String resource, Instant expiresAt) {}

  /** Who a push subscription is for, and the hash of the secret its notifications carry. */
  record PushTarget(UUID userId, UUID accountId, String secretHash) {}

  Future<Optional<Push>> push(UUID userId, UUID collectionId) {
    return pool.preparedQuery(PUSH).execute(Tuple.of(userId, collectionId)).map(rows -> {
      Row r = rows.size() == 0 ? null : rows.iterator().next();
      return r == null || r.getString("push_id") == null ? Optional.<Push>empty() : Optional.of(push(r));
    });
  }

  private static Push push(Row r) {
    OffsetDateTime at = r.getOffsetDateTime("push_expires_at");
    return new Push(r.getString("push_id"), r.getString("push_resource"), at == null ? null : at.toInstant());
  }

  /** Records the calendar's push subscription (or none, all null). */
  Future<Void> savePush(UUID userId, UUID collectionId, Push push, String secretHash) {
    return pool.preparedQuery(SAVE_PUSH).execute(Tuple.from(new Object[] {userId, collectionId,
        push == null ? null : push.id(), push == null ? null : push.resource(), secretHash,
        push == null || push.expiresAt() == null ? null : push.expiresAt().atOffset(ZoneOffset.UTC)})).mapEmpty();
  }

  Future<Optional<PushTarget>> byPush(String pushId) {
    return pool.preparedQuery(BY_PUSH).execute(Tuple.of(pushId)).map(rows -> rows.size() == 0
        ? Optional.<PushTarget>empty() : Optional.of(new PushTarget(rows.iterator().next().getUUID("user_id"),
        rows.iterator().next().getUUID("account_id"), rows.iterator().next().getString("push_secret"))));
  }

  /** The account's push subscriptions, to stop them when it is disconnected. */
  Future<List<Push>> pushes(UUID userId, UUID accountId) {
    return pool.preparedQuery(PUSHES).execute(Tuple.of(userId, accountId)).map(rows -> {
      List<Push> out = new ArrayList<>();
      rows.forEach(r -> out.add(push(r)));
      return out;
    });
  }

  /** One batch of key rotation: how many rows were sealed again, how many could not be, and the last id looked at. */
  record Resealed(int sealed, int failed, int seen, UUID last) {}

  /**
   * Seals again, with {@code reseal}, up to {@code limit} passwords an older key sealed (key rotation), after the id
   * {@code after} (the cursor: a row that cannot be opened is passed over, not met again in every batch). A row
   * {@code reseal} fails on is left as it is and counted. Rows another instance is resealing are skipped.
   */
  Future<Resealed> resealOlder(String currentKeyId, int limit, UUID after, Function<Row, Sealed> reseal) {
    return pool.withTransaction(tx -> tx.preparedQuery(OLDER_KEYS)
        .execute(Tuple.of(currentKeyId, limit, after == null ? new UUID(0, 0) : after))
        .compose(rows -> {
          Future<Resealed> chain = Future.succeededFuture(new Resealed(0, 0, 0, after));
          for (Row row : rows) {
            UUID id = row.getUUID("id");
            Sealed sealed;
            try {
              sealed = reseal.apply(row);
            } catch (RuntimeException e) {
              chain = chain.map(r -> new Resealed(r.sealed(), r.failed() + 1, r.seen() + 1, id));
              continue;
            }
            chain = chain.compose(r -> tx.preparedQuery(RESEAL).execute(Tuple.of(id, sealed.keyId(),
                Buffer.buffer(sealed.nonce()), Buffer.buffer(sealed.ciphertext())))
                .map(new Resealed(r.sealed() + 1, r.failed(), r.seen() + 1, id)));
          }
          return chain;
        }));
  }
}
