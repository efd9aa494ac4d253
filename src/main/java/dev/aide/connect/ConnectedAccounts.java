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
import java.util.Optional;
import java.util.UUID;

/**
 * The accounts a person connects: a CalDAV account is taken only when discovery succeeds with its credentials (else
 * a clear refusal and nothing stored), its password sealed by the vault; it is then synced at once and every few
 * minutes by its scheduler task. Disconnecting stops the sync and deletes the copied calendars and events, or keeps
 * them as the person's own calendars when they ask.
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
  /** The kinds other features connect (mail), by the value of {@code kind}. */
  private final java.util.Map<String, AccountKind> kinds = new java.util.concurrent.ConcurrentHashMap<>();
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

  /** Adds a kind of account another feature connects; once, as Aide is built. */
  void add(AccountKind kind) {
    if (kind.kind().equals("caldav") || kinds.putIfAbsent(kind.kind(), kind) != null) {
      throw new IllegalStateException("two kinds of account named " + kind.kind());
    }
  }

  /** The kind another feature connects, if there is one of that name. */
  java.util.Optional<AccountKind> kind(String name) {
    return java.util.Optional.ofNullable(kinds.get(name));
  }

  /**
   * Connects an account of another feature's kind, already read: the same limits as a CalDAV account's (attempts an
   * hour, accounts a person has, one account once), then the kind tries the credentials, and only when they work is
   * the account stored — its sealed password, the kind's settings and work — in one transaction.
   */
  Future<JsonObject> connect(UUID userId, AccountKind kind, AccountKind.Link link) {
    return limiter.hit(CONNECTS, userId.toString()).compose(allowed -> rows.list(userId)).compose(existing -> {
      if (existing.size() >= MAX_ACCOUNTS) {
        throw DomainException.conflict("you have " + MAX_ACCOUNTS + " connected accounts, as many as Aide takes");
      }
      if (existing.stream().anyMatch(a -> a.account().url().equals(link.url())
          && a.account().username().equals(link.username()))) {
        throw DomainException.conflict("this account is already connected");
      }
      return kind.tryLink(userId, link).recover(e -> Future.failedFuture(e instanceof AccountFailure f
          ? new DomainException(DomainException.Kind.INVALID, f.code(), "cannot connect the account: " + f.getMessage())
          : e));
    }).compose(tried -> {
      UUID id = UUID.randomUUID();
      ConnectedAccount account = new ConnectedAccount(id, userId, kind.kind(), link.url(), link.username(),
          vault.seal(ConnectedAccount.context(id), link.password()), "ok", null, null, null, null, List.of());
      return rows.pool().withTransaction(tx -> rows.insert(tx, account)
          .compose(v -> kind.linked(tx, userId, id, link))).compose(v -> get(userId, id)).compose(this::json);
    });
  }

  /** The account as the API shows it: its common fields and what its kind adds; never a secret. */
  Future<JsonObject> json(ConnectedAccountRepository.Stored stored) {
    return json(List.of(stored)).map(list -> list.get(0));
  }

  Future<List<JsonObject>> json(List<ConnectedAccountRepository.Stored> stored) {
    java.util.Map<String, List<UUID>> byKind = new java.util.HashMap<>();
    stored.stream().filter(s -> kinds.containsKey(s.account().kind()))
        .forEach(s -> byKind.computeIfAbsent(s.account().kind(), k -> new java.util.ArrayList<>()).add(s.account().id()));
    java.util.Map<UUID, JsonObject> details = new java.util.concurrent.ConcurrentHashMap<>();
    List<Future<Void>> asked = new java.util.ArrayList<>(byKind.entrySet().stream().map(e -> stored.isEmpty()
        ? Future.<Void>succeededFuture()
        : kinds.get(e.getKey()).details(stored.get(0).account().userId(), e.getValue())
            .map(found -> { details.putAll(found); return (Void) null; })).toList());
    // A Google or Microsoft account may read mail too: what the mail feature keeps shows as its "mail".
    List<UUID> oauthIds = stored.stream().filter(s -> OAuthProvider.KINDS.contains(s.account().kind()))
        .map(s -> s.account().id()).toList();
    java.util.Map<UUID, JsonObject> mail = new java.util.concurrent.ConcurrentHashMap<>();
    AccountKind mailKind = kinds.get(OAuthAccounts.MAIL_KIND);
    if (mailKind != null && !oauthIds.isEmpty()) {
      asked.add(mailKind.details(stored.get(0).account().userId(), oauthIds).map(found -> {
        mail.putAll(found);
        return (Void) null;
      }));
    }
    return Future.all(asked).map(done -> stored.stream().map(s -> {
      JsonObject json = s.account().toJson(s.zone());
      JsonObject extra = details.get(s.account().id());
      if (extra != null) {
        json.remove("calendars");
        json.mergeIn(extra);
      }
      JsonObject mailbox = mail.get(s.account().id());
      if (mailbox != null) {
        json.put("mail", mailbox);
      }
      return json;
    }).toList());
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
          return discover(url, request);
        } catch (CalDavException e) {
          throw new DomainException(DomainException.Kind.INVALID, e.reason().code,
              "cannot connect the account: " + e.getMessage());
        }
      });
    }).compose(discovered -> {
      List<CalDavSync.Found> found = discovered.found();
      UUID id = UUID.randomUUID();
      ConnectedAccount account = new ConnectedAccount(id, userId, "caldav", discovered.url().toString(),
          request.username(),
          vault.seal(ConnectedAccount.context(id), request.password()), "ok", null, null, null, null, List.of());
      // The account, its calendars and collections and its sync task are stored together, or nothing is.
      return rows.pool().withTransaction(tx -> {
        Future<Void> chain = rows.insert(tx, account);
        for (CalDavSync.Found f : found.subList(0, Math.min(found.size(), CalDavSync.MAX_CALENDARS))) {
          chain = chain.compose(v -> sync.addCollection(tx, account, f)).mapEmpty();
        }
        return chain.compose(v -> tasks.schedule(tx, SyncHandler.spec(userId, id, clock.instant())));
      }).compose(v -> get(userId, id));
    });
  }

  /** The calendars discovery found, and the URL they were found from (stored as the account's). */
  private record Discovered(URI url, List<CalDavSync.Found> found) {}

  /**
   * Discovery from the URL the person gave; when that is no CalDAV root or principal, once more from where the
   * server's {@code /.well-known/caldav} redirects (RFC 6764), which becomes the account's URL, so no later sync
   * follows a redirect. Only a redirect on the same origin, or to another https host (never from https to http), is
   * taken; the address rules apply there as to any account. Blocking.
   */
  private Discovered discover(URI url, Request request) {
    CalDavSession first = sync.session(url, request.username(), request.password());
    try {
      return new Discovered(url, sync.discover(first));
    } catch (CalDavException e) {
      // Only where there is no CalDAV (404, 405, no calendar home): a server that misbehaves is not asked again.
      if (e.reason() != CalDavException.Reason.NOT_CALDAV) {
        throw e;
      }
      Optional<String> location = first.wellKnown();
      if (location.isEmpty()) {
        throw e;
      }
      URI target;
      try {
        target = url.resolve(location.get());
      } catch (IllegalArgumentException bad) {
        throw e;
      }
      boolean sameOrigin = url.getScheme().equalsIgnoreCase(String.valueOf(target.getScheme()))
          && url.getHost().equalsIgnoreCase(String.valueOf(target.getHost())) && port(url) == port(target);
      boolean toHttps = "https".equalsIgnoreCase(url.getScheme()) && "https".equalsIgnoreCase(target.getScheme())
          && target.getHost() != null;
      if (!sameOrigin && !toHttps || target.getRawUserInfo() != null || target.toString().length() > MAX_URL) {
        throw new CalDavException(e.reason(), e.getMessage() + "; its /.well-known/caldav points to "
            + target.getScheme() + "://" + target.getHost() + ", which Aide does not follow");
      }
      URI clean = target.getRawPath() == null || target.getRawPath().isEmpty() ? target.resolve("/") : target;
      return new Discovered(clean, sync.discover(sync.session(clean, request.username(), request.password())));
    }
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** The account's URL, checked: http or https with a host, no credentials or fragment in it. */
  private static URI check(Request r) {
    if (!"caldav".equals(r.kind())) {
      throw DomainException.invalid("kind must be caldav or imap; Google and Microsoft accounts are connected through "
          + "GET /api/v1/accounts/google/connect or /api/v1/accounts/microsoft/connect");
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
    return rows.accountsOfEvent(tx, userId, eventId).compose(accounts -> {
      Future<Void> chain = Future.succeededFuture();
      for (UUID account : accounts) {
        chain = chain.compose(v -> sync.running(account) ? Future.succeededFuture()
            : tasks.ensure(SyncHandler.spec(userId, account, clock.instant().plus(SOON))));
      }
      return chain;
    });
  }

  /** How long after a change in Aide its account syncs: a burst of changes (a series moved) goes in one sync. */
  static final java.time.Duration SOON = java.time.Duration.ofSeconds(2);

  /** Syncs the account now (or joins the sync under way) and answers it with what the sync did. */
  Future<JsonObject> syncNow(UUID userId, UUID id) {
    AccountKind mailKind = kinds.get(OAuthAccounts.MAIL_KIND);
    return get(userId, id).compose(a -> {
      Future<JsonObject> synced = kinds.containsKey(a.account().kind())
          ? kinds.get(a.account().kind()).syncNow(userId, id) : sync.sync(id).map(CalDavSync.Report::toJson);
      if (mailKind == null || !OAuthProvider.KINDS.contains(a.account().kind())) {
        return synced.map(report -> new JsonObject().put("lastSync", report));
      }
      // A Google or Microsoft account that reads mail: its mail is polled too.
      return synced.compose(report -> mailKind.details(userId, List.of(id)).compose(found -> !found.containsKey(id)
          ? Future.succeededFuture(new JsonObject().put("lastSync", report))
          : mailKind.syncNow(userId, id).map(polled -> new JsonObject().put("lastSync", report)
              .put("lastMailPoll", polled))));
    }).compose(reports -> get(userId, id).compose(this::json).map(json -> json.mergeIn(reports)));
  }

  /**
   * Stops the account's sync and deletes it with the calendars and events copied from it; with {@code keepEvents}
   * the calendars stay as the person's own plain calendars (no longer synced, nothing written back). A Google
   * account's tokens are revoked first (Microsoft's identity platform has no revocation endpoint: its tokens are only
   * forgotten).
   */
  Future<Void> disconnect(UUID userId, UUID id, boolean keepEvents) {
    return get(userId, id).compose(found -> oauth.revoke(found.account())).compose(revoked -> rows.delete(userId, id,
            tx -> calendars -> tasks.delete(tx, SyncHandler.key(id))
            .compose(v -> Future.all(kinds.values().stream().map(k -> k.unlinked(tx, userId, id)).toList()))
            .compose(v -> calendars.isEmpty() || keepEvents ? Future.succeededFuture()
                : events.deleteCalendars(tx, userId, calendars)))
        .compose(deleted -> deleted ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("account"))));
  }
}
