package dev.aide.reminder;

import dev.aide.calendar.EventService;
import dev.aide.calendar.Occurrence;
import dev.aide.conversation.Confirmations;
import dev.aide.conversation.Confirmations.Effect;
import dev.aide.conversation.Confirmations.Proposal;
import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.Quoted;
import dev.aide.conversation.ToolResults;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.time.Recurrence;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/** The assistant's reminder tools: thin, acting for the conversation's user, answering in short facts. */
public final class ReminderTools {

  private static final DateTimeFormatter SPOKEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy 'at' HH:mm", Locale.ENGLISH);

  /** "Delete all my reminders" takes at most this many at once (the question lists them). */
  private static final int ALL_LIMIT = 500;

  private final ReminderService reminders;
  private final EventService events;
  /** What a reminder (with its task) is called in the undo journal. */
  private static final String UNDO_KIND = "reminder";

  private final Confirmations confirmations;
  private final Clock clock;

  public ReminderTools(ReminderService reminders, EventService events, Confirmations confirmations, Clock clock) {
    this.reminders = reminders;
    this.events = events;
    this.confirmations = confirmations;
    this.clock = clock;
    confirmations.handle("createReminder", this::create);
    confirmations.handle("remindBeforeEvent", this::create);
    confirmations.handle("completeReminder", this::complete);
    confirmations.handle("changeReminder", this::change);
    confirmations.handle("snoozeReminder", this::snooze);
    confirmations.handle("deleteReminders", this::delete);
  }

  @Tool(name = "createReminder", value = "Create a reminder for the user at a date and time")
  public String createReminder(
      @ToolMemoryId ConversationKey key,
      @P("what to remind the user of, in a few words, e.g. 'call mom'") String text,
      @P("when, as ISO-8601 date-time with the user's UTC offset, e.g. 2026-11-23T17:00:00+01:00") String dueAt,
      @P(value = "optional RFC 5545 RRULE for a repeating reminder, e.g. FREQ=WEEKLY;BYDAY=MO", required = false)
      String rrule) {
    return ToolResults.attempt(() -> {
      OffsetDateTime due = instant(dueAt, key, "dueAt");
      return confirmations.act(key, Proposal.of("createReminder", Effect.CHANGE, 1,
          new JsonObject().put("text", text).put("dueAt", due.toString()).put("rrule", rrule),
          "set a reminder " + Quoted.of(text) + " on " + spoken(due, key)
              + (rrule == null ? "" : ", repeating " + rrule)));
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
      List<Occurrence> upcoming = events.find(key.userId(), now, now.plusDays(366), event).await().stream()
          .filter(o -> o.start().isAfter(now)).toList();
      if (upcoming.isEmpty()) {
        return "No upcoming event matches " + Quoted.of(event) + " in your calendar.";
      }
      Occurrence next = upcoming.get(0);
      String what = text == null || text.isBlank() ? next.title() : text;
      OffsetDateTime due = next.start().minusMinutes(minutesBefore);
      return confirmations.act(key, Proposal.of("remindBeforeEvent", Effect.CHANGE, 1,
          new JsonObject().put("text", what).put("dueAt", due.toString()).put("eventId", next.eventId().toString())
              .put("said", minutesBefore + " minutes before " + Quoted.of(next.title()) + ", on "),
          "set a reminder " + Quoted.of(what) + " " + minutesBefore + " minutes before " + Quoted.of(next.title())));
    });
  }

  @Tool(name = "listReminders", value = "List the user's pending reminders, soonest first")
  public String listReminders(@ToolMemoryId ConversationKey key) {
    List<Reminder> pending = reminders.list(key.userId(), Reminder.Status.PENDING, null, null, 20).await();
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
    // Done, it never fires again: silenced, a removal.
    return withOne(key, id, text, r -> confirmations.act(key, Proposal.of("completeReminder", Effect.REMOVE, 1,
        new JsonObject().put("id", r.id().toString()), "mark " + Quoted.of(r.text()) + " as done")));
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
      String what = "change the reminder " + Quoted.of(r.text())
          + (newText == null ? "" : " to " + Quoted.of(newText))
          + (due == null ? "" : " to " + spoken(due, key));
      // New words replace what it would say; a time far later silences it until then: both are removals.
      Effect effect = newText != null ? Effect.REMOVE
          : Effect.ofMove(r.dueAt().toInstant(), due == null ? null : due.toInstant(), clock.instant());
      return confirmations.act(key, Proposal.of("changeReminder", effect, 1, new JsonObject()
          .put("id", r.id().toString()).put("newText", newText).put("dueAt", due == null ? null : due.toString()), what));
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
    return withOne(key, id, text, r -> confirmations.act(key, Proposal.of("snoozeReminder",
        Effect.ofMove(r.dueAt().toInstant(), clock.instant().plusSeconds(60L * minutes), clock.instant()), 1,
        new JsonObject().put("id", r.id().toString()).put("minutes", minutes),
        "snooze " + Quoted.of(r.text()) + " for " + minutes + " minutes")));
  }

