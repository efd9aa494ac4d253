package dev.aide.mail;

import dev.aide.platform.time.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;

/**
 * A rule the person set for mail alerts: new unread mail whose sender (name or address) contains {@code sender} and
 * whose subject contains {@code subject}, each ignoring case; a rule without one of them does not look at it.
 */
record MailAlertRule(UUID id, String sender, String subject, OffsetDateTime createdAt) {

  /** The most rules a person keeps. */
  static final int MAX_PER_PERSON = 50;
  static final int MAX_LENGTH = 200;

  boolean matches(MailClient.Envelope mail) {
    return (sender == null || contains(mail.from(), sender) || contains(mail.fromAddress(), sender))
        && (subject == null || contains(mail.subject(), subject));
  }

  private static boolean contains(String text, String part) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
  }

  /** How the person reads the rule back: from “bank”, subject with “invoice”. */
  String describe() {
    return (sender == null ? "" : "from “" + sender + "”") + (sender != null && subject != null ? ", " : "")
        + (subject == null ? "" : "subject with “" + subject + "”");
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("from", sender).put("subject", subject)
        .put("createdAt", Times.iso(createdAt));
  }
}
