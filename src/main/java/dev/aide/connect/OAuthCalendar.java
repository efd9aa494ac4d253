package dev.aide.connect;

import dev.aide.calendar.CalendarEvent;
import dev.aide.calendar.SyncedEvents;
import dev.aide.connect.ConnectedAccountRepository.StoredObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-way sync of one calendar of an OAuth account (Google Calendar, Microsoft Graph) with its Aide calendar; a
 * subclass speaks the provider's JSON. The pull takes the provider's changes since the stored token (all of them when
 * there is none, or the provider says it expired: then events no longer listed are deleted), each as iCalendar text
 * written through {@link SyncedEvents}; the push writes back what changed in Aide, each update made conditional on the
 * etag Aide last saw. Both sides changed: the later change wins and the other is kept in a paragraph of the event's
 * description, as with CalDAV. Blocking: runs on the sync's virtual thread.
 */
abstract class OAuthCalendar {

  private static final Logger LOG = LoggerFactory.getLogger(OAuthCalendar.class);

  /** An event as the provider has it: its id (the object's href), etag, iCalendar text, last change, and (when the
   *  provider says so) the Aide event it was created from. */
  record Remote(String href, String etag, String ics, Instant lastModified, UUID own, boolean changedBeyondEtag) {

    Remote(String href, String etag, String ics, Instant lastModified, UUID own) {
      this(href, etag, ics, lastModified, own, false);
    }
  }

  /** What changed: events new or changed, ids gone, the token to start from next time, and whether this was all. */
  record Delta(Map<String, Remote> changed, Set<String> removed, String token, boolean full) {}

  /** A write the provider took: the event's id there and its new etag. */
  record Written(String href, String etag) {}

  /** The account's name there and its calendars. */
  record Identity(String username, List<CalDavSync.Found> calendars) {}

  /** The most pages one listing follows: a provider that links pages in a circle must not hold the sync forever. */
  static final int MAX_PAGES = 2000;

  /** Counts a listing's pages; past {@link #MAX_PAGES} the calendar fails with a protocol error. */
  static int nextPage(int pages, String label) {
    if (pages + 1 > MAX_PAGES) {
      throw new CalDavException(CalDavException.Reason.PROTOCOL, label + " linked more than " + MAX_PAGES
          + " pages in one listing");
    }
    return pages + 1;
  }

  protected final ConnectedAccountRepository accounts;
  protected final SyncedEvents events;
  protected final Clock clock;

  OAuthCalendar(ConnectedAccountRepository accounts, SyncedEvents events, Clock clock) {
    this.accounts = accounts;
    this.events = events;
    this.clock = clock;
  }

  abstract Identity discover(RemoteJson api);

  /** The changes since the collection's token (or all). */
  abstract Delta changes(RemoteJson api, ConnectedAccount.Collection c);

  /** The event as the provider has it now; null when it is gone. */
  abstract Remote current(RemoteJson api, ConnectedAccount.Collection c, String href);

  /** Writes Aide's event over the provider's, if its etag is still {@code etag}; null when it is not (412). */
  abstract Written update(RemoteJson api, ConnectedAccount.Collection c, String href, String etag, CalendarEvent e);

  /** Deletes the provider's event if its etag is still {@code etag}: false when it changed meanwhile (412). */
  abstract boolean delete(RemoteJson api, ConnectedAccount.Collection c, String href, String etag);

  /** Creates the event made in Aide (whose record is {@code pendingHref}); answers where it is now. */
  abstract Written create(RemoteJson api, ConnectedAccount.Collection c, String pendingHref, UUID eventId,
                          CalendarEvent e);

  /** Where a new event is recorded before it is sent (so a create whose answer is lost is not made twice). */
  abstract String pendingHref(UUID eventId);

  /**
   * Asks the provider to notify {@code address} of changes to the calendar, with {@code secret} in each notification;
   * answers the subscription. Blocking.
   */
  abstract ConnectedAccountRepository.Push watch(RemoteJson api, ConnectedAccount.Collection c, String address,
                                                 String secret);

  /** Ends a subscription (best effort: one gone already is fine). Blocking. */
  abstract void unwatch(RemoteJson api, ConnectedAccountRepository.Push push);

  /** Why Aide cannot write this event to the provider, or null when it can. */
  String unwritable(CalendarEvent e) {
    return null;
  }

