package dev.aide.channel;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Who is behind a chat or a phone number: channel identities, the users they belong to, and one-time link tokens. */
public final class IdentityRepository {

  private static final String FIND = """
      select user_id, active, answers_in_groups from channel_identities where channel = $1 and external_id = $2
      """;
  private static final String OF_USER = """
      select id, channel, external_id, display_name, verified, active, linked_at, created_at from channel_identities
      where user_id = $1 order by created_at, id
      """;
  private static final String OWNER_FOR_UPDATE = """
      select user_id from channel_identities where channel = $1 and external_id = $2 for update
      """;
  private static final String NEW_USER = "insert into users (name) values ($1) returning id";
  private static final String LINK = """
      insert into channel_identities (user_id, channel, external_id, display_name, verified, active, linked_at)
      values ($1, $2, $3, $4, true, true, now())
      on conflict (channel, external_id) do update
        set user_id = excluded.user_id, display_name = coalesce(excluded.display_name, channel_identities.display_name),
            verified = true, active = true, linked_at = now()
      returning id
      """;
  private static final String UNLINK = """
      delete from channel_identities where id = $1 and user_id = $2
      returning id, channel, external_id, display_name, verified, active, linked_at, created_at
      """;
  private static final String SET_ACTIVE = "update channel_identities set active = $3 where channel = $1 and external_id = $2";
  private static final String SET_ANSWERS_IN_GROUPS = """
      update channel_identities set answers_in_groups = $3 where channel = $1 and external_id = $2
      """;
  private static final String NEW_TOKEN = """
      insert into link_tokens (token_hash, user_id, channel, expires_at)
      values ($1, $2, $3, now() + make_interval(secs => $4))
      """;
  private static final String CONSUME_TOKEN = """
      update link_tokens set used_at = now()
      where token_hash = $1 and channel = $2 and used_at is null and expires_at > now()
      returning user_id
      """;

  private final Pool pool;
  private final SecureRandom random = new SecureRandom();

  public IdentityRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * The identity's user, whether Aide may still write to it, and whether the person wants answers to what they ask in
   * a group posted in the group (else they go to their private chat).
   */
  public record Identity(UUID userId, boolean active, boolean answersInGroups) {}

  public Future<Optional<Identity>> find(String channel, String externalId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(channel, externalId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      var row = rows.iterator().next();
      return Optional.of(new Identity(row.getUUID("user_id"), row.getBoolean("active"), row.getBoolean("answers_in_groups")));
    });
  }

  /** A person Aide has not seen on this channel becomes a user of their own, so the channel works at once. */
  public Future<UUID> createChannelUser(String channel, String externalId, String name) {
    return pool.withTransaction(tx -> tx.preparedQuery(NEW_USER).execute(Tuple.of(name))
        .map(rows -> rows.iterator().next().getUUID("id"))
        .compose(userId -> tx.preparedQuery(LINK).execute(Tuple.of(userId, channel, externalId, name)).map(userId)));
  }

  /**
   * The user behind the identity; one Aide has not seen becomes a user of its own (so the channel works at once), and
   * an inactive one is active again: writing to Aide means the person unblocked it.
   */
  public Future<UUID> userFor(String channel, String externalId, String name) {
    return find(channel, externalId).compose(found -> {
      if (found.isEmpty()) {
        return createChannelUser(channel, externalId, name);
      }
      return found.get().active() ? Future.succeededFuture(found.get().userId())
          : setActive(channel, externalId, true).map(found.get().userId());
    });
  }

  /**
   * Points the identity at this user, verified and active again, moving nothing: linking a chat or a number to an
   * account goes through {@link Linking#link}, which also brings over what a channel-only user had.
   */
  public Future<Void> link(String channel, String externalId, UUID userId, String displayName) {
    return pool.preparedQuery(LINK).execute(Tuple.of(userId, channel, externalId, displayName)).mapEmpty();
  }

  /**
   * Points the identity at this user (a linked account), verified and active again, in the caller's transaction;
   * answers the identity's id and whom it belonged to before (empty when it is new). The identity's row stays locked
   * until the transaction ends, so two links of one chat or number happen one after the other.
   */
  public Future<Claim> claim(SqlClient tx, String channel, String externalId, UUID userId, String displayName) {
    return tx.preparedQuery(OWNER_FOR_UPDATE).execute(Tuple.of(channel, externalId))
        .compose(owner -> tx.preparedQuery(LINK).execute(Tuple.of(userId, channel, externalId, displayName))
            .map(rows -> new Claim(rows.iterator().next().getUUID("id"), owner.size() == 0 ? Optional.empty()
                : Optional.of(owner.iterator().next().getUUID("user_id")))));
  }

  /** An identity linked by {@link #claim}: its id, and the user it belonged to before, if any. */
  public record Claim(UUID identityId, Optional<UUID> previousOwner) {}

  /** Removes one of the user's identities, in the caller's transaction; empty when the user has no such identity. */
  public Future<Optional<Linked>> unlink(SqlClient tx, UUID userId, UUID identityId) {
    return tx.preparedQuery(UNLINK).execute(Tuple.of(identityId, userId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(linked(rows.iterator().next())));
  }

  public Future<Void> setActive(String channel, String externalId, boolean active) {
    return pool.preparedQuery(SET_ACTIVE).execute(Tuple.of(channel, externalId, active)).mapEmpty();
  }

  public Future<Void> setAnswersInGroups(String channel, String externalId, boolean inGroups) {
    return pool.preparedQuery(SET_ANSWERS_IN_GROUPS).execute(Tuple.of(channel, externalId, inGroups)).mapEmpty();
  }

  /**
   * A one-time token (URL-safe, 32 characters, 192 random bits) that links a channel to the user within the time to
   * live. Only its SHA-256 is stored: whoever reads the table cannot link their chat to someone's account.
   */
  public Future<String> createLinkToken(UUID userId, String channel, Duration ttl) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return pool.preparedQuery(NEW_TOKEN)
        .execute(Tuple.of(hash(token), userId, channel, (double) ttl.toSeconds())).map(token);
  }

  /** The user the token was made for, if it is unused and unexpired; it cannot be used again. */
  public Future<Optional<UUID>> consumeLinkToken(String token, String channel) {
    return consumeLinkToken(pool, token, channel);
  }

  /** {@link #consumeLinkToken(String, String)} in the caller's transaction. */
  public Future<Optional<UUID>> consumeLinkToken(SqlClient client, String token, String channel) {
    return client.preparedQuery(CONSUME_TOKEN).execute(Tuple.of(hash(token), channel))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("user_id")));
  }

  /** A token is looked up by its hash; 192 random bits need no salt or slow hash. */
  private static Buffer hash(String token) {
    try {
      return Buffer.buffer(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A channel a person linked, as GET /channels and their data export show it. */
  public record Linked(UUID id, String channel, String externalId, String displayName, boolean verified,
                       boolean active, OffsetDateTime linkedAt, OffsetDateTime createdAt) {}

  /** Every channel identity of the user, oldest first. */
  public Future<List<Linked>> forUser(UUID userId) {
    return pool.preparedQuery(OF_USER).execute(Tuple.of(userId)).map(rows -> {
      List<Linked> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(linked(row)));
      return list;
    });
  }

  private static Linked linked(Row row) {
    return new Linked(row.getUUID("id"), row.getString("channel"), row.getString("external_id"),
        row.getString("display_name"), row.getBoolean("verified"), row.getBoolean("active"),
        row.getOffsetDateTime("linked_at"), row.getOffsetDateTime("created_at"));
  }
}
