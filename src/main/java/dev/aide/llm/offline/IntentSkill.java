package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.text;
import static dev.aide.llm.offline.OfflineReplies.toolCall;

import dev.aide.llm.offline.IntentClassifier.Intent;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Requests whose intent is known (from the classifier, or from an unmistakable word such as "alarm") but whose words the
 * phrasing rules did not take: the slots are read leniently — the time anywhere in the message, numbers said in words,
 * a recurrence — and what is missing or vague is asked for, never guessed. A removal that does not say which item
 * lists the candidates and asks which one; "all"/"every"/"any" asks the tools for everything, which they confirm first.
 * Alarms are reminders (Aide has no alarm clock), and the answer says so.
 */
final class IntentSkill {

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  static final String NO_ALARM_CLOCK = "(Aide has no alarm clock: a reminder messages you at that time instead.)";
  static final String ASK_ALARM_TIME = "What time should I set the alarm for?";
  static final String OUT_OF_REACH = "I can't help with that: I keep your calendar, reminders, alarms (as reminders), "
      + "lists, notes and expenses, and message you when something is due.";

  /** Assistant names, wake words and politeness before or after the request. */
  private static final Pattern ADDRESS = Pattern.compile("^(?:(?:hey|hi|ok|okay|olly|siri|alexa|google|aide|assistant|"
      + "please|pls|can you|could you|would you|will you|kindly|i want you to|i need you to|go ahead and)\\b[,]?\\s*)+"
      + "|(?:\\s*\\b(?:please|olly|siri|alexa|thanks|thank you))+$", FLAGS);
  private static final Pattern REMINDING = Pattern.compile(
      "\\bremind|\\breminder\\b|\\bdon'?t (?:let me )?forget\\b|\\bdo not (?:let me )?forget\\b"
          + "|\\bremember (?:me )?to\\b|\\balert me\\b|\\bnotify me\\b|\\bnudge me\\b|\\bping me\\b|\\bnotification\\b", FLAGS);
  static final Pattern ALARM_WORDS = Pattern.compile(
      "\\balarms?\\b|\\bwake\\b|\\bwake-?up\\b|\\bget (?:me )?up\\b|\\btimer\\b|\\bclock\\b", FLAGS);
  private static final Pattern WAKE = Pattern.compile("\\bwake\\b|\\bwake-?up\\b|\\bget (?:me )?up\\b", FLAGS);
  private static final Pattern LATER_PART = Pattern.compile("\\b(?:pm|afternoon|evening|tonight|night)\\b", FLAGS);
  private static final Pattern ALARM_LABEL = Pattern.compile("\\b(?:label(?:l)?ed|called|named|titled)\\s+(.+)$", FLAGS);
  /** Words of a time expression that name a day, not only a time of day: "friday", "the 14th", "next week". */
  static final Pattern DAY_WORDS = Pattern.compile("\\b(?:today|tomorrow|tonight|\\w+day|\\d{1,2}(?:st|nd|rd|th)|"
      + "january|february|march|april|may|june|july|august|september|october|november|december|week|month|/|-)", FLAGS);
  private static final Pattern BULK = Pattern.compile("\\b(?:all|every|everything|any|each)\\b", FLAGS);
  private static final Pattern CLEAR_WHOLE = Pattern.compile("\\b(?:clear|wipe|empty)\\b", FLAGS);
  /** A time of day said in an expression: "1 pm", "13:00", "at 6", "noon" (not "the 14th"). */
  private static final Pattern CLOCK = Pattern.compile(
      "\\d[:.]\\d|\\d ?(?:am|pm)\\b|\\bat \\d|\\b(?:noon|midday|midnight|o'?clock)\\b", FLAGS);
  private static final Pattern SAYS_CALENDAR = Pattern.compile(
      "\\b(?:calendar|schedule|agenda|diary|events?|meetings?|appointments?)\\b", FLAGS);
  private static final Pattern SAYS_LIST = Pattern.compile("\\blists?\\b", FLAGS);
  private static final String PARTS_OF_DAY = "\\b(?:morning|afternoon|evening|tonight|night)\\b";
  /** How far ahead "wipe my calendar" reaches: the events of the coming weeks, each listed before the person's yes. */
  private static final int UPCOMING_DAYS = 60;

  /** Words that never name the thing meant: verbs of the request, pronouns, determiners, the kinds' own nouns. */
  private static final Set<String> FILLER = Set.copyOf(java.util.Arrays.asList(("a an the my me i i'd i'm i've we our you your it its this that "
      + "these those them one ones some any all every everything each please can could would will to from of off on in "
      + "for at with by and or be is are was do does did have has had got set remove delete erase cancel drop clear "
      + "wipe get rid take turn out cross scratch strike add put include make create new want don't dont not like need "
      + "tell show list lists item items thing things entry entries alarm alarms reminder reminders event events "
      + "calendar schedule diary agenda what which when there how about last first next up now just also again then "
      + "so let know called named titled stop disable switch line").split(" ")));
  private static final Set<String> KIND_NOUNS = Set.of("meeting", "meetings", "appointment", "appointments");