  void pull(RemoteJson api, ConnectedAccount account, ConnectedAccount.Collection c, CalDavSync.Tally tally) {
    UUID userId = account.userId();
    Map<String, StoredObject> known = accounts.objects(userId, c.id()).await();
    Delta delta = changes(api, c);
    Set<String> removed = new HashSet<>(delta.removed());
    if (delta.full()) {
      known.keySet().stream().filter(h -> !delta.changed().containsKey(h)).forEach(removed::add);
    }
    Map<UUID, SyncedEvents.Version> versions = events.versions(userId, known.values().stream()
        .map(StoredObject::eventId).filter(id -> id != null).toList()).await();
    Map<UUID, StoredObject> pendingByEvent = new HashMap<>();
    known.values().stream().filter(OAuthCalendar::pending).forEach(o -> pendingByEvent.put(o.eventId(), o));
    for (String href : removed) {
      StoredObject o = known.get(href);
      if (o == null || pending(o)) {
        continue;
      }
      SyncedEvents.Version v = o.eventId() == null ? null : versions.get(o.eventId());
      if (o.eventId() != null && (v == null || !v.movedOutOf(c.calendarId()))) {
        // (an event the person moved to another calendar stays there)
        events.remove(userId, o.eventId()).await();
      }
      accounts.deleteObject(userId, c.id(), href).await();
      tally.removed++;
    }
    for (Remote r : delta.changed().values()) {
      StoredObject o = known.get(r.href());
      if (o == null && r.own() != null && pendingByEvent.containsKey(r.own())) {
        // Aide's own create reached the provider though its answer did not: adopted, and Aide's version written over
        // it by the push (its etag now known).
        StoredObject p = pendingByEvent.get(r.own());
        if (!p.href().equals(r.href())) {
          accounts.deleteObject(userId, c.id(), p.href()).await();
        }
        accounts.saveObject(c.id(), userId, new StoredObject(r.href(), r.etag(), p.uid(), p.eventId(), null)).await();
        continue;
      }
      if (o != null && pending(o)) {
        accounts.saveObject(c.id(), userId, new StoredObject(r.href(), r.etag(), o.uid(), o.eventId(), null)).await();
        continue;
      }
      if (o != null && r.etag() != null && r.etag().equals(o.etag()) && !r.changedBeyondEtag()) {
        continue;
      }
      if (o != null && o.eventId() != null && o.changedInAide(versions.get(o.eventId()))) {
        Optional<CalendarEvent> local = events.event(userId, o.eventId()).await();
        if (local.isPresent()) {
          conflict(api, account, c, o, local.get(), r, tally);
          continue;
        }
      }
      write(account, c, o, r, tally);
    }
    accounts.collectionState(userId, c.id(), delta.token() == null || delta.token().length() > CalDavSync.MAX_TOKEN
        ? null : delta.token(), null).await();
  }

  static boolean pending(StoredObject o) {
    return o.eventId() != null && o.etag() == null && o.syncedVersion() == null;
  }


  private static String etag(String etag) {
    return etag == null || etag.length() > CalDavSync.MAX_ETAG ? null : etag;
  }

  /** Writes the provider's event into Aide and records it; an event Aide's calendar refuses is skipped, recorded. */
  private void write(ConnectedAccount account, ConnectedAccount.Collection c, StoredObject o, Remote r,
                     CalDavSync.Tally tally) {
    UUID userId = account.userId();
    UUID existing = o == null ? null : o.eventId();
    try {
      SyncedEvents.Written written = events.write(userId, c.calendarId(), existing, r.ics()).await();
      Instant version = events.versions(userId, List.of(written.eventId())).await().get(written.eventId()).at();
      accounts.saveObject(c.id(), userId, new StoredObject(r.href(), etag(r.etag()), uid(written.uid()),
          written.eventId(), version)).await();
      tally.pulled++;
    } catch (dev.aide.platform.error.DomainException e) {
      LOG.info("Account {}: the event {} is not taken: {}", account.id(), r.href(), e.getMessage());
      accounts.saveObject(c.id(), userId, new StoredObject(r.href(), etag(r.etag()), o == null ? uid(r.href())
          : o.uid(), existing, o == null ? null : o.syncedVersion())).await();
      tally.skipped++;
    }
  }

  private static String uid(String uid) {
    return uid.length() > CalDavSync.MAX_UID ? uid.substring(0, CalDavSync.MAX_UID) : uid;
  }

