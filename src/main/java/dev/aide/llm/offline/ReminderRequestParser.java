package dev.aide.llm.offline;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises plain-English reminder requests ("remind me to call mom tomorrow at 5pm") and splits them into the
 * task and the due time, using {@link TimePhraseParser} for the time.
 *
 * <p>Choices:
 * <ul>
 *   <li>The task keeps the person's own words and letter case; only the leading "to"/"about"/"that"/"of",
 *       fillers such as "please", and trailing punctuation are dropped. Pronouns are not rewritten ("call my mom"
 *       stays "call my mom"), because rewriting them reliably needs grammar this parser does not have.</li>
 *   <li>A request with neither task nor time ("remind me", "set a reminder") is not understood: the result is
 *       empty, as for text that is not a reminder request at all.</li>
 *   <li>A time preceded by "every"/"each" is a recurrence, which reminders do not support, and one preceded by
 *       "until", "before", "from" and the like describes the task rather than when to remind; in both cases the
 *       time stays part of the task and the request is reported as missing its time, so the caller asks.</li>
 * </ul>
 */
public final class ReminderRequestParser {

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

  /** The verb phrases that make a sentence a reminder request, most specific first. */
  private static final List<Trigger> TRIGGERS = List.of(
      new Trigger("\\bremind (?:me|us)\\b", true),
      new Trigger("\\b(?:ping|nudge|alert|notify|buzz) me\\b", false),
      new Trigger("^(?:please )?tell me to\\b", false),
      new Trigger("\\b(?:set|create|add|make|schedule|put in|put|save|give me|send|get|need|want|like)(?: me| up)?"
          + " (?:a |an |one |another |the )?(?:new |quick )?reminder\\b:?", true),
      new Trigger("\\b(?:don'?t|do not|never) let me forget\\b", true),
      new Trigger("\\b(?:don'?t|do not) forget\\b", false),
      new Trigger("^(?:a |new |quick )?reminder\\b:?", true));

  /** Politeness and address that may precede the request ("hey, can you please ..."). */
  private static final Pattern POLITE_PREFIX = Pattern.compile(
      "^(?:(?:hey|hi|hello|ok|okay|so|aide|assistant|please|pls|plz|kindly|just|also|and|then|"
          + "can you|could you|would you|will you|can u|would you mind|would you be able to|"
          + "i want you to|i'd like you to|i would like you to|i need you to|go ahead and|"
          + "don'?t forget to|do not forget to|make sure to|make sure you|be sure to|remember to)"
          + "\\b[,:]?\\s*)+", FLAGS);

  /** Intent phrases that only announce the request ("I want to set a reminder ..."). */
  private static final Pattern INTENT_ONLY = Pattern.compile(
      "^(?:i (?:want|need|would like|'d like|wanna|have) to|i'd like to|let'?s|lets|help me|i want)$", FLAGS);

  /** A task stated before the trigger: "I need to call mom at 5, remind me". */
  private static final Pattern TASK_FIRST = Pattern.compile(
      "^i(?: really)? (?:need to|have to|must|should|gotta|got to|'ve got to|ve got to|am supposed to|'m supposed to)"
          + " (?<task>.+)$", FLAGS);

  private static final Pattern TRAILING_CONNECTORS = Pattern.compile(
      "(?:[\\s,;:.\\-]|\\b(?:so|and|please|pls|can you|could you|would you|will you|then|ok|okay)\\b)+$", FLAGS);

  private static final Pattern LEADING_MARKER = Pattern.compile(
      "^(?:(?:to|about|that|of|for|re|regarding|called|named|titled|saying)\\b|[:\\-\u2013\u2014])\\s*", FLAGS);

  private static final Pattern STARTS_WITH_TASK_MARKER = Pattern.compile(
      "^(?:to|about|that|of|regarding|re)\\b", FLAGS);

  private static final Pattern PLEASE_EDGES = Pattern.compile(
      "(?:^please\\b[,]?\\s*|[,]?\\s*\\b(?:please|thanks|thank you|thx|ty)$)", FLAGS);

  /** Words after which a time belongs to the task ("every morning", "until Friday", "before 5pm"). */
  private static final Pattern TIME_OWNED_BY_TASK = Pattern.compile(
      "\\b(?:every|each|from|until|till|til|since|before|after|between|than|of)$", FLAGS);

  /** "buy tickets for | May 5": the "for" only introduced the time. */
  private static final Pattern TRAILING_FOR = Pattern.compile("\\s*\\bfor$", FLAGS);

  private static final Pattern SURROUNDING_QUOTES = Pattern.compile("^([\"'\u201c\u2018])(.*)[\"'\u201d\u2019]$");

  private final TimePhraseParser times;

  /** Creates a parser that reads times with a new {@link TimePhraseParser}. */
  public ReminderRequestParser() {
    this(new TimePhraseParser());
  }

  /** Creates a parser that reads times with the given parser. */
  public ReminderRequestParser(TimePhraseParser times) {
    this.times = times;
  }

  /**
   * Reads a user message as a reminder request.
   *
   * @param userText the user's message
   * @param now      the current time in the user's zone; times are resolved against it
   * @return the request, or empty if the message is not a reminder request (or names neither task nor time)
   */
  public Optional<ReminderRequest> parse(String userText, ZonedDateTime now) {
    if (userText == null || now == null) {
      return Optional.empty();
    }
    String text = clean(userText);
    for (Trigger trigger : TRIGGERS) {
      Matcher matcher = trigger.pattern().matcher(text);
      if (matcher.find()) {
        String before = text.substring(0, matcher.start());
        String after = text.substring(matcher.end());
        return understand(before, after, trigger, now);
      }
    }
    return Optional.empty();
  }

