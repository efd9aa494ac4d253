package dev.aide.mail;

import dev.aide.connect.AccountFailure;
import dev.aide.connect.LinkedAccounts;
import dev.aide.connect.LinkedAccounts.Login;
import dev.aide.notification.Notice;
import dev.aide.notification.Notifier;
import dev.aide.platform.error.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person's mail: the unread summary, search, one mail read, sending, and the polling that alerts them to new mail
 * from people they have written to. Every IMAP or SMTP conversation runs on a small pool of worker threads of its own
 * (bounded, so many people asking at once queue instead of opening connections without end).
 */
final class MailService {

  private static final Logger LOG = LoggerFactory.getLogger(MailService.class);
  /** IMAP/SMTP conversations at once on this instance. */
  static final int WORKERS = 8;
  /** IMAP/SMTP conversations of one person at once; more wait for these to end. */
  static final int PER_PERSON = 2;
  /** One person's conversations waiting, at most; beyond, a request is refused as too many at once. */
  static final int WAITING_PER_PERSON = 50;

  private final MailClient client;
  private final LinkedAccounts links;
  private final MailAccountRepository rows;
  private final MailAlertRuleRepository rules;
  private final Notifier notifier;
  private final Clock clock;
  private final WorkerExecutor workers;
  private final Map<UUID, Lane> lanes = new HashMap<>();
  private final OAuthMail oauth;

  MailService(Vertx vertx, MailClient client, LinkedAccounts links, MailAccountRepository rows,
              MailAlertRuleRepository rules, Notifier notifier, Clock clock, Duration timeout) {
    this.client = client;
    this.links = links;
    this.rows = rows;
    this.rules = rules;
    this.notifier = notifier;
    this.clock = clock;
    this.oauth = new OAuthMail(links, timeout);
    // A conversation makes a few connections, each bounded by the timeout: this bounds the whole.
    this.workers = vertx.createSharedWorkerExecutor("aide-mail", WORKERS, timeout.toSeconds() * 6 + 60,
        TimeUnit.SECONDS);
  }

  /**
   * Runs one person's blocking mail work on the mail workers, at most {@link #PER_PERSON} of theirs at once (the rest
   * wait their turn, at most {@link #WAITING_PER_PERSON}): a person whose server never answers holds two workers
   * until the timeout, never all of them.
   */
  <T> Future<T> blocking(UUID userId, Callable<T> work) {
    Promise<T> done = Promise.promise();
    Runnable start = () -> workers.executeBlocking(work, false).onComplete(result -> {
      finished(userId);
      done.handle(result);
    });
    synchronized (lanes) {
      Lane lane = lanes.computeIfAbsent(userId, k -> new Lane());
      if (lane.running >= PER_PERSON) {
        if (lane.waiting.size() >= WAITING_PER_PERSON) {
          return Future.failedFuture(new DomainException(DomainException.Kind.LIMITED,
              "too many mail requests at once; try again in a minute"));
        }
        lane.waiting.add(start);
        return done.future();
      }
      lane.running++;
    }
    start.run();
    return done.future();
  }

  /** One person's work ended: their next waiting work starts on the worker it leaves. */
  private void finished(UUID userId) {
    Runnable next;
    synchronized (lanes) {
      Lane lane = lanes.get(userId);
      next = lane.waiting.poll();
      if (next == null && --lane.running == 0) {
        lanes.remove(userId);
      }
    }
    if (next != null) {
      next.run();
    }
  }

  /** A person's mail work: how much runs, and what waits (guarded by {@link #lanes}). */
  private static final class Lane {
    private int running;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  }

  Future<Void> verify(UUID userId, MailSettings settings, String username, String password) {
    return blocking(userId, () -> {
      client.verify(settings, username, password);
      return null;
    });
  }

  /** A mail account of the person's, ready to use: its login and its servers. */
  record Account(Login login, MailAccountRepository.Stored stored) {}

  /** The person's mail accounts, oldest first. */
  Future<List<Account>> accounts(UUID userId) {
    return links.ofKind(userId, MailAccounts.KINDS).compose(logins -> logins.isEmpty()
        ? Future.succeededFuture(List.<Account>of())
        : rows.of(userId, logins.stream().map(Login::id).toList()).map(stored -> logins.stream()
            .filter(l -> stored.containsKey(l.id())).map(l -> oauth.account(l, stored.get(l.id()))).toList()));
  }

