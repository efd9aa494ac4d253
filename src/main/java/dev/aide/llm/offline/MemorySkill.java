package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.toolCall;
import static dev.aide.llm.offline.RequestPhrases.FLAGS;
import static dev.aide.llm.offline.RequestPhrases.POLITE;
import static dev.aide.llm.offline.RequestPhrases.REMINDING;

import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the person asks Aide to remember ("remember that …", "please remember: …") and to recall ("what do you know
 * about …", "what did I tell you about …", "do you remember …", "what does the lease say about …"): the memory tools.
 * Recall answers with the best passages and where each comes from. Reminding is left to the reminder skill:
 * "remember that" keeps a fact, "remind me" schedules. A note is a note: "note that …" stays with the note skill.
 */
public final class MemorySkill implements OfflineSkill {


  private static final List<Pattern> REMEMBER = List.of(
      Pattern.compile(POLITE + "(?:please )?remember (?:that|this)\\s*:?\\s+(?<c>.+)$", FLAGS),
      Pattern.compile(POLITE + "(?:please )?remember\\s*:\\s*(?<c>.+)$", FLAGS),
      Pattern.compile(POLITE + "(?:please )?(?:keep in mind|bear in mind|make a mental note) that\\s+(?<c>.+)$", FLAGS));

  private static final List<Pattern> RECALL = List.of(
      Pattern.compile(POLITE + "what do you (?:know|remember|recall) (?:about|of|regarding) (?<q>.+)$", FLAGS),
      Pattern.compile(POLITE + "what (?:did|have) i (?:tell|told) you (?:about|regarding) (?<q>.+)$", FLAGS),
      Pattern.compile(POLITE + "what did i (?:say|mention) (?:about|regarding) (?<q>.+)$", FLAGS),
      Pattern.compile(POLITE + "(?:do|can) you (?:remember|recall) (?<q>.+)$", FLAGS),
      // "what do my notes say about …" is the note skill's.
      Pattern.compile(POLITE + "(?:tell me )?what (?:does|do|did) (?!(?:my |the |our )?notes?\\b)"
          + "(?<q>(?:my |the |our )?[\\p{L}\\p{N} .'_-]+? says? (?:about|on|regarding) .+)$", FLAGS),
      Pattern.compile(POLITE + "(?:search|look through) (?:my |your )?(?:memories|memory) (?:for )?(?<q>.+)$", FLAGS));

  private static final Pattern SAY = Pattern.compile("\\s+says?\\s+(?:about|on|regarding)\\s+", FLAGS);

  @Override
  public Optional<ChatResponse> understand(OfflineRequest request) {
    String text = request.text().replace('\u2019', '\'').replaceAll("\\s+", " ").strip();
    if (REMINDING.matcher(text).find()) {
      return Optional.empty();
    }
    String bare = text.replaceAll("[.!?]+$", "").strip();
    if (request.offers("remember")) {
      for (Pattern p : REMEMBER) {
        Matcher m = p.matcher(bare);
        if (m.matches() && !m.group("c").isBlank()) {
          return Optional.of(toolCall("remember", new JsonObject().put("content", m.group("c").strip())));
        }
      }
    }
    if (request.offers("recall")) {
      for (Pattern p : RECALL) {
        Matcher m = p.matcher(bare);
        if (m.matches() && !m.group("q").isBlank()) {
          // "what does the lease say about notice" looks for "the lease notice": the document and the subject.
          String query = SAY.matcher(m.group("q")).replaceFirst(" ").strip();
          return Optional.of(toolCall("recall", new JsonObject().put("query", query)));
        }
      }
    }
    return Optional.empty();
  }
}
