package dev.aide.connect;

import dev.aide.platform.secret.Sealed;
import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * An account elsewhere that a person connected (a CalDAV server), its sealed password, and how its last sync went:
 * status ok or error with the reason, when it last synced and last tried. Its JSON never holds the password.
 */
record ConnectedAccount(UUID id, UUID userId, String kind, String url, String username, Sealed password,
                        String status, String reason, OffsetDateTime lastSyncedAt, OffsetDateTime lastAttemptAt,
                        OffsetDateTime createdAt, List<Collection> calendars) {

  /** A calendar of the account and the Aide calendar it is copied into. */
  record Collection(UUID id, String href, String name, UUID calendarId, String syncToken, String ctag) {}

  /** Where the vault binds the password: a ciphertext copied to another account does not open. */
  static String context(UUID id) {
    return "linked_accounts/" + id;
  }

  JsonObject toJson(java.time.ZoneId zone) {
    return new JsonObject()
        .put("id", id.toString())
        .put("kind", kind)
        .put("url", url)
        .put("username", username)
        .put("status", status)
        .put("reason", reason)
        .put("lastSyncedAt", lastSyncedAt == null ? null : Times.iso(lastSyncedAt, zone))
        .put("lastAttemptAt", lastAttemptAt == null ? null : Times.iso(lastAttemptAt, zone))
        .put("createdAt", Times.iso(createdAt, zone))
        .put("calendars", new JsonArray(calendars.stream().map(c -> new JsonObject()
            .put("name", c.name()).put("calendarId", c.calendarId().toString())).toList()));
  }
}
