package dev.aide.account;

import dev.aide.auth.AuthService;
import dev.aide.platform.time.Times;
import dev.aide.platform.module.Exporter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

/**
 * Everything Aide holds about a person, as one JSON document (GDPR's portability): the profile, then each feature's
 * own part, read through its own repository and written in the API's own shapes. Never a password hash, a token or
 * a token's hash.
 */
public final class AccountExport {

  /** Names the document's format, so a later version can change it and still be told apart. */
  public static final String FORMAT = "aide-export/1";

  private final AuthService auth;
  private final Map<String, Exporter> parts;
  private final Clock clock;

  public AccountExport(AuthService auth, Map<String, Exporter> parts, Clock clock) {
    this.auth = auth;
    this.parts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parts));
    this.clock = clock;
  }

  public Future<JsonObject> export(UUID userId) {
    JsonObject out = new JsonObject().put("format", FORMAT)
        .put("exportedAt", Times.iso(OffsetDateTime.now(clock)));
    return auth.me(userId).compose(profile -> {
      ZoneId zone = profile.user().timezone();
      out.put("profile", profile.toJson());
      // One part after another: a person with years of data should not take the whole connection pool at once.
      Future<Void> chain = Future.succeededFuture();
      for (Map.Entry<String, Exporter> part : parts.entrySet()) {
        chain = chain.compose(v -> part.getValue().export(userId, zone).map(items -> {
          out.put(part.getKey(), items);
          return null;
        }));
      }
      return chain.map(out);
    });
  }
}
