package dev.aide.notification;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Something Aide tells a person without being asked: a reminder that came due, an event alert, the digest, a message
 * they scheduled. The key names it once and for all (for a reminder, its id and the instant it was due), so telling
 * it twice writes nothing new. Urgent notices go out during quiet hours too.
 *
 * @param title   the in-app notification's headline ("Reminder")
 * @param body    the in-app notification's text
 * @param message the text sent on a messaging channel (Telegram, SMS)
 */
public record Notice(UUID userId, String kind, String key, String title, String body, String message, boolean urgent,
                     JsonObject data) {

  /** The kind of the daily digest, which may go by email apart from the rest ({@link Recipient#addressFor}). */
  public static final String DIGEST = "digest";
}
