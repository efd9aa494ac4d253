package dev.aide.llm.offline;

import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * One message as the offline model's skills see it: the person's text, the current time in their timezone (from the
 * system message, as an LLM would read it), the tools on offer, Aide's previous question in this conversation and
 * the event or reminder it last touched (what "it" refers to).
 * ("Yes, go ahead" never reaches it: the conversation service answers it, see Confirmations.)
 */
public record OfflineRequest(String text, ZonedDateTime now, Set<String> tools, Optional<String> previousQuestion,
                             Optional<Referent> referent) {

  /** A message with nothing touched before it for "it" to refer to. */
  public OfflineRequest(String text, ZonedDateTime now, Set<String> tools, Optional<String> previousQuestion) {
    this(text, now, tools, previousQuestion, Optional.empty());
  }

  /** The text lower-cased, trimmed, with trailing punctuation removed: what most patterns match against. */
  public String normalized() {
    return text.toLowerCase(java.util.Locale.ROOT).strip().replaceAll("[.!?]+$", "").strip();
  }

  public boolean offers(String tool) {
    return tools.contains(tool);
  }
}
