package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.text;
import static dev.aide.llm.offline.OfflineReplies.toolCall;

import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonObject;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reminder requests: create one ("remind me to …"), answer Aide's "when?" question, list them. */
public final class ReminderSkill implements OfflineSkill {

  private static final Pattern ASKED_WHEN = Pattern.compile("^When should I remind you to (.+)\\?$");
  private static final Pattern LIST_REMINDERS = Pattern.compile(
      "^(what|which|show|list|tell me|do i have|any)\\b.*\\breminders?\\b.*$|^(my )?reminders$");

  private static final String REMINDER_WORDS = "(?:my |the )?(?:reminders? (?:to |about |for |that )?)?";
  private static final Pattern COMPLETE = Pattern.compile(
      "^(?:mark|tick off|check off|tick|set) " + REMINDER_WORDS + "(.+?)(?: reminder)? (?:as )?(?:done|complete|completed|finished)$"
          + "|^(?:done|finished) with " + REMINDER_WORDS + "(.+?)(?: reminder)?$");
  private static final Pattern DELETE = Pattern.compile(
      "^(?:please )?(?:cancel|delete|remove|drop|clear) (all )?" + REMINDER_WORDS + "(.+?)(?: reminders?)?$");
  private static final Pattern SNOOZE = Pattern.compile(
      "^(?:snooze|postpone|delay)(?: (?:it|that|this|the reminder|my reminder))?(?: (?:to |about |for )?(.+?))?"
          + " (?:for|by) (.+)$|^remind me again in (.+)$");
  private static final Pattern DELETE_ALL = Pattern.compile(
      "^(?:please )?(?:cancel|delete|remove|drop|clear|erase|get rid of) (?:all|every|each|any)(?: of)? (?:my |the )?"
          + "(?:pending )?reminders?$|^(?:please )?(?:clear|wipe) (?:out )?(?:all )?(?:my |the )?reminders$");
  private static final Pattern CHANGE = Pattern.compile(
      "^(?:move|change|reschedule|push|shift) " + REMINDER_WORDS + "(.+?)(?: reminder)? to (.+)$");

  // "remind me 10 minutes before the dentist", "… an hour before my flight to pack"
  private static final Pattern BEFORE_EVENT = Pattern.compile(
      "^(?:please )?remind me (\\d+ (?:minutes?|mins?|hours?|hrs?)|an? (?:minute|hour)|half an hour) before "
          + "(?:the |my |our )?(.+?)(?: to (.+))?$");
  private static final Pattern TIME_ONLY = Pattern.compile(
      "^(?:at )?(?:\\d{1,2}(?::\\d{2})?\\s*(?:am|pm|o'clock)?|noon|midday|half past \\d{1,2}|quarter (?:past|to) \\d{1,2})$");

  private final ReminderRequestParser reminders = new ReminderRequestParser();
  /** "every Friday at 5pm", "ten am", "march twenty third": what the phrasing rules leave without a time. */
  private final IntentSkill lenient = new IntentSkill();
  private final TimePhraseParser times = new TimePhraseParser();

