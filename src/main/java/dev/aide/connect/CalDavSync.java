package dev.aide.connect;

import dev.aide.calendar.SyncedEvents;
import dev.aide.connect.CalDavException.Reason;
import dev.aide.connect.CalDavSession.Answer;
import dev.aide.connect.CalDavSession.DavResponse;
import dev.aide.connect.CalDavSession.Multistatus;
import dev.aide.connect.ConnectedAccountRepository.StoredObject;
import dev.aide.platform.secret.Vault;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-way sync of a CalDAV account's calendars with Aide events. Discovery follows RFC 4791: the principal
 * (current-user-principal), its calendar-home-set, the calendar collections in it. Each collection is pulled with an
 * RFC 6578 sync-collection REPORT from the stored sync token (servers without it: the ctag, then every getetag
 * compared), the changed objects fetched with calendar-multiget, all before anything is written; then what changed in
 * Aide is written back with PUT and If-Match: its etag (new events with If-None-Match: *; deleted ones with DELETE).
 * A conflict (both sides changed) is settled by last modification: the newer version stays, and the other is kept in
 * a paragraph of the event's description, which is written back too. One sync of an account at a time per instance;
 * the work runs on virtual threads, awaiting the HTTP client and the database.
 */
final class CalDavSync {

  private static final Logger LOG = LoggerFactory.getLogger(CalDavSync.class);
  /** Calendars of one account Aide copies; the others are left out, and the account says so. */
  static final int MAX_CALENDARS = 50;
  /** Objects (a series with its changes, or an event) of one calendar Aide copies; a bigger one is not synced. */
  static final int MAX_OBJECTS = 10_000;
  /** Truncated (507) answers to one sync-collection followed before the sync gives up on the calendar. */
  static final int MAX_ROUNDS = 100;
  /** Objects fetched with one calendar-multiget. */
  private static final int MULTIGET = 200;
  /** The longest href, etag and sync token (or ctag) stored (the columns' limits): longer ones are passed over. */
  static final int MAX_HREF = 2000;
  static final int MAX_ETAG = 500;
  static final int MAX_TOKEN = 2000;
  static final int MAX_UID = 1000;
  /** The UID Aide gives an event it creates on a server: the event's id at aide. */
  private static final java.util.regex.Pattern OWN_UID = java.util.regex.Pattern.compile(
      "(?m)^UID:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@aide\\r?$");

  private final Vertx vertx;
  private final HttpClient http;
  private final ServerAddresses addresses;
  private final ConnectedAccountRepository accounts;
  private final SyncedEvents events;
  private final Vault vault;
  private final dev.aide.notification.Notifier notifier;
  private final Clock clock;
  private final Duration timeout;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<UUID, Future<Report>> running = new ConcurrentHashMap<>();
  /** The sync that follows the running one of an account, shared by every request made while it runs. */
  private final Map<UUID, Future<Report>> following = new ConcurrentHashMap<>();
  /**
   * Syncs running at once on this instance: each holds a connection for its lock and uses others for its writes, so
   * a burst of due accounts must not take the whole pool.
   */
  private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(4);
  /** Google and Microsoft accounts: synced under the same lock and slots, by their own code. */
  private OAuthSync oauth;

  CalDavSync(Vertx vertx, HttpClient http, ServerAddresses addresses, ConnectedAccountRepository accounts,
             SyncedEvents events, Vault vault, dev.aide.notification.Notifier notifier, Clock clock, Duration timeout) {
    this.notifier = notifier;
    this.vertx = vertx;
    this.http = http;
    this.addresses = addresses;
    this.accounts = accounts;
    this.events = events;
    this.vault = vault;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** A calendar collection found by discovery. */
  record Found(String href, String name) {}

  /** What one sync did: requests made, objects pulled and removed, changes pushed, conflicts, and its length. */
  record Report(boolean ok, String reason, int requests, int pulled, int removed, int pushed, int conflicts,
                int skipped, double seconds) {

    /**
     * This sync and the one after it, as one: the later one's outcome, both ones' work. What was skipped is left as
     * it was and the later sync meets it again (an event Aide cannot write is counted by every sync), so the larger
     * count is told, not the sum.
     */
    Report then(Report next) {
      return new Report(next.ok, next.reason, requests + next.requests, pulled + next.pulled, removed + next.removed,
          pushed + next.pushed, conflicts + next.conflicts, Math.max(skipped, next.skipped), seconds + next.seconds);
    }

    io.vertx.core.json.JsonObject toJson() {
      return new io.vertx.core.json.JsonObject().put("ok", ok).put("reason", reason).put("requests", requests)
          .put("pulled", pulled).put("removed", removed).put("pushed", pushed).put("conflicts", conflicts)
          .put("skipped", skipped).put("seconds", seconds);
    }
  }

  static final class Tally {
    int pulled;
    int removed;
    int pushed;
    int conflicts;
    int skipped;
    /** What the server had that Aide's calendar refused (an event, a changed occurrence), and why. */
    final List<String> refused = new ArrayList<>();
  }

  CalDavSession session(URI url, String username, String password) {
    return new CalDavSession(vertx, http, addresses, url, username, password, timeout);
  }

  /** Runs blocking work on a virtual thread; the future completes on the caller's context. */
  <T> Future<T> offload(java.util.concurrent.Callable<T> work) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    threads.execute(() -> {
      try {
        T result = work.call();
        context.runOnContext(v -> promise.complete(result));
      } catch (Throwable e) {
        context.runOnContext(v -> promise.fail(e));
      }
    });
    return promise.future();
  }

