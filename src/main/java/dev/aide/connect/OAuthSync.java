package dev.aide.connect;

import dev.aide.calendar.SyncedEvents;
import dev.aide.connect.CalDavException.Reason;
import dev.aide.notification.Notice;
import dev.aide.notification.Notifier;
import dev.aide.platform.secret.Vault;
import dev.aide.platform.secret.VaultException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync of a Google or Microsoft account, run by {@link CalDavSync} under its lock and slots: the tokens opened
 * from the vault (refreshed when expired or refused, and sealed again), the account's calendars listed (new ones get
 * an Aide calendar, gone ones lose theirs), then each calendar pulled and pushed by the provider's
 * {@link OAuthCalendar}. A refresh token the provider refuses (expired, revoked) makes the account's status an error,
 * with one notification, until the person connects it again.
 */
final class OAuthSync {

  private static final Logger LOG = LoggerFactory.getLogger(OAuthSync.class);

  private final Map<String, OAuthProvider> providers;
  private final Map<String, OAuthCalendar> calendars;
  private final WebClient client;
  private final ConnectedAccountRepository accounts;
  private final SyncedEvents events;
  private final Vault vault;
  private final Notifier notifier;
  private final Clock clock;
  private final Duration timeout;
  private final java.util.function.Function<java.util.concurrent.Callable<Object>, Future<Object>> offload;
  private final java.net.URI publicUrl;
  /** A subscription ending sooner than this is replaced by the next sync. */
  static final Duration RENEW_BEFORE = Duration.ofDays(1);

  OAuthSync(Map<String, OAuthProvider> providers, WebClient client, ConnectedAccountRepository accounts,
            SyncedEvents events, Vault vault, Notifier notifier, Clock clock, Duration timeout,
            java.util.function.Function<java.util.concurrent.Callable<Object>, Future<Object>> offload,
            java.net.URI publicUrl) {
    this.publicUrl = publicUrl;
    this.providers = providers;
    this.client = client;
    this.accounts = accounts;
    this.events = events;
    this.vault = vault;
    this.notifier = notifier;
    this.clock = clock;
    this.timeout = timeout;
    this.offload = offload;
    this.calendars = Map.of("google", new GoogleCalendar(accounts, events, clock),
        "microsoft", new GraphCalendar(accounts, events, clock));
  }

  /** The account's name and calendars, read with fresh tokens (on a virtual thread). */
  Future<OAuthCalendar.Identity> discover(OAuthProvider p, OAuthTokens tokens) {
    return offload.apply(() -> calendars.get(p.kind()).discover(api(p, tokens, t -> {
      throw new CalDavException(Reason.UNAUTHORIZED, p.label() + " refused the tokens it had just given");
    }))).map(o -> (OAuthCalendar.Identity) o).recover(e -> Future.failedFuture(e instanceof CalDavException c
        ? new dev.aide.platform.error.DomainException(dev.aide.platform.error.DomainException.Kind.UNAVAILABLE,
            c.reason().code, "cannot read the account's calendars: " + c.getMessage()) : e));
  }

  private RemoteJson api(OAuthProvider p, OAuthTokens tokens, java.util.function.UnaryOperator<OAuthTokens> refresh) {
    return new RemoteJson(client, p.api(), p.label(), timeout, tokens, refresh, clock::instant);
  }

  /** A newly found calendar: an Aide calendar of its name and its collection row, in the caller's transaction. */
  Future<ConnectedAccount.Collection> addCollection(io.vertx.sqlclient.SqlClient tx, ConnectedAccount account,
                                                    CalDavSync.Found f) {
    return events.createCalendar(tx, account.userId(), f.name()).compose(calendarId -> accounts.saveCollection(tx,
        account.id(), account.userId(), f.href(), f.name(), calendarId)
        .map(id -> new ConnectedAccount.Collection(id, f.href(), f.name(), calendarId, null, null)));
  }

