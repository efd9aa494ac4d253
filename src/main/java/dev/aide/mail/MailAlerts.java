package dev.aide.mail;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/**
 * The person's mail alert rules, as the API and the assistant change them: each names part of a sender, part of a
 * subject, or both; at most {@value MailAlertRule#MAX_PER_PERSON}.
 */
final class MailAlerts {

  private final MailAlertRuleRepository rules;

  MailAlerts(MailAlertRuleRepository rules) {
    this.rules = rules;
  }

  Future<List<MailAlertRule>> list(UUID userId) {
    return rules.list(userId);
  }

  /** Adds a rule; an invalid one (neither part, too long, control characters) or one too many changes nothing. */
  Future<MailAlertRule> add(UUID userId, String sender, String subject) {
    String from;
    String words;
    try {
      from = part(sender, "from");
      words = part(subject, "subject");
    } catch (DomainException e) {
      return Future.failedFuture(e);
    }
    if (from == null && words == null) {
      return Future.failedFuture(DomainException.invalid(
          "give part of the sender (from) or of the subject, or both, for the alert"));
    }
    return rules.add(userId, from, words).map(added -> added.orElseThrow(() -> new DomainException(
        DomainException.Kind.CONFLICT, "too_many_rules", "You have " + MailAlertRule.MAX_PER_PERSON
        + " mail alerts, the most Aide keeps; remove one first")));
  }

  Future<MailAlertRule> delete(UUID userId, UUID id) {
    return rules.delete(userId, id).map(found -> found.orElseThrow(() -> DomainException.notFound("mail alert")));
  }

  /** The part trimmed, or null when left out or blank; one line of text. */
  private static String part(String text, String field) {
    String part = Texts.optional(text, field, MailAlertRule.MAX_LENGTH);
    if (part != null && part.chars().anyMatch(c -> c == '\n' || c == '\r')) {
      throw DomainException.invalid(field + " must be one line");
    }
    return part;
  }
}
