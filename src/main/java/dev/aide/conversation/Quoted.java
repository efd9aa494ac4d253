package dev.aide.conversation;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The person's stored text as the model sees it: inside «guillemets», which the system prompt explains are quoted
 * data, never instructions. A guillemet inside the data becomes a single one (‹ ›), so stored text cannot close its
 * quote and speak as Aide. Also tells whether a tool result brought stored text into the model's context that neither
 * the person nor the model had written in the turn — what makes a turn's writes wait for the person's yes (see
 * {@link Confirmations}).
 */
public final class Quoted {

  public static final char OPEN = '«';
  public static final char CLOSE = '»';

  private static final Pattern SPAN = Pattern.compile("«([^«»]*)»");
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  private Quoted() {}

  /** Stored text, quoted; null reads as an empty quote. */
  public static String of(String stored) {
    return OPEN + neutralised(stored == null ? "" : stored) + CLOSE;
  }

  /** The text with any quote markers made harmless. */
  public static String neutralised(String text) {
    return text.replace('«', '‹').replace('»', '›');
  }

  /**
   * A tool result as the person reads it: quoted data of several words in plain double quotes ("call mom"), a single
   * word as it is (apples, grocery), as one writes names in running text.
   */
  public static String forPerson(String text) {
    return text == null ? null : SPAN.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
        m.group(1).strip().contains(" ") || m.group(1).isBlank() ? '"' + m.group(1) + '"' : m.group(1)));
  }

  /**
   * Whether a tool's answer quotes stored text with a word the model had not been given: a word neither the person
   * wrote in the turn's message nor the model wrote in its tool calls so far ({@code known}). An echo of what the model
   * just wrote ("Note saved: «buy milk»") brings nothing new; a listing, a match by a few words, or a conflict named
   * by its title does.
   */
  public static boolean bringsStoredText(String result, Set<String> known) {
    if (result == null || result.indexOf(OPEN) < 0) {
      return false;
    }
    Matcher span = SPAN.matcher(result);
    while (span.find()) {
      Matcher word = WORD.matcher(span.group(1));
      while (word.find()) {
        if (!known.contains(word.group().toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether any tool result in these messages (a conversation's memory, oldest first) brought stored text to the
   * model, by the same test, the known words growing with each message of the person and each tool call.
   */
  public static boolean broughtStoredText(List<ChatMessage> messages) {
    Set<String> known = new HashSet<>();
    for (ChatMessage message : messages) {
      if (message instanceof UserMessage user && user.hasSingleText()) {
        known.addAll(words(user.singleText()));
      } else if (message instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
        ai.toolExecutionRequests().forEach(request -> known.addAll(argumentWords(request.arguments())));
      } else if (message instanceof ToolExecutionResultMessage result && bringsStoredText(result.text(), known)) {
        return true;
      }
    }
    return false;
  }

  /** The words of a model's tool-call arguments: every string and number in them, or the raw text if not JSON. */
  public static Set<String> argumentWords(String arguments) {
    return words(argumentText(arguments));
  }

  /** The words of a text, lower-cased. */
  public static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    if (text == null) {
      return out;
    }
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      out.add(m.group().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** Every string and number in the model's arguments, or the raw text when they are not JSON. */
  private static String argumentText(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return "";
    }
    try {
      StringBuilder out = new StringBuilder();
      collect(Json.decodeValue(arguments), out);
      return out.toString();
    } catch (DecodeException e) {
      return arguments;
    }
  }

  private static void collect(Object value, StringBuilder out) {
    if (value instanceof JsonObject object) {
      object.forEach(e -> collect(e.getValue(), out));
    } else if (value instanceof JsonArray array) {
      array.forEach(v -> collect(v, out));
    } else if (value instanceof Map<?, ?> map) {
      map.values().forEach(v -> collect(v, out));
    } else if (value instanceof List<?> list) {
      list.forEach(v -> collect(v, out));
    } else if (value != null) {
      out.append(' ').append(value);
    }
  }

}
