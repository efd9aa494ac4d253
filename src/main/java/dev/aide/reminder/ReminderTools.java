package dev.aide.reminder;

import static dev.aide.platform.database.Blocking.join;

import dev.aide.calendar.EventService;
import dev.aide.calendar.Occurrence;
import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.ToolResults;
import dev.aide.platform.http.ApiException;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/** The assistant's reminder tools: thin, acting for the conversation's user, answering in short facts. */
public final class ReminderTools {

  private static final DateTimeFormatter SPOKEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy 'at' HH:mm", Locale.ENGLISH);

  private final ReminderService reminders;
  private final EventService events;
  private final Clock clock;

  public ReminderTools(ReminderService reminders, EventService events, Clock clock) {
    this.reminders = reminders;
    this.events = events;
    this.clock = clock;
  }

  @Tool(name = "createReminder", value = "Create a reminder for the user at a date and time")
  public String createReminder(
      @ToolMemoryId ConversationKey key,
      @P("what to remind the user of, in a few words, e.g. 'call mom'") String text,
      @P("when, as ISO-8601 date-time with the user's UTC offset, e.g. 2026-11-23T17:00:00+01:00") String dueAt,
      @P(value = "optional RFC 5545 RRULE for a repeating reminder, e.g. FREQ=WEEKLY;BYDAY=MO", required = false)
      String rrule) {
    return ToolResults.attempt(() -> {
      Reminder r = join(reminders.create(key.userId(), text, instant(dueAt, key, "dueAt"), rrule, key.messageId()));
      return "Reminder set: \"" + r.text() + "\" on " + spoken(r) + (r.rrule() == null ? "" : ", repeating " + r.rrule()) + ".";
    });
  }

  @Tool(name = "remindBeforeEvent", value = "Remind the user some minutes before the next occurrence of one of "
      + "their calendar events, named by words of its title")
  public String remindBeforeEvent(
      @ToolMemoryId ConversationKey key,
      @P("words of the event's title, e.g. 'dentist'") String event,
      @P("how many minutes before the event's start") int minutesBefore,
      @P(value = "what to remind of, if not the event's title", required = false) String text) {
    if (minutesBefore < 0 || minutesBefore > 60 * 24 * 14) {
      return "Error: minutesBefore must be between 0 and 20160.";
    }
    return ToolResults.attempt(() -> {
      OffsetDateTime now = OffsetDateTime.now(clock.withZone(key.timezone()));
      List<Occurrence> upcoming = join(events.find(key.userId(), now, now.plusDays(366), event)).stream()
          .filter(o -> o.start().isAfter(now)).toList();
      if (upcoming.isEmpty()) {
        return "No upcoming event matches \"" + event + "\" in your calendar.";
      }
      Occurrence next = upcoming.get(0);
      String what = text == null || text.isBlank() ? next.title() : text;
      Reminder r = join(reminders.create(key.userId(), what, next.start().minusMinutes(minutesBefore), null,
          key.messageId(), next.eventId()));
      return "Reminder set: \"" + r.text() + "\" " + minutesBefore + " minutes before " + next.title() + ", on "
          + spoken(r) + ".";
    });
  }

  @Tool(name = "listReminders", value = "List the user's pending reminders, soonest first")
  public String listReminders(@ToolMemoryId ConversationKey key) {
    List<Reminder> pending = join(reminders.list(key.userId(), Reminder.Status.PENDING, null, null, 20));
    if (pending.isEmpty()) {
      return "You have no pending reminders.";
    }
    return "Your pending reminders:\n" + lines(pending);
  }

  @Tool(name = "completeReminder", value = "Mark a pending reminder as done, named by id or by words of its text")
  public String completeReminder(
      @ToolMemoryId ConversationKey key,
      @P(value = "the reminder's id", required = false) String id,
      @P(value = "words of the reminder's text, e.g. 'call mom'", required = false) String text) {
    return withOne(key, id, text, r -> {
      join(reminders.update(key.userId(), r.id(), new ReminderRepository.Changes(null, null, false, null, Reminder.Status.DONE)));
      return "Marked done: \"" + r.text() + "\".";
    });
  }

  @Tool(name = "changeReminder", value = "Change the text or the time of a pending reminder, named by id or by words of its text")
  public String changeReminder(
      @ToolMemoryId ConversationKey key,
      @P(value = "the reminder's id", required = false) String id,
      @P(value = "words of the reminder's current text", required = false) String text,
      @P(value = "the new text", required = false) String newText,
      @P(value = "the new date and time, ISO-8601 with the user's UTC offset", required = false) String newDueAt,
      @P(value = "only a new time of day, HH:mm, keeping the reminder's date", required = false) String newTimeOfDay) {
    return withOne(key, id, text, r -> {
      if (newText == null && newDueAt == null && newTimeOfDay == null) {
        return "Error: give a new text, a new date and time, or a new time of day.";
      }
      OffsetDateTime due = newDueAt != null ? instant(newDueAt, key, "newDueAt")
          : newTimeOfDay != null ? sameDayAt(r, newTimeOfDay, key) : null;
      Reminder changed = join(reminders.update(key.userId(), r.id(),
          new ReminderRepository.Changes(newText, due, false, null, null)));
      return "Reminder changed: \"" + changed.text() + "\" on " + spoken(changed) + ".";
    });
  }