  /** The person's mail account of that id. */
  Future<Account> account(UUID userId, UUID accountId) {
    return links.find(userId, accountId, MailAccounts.KINDS).compose(login -> login.isEmpty()
        ? Future.failedFuture(DomainException.notFound("mail account"))
        : rows.find(userId, accountId).map(stored -> oauth.account(login.get(), stored.orElseThrow(
            () -> DomainException.notFound("mail account")))));
  }

  /** Blocking (on the mail workers): the login of the session about to start; an OAuth account's is a fresh token. */
  private Login usable(Login login) {
    return OAuthMail.is(login) ? oauth.login(login, false) : password(login);
  }

  private static Login password(Login login) {
    if (login.password() == null) {
      throw new AccountFailure(AccountFailure.UNAUTHORIZED, "the stored password cannot be decrypted (the secret "
          + "key that encrypted it is gone); connect the account again");
    }
    return login;
  }

  /** One account's unread summary (blocking, on the workers). */
  Future<MailClient.Summary> unread(Account account, int shown) {
    return blocking(account.login().userId(), () -> client.unread(usable(account.login()), account.stored().settings(), shown));
  }

  Future<List<MailClient.Envelope>> search(Account account, String from, List<String> words, int limit) {
    return blocking(account.login().userId(), () -> client.search(usable(account.login()), account.stored().settings(), from, words, limit));
  }