  private static final Pattern EVENT_VERBS = Pattern.compile("^(?:(?:i (?:want|need|would like|'d like) to |let'?s )?"
      + "(?:add|put|schedule|book|set up|set|create|make|plan|arrange|organi[sz]e|mark|flag|pencil in|block out|block|"
      + "save|enter|insert|note|write|i have|i've got|i got|i need|there'?s|there is|we have|we're having|i'm having|"
      + "i am having|i'll be|i will be|i'm|i am)\\b\\s*)+", FLAGS);
  private static final Pattern EVENT_NOUN = Pattern.compile(
      "^(?:(?:a|an|the|my)\\s+)?(?:new\\s+)?(?:calendar\\s+)?(?:event|appointment|entry|calendar entry|item)"
          + "(?:\\s+(?:for|called|named|titled|about|of))?\\s+(?=\\S)|^(?:for|called|named|titled|that)\\s+", FLAGS);
  private static final Pattern CALENDAR_PLACE = Pattern.compile(
      "\\s*\\b(?:to|on|in|into|onto|from|off|in the|on the)\\s+(?:my|the|our)?\\s*(?:\\w+\\s+)?(?:calendar|agenda|"
          + "schedule|diary)\\b(?:\\s+put that)?", FLAGS);
  private static final Pattern ALL_DAY_KIND = Pattern.compile(
      "\\b(?:birthday|bday|anniversary|holiday|vacation|day off|wedding|trip|payday|conference)\\b", FLAGS);
  private static final Pattern EDGE_WORDS = Pattern.compile(
      "^(?:(?:a|an|the|my|our|to|for|on|at|about|of|that|and|starting|beginning)\\s+)+|(?:\\s+(?:a|an|the|my|to|for|on|at|about|of|by|"
          + "and|from|starting|is|in))+$", FLAGS);
  private static final Pattern REMINDER_WORDS = Pattern.compile(
      "^(?:(?:set|create|add|make|give me|i need|i want|put in|schedule|can i have|set up)\\s+(?:me\\s+)?"
          + "(?:a|an|another|the|one)?\\s*(?:new\\s+)?(?:event\\s+)?(?:reminder|remainder)s?\\b\\s*(?:for|to|about|of|that)?"
          + "|(?:please\\s+)?remind(?:\\s+(?:me|us))?(?:\\s+(?:to|about|of|that))?|tell me to|don'?t (?:let me )?forget(?:\\s+to)?"
          + "|do not (?:let me )?forget(?:\\s+to)?|remember(?:\\s+me)?(?:\\s+to)?|(?:alert|notify|nudge|ping) me"
          + "(?:\\s+(?:to|about|of|that))?|reminder(?:\\s+(?:to|for|about|of))?)\\b\\s*", FLAGS);
  private static final Pattern LIST_TITLED = Pattern.compile(
      "\\blists?\\s+(?:for|of|called|named|titled)\\s+(?:my\\s+|the\\s+)?(?<after>[\\p{L}\\p{N}' -]+)$", FLAGS);
  private static final Pattern LIST_NAMED = Pattern.compile(
      "\\b(?:(?:my|the|our|a|an)\\s+)?(?:new\\s+)?(?<name>[\\p{L}\\p{N}' -]+?)\\s+list\\b|\\b(?<plain>groceries|grocery|"
          + "shopping|to-?do|todo)\\b|\\blist\\s+(?:for|of|called|named|titled)\\s+(?:my\\s+|the\\s+)?(?<after>[\\p{L}\\p{N}' -]+)$",
      FLAGS);
  private static final Pattern LIST_ADD_ITEMS = Pattern.compile(
      "^(?:add|put|include|write|stick|throw|pop)\\s+(?<items>.+?)\\s+(?:to|on|onto|in|into)\\s+(?:my|the|our|a|an)?\\s*"
          + "(?:new\\s+)?(?:[\\p{L}\\p{N}' -]+\\s+)?list\\b", FLAGS);
  private static final Pattern LIST_REMOVE_ITEMS = Pattern.compile(
      "(?:^|\\b(?:so|and|then|please)\\s+)(?:remove|delete|take|drop|scratch|strike|cross out|cross off|cancel|erase)"
          + "\\s+(?<items>.+?)\\s+(?:off of|off|from|out of)\\s+(?:my|the|our|a)?\\s*(?:[\\p{L}\\p{N}' -]+\\s+)?list\\b"
          + "|^(?:i|we)\\s+(?:don'?t|do not|no longer)\\s+(?:want|need)\\s+(?:any\\s+)?(?<unwanted>.+?)"
          + "(?:\\s+(?:on|in)\\s+(?:my|the|our)\\s+(?:[\\p{L}\\p{N}' -]+\\s+)?list)?(?:\\s+any ?more)?$", FLAGS);
  private static final Pattern WHOLE_LIST = Pattern.compile(
      "^(?:remove|delete|erase|clear|empty|wipe|get rid of|scrap|drop)\\s+(?:the\\s+|my\\s+|our\\s+)?(?:list\\s+(?:of|for|"
          + "called|named|titled)\\s+)?(?<name>[\\p{L}\\p{N}' -]+?)(?:\\s+list)?$", FLAGS);

