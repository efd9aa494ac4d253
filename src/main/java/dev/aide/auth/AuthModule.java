package dev.aide.auth;

import dev.aide.platform.database.HousekeepingVerticle;
import dev.aide.platform.http.ClientAddress;
import dev.aide.platform.time.Times;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import dev.aide.platform.ratelimit.RateLimiter;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.util.List;
import java.util.Map;

/**
 * People and their sessions: accounts, sign-in with abuse limits, access and refresh tokens, device tokens, the
 * profile. It also guards every other /api/v1 route: a signed token of a live session of an active account, or a
 * device token within its scopes.
 */
public final class AuthModule implements Feature {

  private final UserRepository users;
  private final TokenService tokens;
  private final Sessions sessions;
  private final DeviceTokens deviceTokens;
  private final PasswordHasher hasher = new PasswordHasher();
  private final AuthService.Limits limits;
  private final AuthService auth;
  private final ClientAddress clients;
  private final RateLimiter limiter;
  private final JsonObject capabilities;

  public AuthModule(Platform platform) {
    var config = platform.config();
    String jwtSecret = config.jwt().secret() != null ? config.jwt().secret() : platform.storedSecret("jwt");
    this.users = new UserRepository(platform.pool());
    this.tokens = new TokenService(platform.vertx(), jwtSecret, config.jwt().ttl());
    DeviceTokenRepository devices = new DeviceTokenRepository(platform.pool());
    this.deviceTokens = new DeviceTokens(platform.pool(), devices, platform.clock());
    this.sessions = new Sessions(platform.pool(), new SessionRepository(platform.pool()), devices, tokens,
        config.jwt().refreshTtl(), platform.clock());
    this.limits = AuthService.Limits.from(config.limits());
    this.auth = new AuthService(platform.vertx(), platform.pool(), users, hasher, sessions, platform.limiter(), limits);
    this.clients = new ClientAddress(config.http().trustedProxies());
    this.limiter = platform.limiter();
    // Read from the configuration the features are built from: recordings are taken when speech to text is set up.
    this.capabilities = new JsonObject().put("voiceAudio", config.stt().enabled())
        .put("voiceMaxBytes", config.stt().maxBytes()).put("documentMaxBytes", config.documents().maxBytes());
  }

  public UserRepository users() {
    return users;
  }

  public AuthService service() {
    return auth;
  }

  public Sessions sessions() {
    return sessions;
  }

  public PasswordHasher hasher() {
    return hasher;
  }

  public AuthService.Limits limits() {
    return limits;
  }

  /** Who sent a request: the socket's peer, or the client a trusted proxy names. */
  public ClientAddress clients() {
    return clients;
  }

  /** Register, sign in, refresh: the /api/v1 routes that need no token. */
  @Override
  public void openRoutes(Router api) {
    new AuthRoutes(auth, sessions, clients, capabilities).mountPublic(api);
  }

  /**
   * What every other /api/v1 route passes first: a device token within its scopes, or else a signed token, then a
   * live session of an active account.
   */
  public List<Handler<RoutingContext>> guards() {
    Handler<RoutingContext> jwt = JWTAuthHandler.create(tokens.provider());
    return List.of(new DeviceTokenCheck(deviceTokens),
        ctx -> {
          if (Authenticated.device(ctx).isPresent()) {
            ctx.next();
          } else {
            jwt.handle(ctx);
          }
        },
        new SessionCheck(sessions));
  }

  @Override
  public void routes(Router api) {
    new AuthRoutes(auth, sessions, clients, capabilities).mount(api);
    new DeviceTokenRoutes(deviceTokens).mount(api);
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("sessions", (userId, zone) -> sessions.list(userId).map(list -> new JsonArray(list.stream()
        .map(s -> new JsonObject()
            .put("id", s.id().toString()).put("createdAt", Times.iso(s.createdAt(), zone))
            .put("refreshedAt", Times.iso(s.refreshedAt(), zone)).put("expiresAt", Times.iso(s.expiresAt(), zone))
            .put("revokedAt", Times.iso(s.revokedAt(), zone)).put("revokedWhy", s.revokedWhy()))
        .toList())),
        "deviceTokens", (userId, zone) -> deviceTokens.list(userId).map(list -> new JsonArray(list.stream()
            .map(t -> t.toJson().put("createdAt", Times.iso(t.createdAt(), zone))
                .put("lastUsedAt", Times.iso(t.lastUsedAt(), zone)))
            .toList())));
  }

  @Override
  public List<HousekeepingVerticle.Cleaner> cleaners() {
    return List.of(new HousekeepingVerticle.Cleaner("rate limits", limiter::deleteExpired), new HousekeepingVerticle.Cleaner("sessions", sessions::deleteEnded));
  }
}
