package dev.aide.reminder;

import static dev.aide.platform.database.Blocking.join;

import dev.aide.conversation.ConversationKey;
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

/** The assistant's reminder tools: thin, acting for the conversation's user, answering in short facts. */
public final class ReminderTools {

  private static final DateTimeFormatter SPOKEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy 'at' HH:mm", Locale.ENGLISH);

  private final ReminderService reminders;

  public ReminderTools(ReminderService reminders) {
    this.reminders = reminders;
  }

  @Tool(name = "createReminder", value = "Create a reminder for the user at a date and time")
  public String createReminder(
      @ToolMemoryId ConversationKey key,
      @P("what to remind the user of, in a few words, e.g. 'call mom'") String text,
      @P("when, as ISO-8601 date-time with the user's UTC offset, e.g. 2026-11-23T17:00:00+01:00") String dueAt,
      @P(value = "optional RFC 5545 RRULE for a repeating reminder, e.g. FREQ=WEEKLY;BYDAY=MO", required = false)
      String rrule) {
    OffsetDateTime due;
    try {
      due = parse(dueAt, key);
    } catch (DateTimeParseException e) {
      return "Error: dueAt '" + dueAt + "' is not an ISO-8601 date-time such as 2026-11-23T17:00:00+01:00.";
    }
    try {
      Reminder r = join(reminders.create(key.userId(), text, due, rrule, key.messageId()));
      return "Reminder set: \"" + r.text() + "\" on " + spoken(r) + (r.rrule() == null ? "" : ", repeating " + r.rrule()) + ".";
    } catch (ApiException e) {
      return "Error: " + e.getMessage() + ".";
    }
  }

  @Tool(name = "listReminders", value = "List the user's pending reminders, soonest first")
  public String listReminders(@ToolMemoryId ConversationKey key) {
    List<Reminder> pending = join(reminders.list(key.userId(), Reminder.Status.PENDING, null, null, 20));
    if (pending.isEmpty()) {
      return "You have no pending reminders.";
    }
    StringBuilder out = new StringBuilder("Your pending reminders:");
    pending.forEach(r -> out.append("\n- ").append(r.text()).append(" — ").append(spoken(r)));
    return out.toString();
  }

  /** Models sometimes drop the offset: a local date-time is read in the user's timezone. */
  private static OffsetDateTime parse(String value, ConversationKey key) {
    String v = value == null ? "" : value.strip();
    try {
      return OffsetDateTime.parse(v);
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(v).atZone(key.timezone()).toOffsetDateTime();
    }
  }

  private static String spoken(Reminder r) {
    return SPOKEN.format(r.dueAt());
  }
}