  private final TimePhraseParser times = new TimePhraseParser();
  private final ReminderRequestParser reminders = new ReminderRequestParser(times);

  /** A reminder request the phrasing rules could not complete: read again with a recurrence and spoken numbers. */
  Optional<ChatResponse> reminderLeniently(OfflineRequest request) {
    return reminder(clean(request.text()), request).filter(r -> r.aiMessage().hasToolExecutionRequests());
  }

  /** What to do for a message of this intent; empty when even the lenient reading finds nothing to act on. */
  Optional<ChatResponse> answer(Intent intent, OfflineRequest request) {
    String said = clean(request.text());
    return switch (intent) {
      case EVENT_SET -> REMINDING.matcher(said).find() ? reminder(said, request) : event(said, request);
      case REMINDER_SET -> reminder(said, request);
      case ALARM_SET -> alarm(said, request);
      case ALARM_QUERY -> offer(request, "listReminders", new JsonObject(),
          "(Aide keeps alarms as reminders.)");
      case ALARM_REMOVE, CALENDAR_REMOVE, LIST_REMOVE -> remove(kindSaid(said).orElse(intent), said, request);
      case CALENDAR_QUERY -> calendarQuery(said, request);
      case LIST_ADD -> listAdd(said, request);
      case LIST_QUERY -> listQuery(said, request);
      case NOTE -> Optional.of(text("To keep a note, say \"note: …\" (\"note: the gate code is 4411\"); to find one, "
          + "\"find my notes about the plumber\"."));
      case EXPENSE -> Optional.of(text("To log an expense, say how much and what for (\"I spent $12.50 on lunch\"); to "
          + "see them, \"how much did I spend on food this month?\"."));
      case OUT_OF_SCOPE -> Optional.of(text(OUT_OF_REACH));
    };
  }

  private Optional<ChatResponse> remove(Intent kind, String said, OfflineRequest request) {
    return switch (kind) {
      case ALARM_REMOVE -> removeReminder(said, request, true);
      case LIST_REMOVE -> listRemove(said, request);
      default -> REMINDING.matcher(said).find() ? removeReminder(said, request, false) : calendarRemove(said, request);
    };
  }

  /**
   * The kind of thing a removal names in its own words, when it names exactly one: "clear my calendar tomorrow" is
   * the calendar's, "delete grocery shopping from my saturday schedule" too, whatever the examples it is closest to.
   */
  static Optional<Intent> kindSaid(String said) {
    String lower = said.toLowerCase(Locale.ROOT);
    List<Intent> kinds = new java.util.ArrayList<>();
    if (SAYS_CALENDAR.matcher(lower).find()) {
      kinds.add(Intent.CALENDAR_REMOVE);
    }
    if (SAYS_LIST.matcher(lower).find()) {
      kinds.add(Intent.LIST_REMOVE);
    }
    if (ALARM_WORDS.matcher(lower).find()) {
      kinds.add(Intent.ALARM_REMOVE);
    }
    return kinds.size() == 1 ? Optional.of(kinds.get(0)) : Optional.empty();
  }

  /** The short question Aide asks when it is not sure which of two things is meant. */
  static String whichOf(Intent first, Intent second) {
    if (first == Intent.OUT_OF_SCOPE) {
      return OUT_OF_REACH;   // most like something Aide does not do: saying what it does is the useful answer
    }
    String a = doing(first);
    String b = doing(second);
    if (a.equals(b)) {
      return "Sorry, I'm not sure what you'd like. Should I " + b + "?";
    }
    return "Sorry, I'm not sure what you'd like: should I " + a + (second == Intent.OUT_OF_SCOPE ? "?" : " or " + b + "?");
  }

  private static String doing(Intent intent) {
    return switch (intent) {
      case EVENT_SET -> "add something to your calendar";
      case REMINDER_SET -> "set a reminder";
      case ALARM_SET -> "set an alarm (a reminder at that time)";
      case CALENDAR_QUERY -> "tell you what's on your calendar";
      case ALARM_QUERY -> "list your alarms and reminders";
      case CALENDAR_REMOVE -> "cancel something on your calendar";
      case ALARM_REMOVE -> "remove an alarm";
      case LIST_ADD -> "add something to a list";
      case LIST_QUERY -> "read you a list";
      case LIST_REMOVE -> "remove something from a list";
      case NOTE -> "keep or find a note";
      case EXPENSE -> "log or look up an expense";
      case OUT_OF_SCOPE -> "set a reminder, add to your calendar or a list";
    };
  }

