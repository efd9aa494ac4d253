package dev.aide.channel;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** Who is behind a chat or a phone number: channel identities, the users they belong to, and one-time link tokens. */
public final class IdentityRepository {

  private static final String FIND = """
      select user_id, active, answers_in_groups from channel_identities where channel = $1 and external_id = $2
      """;
  private static final String OF_USER = """
      select channel, external_id, display_name, verified, active, linked_at, created_at from channel_identities
      where user_id = $1 order by created_at
      """;
  private static final String NEW_USER = "insert into users (name) values ($1) returning id";
  private static final String LINK = """
      insert into channel_identities (user_id, channel, external_id, display_name, verified, active, linked_at)
      values ($1, $2, $3, $4, true, true, now())
      on conflict (channel, external_id) do update
        set user_id = excluded.user_id, display_name = coalesce(excluded.display_name, channel_identities.display_name),
            verified = true, active = true, linked_at = now()
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

  /** Points the identity at this user (a linked account), and makes it active again. */
  public Future<Void> link(String channel, String externalId, UUID userId, String displayName) {
    return pool.preparedQuery(LINK).execute(Tuple.of(userId, channel, externalId, displayName)).mapEmpty();
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
    return pool.preparedQuery(CONSUME_TOKEN).execute(Tuple.of(hash(token), channel))
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

  /** A channel a person linked, as their data export shows it. */
  public record Linked(String channel, String externalId, String displayName, boolean verified, boolean active,
                       java.time.OffsetDateTime linkedAt, java.time.OffsetDateTime createdAt) {}

  /** Every channel identity of the user, oldest first. */
  public Future<java.util.List<Linked>> forUser(UUID userId) {
    return pool.preparedQuery(OF_USER).execute(Tuple.of(userId)).map(rows -> {
      java.util.List<Linked> list = new java.util.ArrayList<>(rows.size());
      rows.forEach(row -> list.add(new Linked(row.getString("channel"), row.getString("external_id"),
          row.getString("display_name"), row.getBoolean("verified"), row.getBoolean("active"),
          row.getOffsetDateTime("linked_at"), row.getOffsetDateTime("created_at"))));
      return list;
    });
  }
}
