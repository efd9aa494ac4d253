package dev.aide.auth;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.http.ClientAddress;
import dev.aide.platform.http.JsonBody;
import dev.aide.platform.http.Replies;
import dev.aide.platform.time.TimeZones;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Accounts and sessions: register, login, refresh, logout (this session or all), password change; GET and PATCH /me.
 * (A reset by a one-time link is the account feature's: it tells the person through their channel.)
 */
public final class AuthRoutes {

  private static final Set<String> CHANNELS = Set.of("telegram", "sms", "whatsapp", "email", "web");

  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  private static final int MIN_PASSWORD = 8;
  private static final int MAX_PASSWORD = 256;

  private final AuthService auth;
  private final Sessions sessions;
  private final ClientAddress clients;
  /** What this Aide can do that a client shows or hides (GET and PATCH /me answer it as {@code capabilities}). */
  private final JsonObject capabilities;

  public AuthRoutes(AuthService auth, Sessions sessions, ClientAddress clients, JsonObject capabilities) {
    this.auth = auth;
    this.sessions = sessions;
    this.clients = clients;
    this.capabilities = capabilities;
  }

  /** Routes that need no token. */
  public void mountPublic(Router api) {
    api.post("/auth/register").handler(this::register);
    api.post("/auth/login").handler(this::login);
    api.post("/auth/refresh").handler(this::refresh);
  }

  /** Right after the JWT handler: a signed token must also belong to a live session of an active account. */
  public void requireSession(Router api) {
    api.route().handler(new SessionCheck(sessions));
  }

  /** Routes behind the JWT handler and the session check. */
  public void mount(Router api) {
    api.get("/me").handler(ctx -> Replies.json(ctx, 200, auth.me(Authenticated.userId(ctx)).map(this::profile)));
    api.patch("/me").handler(this::updateMe);
    // No body is read: a client may send none, or {}.
    api.post("/auth/logout").handler(ctx ->
        Replies.noContent(ctx, sessions.logout(Authenticated.userId(ctx), Authenticated.sessionId(ctx))));
    api.post("/auth/logout-all").handler(ctx -> {
      Authenticated.sessionId(ctx);
      Replies.noContent(ctx, sessions.logoutAll(Authenticated.userId(ctx)));
    });
    api.post("/auth/password").handler(this::changePassword);
  }

  private JsonObject profile(Profile profile) {
    return profile.toJson().put("capabilities", capabilities.copy());
  }

  private static JsonObject tokens(Sessions.Tokens tokens) {
    return new JsonObject().put("token", tokens.accessToken()).put("refreshToken", tokens.refreshToken());
  }

  private void refresh(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("refreshToken");
    String token = body.requiredString("refreshToken", 200);
    Replies.json(ctx, 200, sessions.refresh(token).map(AuthRoutes::tokens));
  }

  private void changePassword(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("currentPassword", "newPassword");
    String current = body.requiredString("currentPassword", MAX_PASSWORD);
    String next = newPassword(body, "newPassword");
    Replies.noContent(ctx, auth.changePassword(Authenticated.userId(ctx), Authenticated.sessionId(ctx), current, next));
  }

  /** A new password from the body: 8 to 256 characters, else a 422 naming the field. */
  public static String newPassword(JsonBody body, String field) {
    String password = body.requiredString(field, MAX_PASSWORD);
    if (password.length() < MIN_PASSWORD) {
      throw DomainException.invalid(field + " must be at least " + MIN_PASSWORD + " characters");
    }
    return password;
  }

  private void register(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("email", "password", "name", "timezone");
    String email = email(body.requiredString("email", 254));
    String password = newPassword(body, "password");
    String name = body.optionalString("name", 200);
    ZoneId timezone = zone(body.optionalString("timezone", 64));
    Replies.json(ctx, 201, auth.register(email, password, name, timezone == null ? ZoneId.of("UTC") : timezone,
            clients.of(ctx))
        .map(r -> tokens(r.tokens()).put("user", r.user().toJson())));
  }

  private void login(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("email", "password");
    String email = body.requiredString("email", 254);
    String password = body.requiredString("password", 256);
    Replies.json(ctx, 200, auth.login(email.trim(), password, clients.of(ctx)).map(AuthRoutes::tokens));
  }

  private void updateMe(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly("name", "timezone", "defaultCurrency", "workingHours", "bio", "goals",
            "preferredChannel", "quietHours", "digest")
        .changes("timezone", "defaultCurrency", "workingHours", "digest");
    UUID userId = Authenticated.userId(ctx);
    var changes = new UserRepository.ProfileChanges(body.optionalString("name", 200),
        zone(body.optionalString("timezone", 64)), currency(body.optionalString("defaultCurrency", 3)),
        workingHours(body.optionalObject("workingHours")));
    var context = new AuthService.ContextChanges(body.has("bio"), body.optionalString("bio", 2000),
        body.has("goals"), body.optionalString("goals", 2000));
    Replies.json(ctx, 200, auth.update(userId, changes, context, preferences(body)).map(this::profile));
  }

  /**
   * "preferredChannel": "telegram" | "sms" | "whatsapp" | "email" | "web" | null (any linked channel); "quietHours":
   * {"start":"22:00", "end":"07:00"} | null; "digest": {"enabled": true, "hour": 8, "byEmail": false} (any field may be left out).
   */
  private static Preferences.Changes preferences(JsonBody body) {
    String channel = body.optionalString("preferredChannel", 20);
    if (channel != null && !CHANNELS.contains(channel)) {
      throw DomainException.invalid("preferredChannel must be one of telegram, sms, whatsapp, email, web, or null");
    }
    JsonObject quiet = body.optionalObject("quietHours");
    LocalTime quietStart = null;
    LocalTime quietEnd = null;
    if (quiet != null) {
      try {
        quietStart = LocalTime.parse(quiet.getString("start"));
        quietEnd = LocalTime.parse(quiet.getString("end"));
        if (quietStart.equals(quietEnd) || quiet.size() != 2) {
          throw new IllegalArgumentException();
        }
      } catch (RuntimeException e) {
        throw DomainException.invalid("quietHours must be {\"start\":\"22:00\",\"end\":\"07:00\"} (two different times) or null");
      }
    }
    JsonObject digest = body.optionalObject("digest");
    Boolean digestEnabled = null;
    Integer digestHour = null;
    Boolean digestByEmail = null;
    if (digest != null) {
      Object enabled = digest.getValue("enabled");
      Object hour = digest.getValue("hour");
      Object byEmail = digest.getValue("byEmail");
      boolean valid = digest.fieldNames().stream().allMatch(f -> f.equals("enabled") || f.equals("hour")
              || f.equals("byEmail"))
          && (enabled == null || enabled instanceof Boolean)
          && (hour == null || hour instanceof Integer h && h >= 0 && h <= 23)
          && (byEmail == null || byEmail instanceof Boolean);
      if (!valid) {
        throw DomainException.invalid("digest must be {\"enabled\": true|false, \"hour\": 0-23, \"byEmail\": "
            + "true|false}");
      }
      digestEnabled = (Boolean) enabled;
      digestHour = (Integer) hour;
      digestByEmail = (Boolean) byEmail;
    }
    return new Preferences.Changes(body.has("preferredChannel"), channel, body.has("quietHours"), quietStart, quietEnd,
        digestEnabled, digestHour, digestByEmail);
  }

  private static String currency(String code) {
    if (code == null) {
      return null;
    }
    try {
      return java.util.Currency.getInstance(code).getCurrencyCode();
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("defaultCurrency must be an ISO 4217 code such as EUR or USD");
    }
  }

  /** {"start":"09:00","end":"17:30","days":[1,2,3,4,5]} — ISO days, Monday = 1. */
  private static WorkingHours workingHours(JsonObject json) {
    if (json == null) {
      return null;
    }
    try {
      java.time.LocalTime start = java.time.LocalTime.parse(json.getString("start"));
      java.time.LocalTime end = java.time.LocalTime.parse(json.getString("end"));
      var days = json.getJsonArray("days", new io.vertx.core.json.JsonArray(List.of(1, 2, 3, 4, 5))).stream()
          .map(d -> java.time.DayOfWeek.of(((Number) d).intValue())).distinct().sorted().toList();
      if (!end.isAfter(start) || days.isEmpty()) {
        throw new IllegalArgumentException();
      }
      return new WorkingHours(start, end, days);
    } catch (RuntimeException e) {
      throw DomainException.invalid("workingHours must be {\"start\":\"09:00\",\"end\":\"17:00\",\"days\":[1,2,3,4,5]} "
          + "with end after start and days from 1 (Monday) to 7");
    }
  }

  /** An email address as the person typed it, trimmed; a 422 when it is not one. */
  public static String email(String raw) {
    String email = raw.trim();
    if (!EMAIL.matcher(email).matches()) {
      throw DomainException.invalid("email is not a valid email address");
    }
    return email;
  }

  /** Only region ids (Europe/Paris), so daylight-saving rules come with the zone. */
  static ZoneId zone(String id) {
    if (id == null) {
      return null;
    }
    return TimeZones.parse(id)
        .orElseThrow(() -> DomainException.invalid("timezone must be an IANA time zone such as Europe/Paris"));
  }

}