  @Tool(name = "snoozeReminder", value = "Put a reminder off for some minutes; without id or text, the one that came due last")
  public String snoozeReminder(
      @ToolMemoryId ConversationKey key,
      @P(value = "the reminder's id", required = false) String id,
      @P(value = "words of the reminder's text", required = false) String text,
      @P("how many minutes to put it off") int minutes) {
    if (minutes < 1 || minutes > 60 * 24 * 30) {
      return "Error: minutes must be between 1 and 43200.";
    }
    return withOne(key, id, text, r -> {
      OffsetDateTime until = OffsetDateTime.now(clock.withZone(key.timezone())).plusMinutes(minutes);
      Reminder snoozed = join(reminders.snooze(key.userId(), r.id(), until));
      return "Snoozed \"" + snoozed.text() + "\" until " + spoken(snoozed) + ".";
    });
  }

  @Tool(name = "deleteReminders", value = "Delete reminders named by id or by words of their text; "
      + "more than one needs the user's confirmation first")
  public String deleteReminders(
      @ToolMemoryId ConversationKey key,
      @P(value = "the reminder's id", required = false) String id,
      @P(value = "words of the reminders' text", required = false) String text,
      @P(value = "true only after the user confirmed deleting several reminders", required = false) Boolean confirm) {
    return ToolResults.attempt(() -> {
      List<Reminder> found = matching(key, id, text);
      if (found.isEmpty()) {
        return nothingMatches(id, text);
      }
      if (found.size() > 1 && !Boolean.TRUE.equals(confirm)) {
        return "This would delete " + found.size() + " reminders:\n" + lines(found)
            + "\nAsk the user to confirm, then call again with confirm=true.";
      }
      found.forEach(r -> join(reminders.delete(key.userId(), r.id())));
      return found.size() == 1 ? "Deleted the reminder \"" + found.get(0).text() + "\"."
          : "Deleted " + found.size() + " reminders.";
    });
  }

  /** Runs an action on exactly one matching reminder, or says why it cannot. */
  private String withOne(ConversationKey key, String id, String text, Function<Reminder, String> action) {
    return ToolResults.attempt(() -> {
      List<Reminder> found = matching(key, id, text);
      if (found.isEmpty()) {
        return nothingMatches(id, text);
      }
      if (found.size() > 1) {
        return "Several reminders match; which one?\n" + lines(found);
      }
      return action.apply(found.get(0));
    });
  }

  private List<Reminder> matching(ConversationKey key, String id, String text) {
    UUID uuid = null;
    if (id != null && !id.isBlank()) {
      try {
        uuid = UUID.fromString(id.strip());
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("id '" + id + "' is not a reminder id");
      }
    }
    return join(reminders.find(key.userId(), uuid, text, OffsetDateTime.now(clock)));
  }

  private static String nothingMatches(String id, String text) {
    return id != null || text != null
        ? "No pending reminder matches" + (text == null ? "" : " \"" + text + "\"") + "."
        : "There is no reminder due to snooze.";
  }

  /** Models sometimes drop the offset: a local date-time is read in the user's timezone. */
  private static OffsetDateTime instant(String value, ConversationKey key, String field) {
    String v = value == null ? "" : value.strip();
    try {
      return OffsetDateTime.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(v).atZone(key.timezone()).toOffsetDateTime();
      } catch (DateTimeParseException again) {
        throw ApiException.invalid(field + " '" + value + "' is not an ISO-8601 date-time such as 2026-11-23T17:00:00+01:00");
      }
    }
  }

  private static OffsetDateTime sameDayAt(Reminder r, String timeOfDay, ConversationKey key) {
    try {
      return r.dueAt().atZoneSameInstant(key.timezone()).toLocalDate()
          .atTime(java.time.LocalTime.parse(timeOfDay.strip())).atZone(key.timezone()).toOffsetDateTime();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("newTimeOfDay '" + timeOfDay + "' is not a time such as 18:00");
    }
  }

  private static String lines(List<Reminder> reminders) {
    StringBuilder out = new StringBuilder();
    reminders.forEach(r -> out.append(out.isEmpty() ? "" : "\n").append("- ").append(r.text()).append(" — ")
        .append(spoken(r)).append(" [id ").append(r.id()).append(']'));
    return out.toString();
  }

  private static String spoken(Reminder r) {
    return SPOKEN.format(r.dueAt());
  }
}