  @Tool(name = "deleteReminders", value = "Delete reminders named by id or by words of their text, or all of them; "
      + "deleting more than one, or all, is confirmed by the user: Aide asks them itself")
  public String deleteReminders(
      @ToolMemoryId ConversationKey key,
      @P(value = "the reminder's id", required = false) String id,
      @P(value = "words of the reminders' text", required = false) String text,
      @P(value = "true to delete every pending reminder", required = false) Boolean all,
      @P(value = "only the reminders due at this time: HH:mm (any day), or an ISO-8601 date-time; e.g. an alarm's time",
          required = false) String dueAt,
      @P(value = "only the reminders due from this ISO-8601 date-time on (with 'to'), e.g. the start of 'tomorrow'",
          required = false) String from,
      @P(value = "only the reminders due before this ISO-8601 date-time (with 'from')", required = false) String to) {
    return ToolResults.attempt(() -> {
      boolean byTime = dueAt != null && !dueAt.isBlank();
      boolean byPeriod = from != null && !from.isBlank() || to != null && !to.isBlank();
      OffsetDateTime start = byPeriod ? instant(from, key, "from") : null;
      OffsetDateTime end = byPeriod ? instant(to, key, "to") : null;
      if (byPeriod && !end.isAfter(start)) {
        return "Error: 'to' must be after 'from'. Nothing was deleted.";
      }
      boolean everything = Boolean.TRUE.equals(all) && (id == null || id.isBlank()) && (text == null || text.isBlank());
      List<Reminder> found = everything || byTime || byPeriod
          ? reminders.list(key.userId(), Reminder.Status.PENDING, null, null, ALL_LIMIT).await()
          : matching(key, id, text);
      if (byTime) {
        found = dueAt(found, dueAt.strip(), key);
      }
      if (byPeriod) {
        found = found.stream().filter(r -> !r.dueAt().isBefore(start) && r.dueAt().isBefore(end)).toList();
      }
      if ((byTime || byPeriod) && text != null && !text.isBlank()) {
        String words = text.strip().toLowerCase(Locale.ROOT);
        found = found.stream().filter(r -> r.text().toLowerCase(Locale.ROOT).contains(words)).toList();
      }
      if (found.isEmpty()) {
        return byTime ? "No pending reminder is due at " + dueAt.strip() + "."
            : byPeriod ? "No pending reminder is due " + period(start, end, key) + "."
            : everything ? "You have no pending reminders." : nothingMatches(id, text);
      }
      String what = found.size() == 1 ? "delete the reminder " + Quoted.of(found.get(0).text())
          : "delete " + found.size() + " reminders:\n" + lines(found, false);
      Proposal proposal = Proposal.of("deleteReminders", Effect.REMOVE, found.size(), new JsonObject()
          .put("ids", new JsonArray(found.stream().map(r -> r.id().toString()).toList())), what);
      return confirmations.act(key, everything ? proposal.everything() : proposal);
    });
  }

  private String create(ConversationKey key, JsonObject t) {
    String eventId = t.getString("eventId");
    Reminder r = reminders.create(key.userId(), t.getString("text"), OffsetDateTime.parse(t.getString("dueAt")),
        t.getString("rrule"), key.messageId(), eventId == null ? null : UUID.fromString(eventId)).await();
    confirmations.created(key, UNDO_KIND, r.id());
    if (eventId != null) {
      return "Reminder set: " + Quoted.of(r.text()) + " " + t.getString("said") + spoken(r) + ".";
    }
    return "Reminder set: " + Quoted.of(r.text()) + " on " + spoken(r) + (r.rrule() == null ? "" : ", repeating " + Recurrence.spoken(r.rrule())) + ".";
  }

  private String complete(ConversationKey key, JsonObject t) {
    confirmations.touching(key, UNDO_KIND, t.getString("id"));
    Reminder r = reminders.update(key.userId(), UUID.fromString(t.getString("id")),
        new ReminderRepository.Changes(null, null, false, null, Reminder.Status.DONE)).await();
    return "Marked done: " + Quoted.of(r.text()) + ".";
  }

  private String change(ConversationKey key, JsonObject t) {
    String due = t.getString("dueAt");
    confirmations.touching(key, UNDO_KIND, t.getString("id"));
    Reminder changed = reminders.update(key.userId(), UUID.fromString(t.getString("id")),
        new ReminderRepository.Changes(t.getString("newText"), due == null ? null : OffsetDateTime.parse(due), false,
            null, null)).await();
    return "Reminder changed: " + Quoted.of(changed.text()) + " on " + spoken(changed) + ".";
  }