  /**
   * Discovery: the calendars (of events) of the account the session signs in to. Blocking.
   *
   * @throws CalDavException when the server refuses the credentials, cannot be reached, or is not CalDAV
   */
  List<Found> discover(CalDavSession s) {
    Multistatus root = s.propfind(s.base(), 0, """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>""");
    String principal = root.responses().stream()
        .map(r -> CalDavSession.href(r.prop(CalDavSession.DAV, "current-user-principal")))
        .filter(h -> h != null).findFirst().orElse(null);
    URI principalUri = principal == null ? s.base() : s.resolve(principal);
    Multistatus homes = s.propfind(principalUri, 0, """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-home-set/></d:prop>
        </d:propfind>""");
    String home = homes.responses().stream()
        .map(r -> CalDavSession.href(r.prop(CalDavSession.CALDAV, "calendar-home-set")))
        .filter(h -> h != null).findFirst()
        .orElseThrow(() -> new CalDavException(Reason.NOT_CALDAV, "the server at " + s.base()
            + " is not a CalDAV server: it names no calendar-home-set"));
    URI homeUri = s.resolve(home);
    Multistatus listing = s.propfind(homeUri, 1, """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:resourcetype/><d:displayname/>
        <c:supported-calendar-component-set/></d:prop></d:propfind>""");
    List<Found> found = new ArrayList<>();
    for (DavResponse r : listing.responses()) {
      var type = r.prop(CalDavSession.DAV, "resourcetype");
      if (type == null || r.href() == null || CalDavSession.children(type).stream()
          .noneMatch(e -> CalDavSession.is(e, CalDavSession.CALDAV, "calendar"))) {
        continue;
      }
      var components = r.prop(CalDavSession.CALDAV, "supported-calendar-component-set");
      if (components != null && CalDavSession.children(components).stream()
          .noneMatch(e -> "VEVENT".equalsIgnoreCase(e.getAttribute("name")))) {
        continue;
      }
      String href = s.resolve(r.href()).getRawPath();
      if (href.length() > MAX_HREF) {
        LOG.info("A calendar at {} is passed over: its href is longer than {} characters", s.base(), MAX_HREF);
        continue;
      }
      String name = r.text(CalDavSession.DAV, "displayname");
      found.add(new Found(href, SyncedEvents.calendarName(name == null || name.isBlank() ? lastSegment(href) : name)));
    }
    return found;
  }

