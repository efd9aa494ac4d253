package dev.aide.proactive;

import static dev.aide.platform.database.Blocking.join;

import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.ToolResults;
import dev.aide.platform.http.ApiException;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
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

  public ProactiveTools(ProactiveService messages) {
    this.messages = messages;
  }

  @Tool(name = "scheduleMessage", value = "Send the user a message at a later date and time (\"message me at 6pm: "
      + "call John\"), on their usual channel; for a plain reminder use createReminder")
  public String scheduleMessage(
      @ToolMemoryId ConversationKey key,
      @P("the message to send, in the user's words, e.g. 'call John'") String content,
      @P("when to send it, as ISO-8601 date-time with the user's UTC offset, e.g. 2026-11-23T18:00:00+01:00") String at) {
    return ToolResults.attempt(BAD_TIME, () -> {
      ProactiveMessage m = join(messages.create(key.userId(), content, instant(at, key), false, key.messageId()));
      return "Message scheduled for " + SPOKEN.format(m.scheduledFor()) + ": \"" + m.content() + "\".";
    });
  }

  @Tool(name = "listScheduledMessages", value = "List the messages the user asked Aide to send later, soonest first")
  public String listScheduledMessages(@ToolMemoryId ConversationKey key) {
    return ToolResults.attempt(() -> {
      List<ProactiveMessage> pending = join(messages.list(key.userId(), ProactiveMessage.Status.PENDING, 20));
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
        return "No scheduled message matches" + (text == null ? "" : " \"" + text + "\"") + ".";
      }
      if (found.size() > 1) {
        return "Several scheduled messages match; which one?\n" + lines(found);
      }
      ProactiveMessage cancelled = join(messages.cancel(key.userId(), found.get(0).id()));
      return "Cancelled the message \"" + cancelled.content() + "\" of " + SPOKEN.format(cancelled.scheduledFor()) + ".";
    });
  }

  private List<ProactiveMessage> matching(ConversationKey key, String id, String text) {
    if (id != null && !id.isBlank()) {
      UUID uuid;
      try {
        uuid = UUID.fromString(id.strip());
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("id '" + id + "' is not a message id");
      }
      return List.of(join(messages.get(key.userId(), uuid)));
    }
    if (text == null || text.isBlank()) {
      throw ApiException.invalid("give the message's id or words of its text");
    }
    return join(messages.pendingMatching(key.userId(), text));
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

  private static String lines(List<ProactiveMessage> list) {
    StringBuilder out = new StringBuilder();
    list.forEach(m -> out.append(out.isEmpty() ? "" : "\n").append("- ").append(m.content()).append(" — ")
        .append(SPOKEN.format(m.scheduledFor())).append(" [id ").append(m.id()).append(']'));
    return out.toString();
  }
}
