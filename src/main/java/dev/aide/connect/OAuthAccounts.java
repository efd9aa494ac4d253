package dev.aide.connect;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.aide.platform.secret.OpaqueTokens;
import dev.aide.platform.secret.Vault;
import dev.aide.platform.secret.VaultException;
import dev.aide.scheduler.TaskRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google and Microsoft calendar accounts connected with OAuth 2.0's authorization-code flow and PKCE (S256): a person
 * asks for the provider's authorization URL, whose state is random, stored only as its hash with the person, the
 * provider and the sealed code verifier, good once and for {@link #STATE_LIFE}; the provider sends the browser back to
 * the callback with the code and the state, and the code is exchanged (with the verifier) for tokens, which are
 * sealed in the vault as the account's secret. The account and its calendars are stored together, or nothing is.
 * Tokens are refreshed when they expire or are refused; a refresh token refused makes the account's status an error.
 */
final class OAuthAccounts {

  private static final Logger LOG = LoggerFactory.getLogger(OAuthAccounts.class);
  static final Duration STATE_LIFE = Duration.ofMinutes(10);
  /** Authorizations a person may have under way at once. */
  static final int MAX_PENDING = 10;

  private final Map<String, OAuthProvider> providers;
  private final OAuthStateRepository states;
  private final ConnectedAccountRepository rows;
  private final OAuthSync sync;
  private final TaskRepository tasks;
  private final Vault vault;
  private final RateLimiter limiter;
  private final Clock clock;
  private final URI publicUrl;
  private OAuthMailTokens mailTokens;
  private java.util.function.Function<String, Optional<AccountKind>> kinds = name -> Optional.empty();

  OAuthAccounts(Map<String, OAuthProvider> providers, OAuthStateRepository states, ConnectedAccountRepository rows,
                OAuthSync sync, TaskRepository tasks, Vault vault, RateLimiter limiter, Clock clock, URI publicUrl) {
    this.providers = providers;
    this.states = states;
    this.rows = rows;
    this.sync = sync;
    this.tasks = tasks;
    this.vault = vault;
    this.limiter = limiter;
    this.clock = clock;
    this.publicUrl = publicUrl;
  }

  /** How mail is linked to an account (the "imap" kind, when the mail feature is there) and its tokens. */
  void mail(OAuthMailTokens tokens, java.util.function.Function<String, Optional<AccountKind>> kinds) {
    this.mailTokens = tokens;
    this.kinds = kinds;
  }

  /** The provider of this kind, configured, or a clear refusal. */
  OAuthProvider provider(String kind) {
    OAuthProvider p = providers.get(kind);
    if (p == null) {
      throw DomainException.notFound("account kind " + (kind.length() > 20 ? kind.substring(0, 20) + "…" : kind)
          + " (google or microsoft)");
    }
    if (!p.enabled()) {
      throw new DomainException(DomainException.Kind.NOT_ENABLED, "oauth_not_configured", p.label()
          + " accounts are not set up on this server: its administrator sets " + p.clientVariable() + " (see README)");
    }
    return p;
  }

  /** Where the provider sends the browser back: AIDE_PUBLIC_URL + /api/v1/accounts/{kind}/callback. */
  String redirectUri(String kind) {
    return publicUrl.toString().replaceAll("/+$", "") + "/api/v1/accounts/" + kind + "/callback";
  }

  /**
   * Starts an authorization: the provider's URL to send the person's browser to. With {@code mail}, the mail scopes
   * are asked too, and the account's mail is read and sent through the provider's IMAP and SMTP servers.
   */
  Future<String> start(UUID userId, String kind, boolean mail) {
    OAuthProvider p;
    try {
      p = provider(kind);
      if (mail && kinds.apply(MAIL_KIND).isEmpty()) {
        throw new DomainException(DomainException.Kind.NOT_ENABLED, "mail_not_enabled",
            "mail accounts are not part of this server");
      }
    } catch (DomainException e) {
      return Future.failedFuture(e);
    }
    List<String> scopes = new java.util.ArrayList<>(p.scopes());
    if (mail) {
      scopes.addAll(p.mailScopes());
    }
    String state = OpaqueTokens.random();
    String verifier = OpaqueTokens.random() + OpaqueTokens.random();
    String hash = OpaqueTokens.hash(state);
    Instant now = clock.instant();
    return limiter.hit(ConnectedAccounts.CONNECTS, userId.toString())
        .compose(v -> states.insert(hash, userId, kind, vault.seal(stateContext(hash), verifier), now.plus(STATE_LIFE),
            now, mail))
        .compose(pending -> {
          if (pending >= MAX_PENDING) {
            return Future.failedFuture(DomainException.conflict("you have " + MAX_PENDING
                + " account connections under way; finish one or wait " + STATE_LIFE.toMinutes() + " minutes"));
          }
          OAuth2AuthorizationURL url = new OAuth2AuthorizationURL().setRedirectUri(redirectUri(kind)).setState(state)
              .setScopes(scopes).setCodeChallenge(challenge(verifier)).setCodeChallengeMethod("S256");
          p.extra().forEach(url::putAdditionalParameter);
          return Future.succeededFuture(p.auth().authorizeURL(url));
        });
  }

  private static String stateContext(String hash) {
    return "oauth_states/" + hash;
  }

  /** RFC 7636's S256: BASE64URL(SHA-256(ASCII(verifier))), without padding. */
  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How a callback ended: the account connected, or why not (a code for the page and a sentence). */
  record Outcome(UUID accountId, String error, String message) {
    static Outcome refused(String error, String message) {
      return new Outcome(null, error, message);
    }
  }

  /**
   * The provider's answer: the state is taken (once, whatever follows), must be unexpired and of this kind; then the
   * code is exchanged for tokens, the account's identity and calendars read, and the account stored (or, connected
   * already, its tokens replaced and its status made ok again).
   */
  Future<Outcome> callback(String kind, String state, String code, String error) {
    if (state == null || state.isEmpty() || state.length() > 200) {
      return Future.succeededFuture(Outcome.refused("state_invalid", "the link has no valid state"));
    }
    String hash = OpaqueTokens.hash(state);
    return states.take(hash).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Outcome.refused("state_invalid",
            "this authorization is unknown or was used already; connect the account again"));
      }
      OAuthStateRepository.Taken taken = found.get();
      if (!taken.kind().equals(kind)) {
        return Future.succeededFuture(Outcome.refused("state_invalid", "this authorization was for another provider"));
      }
      if (!taken.expiresAt().isAfter(clock.instant())) {
        return Future.succeededFuture(Outcome.refused("state_expired",
            "this authorization took longer than " + STATE_LIFE.toMinutes() + " minutes; connect the account again"));
      }
      if (error != null) {
        return Future.succeededFuture(Outcome.refused("access_denied".equals(error) ? "access_denied" : "provider_error",
            "access_denied".equals(error) ? "the account was not connected: access was not granted"
                : "the provider refused: " + error.replaceAll("[^A-Za-z0-9_.-]", "").substring(0,
                    Math.min(60, error.replaceAll("[^A-Za-z0-9_.-]", "").length()))));
      }
      if (code == null || code.isEmpty() || code.length() > 4000) {
        return Future.succeededFuture(Outcome.refused("code_missing", "the provider sent no authorization code"));
      }
      OAuthProvider p;
      String verifier;
      try {
        p = provider(kind);
        verifier = vault.openText(stateContext(hash), taken.verifier());
      } catch (DomainException | VaultException e) {
        return Future.succeededFuture(Outcome.refused("state_invalid", "this authorization cannot be completed; "
            + "connect the account again"));
      }
      Instant now = clock.instant();
      return p.auth().authenticate(new Oauth2Credentials().setFlow(OAuth2FlowType.AUTH_CODE).setCode(code)
              .setRedirectUri(redirectUri(kind)).setCodeVerifier(verifier))
          .compose(user -> {
            OAuthTokens tokens = OAuthTokens.fromResponse(user.principal(), null, now);
            if (!taken.mail() || tokens.accessToken() == null) {
              return Future.succeededFuture(tokens);
            }
            // Refused for want of the mail grant: the tokens just given are revoked (Google), not left to live.
            return mailTokens.grantedMail(p, tokens, user.principal())
                .recover(e -> revokeQuietly(p, tokens).compose(v -> Future.failedFuture(e)));
          })
          .compose(tokens -> connect(taken.userId(), p, tokens, taken.mail()).map(id -> new Outcome(id, null, null)))
          .recover(e -> {
            if (e instanceof DomainException d) {
              return Future.succeededFuture(Outcome.refused(d.code(), d.getMessage()));
            }
            LOG.info("A {} authorization failed: {}", kind, e.getClass().getSimpleName());
            return Future.succeededFuture(Outcome.refused("exchange_failed", p.label()
                + " did not give Aide access: " + safe(e.getMessage())));
          });
    });
  }

  /** A provider's error text, short and without anything that could be a token. */
  static String safe(String message) {
    if (message == null) {
      return "no reason given";
    }
    String clean = message.replaceAll("[\\p{Cntrl}]", " ").replaceAll("[A-Za-z0-9._~+/=-]{40,}", "…").strip();
    return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
  }

  /** The kind of account mail is (the mail feature's). */
  static final String MAIL_KIND = "imap";

  /**
   * What the mail feature keeps for the account's mail: its address (the account's, an email address) and the
   * provider's IMAP and SMTP servers from the configuration.
   */
  private static AccountKind.Link mailLink(OAuthProvider p, String address) {
    if (address == null || !address.matches("[^@\\s]{1,200}@[^@\\s]{1,255}")) {
      throw new DomainException(DomainException.Kind.UNAVAILABLE, "mail_address_unknown", p.label()
          + " did not say the account's email address, so its mail cannot be read");
    }
    JsonObject settings = new JsonObject().put("address", address).put("imap", server(p.client().imap()))
        .put("smtp", server(p.client().smtp()));
    return new AccountKind.Link(p.kind(), address, null, settings);
  }

  private static JsonObject server(String hostPortSecurity) {
    String[] parts = hostPortSecurity.split(":");
    return new JsonObject().put("host", parts[0]).put("port", Integer.parseInt(parts[1])).put("security", parts[2]);
  }

  /** Links the account's mail unless it is linked already, in its own transaction (a reconnection). */
  private Future<Void> ensureMail(UUID userId, UUID accountId, AccountKind mail, AccountKind.Link link) {
    return mail.details(userId, List.of(accountId)).compose(found -> found.containsKey(accountId)
        ? Future.succeededFuture()
        : rows.pool().withTransaction(tx -> mail.linked(tx, userId, accountId, link)));
  }

  private Future<UUID> connect(UUID userId, OAuthProvider p, OAuthTokens tokens, boolean withMail) {
    if (tokens.accessToken() == null) {
      return Future.failedFuture(new DomainException(DomainException.Kind.UNAVAILABLE, "exchange_failed",
          p.label() + " answered without an access token"));
    }
    if (tokens.refreshToken() == null) {
      LOG.info("A {} authorization gave no refresh token: the account works until its access token expires",
          p.kind());
    }
    Optional<AccountKind> mailKind = withMail ? kinds.apply(MAIL_KIND) : Optional.empty();
    return sync.discover(p, tokens).compose(identity -> rows.list(userId).compose(existing -> {
      AccountKind.Link mail = mailKind.isPresent() ? mailLink(p, identity.username()) : null;
      Optional<ConnectedAccountRepository.Stored> same = existing.stream()
          .filter(a -> a.account().kind().equals(p.kind()) && a.account().username().equals(identity.username()))
          .findFirst();
      if (same.isPresent()) {
        // Connected again (the authorization was revoked or expired): new tokens, and a sync at once.
        ConnectedAccount a = same.get().account();
        return rows.secret(userId, a.id(), vault.seal(ConnectedAccount.context(a.id()), tokens.toSecret()))
            .compose(v -> mail == null ? Future.succeededFuture() : ensureMail(userId, a.id(), mailKind.get(), mail))
            .compose(v -> tasks.ensure(SyncHandler.spec(userId, a.id(), clock.instant()))).map(a.id());
      }
      if (existing.size() >= ConnectedAccounts.MAX_ACCOUNTS) {
        return Future.failedFuture(DomainException.conflict("you have " + ConnectedAccounts.MAX_ACCOUNTS
            + " connected accounts, as many as Aide takes"));
      }
      UUID id = UUID.randomUUID();
      ConnectedAccount account = new ConnectedAccount(id, userId, p.kind(), p.api().toString(), identity.username(),
          vault.seal(ConnectedAccount.context(id), tokens.toSecret()), "ok", null, null, null, null, List.of());
      return rows.pool().withTransaction(tx -> {
        Future<Void> chain = rows.insert(tx, account);
        for (CalDavSync.Found f : identity.calendars()) {
          chain = chain.compose(v -> sync.addCollection(tx, account, f)).mapEmpty();
        }
        if (mail != null) {
          chain = chain.compose(v -> mailKind.get().linked(tx, userId, id, mail));
        }
        return chain.compose(v -> tasks.schedule(tx, SyncHandler.spec(userId, id, clock.instant())));
      }).map(id);
    }));
  }

  /** Where the browser goes after the callback: the web app's settings, saying how it went. */
  String landing(String kind, Outcome outcome) {
    String base = publicUrl.toString().replaceAll("/+$", "");
    if (outcome.error() == null) {
      return base + "/?account=connected&kind=" + kind + "#settings";
    }
    return base + "/?account_error=" + outcome.error() + "#settings";
  }

  /** Revokes the account's tokens where the provider can (Google); best effort: a disconnect goes on regardless. */
  Future<Void> revoke(ConnectedAccount account) {
    OAuthProvider p = providers.get(account.kind());
    if (p == null || !p.enabled()) {
      return Future.succeededFuture();
    }
    if (!p.revokes()) {
      return sync.unwatch(account);
    }
    OAuthTokens tokens;
    try {
      tokens = OAuthTokens.fromSecret(vault.openText(ConnectedAccount.context(account.id()), account.password()));
    } catch (RuntimeException e) {
      return Future.succeededFuture();
    }
    return sync.unwatch(account).compose(v -> revokeQuietly(p, tokens));
  }

  /** Revokes the tokens where the provider can (its refresh token, which ends its access tokens); best effort. */
  private static Future<Void> revokeQuietly(OAuthProvider p, OAuthTokens tokens) {
    if (!p.revokes()) {
      return Future.succeededFuture();
    }
    String type = tokens.refreshToken() != null ? "refresh_token" : "access_token";
    return p.auth().revoke(User.create(new JsonObject().put("access_token", tokens.accessToken())
            .put("refresh_token", tokens.refreshToken())), type)
        .recover(e -> {
          LOG.info("Revoking {} tokens failed: {}", p.label(), safe(e.getMessage()));
          return Future.succeededFuture();
        });
  }
}