  private static String lastSegment(String href) {
    String trimmed = href.replaceAll("/+$", "");
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  /** Whether this instance is syncing the account now. */
  boolean running(UUID accountId) {
    return running.containsKey(accountId);
  }

  /**
   * Syncs the account now. When a sync of it is already running on this instance it began before this request and
   * may miss what changed since: one more sync follows it, shared by every request made meanwhile, so the answer
   * always covers the state at the time of asking and the server is not asked once per request. The answer then
   * counts both syncs' work.
   */
  Future<Report> sync(UUID accountId) {
    Promise<Report> promise = Promise.promise();
    Future<Report> mine = promise.future();
    Future<Report> other = running.putIfAbsent(accountId, mine);
    if (other != null) {
      Promise<Report> again = Promise.promise();
      Future<Report> shared = following.putIfAbsent(accountId, again.future());
      if (shared != null) {
        return shared;
      }
      // The answer covers both: what the running sync did (perhaps the very change asked about) and what followed.
      other.onComplete(first -> {
        following.remove(accountId, again.future());
        sync(accountId).map(second -> first.succeeded() ? first.result().then(second) : second).onComplete(again);
      });
      return again.future();
    }
    offload(() -> {
      slots.acquire();
      try {
        return syncNow(accountId);
      } finally {
        slots.release();
      }
    }).onComplete(ar -> {
      running.remove(accountId, mine);
      promise.handle(ar);
    });
    return mine;
  }

  /** Blocking: one whole sync, its outcome recorded on the account. */
  private Report syncNow(UUID accountId) {
    long began = System.nanoTime();
    Optional<ConnectedAccountRepository.Stored> stored = accounts.byId(accountId).await();
    if (stored.isEmpty()) {
      return new Report(false, "the account is gone", 0, 0, 0, 0, 0, 0, 0);
    }
    Optional<ConnectedAccountRepository.SyncLock> lock = accounts.trySyncLock(accountId);
    if (lock.isEmpty()) {
      return new Report(false, "another Aide instance is syncing this account now", 0, 0, 0, 0, 0, 0, 0);
    }
    try (ConnectedAccountRepository.SyncLock held = lock.get()) {
      return syncLocked(stored.get().account(), began);
    }
  }

  /** Set once by the module: OAuth accounts' sync, which uses this one's threads. */
  void oauth(OAuthSync oauth) {
    this.oauth = oauth;
  }

  private Report syncLocked(ConnectedAccount account, long began) {
    if (!"caldav".equals(account.kind())) {
      return oauth.syncLocked(account, began);
    }
    String password;
    try {
      password = vault.openText(ConnectedAccount.context(account.id()), account.password());
    } catch (dev.aide.platform.secret.VaultException e) {
      LOG.warn("Account {}: its password cannot be opened: {}", account.id(), e.getMessage());
      String reason = "the stored password cannot be decrypted (the secret key that encrypted it is gone); connect "
          + "the account again";
      failed(account, reason);
      return new Report(false, reason, 0, 0, 0, 0, 0, 0, Math.round((System.nanoTime() - began) / 1e6) / 1000.0);
    }
    CalDavSession s = session(URI.create(account.url()), account.username(), password);
    Tally tally = new Tally();
    try {
      Map<String, ConnectedAccount.Collection> known = new HashMap<>();
      account.calendars().forEach(c -> known.put(c.href(), c));
      List<ConnectedAccount.Collection> collections = new ArrayList<>();
      Set<String> listed = new HashSet<>();
      List<Found> found = discover(s);
      found.forEach(f -> listed.add(f.href()));
      // Those copied already first, so a calendar added on the server never pushes out one the person has.
      List<Found> taken = found.stream().sorted(java.util.Comparator.comparing(f -> !known.containsKey(f.href())))
          .limit(MAX_CALENDARS).toList();
      for (Found f : taken) {
        collections.add(known.containsKey(f.href()) ? known.get(f.href()) : addCollection(account, f));
      }
      for (ConnectedAccount.Collection c : account.calendars()) {
        if (!listed.contains(c.href())) {
          // Deleted on the server (discovery no longer lists it): its copy goes too, as its events would one by one.
          LOG.info("Account {}: the calendar {} is gone from the server; its copy is deleted", account.id(), c.href());
          accounts.pool().withTransaction(tx -> accounts.deleteCollection(tx, account.userId(), c.id())
              .compose(v -> events.deleteCalendars(tx, account.userId(), List.of(c.calendarId())))).await();
        }
      }
      // One calendar's trouble does not hold back the others; the account is in error if any calendar failed.
      String trouble = found.size() <= MAX_CALENDARS ? null : "the account has " + found.size()
          + " calendars; Aide copies " + MAX_CALENDARS + " of them";
      for (ConnectedAccount.Collection c : collections) {
        try {
          pull(s, account, c, tally);
          push(s, account, c, tally);
        } catch (CalDavException e) {
          if (e.reason() != Reason.PROTOCOL && e.reason() != Reason.NOT_CALDAV) {
            throw e;
          }
          LOG.info("Account {}: the calendar {} was not synced: {}", account.id(), c.href(), e.getMessage());
          trouble = trouble != null ? trouble : "the calendar " + c.name() + " was not synced: " + e.getMessage();
        }
      }
      refused(account, tally);
      if (trouble != null) {
        failed(account, trouble);
        return report(false, trouble, s, tally, began);
      }
      accounts.synced(account.userId(), account.id(), clock.instant()).await();
      return report(true, null, s, tally, began);
    } catch (CalDavException e) {
      failed(account, e.getMessage());
      return report(false, e.getMessage(), s, tally, began);
    } catch (RuntimeException e) {
      LOG.warn("Sync of account {} failed", account.id(), e);
      String reason = "the sync failed: " + e.getClass().getSimpleName();
      failed(account, reason);
      return report(false, reason, s, tally, began);
    }
  }

  /**
   * The account's status becomes error with the reason; when it was ok until now the person is told, once (a notice
   * keyed by the account and the time), in the same transaction.
   */
  private void failed(ConnectedAccount account, String reason) {
    Instant at = clock.instant();
    accounts.pool().withTransaction(tx -> accounts.failed(tx, account.userId(), account.id(), reason, at)
        .compose(wasOk -> !wasOk ? Future.succeededFuture() : notifier.tell(tx, new dev.aide.notification.Notice(
            account.userId(), "account", "account-error:" + account.id() + ":" + at.toEpochMilli(),
            "Calendar account not synced", "Aide could not sync " + account.url() + ": " + reason
                + ". It tries again every few minutes; if the password changed, connect the account again.",
            "Aide could not sync your calendar account " + URI.create(account.url()).getHost() + ": " + reason + ".",
            false, new io.vertx.core.json.JsonObject().put("accountId", account.id().toString()))).mapEmpty()))
        .await();
  }

  /**
   * What the server has that Aide's calendar refused to take (a changed occurrence the series does not have, an event
   * beyond its limits) is told to the person, once for the same refusals; the account stays ok.
   */
  private void refused(ConnectedAccount account, Tally tally) {
    if (tally.refused.isEmpty()) {
      return;
    }
    List<String> shown = tally.refused.stream().limit(5).toList();
    String list = String.join("; ", shown) + (tally.refused.size() > shown.size()
        ? "; and " + (tally.refused.size() - shown.size()) + " more" : "");
    String key = "account-refused:" + account.id() + ":" + Integer.toHexString(String.join("\n", tally.refused).hashCode());
    String host = URI.create(account.url()).getHost();
    accounts.pool().withTransaction(tx -> notifier.tell(tx, new dev.aide.notification.Notice(account.userId(),
        "account", key, "Calendar changes not copied", "Aide could not copy " + tally.refused.size()
            + (tally.refused.size() == 1 ? " thing" : " things") + " from your calendar account " + host + ": "
            + list + ". They stay as they are on the server.",
        "Aide could not copy " + tally.refused.size() + " change(s) from your calendar account " + host + ".",
        false, new io.vertx.core.json.JsonObject().put("accountId", account.id().toString())))).await();
  }

  private static Report report(boolean ok, String reason, CalDavSession s, Tally t, long began) {
    return new Report(ok, reason, s.requests(), t.pulled, t.removed, t.pushed, t.conflicts, t.skipped,
        Math.round((System.nanoTime() - began) / 1e6) / 1000.0);
  }

  /** A newly found calendar: an Aide calendar of its name, and the collection's row, together. Blocking. */
  ConnectedAccount.Collection addCollection(ConnectedAccount account, Found f) {
    return accounts.pool().withTransaction(tx -> addCollection(tx, account, f)).await();
  }

  /** The same in the caller's transaction (connecting an account stores it with its calendars). */
  Future<ConnectedAccount.Collection> addCollection(io.vertx.sqlclient.SqlClient tx, ConnectedAccount account,
                                                    Found f) {
    return events.createCalendar(tx, account.userId(), f.name()).compose(calendarId -> accounts.saveCollection(tx,
        account.id(), account.userId(), f.href(), f.name(), calendarId)
        .map(id -> new ConnectedAccount.Collection(id, f.href(), f.name(), calendarId, null, null)));
  }

  /** What changed on the server since the last sync: objects new or changed (with etag), objects gone. */
  private record Changes(Map<String, String> changed, Set<String> removed, String syncToken, String ctag) {}

  /** An object as the server has it now. */
  private record Fetched(String etag, String ics) {}

  private void pull(CalDavSession s, ConnectedAccount account, ConnectedAccount.Collection c, Tally tally) {
    UUID userId = account.userId();
    Map<String, StoredObject> known = accounts.objects(userId, c.id()).await();
    Changes changes = changes(s, c, known);
    if (changes == null) {
      return;
    }
    // Everything is fetched before anything is written: a server that fails half-way leaves Aide as it was.
    Map<String, Fetched> fetched = fetch(s, c, new ArrayList<>(changes.changed().keySet()));
    Map<UUID, SyncedEvents.Version> versions = events.versions(userId, known.values().stream()
        .map(StoredObject::eventId).filter(id -> id != null).toList()).await();
    for (String href : changes.removed()) {
      StoredObject o = known.get(href);
      if (o == null || pending(o)) {
        // A pending object (Aide's PUT of it not yet confirmed) is not on the server yet: the push sends it.
        continue;
      }
      SyncedEvents.Version v = o.eventId() == null ? null : versions.get(o.eventId());
      if (v != null && !v.deleted() && c.calendarId().equals(v.calendarId()) && o.changedInAide(v)) {
        // Deleted on the server after the person changed it in Aide: their change is not lost. The object goes back
        // to the server (recorded as pending, so the push creates it again under its UID), with a note that says so.
        String when = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        events.note(userId, o.eventId(), "Sync " + when + ": this event was deleted on the server after it was "
            + "changed in Aide; Aide's version was put back there.").await();
        accounts.saveObject(c.id(), userId, new StoredObject(href, null, o.uid(), o.eventId(), null)).await();
        tally.conflicts++;
        continue;
      }
      boolean movedOut = v != null && v.calendarId() != null && !c.calendarId().equals(v.calendarId());
      if (o.eventId() != null && !movedOut) {
        events.remove(userId, o.eventId()).await();
      }
      accounts.deleteObject(userId, c.id(), href).await();
      tally.removed++;
    }
    Set<UUID> mapped = new HashSet<>();
    known.values().forEach(o -> mapped.add(o.eventId()));
    List<UUID> own = null;
    for (Map.Entry<String, Fetched> entry : fetched.entrySet()) {
      String href = entry.getKey();
      Fetched f = entry.getValue();
      StoredObject o = known.get(href);
      if (o != null && pending(o)) {
        // Aide's own PUT of a new event, recorded before it was sent, reached the server: the object is adopted as
        // it is, and Aide's version written over it in this sync (If-Match its etag).
        accounts.saveObject(c.id(), userId, new StoredObject(href, etag(f.etag()), o.uid(), o.eventId(), null)).await();
        continue;
      }
      if (o == null) {
        java.util.regex.Matcher m = OWN_UID.matcher(f.ics());
        if (m.find()) {
          UUID eventId = UUID.fromString(m.group(1));
          own = own != null ? own : events.inCalendar(userId, c.calendarId()).await();
          if (own.contains(eventId) && !mapped.contains(eventId)) {
            // An event Aide created whose record was lost (an older Aide, a crash): adopted, not copied twice.
            accounts.saveObject(c.id(), userId, new StoredObject(href, etag(f.etag()), eventId + "@aide", eventId,
                null)).await();
            mapped.add(eventId);
            continue;
          }
        }
      }
      if (o != null && o.eventId() != null && o.changedInAide(versions.get(o.eventId()))) {
        Optional<SyncedEvents.Local> local = events.local(userId, o.eventId(), o.uid()).await();
        if (local.isPresent()) {
          conflict(s, account, c, o, local.get(), f, tally);
          continue;
        }
      }
      write(account, c, href, o, f, tally);
    }
    accounts.collectionState(userId, c.id(), token(changes.syncToken()), token(changes.ctag())).await();
  }

  /** An object Aide recorded before its PUT of a new event, not yet confirmed by the server's answer. */
  private static boolean pending(StoredObject o) {
    return o.eventId() != null && o.etag() == null && o.syncedVersion() == null;
  }

  /** An etag as stored: one longer than the column takes is not stored (the object is then fetched each sync). */
  private static String etag(String etag) {
    return etag == null || etag.length() > MAX_ETAG ? null : etag;
  }

  /** A sync token or ctag as stored: a longer one is dropped, and the next sync compares every etag instead. */
  private static String token(String token) {
    return token == null || token.length() > MAX_TOKEN ? null : token;
  }

  /** Writes the server's object into Aide and records it; an object Aide's calendar refuses is skipped, recorded. */
  private void write(ConnectedAccount account, ConnectedAccount.Collection c, String href, StoredObject o,
                     Fetched f, Tally tally) {
    UUID userId = account.userId();
    UUID existing = o == null ? null : o.eventId();
    if (existing == null && uidTooLong(f.ics())) {
      LOG.info("Account {}: the object {} is not taken: its UID is longer than {} characters", account.id(), href,
          MAX_UID);
      tally.skipped++;
      return;
    }
    try {
      SyncedEvents.Written written = events.write(userId, c.calendarId(), existing, f.ics()).await();
      written.refused().forEach(why -> tally.refused.add(c.name() + ": " + why));
      Instant version = events.versions(userId, List.of(written.eventId())).await().get(written.eventId()).at();
      accounts.saveObject(c.id(), userId, new StoredObject(href, etag(f.etag()), written.uid(), written.eventId(),
          version)).await();
      tally.pulled++;
    } catch (dev.aide.platform.error.DomainException e) {
      LOG.info("Account {}: the object {} is not taken: {}", account.id(), href, e.getMessage());
      tally.refused.add(c.name() + ": the event at " + href + ": " + e.getMessage());
      accounts.saveObject(c.id(), userId, new StoredObject(href, etag(f.etag()), o == null ? href : o.uid(), existing,
          o == null ? null : o.syncedVersion())).await();
      tally.skipped++;
    }
  }

  /** Whether the object's first UID is longer than Aide stores (its line unfolded). */
  private static boolean uidTooLong(String ics) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^UID[;:]([^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*)")
        .matcher(ics);
    return m.find() && m.group(1).replaceAll("\\r?\\n[ \\t]", "").length() > MAX_UID;
  }

  /** The server's changes since the stored token (or ctag), or null when nothing changed. */
  private Changes changes(CalDavSession s, ConnectedAccount.Collection c, Map<String, StoredObject> known) {
    URI uri = s.resolve(c.href());
    Answer answer = s.reportRaw(uri, 1, syncCollection(c.syncToken()));
    boolean full = c.syncToken() == null;
    if (answer.status() != 207 && c.syncToken() != null && (answer.status() == 403 || answer.status() == 409)) {
      // The token expired (RFC 6578 valid-sync-token): start again from nothing, comparing etags.
      answer = s.reportRaw(uri, 1, syncCollection(null));
      full = true;
    }
    if (answer.status() == 207) {
      Map<String, String> changed = new LinkedHashMap<>();
      Set<String> removed = new HashSet<>();
      Set<String> listed = new HashSet<>();
      String token = c.syncToken();
      for (int round = 1; ; round++) {
        Multistatus ms = s.parse(answer.data());
        boolean truncated = false;
        for (DavResponse r : ms.responses()) {
          String href = path(s, r.href());
          if (href != null && href.equals(c.href()) && r.status() == 507) {
            // RFC 6578 §3.6: the server sent part of the changes; the rest follow from the token it gave.
            truncated = true;
          }
          if (href == null || href.equals(c.href()) || href.length() > MAX_HREF) {
            continue;
          }
          if (r.status() == 404) {
            removed.add(href);
            changed.remove(href);
            listed.remove(href);
            continue;
          }
          removed.remove(href);
          listed.add(href);
          String etag = r.text(CalDavSession.DAV, "getetag");
          StoredObject o = known.get(href);
          if (o == null || etag == null || !etag.equals(o.etag())) {
            changed.put(href, etag);
          } else {
            changed.remove(href);
          }
        }
        tooMany(c, known, changed, listed);
        if (!truncated) {
          if (full) {
            known.keySet().stream().filter(h -> !listed.contains(h)).forEach(removed::add);
          }
          return new Changes(changed, removed, ms.syncToken(), c.ctag());
        }
        if (ms.syncToken() == null || ms.syncToken().equals(token) || round >= MAX_ROUNDS) {
          throw new CalDavException(Reason.PROTOCOL, "the server cut its list of changes short (507) "
              + (round >= MAX_ROUNDS ? MAX_ROUNDS + " times" : "without a new sync token to go on from"));
        }
        token = ms.syncToken();
        answer = s.reportRaw(uri, 1, syncCollection(token));
        if (answer.status() != 207) {
          throw new CalDavException(Reason.PROTOCOL, "the server answered " + answer.status()
              + " to the rest of its list of changes");
        }
      }
    }
    // No sync-collection here: the ctag says whether anything changed, then every etag what.
    Multistatus tag = s.propfind(uri, 0, """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:getctag/></d:prop>
        </d:propfind>""");
    String ctag = tag.responses().stream().map(r -> r.text(CalDavSession.CALSERVER, "getctag"))
        .filter(t -> t != null).findFirst().orElse(null);
    if (ctag != null && ctag.equals(c.ctag())) {
      return null;
    }
    Multistatus listing = s.propfind(uri, 1, """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>""");
    Map<String, String> changed = new LinkedHashMap<>();
    Set<String> listed = new HashSet<>();
    for (DavResponse r : listing.responses()) {
      String href = path(s, r.href());
      if (href == null || href.equals(c.href()) || r.status() != 200 || href.length() > MAX_HREF) {
        continue;
      }
      listed.add(href);
      String etag = r.text(CalDavSession.DAV, "getetag");
      StoredObject o = known.get(href);
      if (o == null || etag == null || !etag.equals(o.etag())) {
        changed.put(href, etag);
      }
    }
    tooMany(c, known, changed, listed);
    Set<String> removed = new HashSet<>();
    known.keySet().stream().filter(h -> !listed.contains(h)).forEach(removed::add);
    return new Changes(changed, removed, null, ctag);
  }

  /**
   * A calendar with more objects than Aide copies is not synced (a clear reason on the account), rather than copied
   * in part: counted are the objects known and those the server lists as new.
   */
  private static void tooMany(ConnectedAccount.Collection c, Map<String, StoredObject> known,
                              Map<String, String> changed, Set<String> listed) {
    long objects = known.size() + changed.keySet().stream().filter(h -> !known.containsKey(h)).count();
    if (objects > MAX_OBJECTS || listed.size() > MAX_OBJECTS) {
      throw new CalDavException(Reason.PROTOCOL, "it holds more than " + MAX_OBJECTS
          + " events, more than Aide copies from one calendar");
    }
  }

  private static String syncCollection(String token) {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:sync-collection xmlns:d=\"DAV:\"><d:sync-token>"
        + (token == null ? "" : CalDavSession.xml(token))
        + "</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>";
  }

  /** A server's href as a path, the form hrefs are stored in. */
  private static String path(CalDavSession s, String href) {
    return href == null ? null : s.resolve(href).getRawPath();
  }

  /** The objects' data and etags, with calendar-multiget in batches; objects gone meanwhile are left out. */
  private Map<String, Fetched> fetch(CalDavSession s, ConnectedAccount.Collection c, List<String> hrefs) {
    Map<String, Fetched> out = new LinkedHashMap<>();
    for (int i = 0; i < hrefs.size(); i += MULTIGET) {
      StringBuilder body = new StringBuilder("""
          <?xml version="1.0" encoding="utf-8"?>
          <c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
          <d:prop><d:getetag/><c:calendar-data/></d:prop>""");
      for (String href : hrefs.subList(i, Math.min(hrefs.size(), i + MULTIGET))) {
        body.append("<d:href>").append(CalDavSession.xml(href)).append("</d:href>");
      }
      body.append("</c:calendar-multiget>");
      Multistatus ms = s.report(s.resolve(c.href()), 1, body.toString());
      for (DavResponse r : ms.responses()) {
        String data = r.text(CalDavSession.CALDAV, "calendar-data");
        if (r.status() == 200 && data != null && r.href() != null) {
          out.put(path(s, r.href()), new Fetched(r.text(CalDavSession.DAV, "getetag"), data));
        }
      }
    }
    return out;
  }

  /** Writes back what changed in Aide: changed and deleted copies, and events made in Aide in this calendar. */
  /** A copied object to write back: changed in Aide, or gone from this calendar (deleted, or moved out of it). */
  record Outgoing(StoredObject object, SyncedEvents.Version version, boolean gone) {}

  /** What a calendar's push writes back, and every event its objects map (the others are new in Aide). */
  record WriteBack(List<Outgoing> outgoing, Set<UUID> mapped) {}

  /**
   * The calendar's objects that changed in Aide since they were synced, or left this calendar: an event the person
   * moved to another calendar is gone from this one, as if deleted (the other calendar's sync, if it has one, writes
   * it there). Shared by the CalDAV and the Google and Microsoft pushes. Blocking.
   */
  static WriteBack writeBack(ConnectedAccountRepository accounts, SyncedEvents events, UUID userId,
                             ConnectedAccount.Collection c) {
    Map<String, StoredObject> known = accounts.objects(userId, c.id()).await();
    Map<UUID, SyncedEvents.Version> versions = events.versions(userId, known.values().stream()
        .map(StoredObject::eventId).filter(id -> id != null).toList()).await();
    Set<UUID> mapped = new HashSet<>();
    List<Outgoing> outgoing = new ArrayList<>();
    for (StoredObject o : known.values()) {
      if (o.eventId() == null) {
        continue;
      }
      mapped.add(o.eventId());
      SyncedEvents.Version v = versions.get(o.eventId());
      boolean movedOut = v != null && v.movedOutOf(c.calendarId());
      if (o.changedInAide(v) || movedOut) {
        outgoing.add(new Outgoing(o, v, v == null || v.deleted() || movedOut));
      }
    }
    return new WriteBack(outgoing, mapped);
  }

  private void push(CalDavSession s, ConnectedAccount account, ConnectedAccount.Collection c, Tally tally) {
    UUID userId = account.userId();
    WriteBack writeBack = writeBack(accounts, events, userId, c);
    Set<UUID> mapped = writeBack.mapped();
    for (Outgoing out : writeBack.outgoing()) {
      StoredObject o = out.object();
      URI uri = s.resolve(o.href());
      Optional<SyncedEvents.Local> local = out.gone() ? Optional.empty()
          : events.local(userId, o.eventId(), o.uid()).await();
      if (local.isEmpty()) {
        Answer deleted = s.delete(uri, o.etag());
        if (deleted.status() == 412) {
          // Changed on the server after Aide deleted it: the server's version comes back as a new event.
          Answer current = s.get(uri);
          if (current.status() == 200) {
            write(account, c, o.href(), null, new Fetched(current.etag(), current.body()), tally);
            tally.conflicts++;
          }
          continue;
        }
        requireSuccess(deleted, uri, "DELETE");
        accounts.deleteObject(userId, c.id(), o.href()).await();
        tally.pushed++;
        continue;
      }
      // The server's copy as it is, so what Aide does not model of it (URL, categories, organizer, alarms after the
      // first, X- properties) is written back with Aide's change; changed there meanwhile, it is a conflict.
      String ics = local.get().ics();
      if (o.etag() != null) {
        Answer current = s.get(uri);
        if (current.status() == 200 && current.etag() != null && !current.etag().equals(o.etag())) {
          conflict(s, account, c, o, local.get(), new Fetched(current.etag(), current.body()), tally);
          continue;
        }
        if (current.status() == 200) {
          ics = IcsMerge.merge(current.body(), ics);
        }
      }
      Answer put = s.put(uri, ics, o.etag());
      if (put.status() == 412 && o.etag() == null) {
        put = adopt(s, uri, local.get(), o.eventId());
      }
      if (put.status() == 412) {
        Answer current = s.get(uri);
        if (current.status() == 200) {
          conflict(s, account, c, o, local.get(), new Fetched(current.etag(), current.body()), tally);
        }
        continue;
      }
      requireSuccess(put, uri, "PUT");
      saved(s, c, userId, o.href(), o.uid(), o.eventId(), local.get().version(), put);
      tally.pushed++;
    }
    for (UUID eventId : events.inCalendar(userId, c.calendarId()).await()) {
      if (mapped.contains(eventId)) {
        continue;
      }
      String uid = eventId + "@aide";
      Optional<SyncedEvents.Local> local = events.local(userId, eventId, uid).await();
      if (local.isEmpty()) {
        continue;
      }
      String href = (c.href().endsWith("/") ? c.href() : c.href() + "/") + eventId + ".ics";
      // Recorded before it is sent: a PUT that reaches the server but whose answer is lost (a crash, a timeout) is
      // adopted by the next sync, not created twice.
      accounts.saveObject(c.id(), userId, new StoredObject(href, null, uid, eventId, null)).await();
      URI uri = s.resolve(href);
      Answer put = s.put(uri, local.get().ics(), null);
      if (put.status() == 412) {
        put = adopt(s, uri, local.get(), eventId);
      }
      requireSuccess(put, uri, "PUT");
      saved(s, c, userId, href, uid, eventId, local.get().version(), put);
      tally.pushed++;
    }
  }

  /**
   * A PUT with If-None-Match: * refused (412): the object is there already. When it is Aide's own (its UID the
   * event's), an earlier PUT of it got through: Aide's version is written over it with If-Match its etag. Otherwise
   * the 412 stands.
   */
  private Answer adopt(CalDavSession s, URI uri, SyncedEvents.Local local, UUID eventId) {
    Answer current = s.get(uri);
    java.util.regex.Matcher m = OWN_UID.matcher(current.status() == 200 ? current.body() : "");
    if (current.etag() == null || !m.find() || !m.group(1).equals(eventId.toString())) {
      return new Answer(412, null, new byte[0]);
    }
    return s.put(uri, local.ics(), current.etag());
  }

  /** Records an object Aide wrote, with the etag the server gave (or, when it gave none, asks for it). */
  private void saved(CalDavSession s, ConnectedAccount.Collection c, UUID userId, String href, String uid,
                     UUID eventId, Instant version, Answer put) {
    String etag = put.etag();
    if (etag == null) {
      Multistatus ms = s.propfind(s.resolve(href), 0, """
          <?xml version="1.0" encoding="utf-8"?>
          <d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>""");
      etag = ms.responses().stream().map(r -> r.text(CalDavSession.DAV, "getetag")).filter(t -> t != null)
          .findFirst().orElse(null);
    }
    accounts.saveObject(c.id(), userId, new StoredObject(href, etag(etag), uid, eventId, version)).await();
  }

  private static void requireSuccess(Answer answer, URI uri, String method) {
    if (answer.status() / 100 != 2 && !(method.equals("DELETE") && answer.status() == 404)) {
      throw new CalDavException(Reason.PROTOCOL, "the server answered " + answer.status() + " to " + method + " "
          + uri.getPath());
    }
  }

  /**
   * Both sides changed the object: the version modified last stays (the server's LAST-MODIFIED or DTSTAMP against
   * the time of Aide's change), the other is kept in a paragraph of the event's description, and the result is
   * written back with the server's current etag.
   */
  private void conflict(CalDavSession s, ConnectedAccount account, ConnectedAccount.Collection c, StoredObject o,
                        SyncedEvents.Local local, Fetched server, Tally tally) {
    UUID userId = account.userId();
    tally.conflicts++;
    SyncedEvents.Remote remote = events.describe(userId, server.ics()).await();
    String when = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    boolean serverWins = remote.lastModified() != null && remote.lastModified().isAfter(local.version());
    if (serverWins) {
      events.write(userId, c.calendarId(), o.eventId(), server.ics()).await();
      events.note(userId, o.eventId(), "Sync conflict " + when + ": this event was changed in Aide and on "
          + "the server; the server's change was newer and was kept. Aide's version was: " + local.summary()).await();
    } else {
      events.note(userId, o.eventId(), "Sync conflict " + when + ": this event was changed in Aide and on "
          + "the server; Aide's change was newer and was kept. The server's version was: " + remote.summary()).await();
    }
    Optional<SyncedEvents.Local> settled = events.local(userId, o.eventId(), o.uid()).await();
    if (settled.isEmpty()) {
      return;
    }
    URI uri = s.resolve(o.href());
    Answer put = s.put(uri, IcsMerge.merge(server.ics(), settled.get().ics()), server.etag());
    if (put.status() == 412) {
      // Changed yet again meanwhile: the next sync settles it.
      accounts.saveObject(c.id(), userId, new StoredObject(o.href(), etag(server.etag()), o.uid(), o.eventId(),
          o.syncedVersion())).await();
      return;
    }
    requireSuccess(put, uri, "PUT");
    saved(s, c, userId, o.href(), o.uid(), o.eventId(), settled.get().version(), put);
  }
}
