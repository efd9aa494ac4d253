package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.text;
import static dev.aide.llm.offline.OfflineReplies.toolCall;

import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calendar requests: add an event ("schedule a meeting with Sam tomorrow at 3pm", "lunch with Ana next Wednesday
 * from 12 to 1:30", "team standup every Monday at 9"), ask what is on ("what's on my calendar tomorrow", "what do I
 * have this weekend"), cancel one ("cancel the dentist on Friday") or move one ("move the meeting with Sam to 4pm"),
 * with an alert ("… and alert me 15 minutes before"), or set or remove one's alert ("alert me 10 minutes before the
 * dentist", "remove the alert for the standup").
 *
 * <p>Choices: an event without an end or a duration lasts one hour; a span's end without am/pm is the first reading
 * after its start ("from 12 to 1:30" ends at 13:30); "every Monday" repeats weekly from the next Monday, "every day"
 * daily, "every weekday" Monday to Friday. A day without a time is asked about rather than guessed. "What's on"
 * without a day means the next seven days; "this weekend" is Saturday and Sunday, "next week" Monday to Sunday.
 * Texts about reminders, lists, notes or expenses are left to the other skills, so this skill may go before them.
 */
public final class CalendarSkill implements OfflineSkill {

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final DateTimeFormatter SPOKEN_DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
  private static final int DEFAULT_MINUTES = 60;

  private static final Pattern OTHER_SKILLS = Pattern.compile(
      "\\b(remind|reminders?|snooze|lists?|to[- ]?dos?|notes?|expenses?|spent|spend|budget|grocer(y|ies)|shopping|alarms?)\\b",
      FLAGS);
  /** A removal's target that names no item ("delete item", "remove it", "cancel the next event on the calendar"). */
  private static final Pattern VAGUE_TARGET = Pattern.compile("^(?:(?:the|my|this|that|next|last|first|second|third|"
      + "an?|one|two|three|four|five|\\d+(?:st|nd|rd|th)?|of|upcoming|current|it|everything|all|item|items|line|lines|entry|entries|thing|"
      + "things|event|events|appointment|appointments|meeting|meetings|schedule|schedules|calendar|day|data|stuff|and|"
      + "information|info|for|from|rest|remainder|week|month|today|tomorrow|tonight)(?:\\s+|$))*$", FLAGS);
  private static final Pattern POSSESSIVE_DAY = Pattern.compile(
      "^(today|tomorrow|tonight|(?:mon|tues|wednes|thurs|fri|satur|sun)day)'s\\s+", FLAGS);
  private static final Pattern TARGET_FILLER = Pattern.compile(
      "\\s+(?:(?:that )?i (?:have|had|'ve got|booked|set|made)|(?:that is |that's |which is )?(?:scheduled|planned|booked|set))"
          + "(?=\\s|$)", FLAGS);
  private static final Pattern FROM_CALENDAR = Pattern.compile(
      "\\s*\\b(?:from|off|on|in|of) (?:my|the) (?:calendar|agenda|schedule|diary)\\b", FLAGS);
  private static final Pattern POLITE = Pattern.compile(
      "^(?:(?:hey|hi|ok|okay|please|pls|aide|can you|could you|would you|will you|i want to|i'd like to|"
          + "i need to|let's|lets)\\b[,]?\\s*)+", FLAGS);

  private static final Pattern CREATE = Pattern.compile(
      "^(?<verb>schedule|book|add|put|create|set up|plan|arrange|organi[sz]e)(?: (?:a|an|the) (?:new )?"
          + "(?:event|appointment|calendar entry|entry)(?= |$))?(?: (?:for|called|named|titled))?\\s*(?<rest>.*)$", FLAGS);
  private static final Pattern STRONG_VERB = Pattern.compile("^(schedule|book|set up|plan|arrange|organi[sz]e)$", FLAGS);
  private static final Pattern TO_CALENDAR = Pattern.compile(
      "\\s*\\b(?:to|on|in|into) (?:my|the) (?:calendar|agenda|schedule)\\b", FLAGS);
  /** A calendar the person names: "in my work calendar", "to the Family calendar" (one to three words of name). */
  private static final String CALENDAR_NAME = "(?<name>[\\p{L}\\p{N}'&.-]+(?: [\\p{L}\\p{N}'&.-]+){0,2}) calendar\\b";
  static final Pattern NAMED_CALENDAR = Pattern.compile(
      "\\s*\\b(?:to|on|in|into|onto) (?:my|the|our) " + CALENDAR_NAME, FLAGS);
  /** "move the dentist to my work calendar": the whole event goes to another calendar. */
  private static final Pattern MOVE_TO_CALENDAR = Pattern.compile(
      "^(?:move|transfer|shift) (?:(?:the|my|our) )?(?<what>.+?) (?:to|into|in|onto) (?:my|the|our) "
          + CALENDAR_NAME + "$", FLAGS);
  /** "from now on put events in my work calendar", "use my work calendar for new events", "make … the default". */
  private static final Pattern DEFAULT_CALENDAR = Pattern.compile(
      "^(?:(?:from now on|by default|in future|in the future),? )?(?:put|add|schedule|create|save) (?:(?:all|new|my|the) )*"
          + "(?:events|appointments|meetings|things)(?: by default)? (?:in|on|to|into|onto) (?:my|the|our) "
          + CALENDAR_NAME + "(?:,? (?:from now on|by default|in future|in the future))?$"
          + "|^(?:use|make) (?:my|the|our) " + CALENDAR_NAME.replace("<name>", "<name2>")
          + " (?:for (?:all )?new (?:events|appointments|meetings)|(?:as )?(?:the|my) default(?: calendar)?)"
          + "(?: from now on)?$", FLAGS);
  /** What says the choice is for events to come, not the events there are ("put my meetings in my work calendar"). */
  private static final Pattern FROM_NOW_ON = Pattern.compile(
      "\\b(?:from now on|by default|in (?:the )?future|default|new (?:events|appointments|meetings|things))\\b", FLAGS);
  /** A time or day said in what a move to another calendar names: "the dentist on friday to 3pm". */
  private static final Pattern SAYS_WHEN = Pattern.compile("\\b(?:to|until|till|at|from) (?:\\d|noon|midnight|"
      + "(?:next |this )?(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|today|tonight|next)", FLAGS);
  private static final Pattern EVERY = Pattern.compile(
      "\\b(?:every|each) (?<unit>weekday|day|week|month|(?:mon|tues|wednes|thurs|fri|satur|sun)day)s?\\b|\\b(?<daily>daily)\\b"
          + "|\\bon (?<plural>(?:mon|tues|wednes|thurs|fri|satur|sun)days)\\b", FLAGS);
  private static final Pattern DURATION = Pattern.compile(
      "\\s*\\bfor (?:(?<n>\\d+(?:\\.\\d+)?)|(?<w>an?|one|two|three|half an?)) ?(?<u>minutes?|mins?|hours?|hrs?|h)"
          + "(?<half> and a half)?\\b", FLAGS);
  private static final String CLOCK = "(?:\\d{1,2}(?:[:.]\\d{2})?(?: ?[ap]\\.?m\\.?)?|noon|midday)";
  private static final Pattern SPAN = Pattern.compile(
      "\\b(?:from (?<a>" + CLOCK + ") (?:to|until|till|-) (?<b>" + CLOCK + ")"
          + "|between (?<c>" + CLOCK + ") and (?<d>" + CLOCK + ")"
          + "|(?:at )?(?<![\\d/:-])(?<e>\\d{1,2}(?:[:.]\\d{2})?(?: ?[ap]m)?) ?[-\u2013] ?(?<f>\\d{1,2}(?:[:.]\\d{2})?(?: ?[ap]m)?))(?=\\s|$)",
      FLAGS);
  private static final Pattern BARE_SPAN = Pattern.compile("\\b(?:from|between) " + CLOCK + " (?:to|until|till|-|and) "
      + CLOCK + "(?=\\s|$)", FLAGS);
  private static final Pattern CLOCK_PARTS = Pattern.compile(
      "^(?<h>\\d{1,2})(?:[:.](?<m>\\d{2}))?(?: ?(?<mer>[ap])\\.?m\\.?)?$", FLAGS);
  private static final Pattern HAS_CLOCK = Pattern.compile(
      "\\d|noon|midday|midnight|morning|afternoon|evening|night|tonight|tonite|o'?clock", FLAGS);
  private static final Pattern LEADING_ARTICLE = Pattern.compile("^(?:a|an|the|my|our|some)\\s+", FLAGS);
  private static final Pattern LOCATION = Pattern.compile("\\s+(?:at|in) (?<place>\\p{Lu}[\\p{L}'&.-]*(?: \\p{Lu}[\\p{L}'&.-]*)*)$");
  private static final Pattern WHOLE_DAY = Pattern.compile("\\s*\\b(?:all[ -]day|the whole day)\\b", FLAGS);
  private static final String LEAD = "(?:(?<n>\\d+)|(?<w>an?|one|two|three|half an?)) ?(?<u>minutes?|mins?|hours?|hrs?|h|days?)"
      + "(?<half> and a half)?";
  /** "… and alert me 15 minutes before", "…, with an alert an hour before". */
  private static final Pattern ALERT = Pattern.compile("\\s*,?\\s*\\b(?:and |with )?(?:(?:alert|notify|warn|ping) me|an? alert) "
      + LEAD + " (?:before(?:hand)?|ahead|early|earlier|in advance)\\b", FLAGS);
  /** "alert me 10 minutes before the dentist on Friday". */
  private static final Pattern ALERT_BEFORE = Pattern.compile(
      "^(?:alert|notify|warn|ping) me " + LEAD + " before (?:(?:the|my|our) )?(?<what>.+)$", FLAGS);
  private static final Pattern NO_ALERT = Pattern.compile(
      "^(?:remove|delete|cancel|turn off|drop|clear) (?:the |my )?alert (?:for|on|from|of) (?:(?:the|my|our) )?(?<what>.+)$"
          + "|^(?:no|don'?t) alert (?:me )?(?:for|about) (?:(?:the|my|our) )?(?<what2>.+)$", FLAGS);

  private static final Pattern QUERY = Pattern.compile(
      "^(?:what'?s|whats|what is|what do i have|what have i got|what have i|do i have|have i got|anything|any|"
          + "show(?: me)?|list|tell me|check|what am i doing|what are my plans|how does|how's|hows|what does|"
          + "what events|which events|what meetings|my)\\b.*", FLAGS);
  private static final Pattern QUERY_WORDS = Pattern.compile(
      "\\b(calendar|agenda|schedule|on|planned|plans|happening|meetings?|appointments?|events?|have|got|doing|"
          + "look like|looks like|booked)\\b", FLAGS);
  private static final Pattern WHEN_IS = Pattern.compile(
      "^(?:when(?:'s| is| was| are| does| do| will)|what time (?:is|does|do|will))(?: (?:my|the|our))? (?<what>.+?)"
          + "(?: (?:start|starts|begin|begins|end|ends|leave|leaves|be|take place))?(?<day> (?:on|this|next) \\w+|"
          + " today| tomorrow)?$", FLAGS);

  private static final Pattern CANCEL = Pattern.compile(
      "^(?:cancel|delete|remove|drop|call off|scrap|clear|erase)(?: (?:all|every)(?: of)?(?<all> )| )(?:(?:the|my|our) )?(?<what>.+)$",
      FLAGS);
  private static final Pattern SERIES = Pattern.compile("\\s+(?:series|for good|altogether|entirely|every week)$", FLAGS);
  private static final Pattern REPEAT = Pattern.compile("^(?:(?:alter|change|make|set|have|update|switch) (?:(?:the|my|our) )?"
      + "(?<what>.+?)(?: event)? (?:to |so (?:that )?it )?(?:repeat|recur|happen)s? |(?:repeat|recur) (?:(?:the|my|our) )?"
      + "(?<what2>.+?) )(?<rule>(?:every|each|on) .+|weekly|daily|monthly|yearly|annually|weekdays)$", FLAGS);
  /** A statement of when something is: "my dentist appointment is wednesday at 3 pm", "our flight is on friday at 6". */
  private static final Pattern FACT = Pattern.compile("^(?:my|our) (?<what>[\\p{L}\\p{N}' -]+?) (?:is|are|will be|'s|"
      + "is going to be|is scheduled for|is booked for) (?<when>.+)$", FLAGS);
  private static final Pattern CANCEL_AND_MOVE = Pattern.compile("^(?:cancel|call off|drop) (?:(?:the|my|our) )?"
      + "(?<what>.+?),? and (?:reschedule|move|put|push|shift|change|make) (?:it|that|them)(?: back)? "
      + "(?:to|for|on|until|till) (?<when>.+)$", FLAGS);
  private static final Pattern MOVE = Pattern.compile(
      "^(?:move|reschedule|push|shift|change|bring|put off|postpone)(?: back| forward)? (?:(?:the|my|our) )?"
          + "(?<what>.+?) (?:to|until|till) (?<when>.+)$", FLAGS);
  private static final Pattern DAY_WORDS = Pattern.compile(
      "\\b(today|tomorrow|tmrw|weekend|week|next|this|coming|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|\\w+day|"
          + "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|\\w+uary|march|april|june|july|august|\\w+ber|"
          + "\\d{1,2}/\\d{1,2}|\\d{4}-\\d{2}-\\d{2}|\\d+(st|nd|rd|th))\\b", FLAGS);
  private static final String MONTH_NAME = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*";
  private static final Pattern DATES = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?"
      + "|\\b" + MONTH_NAME + " (?:the )?\\d{1,2}(?:st|nd|rd|th)?(?: \\d{4})?\\b"
      + "|\\b\\d{1,2}(?:st|nd|rd|th)?(?: of)? " + MONTH_NAME + "(?: \\d{4})?\\b|\\b\\d{1,2}(?:st|nd|rd|th)\\b", FLAGS);
  private static final Pattern ASKED_WHEN = Pattern.compile("^When should I schedule \"(.+)\"\\?$");
  private static final Pattern ASKED_TIME = Pattern.compile(
      "^What time on \\w+ (?<day>\\d{1,2} \\w+) should I schedule \"(?<title>.+)\"\\?$");
  private static final Pattern GENERIC_SUFFIX = Pattern.compile("\\s+(?:appointment|event|entry)$", FLAGS);

  private static final Map<String, String> BYDAY = Map.of("monday", "MO", "tuesday", "TU", "wednesday", "WE",
      "thursday", "TH", "friday", "FR", "saturday", "SA", "sunday", "SU");

  private final TimePhraseParser times = new TimePhraseParser();
  private final IntentSkill periods = new IntentSkill();

  @Override
  public Optional<ChatResponse> understand(OfflineRequest request) {
    String text = clean(request.text());
    if (text.isEmpty() || OTHER_SKILLS.matcher(text).find()) {
      return Optional.empty();
    }
    if (request.offers("createEvent")) {
      Optional<ChatResponse> answer = answerToQuestion(request, text);
      if (answer.isPresent()) {
        return answer;
      }
    }
    if (request.offers("setDefaultCalendar")) {
      Matcher chosen = DEFAULT_CALENDAR.matcher(text);
      // "put all my meetings in my work calendar" speaks of the events there are: no default is chosen from it.
      if (chosen.matches() && (chosen.group("name2") != null || FROM_NOW_ON.matcher(text).find())) {
        return Optional.of(toolCall("setDefaultCalendar", new JsonObject().put("calendar",
            chosen.group("name") != null ? chosen.group("name") : chosen.group("name2"))));
      }
    }
    if (request.offers("changeEvent")) {
      Matcher moved = MOVE_TO_CALENDAR.matcher(text);
      if (moved.matches() && !VAGUE_TARGET.matcher(moved.group("what")).matches()) {
        if (!SAYS_WHEN.matcher(moved.group("what")).find()) {
          return Optional.of(toolCall("changeEvent", new JsonObject().put("title", moved.group("what").strip())
              .put("newCalendar", moved.group("name")).put("wholeSeries", true)));
        }
        // "move the dentist on friday to 3pm in my work calendar": the new time and the calendar, in one change
        Matcher timed = MOVE.matcher(text.substring(0, moved.start("what") + moved.group("what").length()));
        Optional<ChatResponse> both = timed.matches() ? move(timed.group("what"), timed.group("when"), request.now())
            : Optional.empty();
        if (both.isPresent() && both.get().aiMessage().hasToolExecutionRequests()) {
          JsonObject args = new JsonObject(both.get().aiMessage().toolExecutionRequests().get(0).arguments())
              .put("newCalendar", moved.group("name"));
          return Optional.of(toolCall("changeEvent", args));
        }
        return both.isPresent() ? both : Optional.of(text("Which event should go to the calendar \""
            + moved.group("name") + "\", and when? Say the move and the calendar one at a time."));
      }
    }
    if (request.offers("changeEvent")) {
      Optional<ChatResponse> alert = alert(text, request.now());
      if (alert.isPresent()) {
        return alert;
      }
    }
    if (request.offers("changeEvent")) {
      // "alter lunch event to repeat every friday", "repeat the standup every weekday": the whole series repeats
      Matcher repeat = REPEAT.matcher(text);
      if (repeat.matches()) {
        Optional<String> rrule = Recurrences.find(SpokenNumbers.digits(repeat.group("rule").toLowerCase(Locale.ROOT)))
            .map(Recurrences.Found::rrule);
        String what = GENERIC_SUFFIX.matcher((repeat.group("what") != null ? repeat.group("what") : repeat.group("what2"))
            .strip()).replaceFirst("").strip();
        if (rrule.isPresent() && !what.isEmpty() && !what.matches("(?i)it|this|that|an?|the")) {
          return Optional.of(toolCall("changeEvent", new JsonObject().put("title", what).put("newRrule", rrule.get())
              .put("wholeSeries", true)));
        }
      }
      // "cancel my meeting with lisa on tuesday and reschedule it for thursday" is a move, not a removal
      Matcher instead = CANCEL_AND_MOVE.matcher(text);
      if (instead.matches()) {
        Optional<ChatResponse> moved = move(instead.group("what"), instead.group("when"), request.now());
        if (moved.isPresent()) {
          return moved;
        }
      }
    }
    if (request.offers("cancelEvent")) {
      Matcher cancel = CANCEL.matcher(text);
      if (cancel.matches()) {
        boolean all = cancel.group("all") != null || text.toLowerCase(Locale.ROOT).startsWith("clear");
        Optional<ChatResponse> cancelled = cancel(cancel.group("what"), all, request.now());
        // "clear my schedule for today", "cancel my meeting on the 14th": what is on then, after a yes
        if (cancelled.isPresent() && cancelled.get().aiMessage().hasToolExecutionRequests()
            && cancelled.get().aiMessage().toolExecutionRequests().get(0).name().equals("findEvents")) {
          return periods.cancelUnnamed(cancel.group("what"), all, request).or(() -> cancelled);
        }
        return cancelled;
      }
    }
    if (request.offers("changeEvent")) {
      Matcher move = MOVE.matcher(text);
      if (move.matches()) {
        Optional<ChatResponse> moved = move(move.group("what"), move.group("when"), request.now());
        if (moved.isPresent()) {
          return moved;
        }
      }
    }
    if (request.offers("createEvent")) {
      // "my dentist appointment is wednesday at three pm": an event stated as a fact is put on the calendar
      Matcher fact = FACT.matcher(text);
      if (fact.matches() && times.parse(SpokenNumbers.digits(fact.group("when").toLowerCase(Locale.ROOT)), request.now())
          .isPresent()) {
        Optional<ChatResponse> created = create("schedule " + fact.group("what") + " "
            + SpokenNumbers.digits(fact.group("when").toLowerCase(Locale.ROOT)), request.now());
        if (created.isPresent()) {
          return created;
        }
      }
    }
    if (request.offers("findEvents")) {
      Optional<ChatResponse> query = query(text, request.now());
      if (query.isPresent()) {
        return query;
      }
    }
    if (request.offers("createEvent")) {
      Optional<ChatResponse> created = create(text, request.now());
      String spoken = SpokenNumbers.digits(text.toLowerCase(Locale.ROOT));
      if (created.isPresent() && !created.get().aiMessage().hasToolExecutionRequests() && !spoken.equals(text.toLowerCase(Locale.ROOT))) {
        // "set twelve noon prayer for every friday": the time was said in words; read with the numbers as digits
        Optional<ChatResponse> withDigits = create(spoken, request.now());
        if (withDigits.isPresent() && withDigits.get().aiMessage().hasToolExecutionRequests()) {
          return withDigits;
        }
      }
      return created;
    }
    return Optional.empty();
  }

  private static String clean(String text) {
    String t = text.replace('\u2019', '\'').replaceAll("\\s+", " ").strip().replaceAll("[\\s.!?]+$", "");
    return POLITE.matcher(t).replaceFirst("").strip();
  }

  // ---- create ---------------------------------------------------------------------------------------------

  private Optional<ChatResponse> create(String text, ZonedDateTime now) {
    Matcher verb = CREATE.matcher(text);
    String rest;
    boolean strong;
    if (verb.matches()) {
      rest = verb.group("rest");
      strong = STRONG_VERB.matcher(verb.group("verb")).matches();
    } else if ((EVERY.matcher(text).find() || BARE_SPAN.matcher(text).find()) && HAS_CLOCK.matcher(text).find()) {
      rest = text;   // "team standup every Monday at 9", "lunch with Ana next Wednesday from 12 to 1:30"
      strong = false;
    } else {
      return Optional.empty();
    }
    String calendar = null;
    Matcher inCalendar = NAMED_CALENDAR.matcher(rest);
    if (inCalendar.find()) {
      calendar = inCalendar.group("name");
      rest = (rest.substring(0, inCalendar.start()) + rest.substring(inCalendar.end())).replaceAll("\\s+", " ").strip();
    }
    rest = TO_CALENDAR.matcher(rest).replaceAll("").strip();
    Integer alertMinutes = null;
    Matcher alert = ALERT.matcher(rest);
    if (alert.find()) {
      alertMinutes = minutes(alert);
      rest = (rest.substring(0, alert.start()) + rest.substring(alert.end())).replaceAll("\\s+", " ").strip();
    }

    boolean allDay = false;
    Matcher whole = WHOLE_DAY.matcher(rest);
    if (whole.find()) {
      allDay = true;
      rest = whole.replaceAll("").strip();
    }
    String rrule = null;
    Matcher every = EVERY.matcher(rest);
    if (every.find()) {
      rrule = rrule(every);
      String unit = every.group("unit") != null ? every.group("unit").toLowerCase(Locale.ROOT)
          : every.group("plural") != null ? every.group("plural").toLowerCase(Locale.ROOT).replaceAll("s$", "") : "day";
      String replacement = BYDAY.containsKey(unit) ? "on " + unit : "";
      rest = (rest.substring(0, every.start()) + replacement + rest.substring(every.end())).replaceAll("\\s+", " ").strip();
    }
    Integer minutes = null;
    Matcher duration = DURATION.matcher(rest);
    if (duration.find()) {
      minutes = minutes(duration);
      rest = (rest.substring(0, duration.start()) + rest.substring(duration.end())).strip();
    }
    String endClock = null;
    Matcher span = SPAN.matcher(rest);
    if (span.find()) {
      String a = first(span, "a", "c", "e");
      String b = first(span, "b", "d", "f");
      if (!hasMeridiem(a) && hasMeridiem(b) && !a.matches("(?i)noon|midday")) {
        Matcher pa = CLOCK_PARTS.matcher(a);
        Matcher pb = CLOCK_PARTS.matcher(b.replace(" ", ""));
        if (pa.matches() && pb.matches() && Integer.parseInt(pa.group("h")) % 12 <= Integer.parseInt(pb.group("h")) % 12) {
          a = a + pb.group("mer").toLowerCase(Locale.ROOT) + "m";
        }
      }
      endClock = b;
      rest = (rest.substring(0, span.start()) + "at " + a + rest.substring(span.end())).replaceAll("\\s+", " ").strip();
    }

    Optional<TimePhraseParser.Extraction> found = times.findTrailing(rest, now);
    String title;
    ZonedDateTime start;
    String expression;
    if (found.isPresent() && !found.get().remainder().isBlank()) {
      title = found.get().remainder();
      start = found.get().dateTime();
      expression = found.get().expression();
    } else {
      Optional<TimePhraseParser.Extraction> leading = times.findLeading(rest, now);
      if (leading.isEmpty() || leading.get().remainder().isBlank()) {
        if (found.isEmpty() && leading.isEmpty() && strong && !rest.isBlank()) {
          return Optional.of(text("When should I schedule \"" + title(rest).title() + "\"?"));
        }
        return Optional.empty();
      }
      title = leading.get().remainder();
      start = leading.get().dateTime();
      expression = leading.get().expression();
    }
    Title named = title(title);
    if (named.title().isBlank()) {
      return Optional.of(text("What should I call the event?"));
    }
    if (allDay) {
      JsonObject args = new JsonObject().put("title", named.title()).put("start", start.toLocalDate().toString())
          .put("allDay", true);
      return Optional.of(toolCall("createEvent", inCalendar(withOptional(args, named.location(), rrule, alertMinutes), calendar)));
    }
    if (!hasClock(SpokenNumbers.digits(expression))) {
      return Optional.of(text("What time on " + SPOKEN_DAY.format(start) + " should I schedule \"" + named.title() + "\"?"));
    }
    ZonedDateTime end = start.plusMinutes(minutes == null ? DEFAULT_MINUTES : minutes);
    if (endClock != null) {
      Optional<ZonedDateTime> spanEnd = endAfter(start, endClock);
      if (spanEnd.isEmpty()) {
        return Optional.empty();
      }
      end = spanEnd.get();
    }
    JsonObject args = new JsonObject().put("title", named.title()).put("start", ISO.format(start.toOffsetDateTime()))
        .put("end", ISO.format(end.toOffsetDateTime()));
    return Optional.of(toolCall("createEvent", inCalendar(withOptional(args, named.location(), rrule, alertMinutes), calendar)));
  }

  /** "When should I schedule "dentist"?" — "Friday at 9"; "What time on Fri 20 Nov should I schedule "dentist"?" — "3pm". */
  private Optional<ChatResponse> answerToQuestion(OfflineRequest request, String text) {
    Optional<String> asked = request.previousQuestion();
    Optional<String> when = asked.map(ASKED_WHEN::matcher).filter(Matcher::matches)
        .map(m -> "schedule " + m.group(1) + " " + text);
    String spoken = SpokenNumbers.digits(text.toLowerCase(Locale.ROOT));
    Optional<String> time = asked.map(ASKED_TIME::matcher).filter(Matcher::matches)
        .map(m -> "schedule " + m.group("title") + " on " + m.group("day") + (spoken.matches("\\d.*") ? " at " : " ")
            + spoken);
    return when.or(() -> time).flatMap(said -> create(said, request.now()))
        .filter(response -> response.aiMessage().hasToolExecutionRequests());
  }

  private static JsonObject inCalendar(JsonObject args, String calendar) {
    return calendar == null ? args : args.put("calendar", calendar);
  }

  private static JsonObject withOptional(JsonObject args, String location, String rrule, Integer alertMinutes) {
    if (location != null) {
      args.put("location", location);
    }
    if (rrule != null) {
      args.put("rrule", rrule);
    }
    if (alertMinutes != null) {
      args.put("alertMinutes", alertMinutes);
    }
    return args;
  }

  private record Title(String title, String location) {}

  private static Title title(String raw) {
    String t = raw.strip().replaceAll("[\\s,;:-]+$", "").replaceAll("^[\\s,;:-]+", "");
    t = t.replaceAll("(?i)\\s+(?:on|at|for|from)$", "").strip();
    t = LEADING_ARTICLE.matcher(t).replaceFirst("");
    String location = null;
    Matcher place = LOCATION.matcher(t);
    if (place.find() && place.start() > 0) {
      location = place.group("place");
      t = t.substring(0, place.start()).strip();
    }
    return new Title(t, location);
  }

  private static String rrule(Matcher every) {
    if (every.group("daily") != null) {
      return "FREQ=DAILY";
    }
    String unit = every.group("unit") != null ? every.group("unit").toLowerCase(Locale.ROOT)
        : every.group("plural").toLowerCase(Locale.ROOT).replaceAll("s$", "");
    return switch (unit) {
      case "day" -> "FREQ=DAILY";
      case "weekday" -> "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
      case "week" -> "FREQ=WEEKLY";
      case "month" -> "FREQ=MONTHLY";
      default -> "FREQ=WEEKLY;BYDAY=" + BYDAY.get(unit);
    };
  }

  /** An amount ("15", "an", "half an", "two … and a half") of minutes, hours or days, in minutes. */
  private static Integer minutes(Matcher m) {
    String unit = m.group("u").toLowerCase(Locale.ROOT);
    int unitMinutes = unit.startsWith("d") ? 1440 : unit.startsWith("m") ? 1 : 60;
    double amount;
    if (m.group("n") != null) {
      amount = Double.parseDouble(m.group("n"));
    } else {
      String w = m.group("w").toLowerCase(Locale.ROOT);
      amount = w.startsWith("half") ? 0.5 : switch (w) {
        case "two" -> 2;
        case "three" -> 3;
        default -> 1;
      };
    }
    if (m.group("half") != null) {
      amount += 0.5;
    }
    return (int) Math.round(amount * unitMinutes);
  }

  private static String first(Matcher m, String... groups) {
    for (String g : groups) {
      if (m.group(g) != null) {
        return m.group(g).toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** Whether a time expression names a time of day, not only a day ("December 24", "3/14" and "the 5th" do not). */
  private static boolean hasClock(String expression) {
    return HAS_CLOCK.matcher(DATES.matcher(expression).replaceAll(" ")).find();
  }

  private static boolean hasMeridiem(String clock) {
    return clock.matches("(?i).*[ap]\\.?m\\.?$");
  }

  /** The end of a span: the given clock on the start's day, the first reading after the start. */
  private static Optional<ZonedDateTime> endAfter(ZonedDateTime start, String clock) {
    if (clock.matches("(?i)noon|midday")) {
      ZonedDateTime noon = start.with(LocalTime.NOON);
      return noon.isAfter(start) ? Optional.of(noon) : Optional.empty();
    }
    Matcher m = CLOCK_PARTS.matcher(clock.replace(" ", ""));
    if (!m.matches()) {
      return Optional.empty();
    }
    int hour = Integer.parseInt(m.group("h"));
    int minute = m.group("m") == null ? 0 : Integer.parseInt(m.group("m"));
    if (hour > 23 || minute > 59) {
      return Optional.empty();
    }
    if (m.group("mer") != null) {
      if (hour < 1 || hour > 12) {
        return Optional.empty();
      }
      int h = hour % 12 + (m.group("mer").equalsIgnoreCase("p") ? 12 : 0);
      ZonedDateTime end = start.with(LocalTime.of(h, minute));
      return end.isAfter(start) ? Optional.of(end) : Optional.empty();
    }
    for (int h : new int[] {hour, hour + 12}) {
      if (h <= 23) {
        ZonedDateTime end = start.with(LocalTime.of(h, minute));
        if (end.isAfter(start)) {
          return Optional.of(end);
        }
      }
    }
    return Optional.empty();
  }

  // ---- find -----------------------------------------------------------------------------------------------

  private Optional<ChatResponse> query(String text, ZonedDateTime now) {
    String lower = text.toLowerCase(Locale.ROOT);
    Matcher when = WHEN_IS.matcher(lower);
    if (when.matches()) {
      String what = GENERIC_SUFFIX.matcher(when.group("what")).replaceFirst("").strip();
      if (what.isEmpty() || what.matches("it|that|this")) {
        return Optional.empty();
      }
      LocalDate today = now.toLocalDate();
      // "when does the hockey game start on friday": that day's, else the next 60 days'
      Optional<LocalDate> day = Optional.ofNullable(when.group("day")).flatMap(d -> times.parse(d.strip(), now))
          .map(ZonedDateTime::toLocalDate);
      LocalDate first = day.orElse(today);
      return Optional.of(find(first, day.isPresent() ? first.plusDays(1) : today.plusDays(60), now).put("text", what))
          .map(a -> toolCall("findEvents", a));
    }
    if (!QUERY.matcher(lower).matches() || !QUERY_WORDS.matcher(lower).find()) {
      return Optional.empty();
    }
    return range(lower, now).map(r -> toolCall("findEvents", find(r[0], r[1], now)));
  }

  private static JsonObject find(LocalDate from, LocalDate to, ZonedDateTime now) {
    return new JsonObject()
        .put("from", ISO.format(from.atStartOfDay(now.getZone()).toOffsetDateTime()))
        .put("to", ISO.format(to.atStartOfDay(now.getZone()).toOffsetDateTime()));
  }

  /** The days a query is about: [first, end). */
  private Optional<LocalDate[]> range(String text, ZonedDateTime now) {
    LocalDate today = now.toLocalDate();
    if (text.matches(".*\\b(?:the )?day after tomorrow\\b.*")) {
      return days(today.plusDays(2), 1);
    }
    if (text.matches(".*\\b(?:tomorrow|tmrw)\\b.*")) {
      return days(today.plusDays(1), 1);
    }
    if (text.matches(".*\\b(?:today|tonight|this (?:morning|afternoon|evening))\\b.*")) {
      return days(today, 1);
    }
    if (text.matches(".*\\bweekend\\b.*")) {
      DayOfWeek day = today.getDayOfWeek();
      LocalDate saturday = day == DayOfWeek.SATURDAY ? today
          : day == DayOfWeek.SUNDAY ? today.minusDays(1) : today.with(TemporalAdjusters.next(DayOfWeek.SATURDAY));
      return Optional.of(new LocalDate[] {saturday.isBefore(today) ? today : saturday, saturday.plusDays(2)});
    }
    if (text.matches(".*\\bnext week\\b.*")) {
      return days(today.with(TemporalAdjusters.next(DayOfWeek.MONDAY)), 7);
    }
    if (text.matches(".*\\b(?:this|the rest of the) week\\b.*")) {
      return Optional.of(new LocalDate[] {today, today.with(TemporalAdjusters.next(DayOfWeek.MONDAY))});
    }
    String stripped = SpokenNumbers.digits(text.replaceAll("\\b(?:look|looks) like$", "").strip());
    Optional<TimePhraseParser.Extraction> found = times.findTrailing(stripped, now);
    // "anything on this saturday between 2 and 4 pm": the day said apart from the time is the day asked about
    Optional<TimePhraseParser.Extraction> dated = times.findSpread(stripped, now)
        .filter(f -> DAY_WORDS.matcher(f.expression()).find());
    if (dated.isPresent()) {
      return days(dated.get().dateTime().toLocalDate(), 1);
    }
    if (found.isPresent() && !hasClock(found.get().expression())) {
      return days(found.get().dateTime().toLocalDate(), 1);
    }
    if (found.isPresent()) {
      return Optional.empty();
    }
    return days(today, 7);
  }

  private static Optional<LocalDate[]> days(LocalDate first, int count) {
    return Optional.of(new LocalDate[] {first, first.plusDays(count)});
  }

  // ---- alerts ---------------------------------------------------------------------------------------------

  /** "alert me 10 minutes before the dentist", "remove the alert for the standup": the event's alert changes. */
  private Optional<ChatResponse> alert(String text, ZonedDateTime now) {
    Matcher before = ALERT_BEFORE.matcher(text);
    Matcher none = NO_ALERT.matcher(text);
    JsonObject change;
    String what;
    if (before.matches()) {
      what = before.group("what");
      change = new JsonObject().put("alertMinutes", minutes(before));
    } else if (none.matches()) {
      what = none.group("what") != null ? none.group("what") : none.group("what2");
      change = new JsonObject().put("removeAlert", true);
    } else {
      return Optional.empty();
    }
    if (times.parse(what, now).isPresent()) {
      return Optional.empty();   // "ping me 5 minutes before 3pm" is a reminder
    }
    Target target = target(what, now);
    if (target == null) {
      return Optional.empty();
    }
    JsonObject args = new JsonObject().put("title", target.title());
    if (target.date() != null) {
      args.put("date", target.date().toString());
    }
    return Optional.of(toolCall("changeEvent", args.mergeIn(change)));
  }

  // ---- cancel and move ------------------------------------------------------------------------------------

  private Optional<ChatResponse> cancel(String what, boolean all, ZonedDateTime now) {
    Target target = target(what, now);
    if (target != null && all && target.title().matches("(?i)^(?:events?|items?|things?|appointments?|meetings?|"
        + "everything|data|entries)\\b.*")) {
      target = null;   // "delete all events for the next five days" is every event, not a series named "events"
    }
    if (target == null) {
      // "delete item", "cancel it", "clear my schedule": which one is not said, so the next week (or the day said) is
      // read out and asked about
      LocalDate today = now.toLocalDate();
      Optional<TimePhraseParser.Extraction> day = times.findAnywhere(SpokenNumbers.digits(what), now);
      LocalDate first = day.map(d -> d.dateTime().toLocalDate()).orElse(today);
      return Optional.of(toolCall("findEvents", find(first, first.plusDays(day.isPresent() ? 1 : 7), now),
          all ? "I can cancel everything on a day or in a week you name; which of these should I cancel?"
              : "Which one should I cancel?"));
    }
    boolean wholeSeries = all;
    String title = target.title();
    Matcher series = SERIES.matcher(title);
    if (series.find()) {
      wholeSeries = true;
      title = title.substring(0, series.start()).strip();
    }
    if (all && title.endsWith("s") && !title.endsWith("ss")) {
      title = title.substring(0, title.length() - 1);
    }
    JsonObject args = new JsonObject().put("title", title);
    if (target.date() != null) {
      args.put("date", target.date().toString());
    }
    if (wholeSeries) {
      args.put("wholeSeries", true);
    }
    return Optional.of(toolCall("cancelEvent", args));
  }

  private Optional<ChatResponse> move(String what, String when, ZonedDateTime now) {
    Target target = target(what, now);
    if (target == null) {
      return Optional.empty();
    }
    String phrase = when.strip();
    Optional<ZonedDateTime> time = times.parse(phrase, now).or(() -> times.parse("at " + phrase, now));
    if (time.isEmpty()) {
      return Optional.empty();
    }
    JsonObject args = new JsonObject().put("title", target.title());
    if (target.date() != null) {
      args.put("date", target.date().toString());
    }
    boolean clockOnly = !DAY_WORDS.matcher(phrase).find();
    if (clockOnly && !HAS_CLOCK.matcher(phrase).find()) {
      return Optional.empty();
    }
    if (!clockOnly && !hasClock(phrase)) {
      // "move the dentist to Friday": same time of day, which the tool keeps only if it is told the date alone
      return Optional.of(text("What time on " + SPOKEN_DAY.format(time.get()) + " should \"" + target.title()
          + "\" be?"));
    }
    args.put("newStart", clockOnly ? time.get().toLocalTime().toString() : ISO.format(time.get().toOffsetDateTime()));
    return Optional.of(toolCall("changeEvent", args));
  }

  private record Target(String title, LocalDate date) {}

  /** "the dentist on Friday" is the title "dentist" on Friday's date; "the meeting with Sam" has no date. */
  private Target target(String what, ZonedDateTime now) {
    // "thursday's lunch from my calendar", "the wedding on the tenth", "the meeting i have with john tonight"
    String w = SpokenNumbers.digits(FROM_CALENDAR.matcher(what).replaceAll("").strip());
    Matcher possessive = POSSESSIVE_DAY.matcher(w);
    if (possessive.find()) {
      w = w.substring(possessive.end()).strip() + " " + possessive.group(1);
    }
    w = TARGET_FILLER.matcher(w).replaceAll(" ").replaceAll("\\s+", " ").strip();
    LocalDate date = null;
    String said = w;
    Optional<TimePhraseParser.Extraction> found = times.findTrailing(said, now)
        .or(() -> times.findAnywhere(said, now).filter(f -> f.expression().matches(".*\\d.*")));
    if (found.isPresent() && !found.get().remainder().isBlank()) {
      date = found.get().dateTime().toLocalDate();
      w = found.get().remainder();
    }
    String title = GENERIC_SUFFIX.matcher(title(w).title()).replaceFirst("").strip();
    if (title.isEmpty() || VAGUE_TARGET.matcher(title).matches()) {
      return null;
    }
    return new Target(title, date);
  }
}