  static String clean(String text) {
    String t = text.replace('\u2019', '\'').replaceAll("\\s+", " ").strip().replaceAll("[\\s.!?,]+$", "")
        // a transcript's "set a remainder at 3": the word a speech recogniser often puts for "reminder"
        .replaceAll("(?i)\\b(a|an|set|new|the) remainder\\b(?! of)", "$1 reminder");
    String previous;
    do {
      previous = t;
      t = ADDRESS.matcher(t).replaceAll("").strip();
    } while (!t.equals(previous));
    return t;
  }

  // ---- calendar -----------------------------------------------------------------------------------------------

  private Optional<ChatResponse> event(String said, OfflineRequest request) {
    if (!request.offers("createEvent")) {
      return Optional.empty();
    }
    String spoken = SpokenNumbers.digits(said.toLowerCase(Locale.ROOT));
    Optional<Recurrences.Found> rec = Recurrences.find(spoken);
    String base = rec.map(Recurrences.Found::text).orElse(spoken);
    // "a meeting friday at 3 on my work calendar with sam": the calendar named goes with the event, not lost
    String calendar = null;
    java.util.regex.Matcher named = CalendarSkill.NAMED_CALENDAR.matcher(base);
    if (named.find()) {
      calendar = named.group("name");
      base = (base.substring(0, named.start()) + base.substring(named.end())).replaceAll("\\s+", " ").strip();
    }
    Optional<TimePhraseParser.Extraction> when = times.findSpread(base, request.now());
    String title = eventTitle(when.map(TimePhraseParser.Extraction::remainder).orElse(base));
    if (when.isEmpty()) {
      return Optional.of(text(title.isEmpty() ? "What should I put on your calendar, and when?"
          : "When should I schedule \"" + title + "\"?"));
    }
    ZonedDateTime start = when.get().dateTime();
    if (rec.isPresent() && rec.get().weekdaysOnly()) {
      start = Recurrences.firstWeekday(start);
    }
    if (title.isEmpty()) {
      return Optional.of(text("What should I call the event?"));
    }
    JsonObject args = new JsonObject().put("title", title);
    boolean clock = hasClock(when.get().expression());
    if (!clock && (ALL_DAY_KIND.matcher(title).find() || rec.map(r -> r.rrule().startsWith("FREQ=YEARLY")).orElse(false))) {
      args.put("start", start.toLocalDate().toString()).put("allDay", true);
    } else if (!clock) {
      return Optional.of(text("What time on " + DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH).format(start)
          + " should I schedule \"" + title + "\"?"));
    } else {
      args.put("start", ISO.format(start.toOffsetDateTime())).put("end", ISO.format(start.plusHours(1).toOffsetDateTime()));
    }
    rec.ifPresent(r -> args.put("rrule", r.rrule()));
    if (calendar != null) {
      args.put("calendar", calendar);
    }
    return Optional.of(toolCall("createEvent", args));
  }

  private static String eventTitle(String rest) {
    String t = CALENDAR_PLACE.matcher(rest).replaceAll(" ").replaceAll("\\s+", " ").strip();
    String previous;
    do {
      previous = t;
      t = EVENT_VERBS.matcher(t).replaceFirst("").strip();
      t = EVENT_NOUN.matcher(t).replaceFirst("").strip();
      t = EDGE_WORDS.matcher(t).replaceAll("").strip();
    } while (!t.equals(previous));
    return Arrays.stream(t.split(" ")).allMatch(w -> FILLER.contains(w) && !KIND_NOUNS.contains(w)) ? "" : t;
  }

  private Optional<ChatResponse> calendarQuery(String said, OfflineRequest request) {
    String lower = said.toLowerCase(Locale.ROOT);
    if (lower.matches(".*\\b(?:reminders?|remainders?)\\b.*") && request.offers("listReminders")) {
      return Optional.of(toolCall("listReminders", new JsonObject()));
    }
    if (!request.offers("findEvents")) {
      return Optional.empty();
    }
    LocalDate[] range = range(SpokenNumbers.digits(lower), request.now());
    return Optional.of(toolCall("findEvents", find(range, request.now())));
  }

  private static JsonObject find(LocalDate[] range, ZonedDateTime now) {
    return new JsonObject()
        .put("from", ISO.format(range[0].atStartOfDay(now.getZone()).toOffsetDateTime()))
        .put("to", ISO.format(range[1].atStartOfDay(now.getZone()).toOffsetDateTime()));
  }

  /** The days a question is about, [first, end): a named period, the day of a time said anywhere, else a week. */
  LocalDate[] range(String text, ZonedDateTime now) {
    return period(text, now).orElse(new LocalDate[] {now.toLocalDate(), now.toLocalDate().plusDays(7)});
  }

  /** The period a text names ("tomorrow", "this week", "the rest of the day", "in march", "next 5 days"), if any. */
  Optional<LocalDate[]> period(String text, ZonedDateTime now) {
    return Optional.ofNullable(namedPeriod(text, now));
  }

  private LocalDate[] namedPeriod(String text, ZonedDateTime now) {
    LocalDate today = now.toLocalDate();
    Matcher days = Pattern.compile("\\bnext (\\d+) days\\b").matcher(text);
    if (days.find()) {
      return new LocalDate[] {today, today.plusDays(Integer.parseInt(days.group(1)) + 1)};
    }
    if (text.matches(".*\\b(?:rest|remainder) of (?:the|this) week\\b.*|.*\\bthis week\\b.*")) {
      return new LocalDate[] {today, today.with(TemporalAdjusters.next(DayOfWeek.MONDAY))};
    }
    if (text.matches(".*\\bnext week\\b.*")) {
      LocalDate monday = today.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
      return new LocalDate[] {monday, monday.plusDays(7)};
    }
    if (text.matches(".*\\bweekend\\b.*")) {
      LocalDate saturday = today.getDayOfWeek() == DayOfWeek.SATURDAY ? today
          : today.getDayOfWeek() == DayOfWeek.SUNDAY ? today.minusDays(1) : today.with(TemporalAdjusters.next(DayOfWeek.SATURDAY));
      return new LocalDate[] {saturday.isBefore(today) ? today : saturday, saturday.plusDays(2)};
    }
    if (text.matches(".*\\bnext month\\b.*")) {
      LocalDate first = today.withDayOfMonth(1).plusMonths(1);
      return new LocalDate[] {first, first.plusMonths(1)};
    }
    if (text.matches(".*\\b(?:this|the) month\\b.*")) {
      return new LocalDate[] {today, today.withDayOfMonth(1).plusMonths(1)};
    }
    Matcher month = Pattern.compile("\\b(?:in|for|during) (january|february|march|april|may|june|july|august|september|"
        + "october|november|december)\\b").matcher(text);
    if (month.find()) {
      int m = java.time.Month.valueOf(month.group(1).toUpperCase(Locale.ROOT)).getValue();
      LocalDate first = LocalDate.of(today.getYear(), m, 1);
      if (first.plusMonths(1).isBefore(today) || first.plusMonths(1).isEqual(today)) {
        first = first.plusYears(1);
      }
      return new LocalDate[] {first.isBefore(today) ? today : first, first.plusMonths(1)};
    }
    if (text.matches(".*\\b(?:rest of the day|today|tonight|this (?:morning|afternoon|evening)|(?:my|this) day)\\b.*|^day\\b.*")) {
      return new LocalDate[] {today, today.plusDays(1)};
    }
    Optional<TimePhraseParser.Extraction> when = times.findSpread(text, now);
    if (when.isPresent()) {
      LocalDate day = when.get().dateTime().toLocalDate();
      return new LocalDate[] {day, day.plusDays(1)};
    }
    return null;
  }

  private Optional<ChatResponse> calendarRemove(String said, OfflineRequest request) {
    if (!request.offers("cancelEvent") || !request.offers("findEvents")) {
      return Optional.empty();
    }
    String spoken = SpokenNumbers.digits(said.toLowerCase(Locale.ROOT));
    Optional<TimePhraseParser.Extraction> when = times.findSpread(spoken, request.now());
    String rest = when.map(TimePhraseParser.Extraction::remainder).orElse(spoken);
    String what = content(CALENDAR_PLACE.matcher(rest).replaceAll(" ").replaceAll(PARTS_OF_DAY, " "));
    boolean bulk = BULK.matcher(spoken).find() || CLEAR_WHOLE.matcher(spoken).find();
    if (KIND_NOUNS.containsAll(Arrays.asList(what.split(" ")))) {
      what = "";   // "erase my appointment for march 7": which appointment is not said
    }
    if (!what.isEmpty() && !bulk) {
      JsonObject args = new JsonObject().put("title", what);
      when.ifPresent(w -> args.put("date", w.dateTime().toLocalDate().toString()));
      return Optional.of(toolCall("cancelEvent", args));
    }
    // Neither which one nor when is said: the events are read out and the person says which.
    return cancelUnnamed(spoken, bulk, request).or(() -> Optional.of(toolCall("findEvents",
        find(range(spoken, request.now()), request.now()), "Which one should I cancel?")));
  }

  /**
   * A calendar removal that names no event: "clear my calendar for tomorrow" is every event of the period, "wipe my
   * calendar" of the weeks to come, "cancel my meeting on the 14th" or "remove my event at 1 pm today" what is on then.
   * The tool lists them and asks the person before anything is cancelled. Empty when neither "all" nor a time is said.
   */
  Optional<ChatResponse> cancelUnnamed(String what, boolean all, OfflineRequest request) {
    if (!request.offers("cancelEvents")) {
      return Optional.empty();
    }
    String spoken = SpokenNumbers.digits(what.toLowerCase(Locale.ROOT));
    Optional<LocalDate[]> period = period(spoken, request.now());
    if (all) {
      LocalDate today = request.now().toLocalDate();
      return Optional.of(toolCall("cancelEvents", find(period.orElse(new LocalDate[] {today, today.plusDays(UPCOMING_DAYS)}),
          request.now())));
    }
    return times.findSpread(spoken, request.now()).map(when -> {
      ZonedDateTime[] span = span(when);
      return toolCall("cancelEvents", new JsonObject().put("from", ISO.format(span[0].toOffsetDateTime()))
          .put("to", ISO.format(span[1].toOffsetDateTime())));
    });
  }

  /**
   * The stretch of time a removal names: a clock time is that minute (what is on then), a part of the day its hours
   * ("wednesday evening": 17:00 to midnight), a day the whole day.
   */
  static ZonedDateTime[] span(TimePhraseParser.Extraction when) {
    ZonedDateTime at = when.dateTime();
    String expression = when.expression();
    if (CLOCK.matcher(expression).find()) {
      return new ZonedDateTime[] {at, at.plusMinutes(1)};
    }
    ZonedDateTime day = at.toLocalDate().atStartOfDay(at.getZone());
    Matcher part = Pattern.compile(PARTS_OF_DAY).matcher(expression);
    if (part.find()) {
      return switch (part.group()) {
        case "morning" -> new ZonedDateTime[] {day.plusHours(5), day.plusHours(12)};
        case "afternoon" -> new ZonedDateTime[] {day.plusHours(12), day.plusHours(18)};
        case "evening" -> new ZonedDateTime[] {day.plusHours(17), day.plusDays(1)};
        default -> new ZonedDateTime[] {day.plusHours(18), day.plusDays(1).plusHours(5)};   // night, tonight
      };
    }
    return new ZonedDateTime[] {day, day.plusDays(1)};
  }

  // ---- reminders and alarms -----------------------------------------------------------------------------------

  private Optional<ChatResponse> reminder(String said, OfflineRequest request) {
    if (!request.offers("createReminder")) {
      return Optional.empty();
    }
    String spoken = SpokenNumbers.digits(said);
    Optional<Recurrences.Found> rec = Recurrences.find(spoken);
    String base = rec.map(Recurrences.Found::text).orElse(spoken);
    Optional<ReminderRequest> parsed = reminders.parse(base, request.now());
    String task = null;
    ZonedDateTime due = null;
    if (parsed.isPresent()) {
      switch (parsed.get()) {
        case ReminderRequest.Complete c -> {
          task = c.text();
          due = c.dueAt();
        }
        case ReminderRequest.MissingTime m -> task = m.text();
        case ReminderRequest.MissingText m -> due = m.dueAt();
      }
    }
    if (due == null) {
      Optional<TimePhraseParser.Extraction> when = times.findAnywhere(task != null ? task : base, request.now());
      if (when.isPresent()) {
        due = when.get().dateTime();
        task = when.get().remainder();
      }
    }
    task = reminderTask(task != null ? task : base);
    if (due != null && rec.isPresent() && rec.get().weekdaysOnly()) {
      due = Recurrences.firstWeekday(due);
    }
    if (task.isEmpty()) {
      return Optional.of(text("What should I remind you about?"));
    }
    if (due == null) {
      return Optional.of(text("When should I remind you to " + task + "?"));
    }
    JsonObject args = new JsonObject().put("text", task).put("dueAt", ISO.format(due.toOffsetDateTime()));
    rec.ifPresent(r -> args.put("rrule", r.rrule()));
    return Optional.of(toolCall("createReminder", args));
  }

  private static String reminderTask(String raw) {
    String t = raw.strip();
    String previous;
    do {
      previous = t;
      t = REMINDER_WORDS.matcher(t).replaceFirst("").strip();
      t = EDGE_WORDS.matcher(t).replaceAll("").strip();
    } while (!t.equals(previous));
    return Arrays.stream(t.split(" ")).allMatch(w -> w.isEmpty() || FILLER.contains(w.toLowerCase(Locale.ROOT))
        && !KIND_NOUNS.contains(w.toLowerCase(Locale.ROOT))) ? "" : t;
  }

  private Optional<ChatResponse> alarm(String said, OfflineRequest request) {
    if (!request.offers("createReminder")) {
      return Optional.empty();
    }
    if (!ALARM_WORDS.matcher(said).find()) {
      return reminder(said, request);   // "set a reminder at 3 pm to pick up jo" is close to an alarm, but says what for
    }
    String spoken = SpokenNumbers.digits(said.toLowerCase(Locale.ROOT));
    if (spoken.matches(".*\\btimer\\b.*")) {
      // "set a timer for 10 minutes": a timer runs from now
      spoken = spoken.replaceAll("\\bfor (\\d+|an?) (minutes?|mins?|hours?|seconds?)\\b", "in $1 $2");
    }
    String label = WAKE.matcher(spoken).find() ? "Wake up" : spoken.matches(".*\\btimer\\b.*") ? "Timer" : "Alarm";
    Matcher named = ALARM_LABEL.matcher(spoken);
    if (named.find()) {
      label = "Alarm: " + named.group(1).strip();
      spoken = spoken.substring(0, named.start()).strip();
    }
    // "set my alarm for 8": for an alarm, "for" introduces its time
    spoken = spoken.replaceAll("\\bfor (\\d{1,2}(?::\\d{2})?)(?!\\s*(?:minutes?|mins?|hours?|seconds?|days?))\\b", "at $1");
    Optional<Recurrences.Found> rec = Recurrences.find(spoken);
    String base = rec.map(Recurrences.Found::text).orElse(spoken);
    Optional<TimePhraseParser.Extraction> when = times.findAnywhere(base, request.now());
    if (when.isEmpty()) {
      return Optional.of(text(ASK_ALARM_TIME));
    }
    ZonedDateTime due = when.get().dateTime();
    // "wake me up at 6": an alarm to get up is in the morning unless the words say otherwise
    if (label.equals("Wake up") && due.getHour() >= 13 && !LATER_PART.matcher(when.get().expression()).find()) {
      due = due.minusHours(12);
      if (!due.isAfter(request.now())) {
        due = due.plusDays(1);
      }
    }
    if (rec.isPresent() && rec.get().weekdaysOnly()) {
      due = Recurrences.firstWeekday(due);
    }
    JsonObject args = new JsonObject().put("text", label).put("dueAt", ISO.format(due.toOffsetDateTime()));
    rec.ifPresent(r -> args.put("rrule", r.rrule()));
    return Optional.of(toolCall("createReminder", args, NO_ALARM_CLOCK));
  }

  /** An alarm is asked for by its time, "alarm" itself, or "all": a reminder named by words is removed, else asked. */
  private Optional<ChatResponse> removeReminder(String said, OfflineRequest request, boolean alarm) {
    if (!request.offers("deleteReminders") || !request.offers("listReminders")) {
      return Optional.empty();
    }
    String spoken = SpokenNumbers.digits(said.toLowerCase(Locale.ROOT));
    Optional<TimePhraseParser.Extraction> when = times.findSpread(spoken, request.now());
    String rest = when.map(TimePhraseParser.Extraction::remainder).orElse(spoken);
    if (alarm && !ALARM_WORDS.matcher(spoken).find()) {
      // the classifier's alarm removal without the word: which reminder is not said by a label
      return Optional.of(toolCall("listReminders", new JsonObject(), "Which one should I delete?"));
    }
    boolean described = rest.matches(".*\\b(?:wake ?up|early|late|morning|evening|night|bedtime|weekday|weekend)s?\\b.*");
    String what = content(rest.replaceAll("\\b(?:wake ?up|early|late|morning|evening|night|bedtime|weekday|weekend)s?\\b",
        alarm ? "" : "$0"));
    if (what.matches("[\\d: ]+")) {
      what = "";   // a number left over is a time the parser did not take, never a reminder's words
    }
    boolean plural = spoken.matches(".*\\b(?:alarms|reminders)\\b.*");
    if (what.isEmpty() && when.isEmpty() && !described && (BULK.matcher(spoken).find() || plural)) {
      return Optional.of(toolCall("deleteReminders", new JsonObject().put("all", true)));
    }
    if (!what.isEmpty() && (!alarm || when.isEmpty())) {
      return Optional.of(toolCall("deleteReminders", new JsonObject().put("text", what)));
    }
    if (alarm && when.isPresent() && when.get().expression().matches(".*\\d.*") && what.isEmpty()) {
      // "cancel my 6 am alarm": the reminder due at that time of day; with a day, at that moment
      boolean day = DAY_WORDS.matcher(when.get().expression()).find();
      ZonedDateTime at = when.get().dateTime();
      if (at.getHour() >= 13 && WAKE.matcher(spoken).find() && !LATER_PART.matcher(when.get().expression()).find()) {
        at = at.minusHours(12);
      }
      return Optional.of(toolCall("deleteReminders", new JsonObject().put("dueAt", day
          ? ISO.format(at.toOffsetDateTime()) : at.toLocalTime().toString())));
    }
    if (alarm && when.isPresent() && what.isEmpty()) {
      // "cancel tomorrow's alarms", "delete the wednesday evening alarm": those due then (several are asked about)
      ZonedDateTime[] span = span(when.get());
      return Optional.of(toolCall("deleteReminders", new JsonObject().put("from", ISO.format(span[0].toOffsetDateTime()))
          .put("to", ISO.format(span[1].toOffsetDateTime()))));
    }
    return Optional.of(toolCall("listReminders", new JsonObject(), alarm
        ? "Which of these should I delete? (Aide keeps alarms as reminders.)" : "Which one should I delete?"));
  }

  // ---- lists --------------------------------------------------------------------------------------------------

  private Optional<ChatResponse> listAdd(String said, OfflineRequest request) {
    if (!request.offers("addToList")) {
      return Optional.empty();
    }
    String lower = said.toLowerCase(Locale.ROOT);
    Optional<String> list = listName(lower);
    Matcher items = LIST_ADD_ITEMS.matcher(lower);
    String item = items.find() ? content(items.group("items")) : "";
    if (!item.isEmpty() && list.isPresent()) {
      JsonArray parts = new JsonArray();
      for (String p : item.split("\\s*,\\s*|\\s+and\\s+")) {
        parts.add(new JsonObject().put("text", p.strip()));
      }
      return Optional.of(toolCall("addToList", new JsonObject().put("listName", list.get()).put("items", parts)));
    }
    if (!item.isEmpty()) {
      return Optional.of(text("Which list should I add " + item + " to?"));
    }
    return Optional.of(text(list.map(l -> "What should I put on the " + l + " list?")
        .orElse("What should I add, and to which list? For example: \"add milk to my shopping list\".")));
  }

  private Optional<ChatResponse> listQuery(String said, OfflineRequest request) {
    Optional<String> list = listName(said.toLowerCase(Locale.ROOT));
    if (list.isPresent() && request.offers("showList")) {
      return Optional.of(toolCall("showList", new JsonObject().put("listName", list.get())));
    }
    return request.offers("listLists") ? Optional.of(toolCall("listLists", new JsonObject())) : Optional.empty();
  }

  private Optional<ChatResponse> listRemove(String said, OfflineRequest request) {
    if (!request.offers("removeFromList") || !request.offers("listLists")) {
      return Optional.empty();
    }
    String lower = said.toLowerCase(Locale.ROOT);
    Optional<String> list = listName(lower);
    Matcher items = LIST_REMOVE_ITEMS.matcher(lower);
    String item = items.find() ? content(items.group("items") != null ? items.group("items") : items.group("unwanted")) : "";
    if (!item.isEmpty() && !item.matches("(?:this|that|the|an?) list|lists?")) {
      // with no list named, the tool takes it from the one list that holds it, and says so when none or several do
      JsonObject args = new JsonObject().put("items", new JsonArray(List.of(item)));
      list.ifPresent(l -> args.put("listName", l));
      return Optional.of(toolCall("removeFromList", args));
    }
    item = "";
    Matcher whole = WHOLE_LIST.matcher(lower);
    if (whole.matches() && lower.matches(".*\\blists?\\b.*") && list.isPresent() && item.isEmpty()) {
      // "delete my to do list": the list goes, "clear my to do list" its items; either after the person's yes
      String tool = CLEAR_WHOLE.matcher(lower).find() ? "clearList" : "deleteList";
      if (request.offers(tool)) {
        return Optional.of(toolCall(tool, new JsonObject().put("listName", list.get())));
      }
    }
    if (list.isPresent() && request.offers("showList")) {
      return Optional.of(toolCall("showList", new JsonObject().put("listName", list.get()),
          "Which of these should I remove?"));
    }
    return Optional.of(toolCall("listLists", new JsonObject(), "Which list, and which item on it, should I remove?"));
  }

  /** The list a request names ("my packing list", "groceries", "a list for work"), if any. */
  static Optional<String> listName(String said) {
    String lower = said.replaceAll("\\bto do\\b", "to-do");
    Matcher titled = LIST_TITLED.matcher(lower);
    if (titled.find() && !FILLER.contains(titled.group("after").strip())) {
      return Optional.of(titled.group("after").strip());   // "delete the list called kickball"
    }
    Matcher m = LIST_NAMED.matcher(lower);
    while (m.find()) {
      String name;
      if (m.group("name") != null) {
        // the words just before "list" that name something: "erase my old english songs list" → "old english songs"
        String[] words = m.group("name").strip().split("\\s+");
        int from = words.length;
        while (from > 0 && (!FILLER.contains(words[from - 1]) || words[from - 1].equals("to-do"))) {
          from--;
        }
        name = String.join(" ", Arrays.copyOfRange(words, from, words.length));
      } else {
        name = (m.group("plain") != null ? m.group("plain") : m.group("after")).strip()
            .replaceAll("^(?:(?:my|the|our|a|an|new|this|that)\\s+)+", "");
      }
      if (!name.isEmpty() && !FILLER.contains(name)) {
        return Optional.of(name.replace("todo", "to-do"));
      }
    }
    return Optional.empty();
  }

  // ---- shared -------------------------------------------------------------------------------------------------

  private static Optional<ChatResponse> offer(OfflineRequest request, String tool, JsonObject args, String after) {
    return request.offers(tool) ? Optional.of(toolCall(tool, args, after)) : Optional.empty();
  }

  /** The words that may name the item: what is left without fillers at either end; empty when nothing is. */
  static String content(String text) {
    String[] words = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}' -]", " ").strip().split("\\s+");
    int start = 0;
    int end = words.length;
    while (start < end && FILLER.contains(words[start])) {
      start++;
    }
    while (end > start && FILLER.contains(words[end - 1])) {
      end--;
    }
    String rest = Arrays.stream(words, start, end).collect(Collectors.joining(" "));
    return rest.replaceAll("'s$", "").strip();
  }

  /** Whether a time expression says a time of day ("5 pm", "at 6", "noon", "this evening"), not only a day. */
  static boolean hasClock(String expression) {
    return expression.matches("(?i).*(?:\\d:\\d|\\d ?(?:am|pm)|\\bat \\d|noon|midday|midnight|morning|afternoon|evening|"
        + "night|tonight|o'clock|\\bin \\d|minutes?|hours?).*");
  }
}
