package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.toolCall;
import static dev.aide.llm.offline.RequestPhrases.FLAGS;
import static dev.aide.llm.offline.RequestPhrases.POLITE;
import static dev.aide.llm.offline.RequestPhrases.REMINDING;

import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Note requests: save one ("note: …", "take a note that …"; hashtags at either end become tags; "remember that …"
 * is a memory, see {@link MemorySkill}),
 * find notes by words ("find my notes about …", "what did I note about …") or by tag ("show my #work notes").
 * Anything that mentions reminding is left to the reminder skill: "remember that" saves a fact, "remind me" schedules.
 */
public final class NoteSkill implements OfflineSkill {


  private static final List<Pattern> CREATE = List.of(
      Pattern.compile(POLITE + "(?:new |quick )?note(?: down| this| to self)?\\s*[:\\-\u2013]\\s*(?<c>.+)$", FLAGS),
      Pattern.compile(POLITE + "note(?: down)? that\\s+(?<c>.+)$", FLAGS),
      Pattern.compile(POLITE + "note down\\s+(?<c>.+)$", FLAGS),
      Pattern.compile(POLITE + "(?:take|make|add|create|write|save|jot down|leave)(?: me)? (?:a |an |the )?"
          + "(?:quick |new |short )?note(?: to self)?(?:\\s+(?:that|saying|reading|of|:)|\\s*[:\\-\u2013])?\\s+(?<c>.+)$", FLAGS),
      Pattern.compile(POLITE + "(?:jot|write) (?:this |that |it )?down(?: that)?\\s*:?\\s+(?<c>.+)$", FLAGS),
      Pattern.compile(POLITE + "(?:save|keep|store) (?:this|that) (?:as a note|in my notes)\\s*:?\\s+(?<c>.+)$", FLAGS));

  private static final List<Pattern> SEARCH = List.of(
      Pattern.compile(POLITE + "(?:find|search|look up|look for|show|list|get|pull up|give me|bring up)(?: me)?"
          + " (?:all )?(?:of )?(?:my |the )?notes? (?:about|on|for|mentioning|regarding|containing|that mention|re|with)"
          + "\\s+(?<q>.+)$", FLAGS),
      Pattern.compile(POLITE + "search (?:through )?(?:my |the )?notes (?:for )?(?<q>.+)$", FLAGS),
      Pattern.compile("^what did i (?:note|write|write down|jot down|save|note down) (?:about|on|regarding|for)"
          + " (?<q>.+)$", FLAGS),
      Pattern.compile("^what do (?:my notes|i have in my notes) say about (?<q>.+)$", FLAGS),
      Pattern.compile("^(?:do|did) i (?:have|make|take|write) (?:a |any )?notes? (?:about|on) (?<q>.+)$", FLAGS),
      Pattern.compile("^(?:what|which) notes do i have (?:about|on) (?<q>.+)$", FLAGS));

  private static final List<Pattern> BY_TAG = List.of(
      Pattern.compile(POLITE + "(?:show|list|find|get|give me|pull up|what are)(?: me)? (?:all )?(?:of )?(?:my |the )?"
          + "#(?<t>[\\p{L}\\p{N}_-]+) notes$", FLAGS),
      Pattern.compile(POLITE + "(?:show|list|find|get|give me)(?: me)? (?:all )?(?:my |the )?notes"
          + " (?:tagged|with the tag|with tag|under) #?(?<t>[\\p{L}\\p{N}_-]+)$", FLAGS));

  private static final Pattern ALL = Pattern.compile(
      POLITE + "(?:show|list|read|get|give me|what are)(?: me)? (?:all )?(?:of )?my (?:latest |recent |last )?notes$",
      FLAGS);

  private static final Pattern LEADING_TAG = Pattern.compile("^#([\\p{L}\\p{N}_-]+)[,]?\\s*");
  private static final Pattern TRAILING_TAG = Pattern.compile("[,]?\\s*#([\\p{L}\\p{N}_-]+)$");

  @Override
  public Optional<ChatResponse> understand(OfflineRequest request) {
    String text = request.text().replace('\u2019', '\'').replaceAll("\\s+", " ").strip();
    if (REMINDING.matcher(text).find()) {
      return Optional.empty();
    }
    String bare = text.replaceAll("[.!?]+$", "").strip();
    if (request.offers("searchNotes")) {
      for (Pattern p : BY_TAG) {
        Matcher m = p.matcher(bare);
        if (m.matches()) {
          return Optional.of(toolCall("searchNotes", new JsonObject().put("tag", m.group("t").toLowerCase(Locale.ROOT))));
        }
      }
      for (Pattern p : SEARCH) {
        Matcher m = p.matcher(bare);
        if (m.matches()) {
          return Optional.of(search(m.group("q")));
        }
      }
      if (ALL.matcher(bare).matches()) {
        return Optional.of(toolCall("searchNotes", new JsonObject()));
      }
    }
    if (request.offers("createNote")) {
      String content = text.replaceAll("[.!]+$", "").strip();
      for (Pattern p : CREATE) {
        Matcher m = p.matcher(content);
        if (m.matches()) {
          return create(m.group("c"));
        }
      }
    }
    return Optional.empty();
  }

  private static ChatResponse search(String query) {
    String q = query.strip().replaceFirst("(?i)^(?:the|my|a|an)\\s+", "");
    Matcher tag = Pattern.compile("^#([\\p{L}\\p{N}_-]+)$").matcher(q);
    if (tag.matches()) {
      return toolCall("searchNotes", new JsonObject().put("tag", tag.group(1).toLowerCase(Locale.ROOT)));
    }
    return toolCall("searchNotes", new JsonObject().put("query", q));
  }

  /** Hashtags become tags; those at the start or end leave the text, one inside stays a word ("call #bob": "call bob"). */
  private static Optional<ChatResponse> create(String said) {
    String content = said.strip();
    List<String> tags = new ArrayList<>();
    for (Matcher m = LEADING_TAG.matcher(content); m.find(); m = LEADING_TAG.matcher(content)) {
      tags.add(m.group(1).toLowerCase(Locale.ROOT));
      content = content.substring(m.end());
    }
    List<String> trailing = new ArrayList<>();
    for (Matcher m = TRAILING_TAG.matcher(content); m.find(); m = TRAILING_TAG.matcher(content)) {
      trailing.add(0, m.group(1).toLowerCase(Locale.ROOT));
      content = content.substring(0, m.start());
    }
    tags.addAll(trailing);
    Matcher inline = Pattern.compile("#([\\p{L}\\p{N}_-]+)").matcher(content);
    while (inline.find()) {
      tags.add(inline.group(1).toLowerCase(Locale.ROOT));
    }
    content = inline.replaceAll("$1").replaceFirst("^[:\\-\u2013]\\s*", "").strip();
    if (content.isEmpty()) {
      return Optional.empty();
    }
    JsonObject args = new JsonObject().put("content", content);
    if (!tags.isEmpty()) {
      args.put("tags", new JsonArray(tags.stream().distinct().toList()));
    }
    return Optional.of(toolCall("createNote", args));
  }
}