  void push(RemoteJson api, ConnectedAccount account, ConnectedAccount.Collection c, CalDavSync.Tally tally) {
    UUID userId = account.userId();
    CalDavSync.WriteBack writeBack = CalDavSync.writeBack(accounts, events, userId, c);
    Set<UUID> mapped = writeBack.mapped();
    for (CalDavSync.Outgoing out : writeBack.outgoing()) {
      StoredObject o = out.object();
      SyncedEvents.Version v = out.version();
      Optional<CalendarEvent> local = out.gone() ? Optional.empty()
          : events.event(userId, o.eventId()).await();
      if (local.isEmpty()) {
        if (pending(o)) {
          accounts.deleteObject(userId, c.id(), o.href()).await();
          continue;
        }
        if (!delete(api, c, o.href(), o.etag())) {
          // Changed there after Aide deleted it: the provider's version comes back as a new event.
          Remote current = current(api, c, o.href());
          accounts.deleteObject(userId, c.id(), o.href()).await();
          if (current != null) {
            write(account, c, null, current, tally);
            tally.conflicts++;
          }
          continue;
        }
        accounts.deleteObject(userId, c.id(), o.href()).await();
        tally.pushed++;
        continue;
      }
      String why = unwritable(local.get());
      if (why != null) {
        tally.skipped++;
        continue;
      }
      Instant version = v.at();
      Written written = pending(o) ? create(api, c, o.href(), o.eventId(), local.get())
          : update(api, c, o.href(), o.etag(), local.get());
      if (written == null) {
        Remote current = current(api, c, o.href());
        if (current != null) {
          conflict(api, account, c, o, local.get(), current, tally);
        } else {
          // Gone there while changed in Aide: Aide's event stays, and is created there anew by the next push.
          accounts.deleteObject(userId, c.id(), o.href()).await();
        }
        continue;
      }
      if (!written.href().equals(o.href())) {
        accounts.deleteObject(userId, c.id(), o.href()).await();
      }
      accounts.saveObject(c.id(), userId, new StoredObject(written.href(), etag(written.etag()), o.uid(), o.eventId(),
          version)).await();
      tally.pushed++;
    }
    for (UUID eventId : events.inCalendar(userId, c.calendarId()).await()) {
      if (mapped.contains(eventId)) {
        continue;
      }
      Optional<CalendarEvent> local = events.event(userId, eventId).await();
      if (local.isEmpty()) {
        continue;
      }
      if (unwritable(local.get()) != null) {
        LOG.info("Account {}: event {} is not written: {}", account.id(), eventId, unwritable(local.get()));
        tally.skipped++;
        continue;
      }
      Instant version = events.versions(userId, List.of(eventId)).await().get(eventId).at();
      String href = pendingHref(eventId);
      // Recorded before it is sent: a create that reaches the provider but whose answer is lost is adopted by the
      // next sync, not made twice.
      accounts.saveObject(c.id(), userId, new StoredObject(href, null, eventId + "@aide", eventId, null)).await();
      Written written = create(api, c, href, eventId, local.get());
      if (!written.href().equals(href)) {
        accounts.deleteObject(userId, c.id(), href).await();
      }
      accounts.saveObject(c.id(), userId, new StoredObject(written.href(), etag(written.etag()), eventId + "@aide",
          eventId, version)).await();
      tally.pushed++;
    }
  }

  /**
   * Both sides changed the event: the one changed last stays (the provider's last modification against the time of
   * Aide's change), the other is kept in a paragraph of the description, and the result is written back over the
   * provider's current etag.
   */
  private void conflict(RemoteJson api, ConnectedAccount account, ConnectedAccount.Collection c, StoredObject o,
                        CalendarEvent local, Remote server, CalDavSync.Tally tally) {
    UUID userId = account.userId();
    tally.conflicts++;
    Instant localVersion = events.versions(userId, List.of(o.eventId())).await().get(o.eventId()).at();
    SyncedEvents.Remote remote = events.describe(userId, server.ics()).await();
    Instant serverChanged = server.lastModified() != null ? server.lastModified() : remote.lastModified();
    String when = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    if (serverChanged != null && serverChanged.isAfter(localVersion)) {
      events.write(userId, c.calendarId(), o.eventId(), server.ics()).await();
      events.note(userId, o.eventId(), "Sync conflict " + when + ": this event was changed in Aide and in the other "
          + "calendar; the other calendar's change was newer and was kept. Aide's version was: "
          + SyncedEvents.summary(local)).await();
    } else {
      events.note(userId, o.eventId(), "Sync conflict " + when + ": this event was changed in Aide and in the other "
          + "calendar; Aide's change was newer and was kept. The other calendar's version was: " + remote.summary())
          .await();
    }
    Optional<CalendarEvent> settled = events.event(userId, o.eventId()).await();
    if (settled.isEmpty()) {
      return;
    }
    Instant version = events.versions(userId, List.of(o.eventId())).await().get(o.eventId()).at();
    Written written = update(api, c, server.href(), server.etag(), settled.get());
    if (written == null) {
      // Changed yet again meanwhile: the next sync settles it.
      accounts.saveObject(c.id(), userId, new StoredObject(o.href(), etag(server.etag()), o.uid(), o.eventId(),
          o.syncedVersion())).await();
      return;
    }
    accounts.saveObject(c.id(), userId, new StoredObject(written.href(), etag(written.etag()), o.uid(), o.eventId(),
        version)).await();
  }
}