  /** A mail's id as the tools use it: the account, the INBOX's UIDVALIDITY and the mail's UID. */
  record MailId(UUID accountId, long uidValidity, long uid) {
    static Optional<MailId> parse(String id) {
      if (id == null) {
        return Optional.empty();
      }
      String[] parts = id.strip().split("/");
      try {
        return parts.length != 3 ? Optional.empty() : Optional.of(new MailId(UUID.fromString(parts[0]),
            Long.parseLong(parts[1]), Long.parseLong(parts[2])));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  /** One mail read; not found when the id is not the person's or the mail is gone. */
  Future<MailClient.Mail> read(UUID userId, MailId id) {
    return account(userId, id.accountId()).compose(account -> blocking(userId, () -> client.read(usable(account.login()),
        account.stored().settings(), id.uidValidity(), id.uid())))
        .map(found -> found.orElseThrow(() -> DomainException.notFound("mail")));
  }

  /**
   * What sending did. {@code UNKNOWN}: an earlier attempt claimed it and never finished (cut off by a crash, or still
   * under way) — it may or may not have gone out, and it is not sent again.
   */
  enum Sent { SENT, SENT_WITHOUT_COPY, ALREADY, UNKNOWN }

  /**
   * Sends the mail once: its Message-ID is claimed first, so a send that runs again (a retry, a second yes) sends
   * nothing; when the SMTP server refuses it the claim goes and the person can try again.
   */
  Future<Sent> send(UUID userId, UUID accountId, MailClient.Outgoing mail) {
    String recipients = String.join(", ", mail.to()) + (mail.cc().isEmpty() ? "" : ", " + String.join(", ", mail.cc()));
    return account(userId, accountId).compose(account -> rows.beginSend(userId, accountId, mail.messageId(),
        recipients, mail.subject()).compose(claim -> claim != MailAccountRepository.Claim.CLAIMED
        ? Future.succeededFuture(claim == MailAccountRepository.Claim.SENT ? Sent.ALREADY : Sent.UNKNOWN)
        : blocking(userId, () -> {
          try {
            client.send(usable(account.login()), account.stored().settings(), mail);
            return Sent.SENT;
          } catch (MailClient.CopyNotFiled e) {
            LOG.warn("Mail {} of account {} was sent, but its copy was not filed: {}", mail.messageId(), accountId,
                e.getMessage());
            return Sent.SENT_WITHOUT_COPY;
          }
        }).compose(sent -> rows.sent(userId, mail.messageId(), clock.instant()).map(sent),
            failed -> rows.notSent(userId, mail.messageId()).compose(v -> Future.<Sent>failedFuture(failed)))));
  }

  /** What one poll did, for the API and the logs. */
  record PollReport(boolean ok, String reason, int newMail, int alerts, boolean restarted, double seconds) {
    JsonObject toJson() {
      return new JsonObject().put("ok", ok).put("reason", reason).put("newImportant", newMail)
          .put("alerts", alerts).put("restarted", restarted).put("seconds", seconds);
    }
  }

  /**
   * Polls the account's INBOX for new mail: each new unread mail from a correspondent, or matching one of the
   * person's alert rules, is told to the person once
   * (the notice is keyed by the mail's UIDVALIDITY and UID), in the transaction that records where polling stopped.
   * A failure turns the account to error with the reason, and the person is told once.
   */
  Future<PollReport> poll(UUID userId, UUID accountId) {
    long began = System.nanoTime();
    return account(userId, accountId).compose(account -> blocking(userId, () -> client.poll(usable(account.login()),
            account.stored().settings(), account.stored().uidValidity(), account.stored().lastUid()))
        // The account may have been deleted while its INBOX was read: it is locked (a deletion now waits) and looked
        // for first, and a gone account tells nothing.
        .compose(poll -> rows.pool().withTransaction(tx -> rows.lock(tx, userId, accountId).compose(present -> {
          if (!present) {
            return Future.<List<MailAlertRule>>failedFuture(DomainException.notFound("mail account"));
          }
          return rules.list(tx, userId);
        }).compose(rulesSet -> {
          List<Notice> notices = new ArrayList<>();
          for (MailClient.Envelope e : poll.unread()) {
            Optional<MailAlertRule> rule = rulesSet.stream().filter(r -> r.matches(e)).findFirst();
            if (e.correspondent() || rule.isPresent()) {
              notices.add(alert(userId, accountId, poll.uidValidity(), e, e.correspondent() ? null : rule.get()));
            }
          }
          Future<List<Boolean>> told = notices.isEmpty() ? Future.succeededFuture(List.of())
              : notifier.tellAll(tx, notices);
          return told.compose(news -> rows.polled(tx, userId, accountId, poll.uidValidity(), poll.lastUid())
              .map(v -> new int[] {notices.size(), (int) news.stream().filter(b -> b).count()}));
        })).compose(counts -> links.synced(userId, accountId).map(new PollReport(true, null, counts[0], counts[1],
            poll.restarted(), seconds(began)))))
        .recover(e -> {
          if (!(e instanceof AccountFailure f)) {
            return Future.failedFuture(e);
          }
          String host = account.stored().settings().imap().host();
          return links.failed(userId, accountId, f.getMessage(), "Mail account not checked",
              "Aide could not check your mail at " + host + ": " + f.getMessage() + ". It tries again every few "
                  + "minutes; if the password changed, connect the account again.",
              "Aide could not check your mail at " + host + ": " + f.getMessage() + ".")
              .map(new PollReport(false, f.getMessage(), 0, 0, false, seconds(began)));
        }));
  }

  /** The alert of one new mail; {@code rule}: the person's rule it matched, null for mail from a correspondent. */
  private static Notice alert(UUID userId, UUID accountId, long uidValidity, MailClient.Envelope e,
                              MailAlertRule rule) {
    String who = e.from() != null && !e.from().isBlank() ? e.from() + " <" + e.fromAddress() + ">" : e.fromAddress();
    String subject = e.subject() == null || e.subject().isBlank() ? "(no subject)" : e.subject();
    subject = subject.length() > 200 ? subject.substring(0, 200) + "…" : subject;
    return new Notice(userId, "mail", "mail:" + accountId + ":" + uidValidity + ":" + e.uid(),
        "New mail from " + who, "From " + who + ": " + subject + why(rule),
        "New mail from " + who + ": " + subject + why(rule), false,
        new JsonObject().put("accountId", accountId.toString()).put("mailId", e.id()));
  }

  private static String why(MailAlertRule rule) {
    return rule == null ? "" : " (your alert: " + rule.describe() + ")";
  }

  private static double seconds(long began) {
    return Math.round((System.nanoTime() - began) / 1e6) / 1000.0;
  }
}
