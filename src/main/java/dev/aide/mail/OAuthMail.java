package dev.aide.mail;

import dev.aide.connect.AccountFailure;
import dev.aide.connect.LinkedAccounts;
import dev.aide.connect.LinkedAccounts.Login;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The mail of a Google or Microsoft account: its IMAP and SMTP sessions sign in with SASL XOAUTH2, the account's
 * address as the user and an OAuth access token as the credential, which the connected accounts feature refreshes
 * when it has expired; a login the server refuses gets one new token and one more try (in {@link MailClient}), after
 * which the refusal stands (a poll then turns the account to error and tells the person).
 */
final class OAuthMail {

  private final LinkedAccounts links;
  private final Duration timeout;

  OAuthMail(LinkedAccounts links, Duration timeout) {
    this.links = links;
    this.timeout = timeout;
  }

  /** Whether the account signs in with OAuth tokens rather than a password. */
  static boolean is(Login login) {
    return LinkedAccounts.OAUTH_KINDS.contains(login.kind());
  }

  /** The account as the mail feature uses it: an OAuth account's servers are signed in to with XOAUTH2. */
  MailService.Account account(Login login, MailAccountRepository.Stored stored) {
    return new MailService.Account(login, !is(login) ? stored : new MailAccountRepository.Stored(stored.accountId(),
        stored.settings().withXoauth2(() -> login(login, true).password()), stored.uidValidity(),
        stored.lastUid()));
  }

  /**
   * Blocking (a mail worker, never an event loop): the login for the next session, the access token as its password;
   * a new token when {@code refresh}.
   */
  Login login(Login login, boolean refresh) {
    String token;
    try {
      token = links.accessToken(login.userId(), login.id(), refresh).toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new AccountFailure(AccountFailure.UNREACHABLE, "the provider did not give a new access token in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AccountFailure(AccountFailure.UNREACHABLE, "interrupted while getting an access token");
    }
    return new Login(login.id(), login.userId(), login.kind(), login.url(), login.username(), token, login.status(),
        login.reason(), login.lastSyncedAt());
  }
}
