package dev.aide.proactive;

import dev.aide.conversation.Confirmations;
import dev.aide.conversation.Confirmations.Effect;
import dev.aide.conversation.Confirmations.Proposal;
import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.Quoted;
import dev.aide.conversation.ToolResults;
import dev.aide.platform.error.DomainException;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The assistant's "message me at …" tools: schedule a message to the person, list the ones waiting, cancel one. Thin,
 * acting for the conversation's user, answering in short facts.
 */
public final class ProactiveTools {

  private static final DateTimeFormatter SPOKEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy 'at' HH:mm", Locale.ENGLISH);
  private static final String BAD_TIME = "at must be an ISO-8601 date-time such as 2026-11-23T17:00:00+01:00.";

  private final ProactiveService messages;
  private final Confirmations confirmations;

  public ProactiveTools(ProactiveService messages, Confirmations confirmations) {
    this.messages = messages;
    this.confirmations = confirmations;
    confirmations.handle("scheduleMessage", this::schedule);
    confirmations.handle("cancelScheduledMessage", this::cancel);
  }

  @Tool(name = "scheduleMessage", value = "Send the user a message at a later date and time (\"message me at 6pm: "
      + "call John\"), on their usual channel; for a plain reminder use createReminder")
  public String scheduleMessage(
      @ToolMemoryId ConversationKey key,
      @P("the message to send, in the user's words, e.g. 'call John'") String content,
      @P("when to send it, as ISO-8601 date-time with the user's UTC offset, e.g. 2026-11-23T18:00:00+01:00") String at) {
    return ToolResults.attempt(BAD_TIME, () -> {
      OffsetDateTime when = instant(at, key);
      return confirmations.act(key, Proposal.of("scheduleMessage", Effect.CHANGE, 1,
          new JsonObject().put("content", content).put("at", when.toString()),
          "send you " + Quoted.of(content) + " on " + spoken(when, key)));
    });
  }

  @Tool(name = "listScheduledMessages", value = "List the messages the user asked Aide to send later, soonest first")
  public String listScheduledMessages(@ToolMemoryId ConversationKey key) {
    return ToolResults.attempt(() -> {
      List<ProactiveMessage> pending = messages.list(key.userId(), ProactiveMessage.Status.PENDING, 20).await();
      return pending.isEmpty() ? "You have no scheduled messages." : "Your scheduled messages:\n" + lines(pending);
    });
  }

  @Tool(name = "cancelScheduledMessage", value = "Cancel a scheduled message, named by id or by words of its text")
  public String cancelScheduledMessage(
      @ToolMemoryId ConversationKey key,
      @P(value = "the message's id", required = false) String id,
      @P(value = "words of the message's text, e.g. 'John'", required = false) String text) {
    return ToolResults.attempt(() -> {
      List<ProactiveMessage> found = matching(key, id, text);
      if (found.isEmpty()) {
        return "No scheduled message matches" + (text == null ? "" : " " + Quoted.of(text)) + ".";
      }
      if (found.size() > 1) {
        return "Several scheduled messages match; which one?\n" + lines(found);
      }
      ProactiveMessage m = found.get(0);
      return confirmations.act(key, Proposal.of("cancelScheduledMessage", Effect.REMOVE, 1,
          new JsonObject().put("id", m.id().toString()),
          "cancel the message " + Quoted.of(m.content()) + " of " + SPOKEN.format(m.scheduledFor())));
    });
  }

  private String schedule(ConversationKey key, JsonObject t) {
    ProactiveMessage m = messages.create(key.userId(), t.getString("content"), OffsetDateTime.parse(t.getString("at")),
        false, key.messageId()).await();
    confirmations.created(key, "proactive", m.id());
    return "Message scheduled for " + SPOKEN.format(m.scheduledFor()) + ": " + Quoted.of(m.content()) + ".";
  }

  private String cancel(ConversationKey key, JsonObject t) {
    confirmations.touching(key, "proactive", t.getString("id"));
    ProactiveMessage cancelled = messages.cancel(key.userId(), UUID.fromString(t.getString("id"))).await();
    return "Cancelled the message " + Quoted.of(cancelled.content()) + " of " + SPOKEN.format(cancelled.scheduledFor()) + ".";
  }

  private List<ProactiveMessage> matching(ConversationKey key, String id, String text) {
    if (id != null && !id.isBlank()) {
      UUID uuid;
      try {
        uuid = UUID.fromString(id.strip());
      } catch (IllegalArgumentException e) {
        throw DomainException.invalid("id '" + id + "' is not a message id");
      }
      return List.of(messages.get(key.userId(), uuid).await());
    }
    if (text == null || text.isBlank()) {
      throw DomainException.invalid("give the message's id or words of its text");
    }
    return messages.pendingMatching(key.userId(), text).await();
  }

  /** Models sometimes drop the offset: a local date-time is read in the user's timezone. */
  private static OffsetDateTime instant(String value, ConversationKey key) {
    String v = value == null ? "" : value.strip();
    try {
      return OffsetDateTime.parse(v);
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(v).atZone(key.timezone()).toOffsetDateTime();
    }
  }

  /** A time the model gave, as the person reads it; one beyond what a calendar can show stays as written. */
  private static String spoken(OffsetDateTime time, ConversationKey key) {
    try {
      return SPOKEN.format(time.atZoneSameInstant(key.timezone()));
    } catch (java.time.DateTimeException e) {
      return time.toString();
    }
  }

  private static String lines(List<ProactiveMessage> list) {
    StringBuilder out = new StringBuilder();
    list.forEach(m -> out.append(out.isEmpty() ? "" : "\n").append("- ").append(Quoted.of(m.content())).append(" — ")
        .append(SPOKEN.format(m.scheduledFor())).append(" [id ").append(m.id()).append(']'));
    return out.toString();
  }
}
