package dev.aide.connect;

import dev.aide.calendar.CalendarModule;
import dev.aide.calendar.SyncedEvents;
import dev.aide.notification.NotificationModule;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import dev.aide.platform.task.TaskHandler;
import dev.aide.scheduler.SchedulerModule;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * Accounts elsewhere that a person connects: CalDAV calendars, synced both ways into Aide calendars, and the kinds
 * other features add (mail); their passwords sealed by the vault, whose key rotation this feature runs too.
 */
public final class ConnectModule implements Feature {

  private final ConnectedAccounts accounts;
  private final ConnectedAccountRepository rows;
  private final SyncHandler syncHandler;
  private final SecretRotation rotation;
  private final LinkedAccounts links;
  private final OAuthAccounts oauth;
  private final PushRoutes push;

  public ConnectModule(Platform platform, SchedulerModule scheduler, CalendarModule calendar,
                       NotificationModule notifications) {
    this.rows = new ConnectedAccountRepository(platform.pool());
    SyncedEvents synced = calendar.synced();
    var config = platform.config().accounts();
    CalDavSync sync = new CalDavSync(platform.vertx(), platform.remote(),
        new ServerAddresses(config.allowLoopback()), rows, synced, platform.secrets().vault(),
        notifications.notifier(), platform.clock(), config.requestTimeout());
    var clients = platform.config().oauth();
    java.util.Map<String, OAuthProvider> providers = java.util.Map.of(
        "google", OAuthProvider.google(platform.vertx(), clients.google()),
        "microsoft", OAuthProvider.microsoft(platform.vertx(), clients.microsoft()));
    OAuthSync oauthSync = new OAuthSync(providers, io.vertx.ext.web.client.WebClient.wrap(platform.remote()), rows,
        synced, platform.secrets().vault(), notifications.notifier(), platform.clock(), config.requestTimeout(),
        sync::offload, platform.config().http().publicUrl());
    sync.oauth(oauthSync);
    this.oauth = new OAuthAccounts(providers, new OAuthStateRepository(platform.pool()), rows, oauthSync,
        scheduler.tasks(), platform.secrets().vault(), platform.limiter(), platform.clock(),
        platform.config().http().publicUrl());
    this.push = new PushRoutes(rows, scheduler.tasks(), platform.clock());
    this.accounts = new ConnectedAccounts(rows, sync, synced, scheduler.tasks(), platform.secrets().vault(),
        platform.limiter(), platform.clock(), oauth);
    OAuthMailTokens mailTokens = new OAuthMailTokens(providers, rows,
        io.vertx.ext.web.client.WebClient.wrap(platform.remote()), platform.secrets().vault(), platform.clock(),
        config.requestTimeout());
    oauth.mail(mailTokens, accounts::kind);
    calendar.alsoAfterWrite(accounts::eventWritten);
    this.syncHandler = new SyncHandler(rows, sync, config.syncInterval(), platform.clock());
    this.links = new LinkedAccounts(rows, platform.secrets().vault(), notifications.notifier(), platform.clock(),
        mailTokens);
    this.rotation = new SecretRotation(platform.secrets(), rows, scheduler.tasks(), platform.clock());
  }

  /** Another feature's kind of account (mail), connected, listed, synced and deleted through /accounts. */
  public void addKind(AccountKind kind) {
    accounts.add(kind);
  }

  /** The accounts as other features read and record them. */
  public LinkedAccounts links() {
    return links;
  }

  @Override
  public void routes(Router api) {
    new ConnectedAccountRoutes(accounts).mount(api);
    new OAuthRoutes(oauth).mount(api);
  }

  @Override
  public void publicRoutes(Router root) {
    push.mount(root);
  }

  @Override
  public void openRoutes(Router api) {
    new OAuthRoutes(oauth).mountOpen(api);
  }

  /** The person's connected accounts in the export: what they are and how they sync, never a password. */
  @Override
  public java.util.Map<String, dev.aide.platform.module.Exporter> exports() {
    return java.util.Map.of("connectedAccounts", (userId, zone) -> dev.aide.platform.module.Exports.of(
        rows.list(userId), stored -> stored.account().toJson(zone)));
  }

  @Override
  public List<TaskHandler> taskHandlers() {
    return List.of(syncHandler, rotation);
  }

  @Override
  public Future<Void> prepare() {
    return rotation.start();
  }
}
