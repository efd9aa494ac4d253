package dev.aide.llm.offline;

import static dev.aide.llm.offline.OfflineReplies.toolCall;

import dev.langchain4j.model.chat.response.ChatResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Questions about the person's inbox: "anything important in my inbox?", "any new email?", "check my mail"
 * (summarizeUnreadMail); "did the landlord email me about the deposit?", "the email from the landlord about the
 * deposit", "any mail from Ana?", "what did Ana say in her email?" (findMail, the sender and the key words of what it is about).
 *
 * <p>Choices: the whole message must be the question (an opening, a mail noun, then only a sender, a topic and a
 * time word), so "remind me to check my email at 5", "mail the package" or "email John's number to me later" are
 * left to the other skills: sending mail is not read here, only the inbox is. A question that names neither a sender
 * nor a topic is the unread summary. Whether the person has a mail account is the tools' to say: they answer that
 * none is connected.
 */
public final class MailSkill implements OfflineSkill {

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final String MAIL = "(?:e-?mails?|mails?)";
  private static final String BOX = "(?:e-?mails?|mail|inbox|mailbox)";
  private static final String TIME = "(?:\\s+(?:today|yesterday|this (?:morning|afternoon|evening|week)|lately|recently"
      + "|yet|so far|since yesterday|last night|for me))*";
  /** What follows the mail: from whom, about what, and when. */
  private static final String DETAILS = "(?:\\s+from\\s+(?<from>.+?))?(?:\\s+(?:about|regarding|re|concerning|on the "
      + "subject of|mentioning|that mentions|with)\\s+(?<about>.+?))?" + TIME;

  private static final Pattern POLITE = Pattern.compile(
      "^(?:(?:hey|hi|ok|okay|please|pls|aide|so|quick question|can you|could you|would you)\\b[,]?\\s*)+", FLAGS);
  private static final Pattern REMIND = Pattern.compile("\\bremind|\\bremember|\\bdon't let me forget\\b", FLAGS);

  /** "anything important in my inbox", "what's new in my email", "what's in my mailbox". */
  private static final Pattern IN_BOX = Pattern.compile("^(?:is there |was there |have i got |do i have |did i get )?"
      + "(?:anything|something|what(?:'s| is| has come)?|whats|how's|how is|how does)(?:\\s+(?:new|important|urgent|"
      + "interesting|unread|worth reading|i should know about|i need to know about))*\\s+(?:in|on|with|of|look(?:ing)? "
      + "in|arrived in|come in(?:to)?)\\s+my\\s+" + BOX + "(?:\\s+look(?:ing)?)?" + TIME + "$", FLAGS);
  /** "check my email", "summarize my unread mail", "my inbox", "go through my inbox". */
  private static final Pattern MY_BOX = Pattern.compile("^(?:(?:check|read|summari[sz]e|go through|look (?:at|through|"
      + "in)|scan|show(?: me)?|open|what about|give me a summary of|tell me about|how's|how is)\\s+)?my\\s+(?:new\\s+"
      + "|unread\\s+|latest\\s+)*" + BOX + "(?:\\s+look(?:ing)?)?" + TIME + "$", FLAGS);
  /**
   * A mail noun, with an opening or none: "any new email", "do I have unread mail", "did I get an email from Ana",
   * "find the email from the landlord about the deposit", "emails from Ana", "how many unread emails do I have".
   */
  private static final Pattern NOUN = Pattern.compile("^(?<open>find|show(?: me)?|search(?: for)?|look for|look up|"
      + "get(?: me)?|pull up|open|read(?: me)?|where(?:'s| is| are)|is there|are there|was there|were there|"
      + "do i have|have i got|have i|did i get|did i receive|have i received|did i|got|check for|any(?:thing)?|"
      + "how many)?\\s*(?:the |my |an? |any |all(?: the)?(?: of)?(?: my)? |some |that |those )?(?:(?:new|unread|"
      + "latest|last|recent|important|urgent)\\s+)*" + MAIL + "(?:\\s+(?:have i got|do i have|did i get|are there|"
      + "came in|arrived|in my inbox))?" + DETAILS + "(?:\\s+(?:have i got|do i have|did i get|came in|arrived))?$",
      FLAGS);
  /** "did the landlord email me about the deposit", "has Ana sent me an email", "did Sam reply to my email". */
  private static final Pattern SENDER_ASKED = Pattern.compile("^(?:did|has|have)\\s+(?<from>.+?)\\s+(?:e-?mail(?:ed)?|"
      + "mail(?:ed)?|(?:written|write|sent|send|replied|reply|answered|answer|got back|gotten back)"
      + "(?<saysMail>\\s+(?:to\\s+)?(?:me|us)\\s+(?:an?\\s+|any\\s+)?(?:e-?mail|mail)|\\s+to\\s+my\\s+(?:e-?mail|mail)"
      + "|\\s+(?:to\\s+)?(?:me|us)\\s+by\\s+(?:e-?mail|mail))?)(?:\\s+(?:to\\s+)?(?:me|us))?(?:\\s+(?:an?|any)\\s+"
      + "(?:e-?mail|mail))?(?:\\s+(?:anything|back))?(?:\\s+(?:about|regarding|re|concerning)\\s+(?<about>.+?))?" + TIME
      + "$", FLAGS);
  /** "what did the landlord say in his email", "what did Ana write in her last mail about the trip". */
  private static final Pattern SAID_IN_MAIL = Pattern.compile("^what (?:did|has)\\s+(?<from>.+?)\\s+(?:say|said|write|"
      + "written|want|wanted|ask|asked)\\s+(?:in|by)\\s+(?:his|her|their|its|the|that|this|an?)?\\s*(?:(?:last|latest|"
      + "new|recent)\\s+)?" + MAIL + "(?:\\s+(?:about|regarding|re|concerning)\\s+(?<about>.+?))?" + TIME + "$", FLAGS);
  private static final Pattern MAIL_VERB = Pattern.compile("^(?:e-?mail(?:ed)?|mail(?:ed)?)$", FLAGS);