  @Override
  public Optional<ChatResponse> understand(OfflineRequest request) {
    if (request.offers("createReminder")) {
      // "When should I remind you to call mom?" — "tomorrow at 5"
      Optional<ChatResponse> answer = request.previousQuestion().map(ASKED_WHEN::matcher).filter(Matcher::matches)
          .flatMap(asked -> times.parse(request.text().strip().replaceAll("[.!?]+$", ""), request.now())
              .map(due -> createReminder(asked.group(1), due)));
      if (answer.isPresent()) {
        return answer;
      }
      // "What time should I set the alarm for?" — "6:30"
      if (request.previousQuestion().filter(IntentSkill.ASK_ALARM_TIME::equals).isPresent()) {
        Optional<ZonedDateTime> due = times.parse(request.normalized(), request.now())
            .or(() -> times.parse("at " + request.normalized(), request.now()));
        if (due.isPresent()) {
          return Optional.of(OfflineReplies.toolCall("createReminder", new JsonObject().put("text", "Alarm")
              .put("dueAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(due.get().toOffsetDateTime())),
              IntentSkill.NO_ALARM_CLOCK));
        }
      }
    }
    if (request.offers("remindBeforeEvent")) {
      Matcher before = BEFORE_EVENT.matcher(request.normalized());
      if (before.matches()) {
        Optional<Integer> minutes = minutes(before.group(1));
        if (minutes.isPresent()) {
          JsonObject args = new JsonObject().put("event", before.group(2)).put("minutesBefore", minutes.get());
          if (before.group(3) != null) {
            args.put("text", before.group(3));
          }
          return Optional.of(toolCall("remindBeforeEvent", args));
        }
      }
    }
    // "cancel the reminder to call mom" must not read as a new "reminder to call mom".
    Optional<ChatResponse> managed = manage(request);
    if (managed.isPresent()) {
      return managed;
    }
    if (request.offers("createReminder")) {
      Optional<ReminderRequest> parsed = reminders.parse(request.text(), request.now());
      // "every other tuesday at nine am", "on the twenty second of january": a recurrence or numbers in words are
      // read by the lenient reading, which knows both; the rules' own reading stands when it finds nothing more
      if (parsed.isPresent() && (Recurrences.find(request.text()).isPresent()
          || !SpokenNumbers.digits(request.text()).equals(request.text().replaceAll("\\s+", " ").strip()))) {
        Optional<ChatResponse> lenientAnswer = lenient.reminderLeniently(request);
        if (lenientAnswer.isPresent()) {
          return lenientAnswer;
        }
      }
      if (parsed.isPresent()) {
        return Optional.of(switch (parsed.get()) {
          case ReminderRequest.Complete c -> createReminder(c.text(), c.dueAt());
          case ReminderRequest.MissingTime m -> lenient.reminderLeniently(request)
              .orElse(text("When should I remind you to " + m.text() + "?"));
          case ReminderRequest.MissingText m -> text("What should I remind you about?");
        });
      }
    }
    if (request.offers("listReminders") && LIST_REMINDERS.matcher(request.normalized()).matches()) {
      return Optional.of(toolCall("listReminders", new JsonObject()));
    }
    return Optional.empty();
  }

  /** Done, snooze, move and delete: the reminder is named by words of its text. */
  private Optional<ChatResponse> manage(OfflineRequest request) {
    String text = request.normalized();
    Matcher m;
    if (request.offers("snoozeReminder") && (m = SNOOZE.matcher(text)).matches()) {
      String task = m.group(1);
      Optional<Integer> minutes = minutes(m.group(2) != null ? m.group(2) : m.group(3));
      if (minutes.isEmpty()) {
        return Optional.of(text("For how long should I snooze it?"));
      }
      JsonObject args = new JsonObject().put("minutes", minutes.get());
      if (task != null && !task.isBlank()) {
        args.put("text", task);
      }
      return Optional.of(toolCall("snoozeReminder", args));
    }
    if (request.offers("completeReminder") && (m = COMPLETE.matcher(text)).matches()) {
      String task = m.group(1) != null ? m.group(1) : m.group(2);
      return Optional.of(toolCall("completeReminder", new JsonObject().put("text", task)));
    }
    if (request.offers("changeReminder") && (m = CHANGE.matcher(text)).matches()) {
      Optional<ZonedDateTime> due = times.parse(m.group(2), request.now());
      if (due.isPresent() && TIME_ONLY.matcher(m.group(2)).matches()) {
        // "move it to 6pm" keeps the reminder's day.
        return Optional.of(toolCall("changeReminder", new JsonObject().put("text", m.group(1))
            .put("newTimeOfDay", due.get().toLocalTime().toString())));
      }
      if (due.isPresent()) {
        return Optional.of(toolCall("changeReminder", new JsonObject().put("text", m.group(1))
            .put("newDueAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(due.get().toOffsetDateTime()))));
      }
    }
    if (request.offers("deleteReminders") && DELETE_ALL.matcher(text).matches()) {
      // "delete all my reminders": every one, which the tool asks the person about first
      return Optional.of(toolCall("deleteReminders", new JsonObject().put("all", true)));
    }
    if (request.offers("deleteReminders") && text.contains("reminder") && (m = DELETE.matcher(text)).matches()) {
      // "delete all reminders of sunday": the words are a day, not the reminders' text
      String named = m.group(2).replaceFirst("^(?:of|for|on|from|due|set for)\\s+", "");
      Optional<ZonedDateTime> day = times.parse(named, request.now());
      if (day.isPresent() && !named.matches(".*\\d.*")) {
        ZonedDateTime start = day.get().toLocalDate().atStartOfDay(request.now().getZone());
        return Optional.of(toolCall("deleteReminders", new JsonObject()
            .put("from", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start.toOffsetDateTime()))
            .put("to", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start.plusDays(1).toOffsetDateTime()))));
      }
      return Optional.of(toolCall("deleteReminders", new JsonObject().put("text", m.group(2))));
    }
    return Optional.empty();
  }

  /** "10 minutes", "an hour", "2 hours", "half an hour", "90 mins". */
  static Optional<Integer> minutes(String phrase) {
    if (phrase == null) {
      return Optional.empty();
    }
    String p = phrase.strip();
    if (p.equals("half an hour")) {
      return Optional.of(30);
    }
    Matcher m = Pattern.compile("^(an?|one|\\d+) (minute|min|hour|hr)s?$").matcher(p);
    if (!m.matches()) {
      return Optional.empty();
    }
    int n = m.group(1).matches("\\d+") ? Integer.parseInt(m.group(1)) : 1;
    return Optional.of(m.group(2).startsWith("h") ? n * 60 : n);
  }

  private static ChatResponse createReminder(String task, ZonedDateTime dueAt) {
    return toolCall("createReminder", new JsonObject()
        .put("text", task)
        .put("dueAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dueAt.toOffsetDateTime())));
  }
}