  private static String clean(String userText) {
    String text = userText.replace('\u2019', '\'').replaceAll("\\s+", " ").strip();
    String previous;
    do {
      previous = text;
      text = unquote(text.replaceAll("[\\s.!?]+$", ""));
      text = PLEASE_EDGES.matcher(text).replaceAll("").strip();
    } while (!text.equals(previous));
    return text;
  }

  private Optional<ReminderRequest> understand(String before, String after, Trigger trigger, ZonedDateTime now) {
    return readBefore(before, now)
        .flatMap(lead -> readAfter(after, trigger, now).flatMap(body -> combine(lead, body, now)));
  }

  /** Reads what precedes the trigger: nothing, a time ("tomorrow at 5, remind me ..."), or a task ("I need to ..."). */
  private Optional<Part> readBefore(String before, ZonedDateTime now) {
    String text = stripTrailingConnectors(POLITE_PREFIX.matcher(before.strip()).replaceFirst(""));
    if (text.isEmpty() || INTENT_ONLY.matcher(text).matches()) {
      return Optional.of(Part.EMPTY);
    }
    Optional<ZonedDateTime> time = times.parse(text, now);
    if (time.isPresent()) {
      return Optional.of(new Part(null, new Found(time.get(), text)));
    }
    Matcher taskFirst = TASK_FIRST.matcher(text);
    return taskFirst.matches() ? Optional.of(taskWithTime(taskFirst.group("task"), now)) : Optional.empty();
  }

  /** Reads what follows the trigger: an optional leading time, then the task, which may end with a time. */
  private Optional<Part> readAfter(String after, Trigger trigger, ZonedDateTime now) {
    String unprefixed = after.strip().replaceFirst("^[,:]\\s*", "");
    String text = stripTrailingConnectors(POLITE_PREFIX.matcher(unprefixed).replaceFirst(""));
    if (text.isEmpty()) {
      return Optional.of(Part.EMPTY);
    }
    // "for" introduces either a time ("for 5pm to call mom") or a task ("for the dentist on Friday").
    String withoutFor = text.replaceFirst("(?i)^for\\s+", "");
    Optional<TimePhraseParser.Extraction> leading = times.findLeading(withoutFor, now);
    if (leading.isPresent()) {
      TimePhraseParser.Extraction found = leading.get();
      Part rest = taskWithTime(found.remainder(), now);
      Found time = new Found(found.dateTime(), found.expression());
      return Optional.of(new Part(rest.task(), rest.time() == null ? time : merge(time, rest.time(), now)));
    }
    if (!trigger.acceptsBareTask() && !STARTS_WITH_TASK_MARKER.matcher(text).find()) {
      return Optional.empty();
    }
    return Optional.of(taskWithTime(text, now));
  }

  /** Splits "call mom tomorrow at 5" into the task and its trailing time. */
  private Part taskWithTime(String text, ZonedDateTime now) {
    Optional<TimePhraseParser.Extraction> trailing = times.findTrailing(text, now);
    if (trailing.isPresent() && !TIME_OWNED_BY_TASK.matcher(trailing.get().remainder()).find()) {
      TimePhraseParser.Extraction found = trailing.get();
      String task = TRAILING_FOR.matcher(found.remainder()).replaceFirst("");
      return new Part(taskText(task), new Found(found.dateTime(), found.expression()));
    }
    return new Part(taskText(text), null);
  }

  /** Joins two pieces of one time said in two places ("tomorrow ... at 5pm"), preferring the later if they clash. */
  private Found merge(Found first, Found second, ZonedDateTime now) {
    String joined = first.expression() + " " + second.expression();
    return times.parse(joined, now).map(time -> new Found(time, joined)).orElse(second);
  }

  private Optional<ReminderRequest> combine(Part lead, Part body, ZonedDateTime now) {
    String task = body.task() != null ? body.task() : lead.task();
    Found time;
    if (lead.time() != null && body.time() != null) {
      time = merge(lead.time(), body.time(), now);
    } else {
      time = lead.time() != null ? lead.time() : body.time();
    }
    if (task != null && time != null) {
      return Optional.of(new ReminderRequest.Complete(task, time.dateTime()));
    }
    if (task != null) {
      return Optional.of(new ReminderRequest.MissingTime(task));
    }
    if (time != null) {
      return Optional.of(new ReminderRequest.MissingText(time.dateTime()));
    }
    return Optional.empty();
  }

  /** The task in the person's words, without the connecting words around it; null if nothing is left. */
  private static String taskText(String raw) {
    // Only one marker is dropped: in "about that meeting" the "that" belongs to the task.
    String text = LEADING_MARKER.matcher(stripTrailingConnectors(raw.strip())).replaceFirst("");
    String previous;
    do {
      previous = text;
      text = PLEASE_EDGES.matcher(text).replaceAll("");
      text = stripTrailingConnectors(unquote(text));
    } while (!text.equals(previous));
    return text.isEmpty() ? null : text;
  }

  private static String unquote(String text) {
    Matcher quoted = SURROUNDING_QUOTES.matcher(text.strip());
    return quoted.matches() ? quoted.group(2).strip() : text.strip();
  }

  private static String stripTrailingConnectors(String text) {
    return TRAILING_CONNECTORS.matcher(text).replaceFirst("").strip();
  }

  private record Trigger(Pattern pattern, boolean acceptsBareTask) {
    Trigger(String regex, boolean acceptsBareTask) {
      this(Pattern.compile(regex, FLAGS), acceptsBareTask);
    }
  }

  /** A time expression and where it came from, kept so that two halves of one time can be joined. */
  private record Found(ZonedDateTime dateTime, String expression) {}

  /** What one side of the trigger contributed; either part may be null. */
  private record Part(String task, Found time) {
    static final Part EMPTY = new Part(null, null);
  }
}
