package dev.aide.connect;

import dev.aide.notification.Notice;
import dev.aide.notification.Notifier;
import dev.aide.platform.secret.Vault;
import dev.aide.platform.secret.VaultException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What another feature (mail) reads and records about the accounts of its kind: the account with its password opened
 * from the vault, the person's accounts of a kind, and a sync's outcome — ok, or error with a reason and, when the
 * account was ok until then, one notification.
 */
public final class LinkedAccounts {

  /** An account with its password opened; its text form leaves the password out. */
  public record Login(UUID id, UUID userId, String kind, String url, String username, String password, String status,
                      String reason, OffsetDateTime lastSyncedAt) {
    @Override
    public String toString() {
      return "Login[id=" + id + ", kind=" + kind + ", url=" + url + ", username=" + username + "]";
    }
  }

  private final ConnectedAccountRepository rows;
  private final Vault vault;
  private final Notifier notifier;
  private final Clock clock;
  private final OAuthMailTokens tokens;

  LinkedAccounts(ConnectedAccountRepository rows, Vault vault, Notifier notifier, Clock clock,
                 OAuthMailTokens tokens) {
    this.rows = rows;
    this.vault = vault;
    this.notifier = notifier;
    this.clock = clock;
    this.tokens = tokens;
  }

  /** The kinds whose accounts sign in with OAuth 2.0 (Google, Microsoft): their secret is tokens, not a password. */
  public static final java.util.Set<String> OAUTH_KINDS = java.util.Set.copyOf(OAuthProvider.KINDS);

  /** The person's accounts of the kind, oldest first, passwords opened. */
  public Future<List<Login>> ofKind(UUID userId, String kind) {
    return ofKind(userId, java.util.Set.of(kind));
  }

  /** The person's accounts of these kinds, oldest first, passwords (or an OAuth account's tokens) opened. */
  public Future<List<Login>> ofKind(UUID userId, java.util.Set<String> kinds) {
    return rows.list(userId).map(list -> list.stream().filter(s -> kinds.contains(s.account().kind()))
        .map(s -> login(s.account())).toList());
  }

  /** The person's account of that id and kind, if it is theirs. */
  public Future<Optional<Login>> find(UUID userId, UUID accountId, String kind) {
    return find(userId, accountId, java.util.Set.of(kind));
  }

  /** The person's account of that id and one of these kinds, if it is theirs. */
  public Future<Optional<Login>> find(UUID userId, UUID accountId, java.util.Set<String> kinds) {
    return rows.find(userId, accountId).map(found -> found.filter(s -> kinds.contains(s.account().kind()))
        .map(s -> login(s.account())));
  }

  /**
   * The access token for an IMAP or SMTP session (SASL XOAUTH2) of the person's Google or Microsoft account: the
   * stored one while it lives, else (or with {@code refresh}: the server refused it) a new one.
   */
  public Future<String> accessToken(UUID userId, UUID accountId, boolean refresh) {
    return tokens.accessToken(userId, accountId, refresh);
  }

  /** The account with its password opened; null for a password that cannot be (the key that sealed it is gone). */
  private Login login(ConnectedAccount a) {
    String password;
    try {
      password = vault.openText(ConnectedAccount.context(a.id()), a.password());
    } catch (VaultException e) {
      password = null;
    }
    return new Login(a.id(), a.userId(), a.kind(), a.url(), a.username(), password, a.status(), a.reason(),
        a.lastSyncedAt());
  }

  /** The account synced (or polled) well just now. */
  public Future<Void> synced(UUID userId, UUID accountId) {
    return rows.synced(userId, accountId, clock.instant());
  }

  /**
   * The account's status becomes error with the reason; when it was ok until now the person is told once (the
   * notice is keyed by the account and the time), in the same transaction.
   */
  public Future<Void> failed(UUID userId, UUID accountId, String reason, String title, String body, String message) {
    Instant at = clock.instant();
    return rows.pool().withTransaction(tx -> rows.failed(tx, userId, accountId, reason, at)
        .compose(wasOk -> !wasOk ? Future.succeededFuture() : notifier.tell(tx, new Notice(userId, "account",
            "account-error:" + accountId + ":" + at.toEpochMilli(), title, body, message, false,
            new JsonObject().put("accountId", accountId.toString()))).mapEmpty()));
  }
}
