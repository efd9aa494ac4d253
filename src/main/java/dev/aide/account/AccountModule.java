package dev.aide.account;

import dev.aide.auth.AuthModule;
import dev.aide.delivery.DeliveryModule;
import dev.aide.notification.NotificationModule;
import dev.aide.platform.database.HousekeepingVerticle;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Features;
import dev.aide.platform.module.Platform;
import io.vertx.ext.web.Router;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The person's account as a whole: a forgotten password reset by a one-time link sent to their channel, all their
 * data exported (each feature's part), and the account deleted with everything in it.
 */
public final class AccountModule implements Feature {

  private final Platform platform;
  private final AuthModule auth;
  private final Features others;
  private final PasswordResetRepository resetRows;
  private final PasswordResets resets;

  /** @param others the features whose parts the export gathers */
  public AccountModule(Platform platform, AuthModule auth, DeliveryModule delivery, NotificationModule notifications,
                       Features others) {
    this.platform = platform;
    this.auth = auth;
    this.others = others;
    this.resetRows = new PasswordResetRepository(platform.pool());
    this.resets = new PasswordResets(platform.vertx(), platform.pool(), auth.users(), resetRows,
        notifications.recipients(), delivery.outbox(), auth.hasher(), auth.sessions(), platform.limiter(),
        auth.limits(), platform.config().http().publicUrl(), platform.config().smtp().enabled(), platform.clock());
  }

  /** Asking for a reset link and using it need no token: the person cannot sign in. */
  @Override
  public void openRoutes(Router api) {
    new PasswordResetRoutes(resets, auth.clients()).mount(api);
  }

  @Override
  public void routes(Router api) {
    new AccountRoutes(new AccountRepository(platform.pool()),
        new AccountExport(auth.service(), others.exports(), platform.clock()), platform.clock()).mount(api);
  }

  @Override
  public List<HousekeepingVerticle.Cleaner> cleaners() {
    return List.of(new HousekeepingVerticle.Cleaner("password resets",
        limit -> resetRows.deleteExpired(OffsetDateTime.now(platform.clock()), limit)));
  }
}