  /** Who is never a sender: "did you email me", "did I get …" (another pattern's). */
  private static final Set<String> NOT_SENDERS = Set.of("you", "i", "we", "it", "they", "he", "she", "someone",
      "anyone", "anybody", "somebody", "me", "us");
  private static final Set<String> FILLER = Set.of("the", "a", "an", "my", "our", "his", "her", "their", "its", "of",
      "for", "to", "and", "or", "that", "this", "some", "any", "about", "me", "us", "new", "mail", "email", "e-mail",
      "mails", "emails", "in", "on", "at", "with", "from");
  private static final Set<String> SUMMARY_TOPICS = Set.of("anything", "something", "important", "urgent", "it");

  @Override
  public Optional<ChatResponse> understand(OfflineRequest request) {
    if (!request.offers("summarizeUnreadMail") || !request.offers("findMail")) {
      return Optional.empty();
    }
    String text = request.text().replace('\u2019', '\'').toLowerCase(Locale.ROOT).replaceAll("[,;]", " ")
        .replaceAll("\\s+", " ").strip().replaceAll("[\\s.!?]+$", "");
    text = POLITE.matcher(text).replaceFirst("").strip();
    if (text.isEmpty() || REMIND.matcher(text).find()) {
      return Optional.empty();
    }
    if (IN_BOX.matcher(text).matches() || MY_BOX.matcher(text).matches()) {
      return Optional.of(summary());
    }
    Matcher noun = NOUN.matcher(text);
    if (noun.matches() && (noun.group("open") != null || noun.group("from") != null || noun.group("about") != null
        || text.matches("^(?:new|unread|latest|recent|important|urgent) " + MAIL + "$"))) {
      return Optional.of(search(sender(noun.group("from")), words(noun.group("about"))));
    }
    Matcher said = SAID_IN_MAIL.matcher(text);
    if (said.matches() && sender(said.group("from")) != null) {
      return Optional.of(search(sender(said.group("from")), words(said.group("about"))));
    }
    Matcher asked = SENDER_ASKED.matcher(text);
    if (asked.matches()) {
      String from = sender(asked.group("from"));
      String verb = text.substring(asked.end("from")).strip().split(" ")[0];
      boolean aboutMail = MAIL_VERB.matcher(verb).matches() || asked.group("saysMail") != null
          || text.matches(".*\\b" + MAIL + "\\b.*");
      if (from != null && aboutMail) {
        return Optional.of(search(from, words(asked.group("about"))));
      }
    }
    return Optional.empty();
  }

  private static ChatResponse summary() {
    return toolCall("summarizeUnreadMail", new JsonObject());
  }

  /** findMail with what was named, or the unread summary when nothing was. */
  private static ChatResponse search(String from, List<String> words) {
    if (from == null && words.isEmpty()) {
      return summary();
    }
    JsonObject arguments = new JsonObject();
    if (from != null) {
      arguments.put("from", from);
    }
    if (!words.isEmpty()) {
      arguments.put("words", new JsonArray(words));
    }
    return toolCall("findMail", arguments);
  }

  /** "the landlord" → "landlord", "Ana Costa" → "ana costa"; a pronoun is no sender. */
  private static String sender(String said) {
    if (said == null) {
      return null;
    }
    String s = said.strip().replaceFirst("^(?:the|my|our|a|an)\\s+", "").replaceFirst("'s$", "").strip();
    return s.isEmpty() || NOT_SENDERS.contains(s) ? null : s;
  }

  /** The key words of a topic: "the deposit refund" → [deposit, refund]; "anything important" → none. */
  private static List<String> words(String said) {
    if (said == null) {
      return List.of();
    }
    List<String> words = Arrays.stream(said.split("\\s+")).map(w -> w.replaceAll("^[\"'«(]+|[\"'»),:]+$", ""))
        .filter(w -> !w.isBlank() && !FILLER.contains(w)).distinct().limit(6).toList();
    return words.stream().allMatch(SUMMARY_TOPICS::contains) ? List.of() : words;
  }
}
