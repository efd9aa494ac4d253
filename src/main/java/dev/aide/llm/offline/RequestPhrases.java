package dev.aide.llm.offline;

import java.util.regex.Pattern;

/** Pieces of phrasing the note and memory skills share, so the two read a request the same way. */
final class RequestPhrases {

  static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

  /** Polite openings before the request itself ("ok, please remember that …"), at the start of a pattern. */
  static final String POLITE = "^(?:(?:hey|ok|okay|please|aide|can you|could you|would you|will you)[,]?\\s+)*";

  /**
   * Words that make a request the reminder skill's: "remember that" keeps a fact and "note that" a note, but
   * "remind me", "don't let me forget" schedule.
   */
  static final Pattern REMINDING = Pattern.compile(
      "\\bremind|\\bdon'?t (?:let me )?forget\\b|\\bdo not (?:let me )?forget\\b|\\blet me forget\\b", FLAGS);

  private RequestPhrases() {
  }
}
