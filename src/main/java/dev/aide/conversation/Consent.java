package dev.aide.conversation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a person's message says to a question "Shall I go ahead?": a plain yes, a plain no, or something else. A plain
 * answer is made only of words of assent (or refusal) with at least one that carries it — "yes", "Yes please!",
 * "ok go ahead", "sure, do it" — so "yes but only the first one" or "no wait, yes" are something else, and go to the
 * model as ordinary messages.
 */
public enum Consent {
  YES, NO, OTHER;

  private static final int MAX_WORDS = 6;
  private static final Set<String> YES_CORE = Set.of("yes", "yeah", "yep", "yup", "yea", "ya", "y", "sure", "ok",
      "okay", "k", "kk", "alright", "confirm", "confirmed", "proceed", "absolutely", "definitely", "certainly",
      "correct", "affirmative", "ahead", "do", "fine", "right", "good", "agreed", "👍", "✅", "👌");
  private static final Set<String> YES_FILLER = Set.of("please", "go", "it", "that", "thanks", "thank", "you", "is",
      "that's", "thats", "sounds", "of", "course", "then", "oh", "all", "indeed", "really", "just", "and", "so");
  private static final Set<String> NO_CORE = Set.of("no", "nope", "nah", "n", "don't", "dont", "not", "cancel",
      "stop", "never", "abort", "forget", "leave", "keep", "wait", "hold", "👎", "❌");
  private static final Set<String> NO_FILLER = Set.of("please", "do", "it", "that", "them", "thanks", "thank", "you",
      "mind", "on", "as", "is", "way", "actually", "just", "oh", "all", "thing", "everything");

  /** Reads the message. */
  public static Consent of(String message) {
    if (message == null) {
      return OTHER;
    }
    String text = message.toLowerCase(Locale.ROOT).replace('’', '\'')
        .replaceAll("[^\\p{L}\\p{N}'👍✅👌👎❌\\s]", " ").replace("👍", " 👍 ").replace("✅", " ✅ ")
        .replace("👌", " 👌 ").replace("👎", " 👎 ").replace("❌", " ❌ ").strip();
    if (text.isEmpty()) {
      return OTHER;
    }
    List<String> words = Arrays.asList(text.split("\\s+"));
    if (words.size() > MAX_WORDS) {
      return OTHER;
    }
    if (made(words, YES_CORE, YES_FILLER)) {
      return YES;
    }
    return made(words, NO_CORE, NO_FILLER) ? NO : OTHER;
  }

  private static boolean made(List<String> words, Set<String> core, Set<String> filler) {
    return words.stream().anyMatch(core::contains)
        && words.stream().allMatch(w -> core.contains(w) || filler.contains(w));
  }
}
