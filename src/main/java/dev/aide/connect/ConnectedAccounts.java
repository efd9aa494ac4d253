package dev.aide.connect;

import dev.aide.calendar.SyncedEvents;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import dev.aide.platform.ratelimit.RateLimiter;
import dev.aide.platform.secret.Vault;
import dev.aide.scheduler.TaskRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The accounts a person connects: a CalDAV account is taken only when discovery succeeds with its credentials (else
 * a clear refusal and nothing stored), its password sealed by the vault; it is then synced at once and every few
 * minutes by its scheduler task. Disconnecting stops the sync and deletes the copied calendars and events.
 */
final class ConnectedAccounts {

  static final int MAX_ACCOUNTS = 20;
  static final int MAX_URL = 2000;
  static final int MAX_USERNAME = 500;
  static final int MAX_PASSWORD = 1000;
  /** Connection attempts a person may make in an hour: each makes Aide send requests to a server they name. */
  static final RateLimiter.Window CONNECTS = new RateLimiter.Window("account-connects", 30, java.time.Duration.ofHours(1),
      "Too many attempts to connect an account");

  private final ConnectedAccountRepository rows;
  private final CalDavSync sync;
  private final SyncedEvents events;
  private final TaskRepository tasks;
  private final Vault vault;
  private final Clock clock;
  private final RateLimiter limiter;
  private final OAuthAccounts oauth;

  ConnectedAccounts(ConnectedAccountRepository rows, CalDavSync sync, SyncedEvents events, TaskRepository tasks,
                    Vault vault, RateLimiter limiter, Clock clock, OAuthAccounts oauth) {
    this.oauth = oauth;
    this.limiter = limiter;
    this.rows = rows;
    this.sync = sync;
    this.events = events;
    this.tasks = tasks;
    this.vault = vault;
    this.clock = clock;
  }

  /** What a person sends to connect an account. */
  record Request(String kind, String url, String username, String password) {}

  Future<ConnectedAccountRepository.Stored> connect(UUID userId, Request request) {
    URI url;
    try {
      url = check(request);
    } catch (DomainException e) {
      return Future.failedFuture(e);
    }
    return limiter.hit(CONNECTS, userId.toString()).compose(allowed -> rows.list(userId)).compose(existing -> {
      if (existing.size() >= MAX_ACCOUNTS) {
        throw DomainException.conflict("you have " + MAX_ACCOUNTS + " connected accounts, as many as Aide takes");
      }
      if (existing.stream().anyMatch(a -> a.account().url().equals(url.toString())
          && a.account().username().equals(request.username()))) {
        throw DomainException.conflict("this account is already connected");
      }
      return sync.offload(() -> {
        try {
          return sync.discover(sync.session(url, request.username(), request.password()));
        } catch (CalDavException e) {
          throw new DomainException(DomainException.Kind.INVALID, e.reason().code,
              "cannot connect the account: " + e.getMessage());
        }
      });
    }).compose(found -> {
      UUID id = UUID.randomUUID();
      ConnectedAccount account = new ConnectedAccount(id, userId, "caldav", url.toString(), request.username(),
          vault.seal(ConnectedAccount.context(id), request.password()), "ok", null, null, null, null, List.of());
      // The account, its calendars and collections and its sync task are stored together, or nothing is.
      return rows.pool().withTransaction(tx -> {
        Future<Void> chain = rows.insert(tx, account);
        for (CalDavSync.Found f : found) {
          chain = chain.compose(v -> sync.addCollection(tx, account, f)).mapEmpty();
        }
        return chain.compose(v -> tasks.schedule(tx, SyncHandler.spec(userId, id, clock.instant())));
      }).compose(v -> get(userId, id));
    });
  }

  /** The account's URL, checked: http or https with a host, no credentials or fragment in it. */
  private static URI check(Request r) {
    if (!"caldav".equals(r.kind())) {
      throw DomainException.invalid("kind must be caldav; Google and Microsoft accounts are connected through GET "
          + "/api/v1/accounts/google/connect or /api/v1/accounts/microsoft/connect (mail accounts come later)");
    }
    for (String[] field : new String[][] {{"url", r.url()}, {"username", r.username()}, {"password", r.password()}}) {
      if (field[1] != null) {
        Texts.checkCharacters(field[1], field[0]);
      }
    }
    URI url;
    try {
      url = new URI(r.url().strip());
    } catch (URISyntaxException e) {
      throw DomainException.invalid("url is not a URL");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw DomainException.invalid("url must be an http or https URL with a host, e.g. https://caldav.example.com/");
    }
    if (url.getRawUserInfo() != null || url.getRawFragment() != null) {
      throw DomainException.invalid("url must not hold a username, password or fragment: send them as fields");
    }
    return url.getRawPath() == null || url.getRawPath().isEmpty() ? url.resolve("/") : url;
  }

  Future<List<ConnectedAccountRepository.Stored>> list(UUID userId) {
    return rows.list(userId);
  }

  Future<ConnectedAccountRepository.Stored> get(UUID userId, UUID id) {
    return rows.find(userId, id).map(found -> found.orElseThrow(() -> DomainException.notFound("account")));
  }

  /**
   * After a write to an event (in its transaction): when the event is a copy of an account's, that account's sync is
   * brought forward to a few seconds from now, so the change reaches the server soon. Writes the sync makes itself
   * are left out (it writes them back, if need be, in the same run).
   */
  Future<Void> eventWritten(io.vertx.sqlclient.SqlClient tx, UUID userId, UUID eventId) {
    return rows.accountOfEvent(tx, userId, eventId).compose(account -> account.isEmpty() || sync.running(account.get())
        ? Future.succeededFuture()
        : tasks.ensure(SyncHandler.spec(userId, account.get(), clock.instant().plus(SOON))));
  }

  /** How long after a change in Aide its account syncs: a burst of changes (a series moved) goes in one sync. */
  static final java.time.Duration SOON = java.time.Duration.ofSeconds(2);

  /** Syncs the account now (or joins the sync under way) and answers it with what the sync did. */
  Future<JsonObject> syncNow(UUID userId, UUID id) {
    return get(userId, id).compose(a -> sync.sync(id)).compose(report -> get(userId, id)
        .map(a -> a.account().toJson(a.zone()).put("lastSync", report.toJson())));
  }

  /**
   * Stops the account's sync and deletes it with the calendars and events copied from it; a Google account's tokens
   * are revoked first (Microsoft's identity platform has no revocation endpoint: its tokens are only forgotten).
   */
  Future<Void> disconnect(UUID userId, UUID id) {
    return get(userId, id).compose(found -> oauth.revoke(found.account())).compose(revoked -> rows.delete(userId, id,
            tx -> calendars -> tasks.delete(tx, SyncHandler.key(id)).compose(v -> calendars.isEmpty() ? Future.succeededFuture()
                : events.deleteCalendars(tx, userId, calendars)))
        .compose(deleted -> deleted ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("account"))));
  }
}