  /** Blocking: one whole sync of the account (its lock held), its outcome recorded on it. */
  CalDavSync.Report syncLocked(ConnectedAccount account, long began) {
    OAuthProvider p = providers.get(account.kind());
    CalDavSync.Tally tally = new CalDavSync.Tally();
    if (p == null || !p.enabled()) {
      String reason = (p == null ? account.kind() : p.label()) + " accounts are no longer set up on this server ("
          + (p == null ? "unknown kind" : p.clientVariable() + " is not set") + ")";
      failed(account, reason, p);
      return report(false, reason, null, tally, began);
    }
    OAuthTokens tokens;
    try {
      tokens = OAuthTokens.fromSecret(vault.openText(ConnectedAccount.context(account.id()), account.password()));
    } catch (RuntimeException e) {
      String reason = "the stored tokens cannot be decrypted (the secret key that encrypted them is gone); connect "
          + "the account again";
      failed(account, reason, p);
      return report(false, reason, null, tally, began);
    }
    RemoteJson api = api(p, tokens, old -> refresh(account, p, old));
    OAuthCalendar calendar = calendars.get(account.kind());
    try {
      Map<String, ConnectedAccount.Collection> known = new HashMap<>();
      account.calendars().forEach(c -> known.put(c.href(), c));
      List<ConnectedAccount.Collection> collections = new ArrayList<>();
      Set<String> listed = new HashSet<>();
      for (CalDavSync.Found f : calendar.discover(api).calendars()) {
        listed.add(f.href());
        collections.add(known.containsKey(f.href()) ? known.get(f.href())
            : accounts.pool().withTransaction(tx -> addCollection(tx, account, f)).await());
      }
      for (ConnectedAccount.Collection c : account.calendars()) {
        if (!listed.contains(c.href())) {
          LOG.info("Account {}: a calendar is gone from {}; its copy is deleted", account.id(), p.label());
          accounts.pool().withTransaction(tx -> accounts.deleteCollection(tx, account.userId(), c.id())
              .compose(v -> events.deleteCalendars(tx, account.userId(), List.of(c.calendarId())))).await();
        }
      }
      String trouble = null;
      for (ConnectedAccount.Collection c : collections) {
        try {
          calendar.pull(api, account, c, tally);
          calendar.push(api, account, c, tally);
        } catch (CalDavException e) {
          if (e.reason() != Reason.PROTOCOL) {
            throw e;
          }
          LOG.info("Account {}: the calendar {} was not synced: {}", account.id(), c.name(), e.getMessage());
          trouble = trouble != null ? trouble : "the calendar " + c.name() + " was not synced: " + e.getMessage();
        }
      }
      if (trouble != null) {
        failed(account, trouble, p);
        return report(false, trouble, api, tally, began);
      }
      keepPushing(api, account, calendar, collections, p);
      accounts.synced(account.userId(), account.id(), clock.instant()).await();
      return report(true, null, api, tally, began);
    } catch (CalDavException e) {
      failed(account, e.getMessage(), p);
      return report(false, e.getMessage(), api, tally, began);
    } catch (RuntimeException e) {
      LOG.warn("Sync of account {} failed: {}", account.id(), e.getClass().getName());
      String reason = "the sync failed: " + e.getClass().getSimpleName();
      failed(account, reason, p);
      return report(false, reason, api, tally, began);
    }
  }

  /** Where a provider's notifications arrive: AIDE_PUBLIC_URL + /webhooks/{kind}/calendar. */
  static String webhookPath(String kind) {
    return "/webhooks/" + kind + "/calendar";
  }

  /** Whether Aide can be reached by push: the provider only calls https addresses. */
  boolean pushes() {
    return "https".equalsIgnoreCase(publicUrl.getScheme());
  }

  /**
   * Push subscriptions for the account's calendars when AIDE_PUBLIC_URL is https: made when missing, replaced when
   * ending within {@link #RENEW_BEFORE} (the old one stopped). One that cannot be made leaves the calendar polled.
   */
  private void keepPushing(RemoteJson api, ConnectedAccount account, OAuthCalendar calendar,
                           List<ConnectedAccount.Collection> collections, OAuthProvider p) {
    if (!pushes()) {
      return;
    }
    String address = publicUrl.toString().replaceAll("/+$", "") + webhookPath(p.kind());
    for (ConnectedAccount.Collection c : collections) {
      try {
        var current = accounts.push(account.userId(), c.id()).await();
        if (current.isPresent() && current.get().expiresAt() != null
            && current.get().expiresAt().isAfter(clock.instant().plus(RENEW_BEFORE))) {
          continue;
        }
        String secret = dev.aide.platform.secret.OpaqueTokens.random();
        var made = calendar.watch(api, c, address, secret);
        accounts.savePush(account.userId(), c.id(), made, dev.aide.platform.secret.OpaqueTokens.hash(secret)).await();
        current.ifPresent(old -> stop(api, calendar, old));
      } catch (RuntimeException e) {
        LOG.info("Account {}: {} push for a calendar is not set up ({}); it is polled", account.id(), p.label(),
            e.getMessage());
      }
    }
  }

