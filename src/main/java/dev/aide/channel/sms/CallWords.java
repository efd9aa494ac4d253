package dev.aide.channel.sms;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a caller's words mean to the call itself, before any turn: whether they are taking their leave. The rule is
 * small and general: a short utterance made only of closing words ("thanks", "okay", "that's all", "for now"…) that
 * says goodbye or that the caller is done ("bye", "goodbye", "that's all", "that's it", "nothing else", "I'm done").
 * Anything with another word in it ("remind me to say goodbye to Sam") is a request, and goes to the assistant.
 */
final class CallWords {

  /** Longer than any way of hanging up, shorter than most requests. */
  private static final int MAX_WORDS = 8;
  private static final Set<String> CLOSING = Set.of("bye", "goodbye", "byebye", "goodnight", "night", "good", "thanks",
      "thank", "you", "cheers", "ok", "okay", "alright", "right", "great", "perfect", "fine", "so", "well", "oh", "then",
      "that's", "thats", "that", "is", "it", "all", "for", "now", "today", "no", "nothing", "else", "i'm", "im", "i",
      "am", "done", "see", "ya", "later", "talk", "soon", "hang", "up", "please", "very", "much", "a", "lot", "and");
  private static final List<Pattern> LEAVING = List.of(
      Pattern.compile("\\b(good ?)?bye\\b|\\bbye ?bye\\b|\\bgood ?night\\b"),
      Pattern.compile("\\bthat('s| is|s) (all|it)\\b"),
      Pattern.compile("\\bnothing else\\b"),
      Pattern.compile("\\b(i'm|im|i am) done\\b"),
      Pattern.compile("\\bhang up\\b"));

  private CallWords() {}

  /** Whether the caller is saying goodbye. */
  static boolean farewell(String speech) {
    String said = speech.toLowerCase(Locale.ROOT).replace('’', '\'').replaceAll("[^\\p{L}\\p{N}']+", " ").strip();
    if (said.isEmpty()) {
      return false;
    }
    String[] words = said.split(" ");
    if (words.length > MAX_WORDS) {
      return false;
    }
    for (String word : words) {
      if (!CLOSING.contains(word)) {
        return false;
      }
    }
    return LEAVING.stream().anyMatch(p -> p.matcher(said).find());
  }

  /** What Twilio heard, as the assistant is given it: control characters (NUL among them) as spaces, trimmed. */
  static String heard(String speechResult) {
    if (speechResult == null) {
      return "";
    }
    return speechResult.replaceAll("[\\p{Cc}&&[^\\t\\n]]", " ").replaceAll("\\s+", " ").strip();
  }
}
