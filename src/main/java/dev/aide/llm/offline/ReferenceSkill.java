package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.text;
import static dev.aide.llm.offline.OfflineReplies.toolCall;

import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonObject;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "It", "this" and "that event" name the event or reminder the conversation last touched ({@link Referent}): "move it
 * to 4", "cancel that", "could you repeat this event every week", "delete this reminder". Without such an item, or when
 * the message names something else, the other skills read it (and a vague "remove it" is asked about).
 */
final class ReferenceSkill implements OfflineSkill {

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  /** The pronoun, with the kind's noun it may carry ("that event", "this one", "it"). */
  private static final String IT = "(?:it|this|that)(?:\\s+(?:event|meeting|appointment|reminder|alarm|one|entry))?";
  private static final Pattern MOVE = Pattern.compile("^(?:move|reschedule|push|shift|change|bring|postpone|put off|"
      + "set|make)(?:\\s+(?:back|forward))?\\s+" + IT + "\\s+(?:to|till|until|for|at|on)\\s+(?<when>.+)$", FLAGS);
  private static final Pattern CANCEL = Pattern.compile("^(?:cancel|delete|remove|drop|erase|scrap|get rid of|"
      + "turn off)\\s+" + IT + "$", FLAGS);
  private static final Pattern REPEAT = Pattern.compile("^(?:(?:make|have|set)\\s+" + IT + "\\s+(?:repeat|recur|happen|"
      + "come back)?\\s*|(?:repeat|recur)\\s+" + IT + "\\s+)(?<rule>.+)$", FLAGS);
  /** "put it in my work calendar": the whole event goes to the calendar of that name. */
  private static final Pattern TO_CALENDAR = Pattern.compile("^(?:put|move|transfer|shift|place|add)\\s+" + IT
      + "\\s+(?:in|into|to|on|onto)\\s+(?:my|the|our)\\s+(?<name>[\\p{L}\\p{N}'&.-]+(?:\\s+[\\p{L}\\p{N}'&.-]+){0,2})"
      + "\\s+calendar$", FLAGS);
  private static final Pattern ASKED_WHEN = Pattern.compile("^(?:When|What time)\\b.*\\?$", Pattern.DOTALL);
  /** The nouns that name the other kind than the referent's. */
  private static final java.util.Map<Referent.Kind, Pattern> OTHER_KIND = java.util.Map.of(
      Referent.Kind.EVENT, Pattern.compile("\\b(?:reminder|alarm)s?\\b"),
      Referent.Kind.REMINDER, Pattern.compile("\\b(?:event|meeting|appointment)s?\\b"));

  private final TimePhraseParser times = new TimePhraseParser();
  private final CalendarSkill calendar = new CalendarSkill();

  @Override
  public Optional<ChatResponse> understand(OfflineRequest request) {
    if (request.referent().isEmpty()) {
      return Optional.empty();
    }
    Referent it = request.referent().get();
    String said = SpokenNumbers.digits(IntentSkill.clean(request.text()).toLowerCase(Locale.ROOT));
    if (OTHER_KIND.get(it.kind()).matcher(said).find()) {
      return Optional.empty();   // "delete this reminder" after an event was touched names something else
    }
    Matcher m;
    if ((m = CANCEL.matcher(said)).matches()) {
      return it.kind() == Referent.Kind.EVENT
          ? offered(request, "cancelEvent", new JsonObject().put("title", it.name()))
          : offered(request, "deleteReminders", new JsonObject().put("text", it.name()));
    }
    if ((m = TO_CALENDAR.matcher(said)).matches() && it.kind() == Referent.Kind.EVENT) {
      return offered(request, "changeEvent", new JsonObject().put("title", it.name())
          .put("newCalendar", m.group("name")).put("wholeSeries", true));
    }
    if ((m = REPEAT.matcher(said)).matches()) {
      return repeat(it, m.group("rule"), request);
    }
    // after Aide asked when ("When should I remind you …?"), "set it for 5pm" answers that question
    boolean answering = request.previousQuestion().filter(q -> ASKED_WHEN.matcher(q.strip()).matches()).isPresent();
    if ((m = MOVE.matcher(said)).matches() && !answering) {
      return move(it, m.group("when"), request);
    }
    return Optional.empty();
  }

  private Optional<ChatResponse> move(Referent it, String when, OfflineRequest request) {
    String phrase = when.matches("\\d{1,2}(?::\\d{2})?") ? "at " + when : when;   // "move it to 4": a time, not a date
    Optional<TimePhraseParser.Extraction> found = times.findAnywhere(phrase, request.now())
        .filter(e -> e.remainder().isBlank());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ZonedDateTime at = found.get().dateTime();
    boolean day = IntentSkill.DAY_WORDS.matcher(found.get().expression()).find();
    if (!IntentSkill.hasClock(found.get().expression())) {
      // "move it to friday" says no hour: the calendar's own reading asks for it rather than choosing one
      return it.kind() == Referent.Kind.EVENT
          ? calendar.understand(new OfflineRequest("move " + it.name() + " to " + when, request.now(), request.tools(),
              Optional.empty()))
          : Optional.empty();
    }
    String time = DateTimeFormatter.ofPattern("HH:mm").format(at);
    if (it.kind() == Referent.Kind.EVENT) {
      return offered(request, "changeEvent", new JsonObject().put("title", it.name())
          .put("newStart", day ? ISO.format(at.toOffsetDateTime()) : time));
    }
    JsonObject args = new JsonObject().put("text", it.name());
    return offered(request, "changeReminder", day ? args.put("newDueAt", ISO.format(at.toOffsetDateTime()))
        : args.put("newTimeOfDay", time));
  }

  private Optional<ChatResponse> repeat(Referent it, String rule, OfflineRequest request) {
    String rrule = Recurrences.find(rule).map(Recurrences.Found::rrule).orElse(null);
    if (rrule == null) {
      return Optional.empty();
    }
    if (it.kind() == Referent.Kind.REMINDER) {
      return Optional.of(text("I can't make an existing reminder repeat yet; say it again with the repetition, for "
          + "example \"remind me every week to " + it.name() + "\"."));
    }
    return offered(request, "changeEvent", new JsonObject().put("title", it.name()).put("newRrule", rrule)
        .put("wholeSeries", true));
  }

  private static Optional<ChatResponse> offered(OfflineRequest request, String tool, JsonObject args) {
    return request.offers(tool) ? Optional.of(toolCall(tool, args)) : Optional.empty();
  }
}