  private String snooze(ConversationKey key, JsonObject t) {
    OffsetDateTime until = OffsetDateTime.now(clock.withZone(key.timezone())).plusMinutes(t.getInteger("minutes"));
    confirmations.touching(key, UNDO_KIND, t.getString("id"));
    Reminder snoozed = reminders.snooze(key.userId(), UUID.fromString(t.getString("id")), until).await();
    return "Snoozed " + Quoted.of(snoozed.text()) + " until " + spoken(snoozed) + ".";
  }

  private String delete(ConversationKey key, JsonObject t) {
    List<Reminder> deleted = new ArrayList<>();
    for (Object id : t.getJsonArray("ids")) {
      try {
        Reminder r = reminders.get(key.userId(), UUID.fromString((String) id)).await();
        confirmations.touching(key, UNDO_KIND, r.id());
        reminders.delete(key.userId(), r.id()).await();
        deleted.add(r);
      } catch (DomainException e) {
        if (e.kind() != DomainException.Kind.NOT_FOUND) {
          throw e;
        }
      }
    }
    int gone = t.getJsonArray("ids").size() - deleted.size();
    String already = gone == 0 ? "" : " (" + gone + " had already gone)";
    if (deleted.isEmpty()) {
      return "Those reminders had already gone; nothing was deleted.";
    }
    return (deleted.size() == 1 ? "Deleted the reminder " + Quoted.of(deleted.get(0).text())
        : "Deleted " + deleted.size() + " reminders") + already + ".";
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

  /** The reminders due at a time of day (HH:mm, any day) or at an instant, in the person's timezone. */
  private static List<Reminder> dueAt(List<Reminder> pending, String when, ConversationKey key) {
    if (when.matches("\\d{1,2}:\\d{2}")) {
      java.time.LocalTime time;
      try {
        time = java.time.LocalTime.parse(when.length() == 4 ? "0" + when : when);
      } catch (DateTimeParseException e) {
        throw DomainException.invalid("dueAt '" + when + "' is not a time of day such as 06:30");
      }
      return pending.stream().filter(r -> r.dueAt().atZoneSameInstant(key.timezone()).toLocalTime().equals(time)).toList();
    }
    OffsetDateTime at = instant(when, key, "dueAt");
    return pending.stream().filter(r -> r.dueAt().toInstant().equals(at.toInstant())).toList();
  }

  private List<Reminder> matching(ConversationKey key, String id, String text) {
    UUID uuid = null;
    if (id != null && !id.isBlank()) {
      try {
        uuid = UUID.fromString(id.strip());
      } catch (IllegalArgumentException e) {
        throw DomainException.invalid("id '" + id + "' is not a reminder id");
      }
    }
    return reminders.find(key.userId(), uuid, text, OffsetDateTime.now(clock)).await();
  }

  private static String nothingMatches(String id, String text) {
    return id != null || text != null
        ? "No pending reminder matches" + (text == null ? "" : " " + Quoted.of(text)) + "."
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
        throw DomainException.invalid(field + " '" + value + "' is not an ISO-8601 date-time such as 2026-11-23T17:00:00+01:00");
      }
    }
  }

  private static OffsetDateTime sameDayAt(Reminder r, String timeOfDay, ConversationKey key) {
    try {
      return r.dueAt().atZoneSameInstant(key.timezone()).toLocalDate()
          .atTime(java.time.LocalTime.parse(timeOfDay.strip())).atZone(key.timezone()).toOffsetDateTime();
    } catch (DateTimeParseException e) {
      throw DomainException.invalid("newTimeOfDay '" + timeOfDay + "' is not a time such as 18:00");
    }
  }

  private static String lines(List<Reminder> reminders) {
    return lines(reminders, true);
  }

  /** One line per reminder; with its id for the model to name it by, without when the person reads it. */
  private static String lines(List<Reminder> reminders, boolean ids) {
    StringBuilder out = new StringBuilder();
    reminders.forEach(r -> out.append(out.isEmpty() ? "" : "\n").append("- ").append(Quoted.of(r.text())).append(" — ")
        .append(spoken(r)).append(ids ? " [id " + r.id() + "]" : ""));
    return out.toString();
  }

  /** A time the model gave, as the person reads it; one beyond what a calendar can show stays as written. */
  private static String spoken(OffsetDateTime time, ConversationKey key) {
    try {
      return SPOKEN.format(time.atZoneSameInstant(key.timezone()));
    } catch (java.time.DateTimeException e) {
      return time.toString();
    }
  }

  /** "between Thu 19 Nov 2026 at 00:00 and Fri 20 Nov 2026 at 00:00", in the person's timezone. */
  private static String period(OffsetDateTime from, OffsetDateTime to, ConversationKey key) {
    return "between " + spoken(from, key) + " and " + spoken(to, key);
  }

  private static String spoken(Reminder r) {
    return SPOKEN.format(r.dueAt());
  }
}
