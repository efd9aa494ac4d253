package dev.aide.connect;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.secret.Vault;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access tokens a Google or Microsoft account's mail is read and sent with (IMAP and SMTP, SASL XOAUTH2): at the
 * callback, whether the person granted the mail scopes; before each IMAP or SMTP session, a token that works — Google's
 * own access token, refreshed when it expired or the server refused it; for Microsoft, whose mail servers take only a
 * token for the Outlook resource (not Graph's), one asked for with the refresh token and the mail scopes each time
 * (RFC 6749 section 6: the refresh grant with {@code scope}). A refresh token the provider gives back is sealed again.
 */
public final class OAuthMailTokens {

  private static final Logger LOG = LoggerFactory.getLogger(OAuthMailTokens.class);

  private final Map<String, OAuthProvider> providers;
  private final ConnectedAccountRepository rows;
  private final WebClient client;
  private final Vault vault;
  private final Clock clock;
  private final Duration timeout;

  OAuthMailTokens(Map<String, OAuthProvider> providers, ConnectedAccountRepository rows, WebClient client, Vault vault,
                  Clock clock, Duration timeout) {
    this.providers = providers;
    this.rows = rows;
    this.client = client;
    this.vault = vault;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** Whether every scope asked for is among those granted (a space-separated list; a short name counts too). */
  static boolean granted(String grantedScopes, List<String> wanted) {
    if (grantedScopes == null) {
      return false;
    }
    Set<String> got = Arrays.stream(grantedScopes.split("[\\s,]+")).filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
    return wanted.stream().allMatch(w -> got.contains(w) || got.contains(w.substring(w.lastIndexOf('/') + 1))
        || w.endsWith("/") && got.contains(w.substring(0, w.length() - 1)));
  }

  private static DomainException notGranted(OAuthProvider p) {
    return new DomainException(DomainException.Kind.INVALID, "mail_not_granted", p.label()
        + " did not give Aide access to your mail (the mail permission was not granted); the account was not "
        + "connected. Connect it again and allow mail, or connect it without mail");
  }

  /**
   * At the callback of a connection that asked for mail: the tokens to keep when the mail scopes were granted (for
   * Microsoft, with the refresh token the mail grant gave back), else a refusal, mail_not_granted.
   */
  Future<OAuthTokens> grantedMail(OAuthProvider p, OAuthTokens tokens, JsonObject response) {
    if (!p.mailResource()) {
      return granted(response.getString("scope"), p.mailScopes()) ? Future.succeededFuture(tokens)
          : Future.failedFuture(notGranted(p));
    }
    if (tokens.refreshToken() == null) {
      return Future.failedFuture(notGranted(p));
    }
    // Microsoft answers a refresh for scopes the person did not consent to with invalid_grant (AADSTS65001).
    return mailGrant(p, tokens.refreshToken()).<OAuthTokens>transform(done -> {
      if (done.failed() || !granted(done.result().getString("scope"), p.mailScopes())) {
        return Future.failedFuture(notGranted(p));
      }
      return Future.succeededFuture(keepRefresh(tokens, done.result()));
    });
  }

  private static OAuthTokens keepRefresh(OAuthTokens tokens, JsonObject answer) {
    String refresh = answer.getString("refresh_token");
    return refresh == null || refresh.isBlank() ? tokens
        : new OAuthTokens(tokens.accessToken(), refresh, tokens.expiresAt());
  }

  /** The refresh grant for the mail resource's scopes (Microsoft): the token endpoint's JSON answer. */
  private Future<JsonObject> mailGrant(OAuthProvider p, String refreshToken) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("grant_type", "refresh_token")
        .add("refresh_token", refreshToken).add("client_id", p.client().clientId())
        .add("scope", String.join(" ", p.mailScopes()) + " offline_access");
    if (p.client().clientSecret() != null) {
      form.add("client_secret", p.client().clientSecret());
    }
    return client.postAbs(p.client().tokenUrl().toString()).timeout(timeout.toMillis())
        .putHeader("Accept", "application/json").sendForm(form).compose(this::answer);
  }

  private Future<JsonObject> answer(HttpResponse<io.vertx.core.buffer.Buffer> r) {
    JsonObject json;
    try {
      json = r.bodyAsJsonObject();
    } catch (RuntimeException e) {
      json = null;
    }
    if (r.statusCode() != 200 || json == null || json.getString("access_token") == null) {
      String error = json == null ? "HTTP " + r.statusCode() : json.getString("error", "HTTP " + r.statusCode());
      return Future.failedFuture(new IllegalStateException(OAuthAccounts.safe(error)));
    }
    return Future.succeededFuture(json);
  }

  /**
   * A token for the account's next IMAP or SMTP session: the stored one while it lives, a new one when it expired or
   * {@code refresh} (the server refused it). Fails with an {@link AccountFailure} (unauthorized) when the provider no
   * longer gives access, so the account turns to error like a mailbox whose password changed.
   */
  public Future<String> accessToken(UUID userId, UUID accountId, boolean refresh) {
    return rows.find(userId, accountId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(DomainException.notFound("mail account"));
      }
      ConnectedAccount account = found.get().account();
      OAuthProvider p = providers.get(account.kind());
      if (p == null || !p.enabled()) {
        return Future.failedFuture(new AccountFailure(AccountFailure.UNAUTHORIZED, (p == null ? account.kind()
            : p.label()) + " accounts are no longer set up on this server"));
      }
      OAuthTokens tokens;
      try {
        tokens = OAuthTokens.fromSecret(vault.openText(ConnectedAccount.context(account.id()), account.password()));
      } catch (RuntimeException e) {
        return Future.failedFuture(new AccountFailure(AccountFailure.UNAUTHORIZED, "the stored tokens cannot be "
            + "decrypted (the secret key that encrypted them is gone); connect the account again"));
      }
      if (tokens.refreshToken() == null && (refresh || p.mailResource() || tokens.expired(clock.instant()))) {
        return Future.failedFuture(new AccountFailure(AccountFailure.UNAUTHORIZED, p.label() + " gave Aide no "
            + "refresh token and the access has expired; connect the account again"));
      }
      Instant now = clock.instant();
      if (p.mailResource()) {
        return mailGrant(p, tokens.refreshToken()).recover(e -> refused(p, e))
            .compose(answer -> save(account, keepRefresh(tokens, answer)).map(answer.getString("access_token")));
      }
      if (!refresh && !tokens.expired(now)) {
        return Future.succeededFuture(tokens.accessToken());
      }
      return p.auth().refresh(User.create(new JsonObject().put("access_token", tokens.accessToken())
              .put("refresh_token", tokens.refreshToken()))).recover(e -> refused(p, e))
          .compose(user -> {
            OAuthTokens fresh = OAuthTokens.fromResponse(user.principal(), tokens.refreshToken(), now);
            return save(account, fresh).map(fresh.accessToken());
          });
    });
  }

  private static <T> Future<T> refused(OAuthProvider p, Throwable e) {
    LOG.info("{} refused to refresh a mail account's token: {}", p.label(), OAuthAccounts.safe(e.getMessage()));
    return Future.failedFuture(new AccountFailure(AccountFailure.UNAUTHORIZED, p.label() + " no longer gives Aide "
        + "access to this mailbox (" + OAuthAccounts.safe(e.getMessage()) + "); connect the account again"));
  }

  private Future<Void> save(ConnectedAccount account, OAuthTokens tokens) {
    return rows.secret(account.userId(), account.id(), vault.seal(ConnectedAccount.context(account.id()),
        tokens.toSecret()));
  }
}
