package dev.aide.mail;

import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.Quoted;
import dev.aide.conversation.ToolResults;
import dev.aide.platform.error.DomainException;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import java.util.List;
import java.util.UUID;

/**
 * The assistant's tools for mail alerts: "tell me when the bank emails me" adds a rule, and the person can list and
 * remove them. New unread mail from people the person has written to is always told; rules add more.
 */
public final class MailAlertTools {

  private final MailAlerts alerts;

  MailAlertTools(MailAlerts alerts) {
    this.alerts = alerts;
  }

  @Tool(name = "addMailAlert", value = "Tell the user when new email arrives from a sender and/or with words in its "
      + "subject (\"let me know when the bank emails me\": from bank). Mail from people the user has written to is "
      + "always told; this adds others")
  public String addMailAlert(
      @ToolMemoryId ConversationKey key,
      @P(value = "part of the sender's name or address, e.g. 'bank' or 'landlord@example.com'", required = false)
      String from,
      @P(value = "words the subject must contain, e.g. 'invoice'", required = false) String subject) {
    return ToolResults.attempt(() -> {
      MailAlertRule rule = alerts.add(key.userId(), from, subject).await();
      return "Added: the user will be told of new email " + Quoted.of(rule.describe()) + " (alert id " + rule.id()
          + ").";
    });
  }

  @Tool(name = "listMailAlerts", value = "List the user's email alerts (which new mail they are told about)")
  public String listMailAlerts(@ToolMemoryId ConversationKey key) {
    return ToolResults.attempt(() -> {
      List<MailAlertRule> rules = alerts.list(key.userId()).await();
      if (rules.isEmpty()) {
        return "No email alerts of the user's own; new mail from people the user has written to is told anyway.";
      }
      StringBuilder out = new StringBuilder("The user's email alerts (besides mail from people they have written "
          + "to):");
      rules.forEach(r -> out.append("\n- ").append(Quoted.of(r.describe())).append(" (id ").append(r.id()).append(')'));
      return out.toString();
    });
  }

  @Tool(name = "removeMailAlert", value = "Remove one of the user's email alerts, by its id from listMailAlerts")
  public String removeMailAlert(@ToolMemoryId ConversationKey key, @P("the alert's id") String id) {
    UUID alertId;
    try {
      alertId = UUID.fromString(id == null ? "" : id.strip());
    } catch (IllegalArgumentException e) {
      return "Error: no email alert with id " + Quoted.of(String.valueOf(id)) + ". Use listMailAlerts for the ids.";
    }
    return ToolResults.attempt(() -> {
      try {
        MailAlertRule removed = alerts.delete(key.userId(), alertId).await();
        return "Removed the email alert " + Quoted.of(removed.describe()) + ".";
      } catch (DomainException e) {
        if (e.kind() == DomainException.Kind.NOT_FOUND) {
          return "Error: no email alert with id " + alertId + ". Use listMailAlerts for the ids.";
        }
        throw e;
      }
    });
  }
}