  private static void stop(RemoteJson api, OAuthCalendar calendar, ConnectedAccountRepository.Push push) {
    try {
      calendar.unwatch(api, push);
    } catch (RuntimeException e) {
      LOG.info("A push subscription could not be stopped: {}", e.getMessage());
    }
  }

  /** Stops the account's push subscriptions (before it is disconnected); best effort. */
  Future<Void> unwatch(ConnectedAccount account) {
    OAuthProvider p = providers.get(account.kind());
    if (p == null || !p.enabled()) {
      return Future.succeededFuture();
    }
    return offload.apply(() -> {
      List<ConnectedAccountRepository.Push> pushes = accounts.pushes(account.userId(), account.id()).await();
      if (pushes.isEmpty()) {
        return null;
      }
      OAuthTokens tokens = OAuthTokens.fromSecret(vault.openText(ConnectedAccount.context(account.id()),
          account.password()));
      RemoteJson api = api(p, tokens, old -> refresh(account, p, old));
      pushes.forEach(push -> stop(api, calendars.get(account.kind()), push));
      return null;
    }).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  /**
   * New tokens for the account from its refresh token, sealed again in the vault. Blocking.
   *
   * @throws CalDavException UNAUTHORIZED when the provider refuses the refresh token (expired, revoked)
   */
  private OAuthTokens refresh(ConnectedAccount account, OAuthProvider p, OAuthTokens old) {
    if (old.refreshToken() == null) {
      throw new CalDavException(Reason.UNAUTHORIZED, p.label() + " gave Aide no refresh token and the access has "
          + "expired; connect the account again");
    }
    Instant now = clock.instant();
    User refreshed;
    try {
      refreshed = p.auth().refresh(User.create(new JsonObject().put("access_token", old.accessToken())
          .put("refresh_token", old.refreshToken()))).await();
    } catch (RuntimeException e) {
      throw new CalDavException(Reason.UNAUTHORIZED, p.label() + " no longer gives Aide access to this account ("
          + OAuthAccounts.safe(e.getMessage()) + "); connect the account again");
    }
    OAuthTokens tokens = OAuthTokens.fromResponse(refreshed.principal(), old.refreshToken(), now);
    accounts.secret(account.userId(), account.id(), vault.seal(ConnectedAccount.context(account.id()),
        tokens.toSecret())).await();
    return tokens;
  }

  /** The account's status becomes error; when it was ok until now the person is told, once, in the same transaction. */
  private void failed(ConnectedAccount account, String reason, OAuthProvider p) {
    Instant at = clock.instant();
    String label = p == null ? account.kind() : p.label();
    accounts.pool().withTransaction(tx -> accounts.failed(tx, account.userId(), account.id(), reason, at)
        .compose(wasOk -> !wasOk ? Future.succeededFuture() : notifier.tell(tx, new Notice(
            account.userId(), "account", "account-error:" + account.id() + ":" + at.toEpochMilli(),
            label + " calendar not synced", "Aide could not sync your " + label + " calendar account "
                + account.username() + ": " + reason + ". It tries again every few minutes.",
            "Aide could not sync your " + label + " calendar account: " + reason + ".",
            false, new JsonObject().put("accountId", account.id().toString()))).mapEmpty()))
        .await();
  }

  private static CalDavSync.Report report(boolean ok, String reason, RemoteJson api, CalDavSync.Tally t, long began) {
    return new CalDavSync.Report(ok, reason, api == null ? 0 : api.requests(), t.pulled, t.removed, t.pushed,
        t.conflicts, t.skipped, Math.round((System.nanoTime() - began) / 1e6) / 1000.0);
  }
}
