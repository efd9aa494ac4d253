package dev.aide.mail;

import dev.aide.connect.AccountFailure;
import dev.aide.connect.LinkedAccounts;
import dev.aide.connect.LinkedAccounts.Login;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The mail of a Google or Microsoft account: its IMAP and SMTP sessions sign in with SASL XOAUTH2, the account's
 * address as the user and an OAuth access token as the credential, which the connected accounts feature refreshes
 * when it expired; a session the server refuses gets one new token and one more try, after which the refusal stands
 * (the poll then turns the account to error and tells the person).
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
  static MailService.Account account(Login login, MailAccountRepository.Stored stored) {
    return new MailService.Account(login, !is(login) ? stored : new MailAccountRepository.Stored(stored.accountId(),
        stored.settings().withXoauth2(), stored.uidValidity(), stored.lastUid()));
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

  /**
   * Blocking: the work with the account's login — a password account's as it is (checked by {@code password}), an
   * OAuth account's with its token, and once more with a new token when the server refuses the first.
   */
  <T> T once(Login login, UnaryOperator<Login> password, Function<Login, T> work) {
    if (!is(login)) {
      return work.apply(password.apply(login));
    }
    try {
      return work.apply(login(login, false));
    } catch (AccountFailure f) {
      if (!AccountFailure.UNAUTHORIZED.equals(f.code())) {
        throw f;
      }
    }
    try {
      return work.apply(login(login, true));
    } catch (AccountFailure f) {
      if (!AccountFailure.UNAUTHORIZED.equals(f.code())) {
        throw f;
      }
      throw new AccountFailure(f.code(), f.getMessage().replace("refused the username or password",
          "refused Aide's access token, even a new one; connect the account again"));
    }
  }
}
