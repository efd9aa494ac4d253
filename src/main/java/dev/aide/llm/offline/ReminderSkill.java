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

  private final ReminderRequestParser reminders = new ReminderRequestParser();
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
      Optional<ReminderRequest> parsed = reminders.parse(request.text(), request.now());
      if (parsed.isPresent()) {
        return Optional.of(switch (parsed.get()) {
          case ReminderRequest.Complete c -> createReminder(c.text(), c.dueAt());
          case ReminderRequest.MissingTime m -> text("When should I remind you to " + m.text() + "?");
          case ReminderRequest.MissingText m -> text("What should I remind you about?");
        });
      }
    }
    if (request.offers("listReminders") && LIST_REMINDERS.matcher(request.normalized()).matches()) {
      return Optional.of(toolCall("listReminders", new JsonObject()));
    }
    return Optional.empty();
  }

  private static ChatResponse createReminder(String task, ZonedDateTime dueAt) {
    return toolCall("createReminder", new JsonObject()
        .put("text", task)
        .put("dueAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dueAt.toOffsetDateTime())));
  }
}
