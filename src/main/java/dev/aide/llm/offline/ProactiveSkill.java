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

/**
 * "Message me at …" requests: schedule a message to the person ("message me at 6pm: call John", "text me tomorrow at
 * 9 saying buy milk", "send me a message in 20 minutes: check the oven"), list the ones waiting, cancel one.
 *
 * <p>Choices:
 * <ul>
 *   <li>Only a request that starts with asking to be messaged ("message me", "text me", "send me a message", "drop me
 *       a line", …) is one; "remind me" and the other reminder phrasings stay reminders.</li>
 *   <li>The message is what follows a colon, "saying", "that says", "to say" or "reading", or what is left once the
 *       time is taken from either end ("text me at 6pm to call John" says "call John"). It keeps the person's words
 *       and letter case; surrounding quotes and a final full stop are dropped.</li>
 *   <li>A time in front of the marker must be all time ("message me tonight: …"); anything else there is not read as
 *       a message request, so nothing is invented. Without a time Aide asks when, and takes the answer next.</li>
 * </ul>
 */
public final class ProactiveSkill implements OfflineSkill {

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final String POLITE = "^(?:(?:hey|hi|ok|okay|aide|please|pls|just|can you|could you|would you|"
      + "will you|can u|i want you to|i'd like you to|i need you to|go ahead and)\\b[,:]?\\s*)*";
  private static final String NOUN = "(?:message|text message|text|msg|dm|line)";
  private static final Pattern TRIGGER = Pattern.compile(POLITE
      + "(?:(?:message|text|msg|dm) me|write to me|(?:send|drop|shoot) me (?:a |an )?(?:quick |short )?"
      + NOUN + ")(?=[\\s,:]|$)", FLAGS);
  private static final Pattern MARKER = Pattern.compile(
      "\\s*:(?:\\s+|$)|\\s+(?:saying|that says|which says|to say|reading|that reads|with the (?:text|words))(?:\\s*:)?\\s+", FLAGS);
  private static final Pattern LEADING_WORDS = Pattern.compile("^(?:to|that|about|and say|and tell me(?: to)?)\\s+", FLAGS);
  private static final Pattern QUOTED = Pattern.compile("^([\"'\u201c\u2018])(.+)[\"'\u201d\u2019]$");
  private static final Pattern ASKED_WHEN = Pattern.compile("^When should I send you \"(.+)\"\\?$", Pattern.DOTALL);
  private static final Pattern NOT_A_MESSAGE = Pattern.compile("^(?:a |an )?reminders?\\b", FLAGS);

  private static final Pattern LIST = Pattern.compile(
      "^(?:what|which|show|list|any|do i have|tell me)\\b.*\\bscheduled (?:messages|texts)\\b.*$"
          + "|^(?:my )?scheduled messages$"
          + "|^(?:what|which) messages (?:will you send|are you going to send|are scheduled|have i scheduled|did i schedule)\\b.*$");
  private static final Pattern CANCEL = Pattern.compile(
      "^(?:please )?(?:cancel|delete|remove|drop|unschedule|don'?t send|do not send) (?:the |my )?(?:scheduled )?"
          + "(?:message|text)(?: to me)?(?: (?:about|saying|that says|to|for|with|re|on))? (.+)$", FLAGS);

  private final TimePhraseParser times = new TimePhraseParser();

  @Override
  public Optional<ChatResponse> understand(OfflineRequest request) {
    if (request.offers("scheduleMessage")) {
      Optional<ChatResponse> answer = request.previousQuestion().map(ASKED_WHEN::matcher).filter(Matcher::matches)
          .flatMap(asked -> times.parse(request.normalized(), request.now())
              .map(at -> schedule(asked.group(1), at)));
      if (answer.isPresent()) {
        return answer;
      }
    }
    String said = request.text().replace('\u2019', '\'').replaceAll("\\s+", " ").strip();
    if (request.offers("cancelScheduledMessage")) {
      Matcher cancel = CANCEL.matcher(said.replaceAll("[.!?]+$", ""));
      if (cancel.matches()) {
        return Optional.of(toolCall("cancelScheduledMessage", new JsonObject().put("text", unquote(cancel.group(1)))));
      }
    }
    if (request.offers("listScheduledMessages") && LIST.matcher(request.normalized()).matches()) {
      return Optional.of(toolCall("listScheduledMessages", new JsonObject()));
    }
    if (request.offers("scheduleMessage")) {
      Matcher trigger = TRIGGER.matcher(said);
      if (trigger.lookingAt()) {
        return create(said.substring(trigger.end()).replaceFirst("^[\\s,]+", ""), request.now());
      }
    }
    return Optional.empty();
  }

  private Optional<ChatResponse> create(String rest, ZonedDateTime now) {
    if (NOT_A_MESSAGE.matcher(rest).find()) {
      return Optional.empty();
    }
    Matcher marker = MARKER.matcher(rest);
    if (marker.find()) {
      String before = rest.substring(0, marker.start()).strip().replaceFirst("(?i)^for\\s+", "");
      String content = rest.substring(marker.end());
      if (before.isEmpty()) {
        return withTrailingTime(content, now);
      }
      Optional<ZonedDateTime> at = times.parse(before.toLowerCase(java.util.Locale.ROOT), now);
      return at.map(time -> complete(content, time)).orElse(Optional.empty());
    }
    String bare = rest.replaceAll("[.!?]+$", "").strip();
    if (bare.isEmpty()) {
      return Optional.of(text("What should the message say, and when should I send it? For example: "
          + "\"message me at 6pm: call John\"."));
    }
    Optional<TimePhraseParser.Extraction> leading = times.findLeading(bare.replaceFirst("(?i)^for\\s+", ""), now);
    if (leading.isPresent()) {
      return complete(LEADING_WORDS.matcher(leading.get().remainder()).replaceFirst(""), leading.get().dateTime());
    }
    return withTrailingTime(LEADING_WORDS.matcher(bare).replaceFirst(""), now);
  }

  /** "saying buy milk tomorrow at 9": the time may end the message. */
  private Optional<ChatResponse> withTrailingTime(String content, ZonedDateTime now) {
    String bare = content.replaceAll("[.!?]+$", "").strip();
    Optional<TimePhraseParser.Extraction> trailing = times.findTrailing(bare, now);
    if (trailing.isPresent() && !trailing.get().remainder().isBlank()) {
      return complete(trailing.get().remainder(), trailing.get().dateTime());
    }
    String message = message(content);
    return message.isEmpty() ? Optional.empty()
        : Optional.of(text("When should I send you \"" + message + "\"?"));
  }

  private static Optional<ChatResponse> complete(String content, ZonedDateTime at) {
    String message = message(content);
    if (message.isEmpty()) {
      return Optional.of(text("What should the message say?"));
    }
    return Optional.of(schedule(message, at));
  }

  /** The person's words: without surrounding quotes, a final full stop or a trailing "please". */
  private static String message(String content) {
    String text = content.strip().replaceFirst("(?i)[,\\s]+please$", "").replaceAll("\\.+$", "").strip();
    return unquote(text);
  }

  private static String unquote(String text) {
    Matcher quoted = QUOTED.matcher(text.strip());
    return quoted.matches() ? quoted.group(2).strip() : text.strip();
  }

  private static ChatResponse schedule(String content, ZonedDateTime at) {
    return toolCall("scheduleMessage", new JsonObject()
        .put("content", content)
        .put("at", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.toOffsetDateTime())));
  }
}
