package dev.aide.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The facts a person states about themselves in passing, found without a model: "my X is Y", "I'm allergic to …",
 * "I prefer …", "Anna is my sister", "I live in …" / "I moved to …", "Anna's birthday is …", "I work at …". Each is
 * written as a sentence about the person; a fact that holds one value at a time (where they live, what their wifi
 * password is, who someone is to them) names its slot, the words before the value, so a new value supersedes the
 * old one and keeps it as history. Questions, requests to remind and sentences about nothing lasting are left alone.
 */
final class Facts {

  /** A fact to remember; {@code slot}: the beginning every value of the same fact shares, or null if several hold. */
  record Fact(String content, Memory.Type type, String slot) {}

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final Pattern LEAD_IN = Pattern.compile(
      "^(?:(?:by the way|btw|fyi|oh|and|also|so|well|just so you know|for the record|for your information)[,:]?\\s+)+",
      FLAGS);
  private static final Pattern SENTENCES = Pattern.compile("(?<=[.!?;])\\s+|\\s*\\n+\\s*");
  private static final Pattern SKIP = Pattern.compile(
      "\\bremind|\\breminder|\\bremember\\b|\\bforget\\b|\\bschedule\\b|\\bnote\\b|^(?:what|when|where|who|how|why|is|are|do|does|can|could|would)\\b",
      FLAGS);
  private static final String RELATION = "(?:(?:older|younger|little|big|best|twin|step) )?(?:sister|brother|mother|mom|mum"
      + "|father|dad|wife|husband|partner|boyfriend|girlfriend|fianc[ée]e?|son|daughter|boss|manager|colleague|friend"
      + "|neighbou?r|cousin|aunt|uncle|niece|nephew|grandmother|grandfather|grandma|grandpa|doctor|dentist|landlord"
      + "|roommate|flatmate)";
  private static final Set<String> TRANSIENT = Set.of("meeting", "appointment", "call", "flight", "train", "bus",
      "reminder", "task", "note", "list", "order", "package", "delivery", "alarm", "timer", "turn", "question",
      "answer", "point", "problem", "guess", "bad", "mistake", "pleasure");
  private static final Set<String> EMPTY_OBJECTS = Set.of("it", "this", "that", "them", "you", "him", "her", "so",
      "too", "one");

  private static final Pattern MY = Pattern.compile(
      "^my (?<k>[\\p{L}'][\\p{L}' -]{1,39}?) (?<is>is) (?<v>[^?]{1,200})$", FLAGS);
  /** "My team is like family", "my dog is doing better": how something is now, not a fact to keep. */
  private static final Pattern STATE = Pattern.compile(
      "^(?:like|always|so|really|very|doing|going|getting|not|also|too|still|just|more|less|quite|pretty|kind of"
          + "|a bit|finally|almost|now|in|on|at|out|back|here|there|great|good|fine|ok|okay|busy|tired|sick|better|worse"
          + "|happy|sad|well)\\b", FLAGS);
  /** "I love them", "I love how …": an object that names nothing on its own. */
  private static final Pattern VAGUE = Pattern.compile(
      "^(?:it|this|that|them|those|these|you|him|her|how|what|when|where|the way|so|too|one)\\b", FLAGS);
  private static final Pattern OUR_ANNIVERSARY = Pattern.compile(
      "^our (?<k>(?:wedding )?anniversary) is (?<v>[^?]{1,100})$", FLAGS);
  private static final Pattern ALLERGIC = Pattern.compile("^i(?:'m| am) (?:very |severely )?allergic to (?<v>.{2,100})$", FLAGS);
  private static final Pattern PREFER = Pattern.compile(
      "^i (?<verb>(?:really |much |definitely )?(?:prefer|like|love|enjoy|hate|dislike|can't stand|don't like|do not like))"
          + " (?<v>.{2,150})$", FLAGS);
  private static final Pattern RELATIVE = Pattern.compile(
      "^(?<p>\\p{Lu}[\\p{L}'-]+(?: \\p{Lu}[\\p{L}'-]+)?) is my (?<r>" + RELATION + ")$", FLAGS & ~Pattern.CASE_INSENSITIVE);
  private static final Pattern LIVE = Pattern.compile(
      "^i(?:'ve| have)?(?: just| recently| now)? (?:live|am living|'m living|moved|relocated) (?:in|to) (?<v>.{2,100})$",
      FLAGS);
  private static final Pattern LIVE_SHORT = Pattern.compile(
      "^i(?:'m| am)(?: just| recently)? (?:living|based) in (?<v>.{2,100})$", FLAGS);
  private static final Pattern BIRTHDAY = Pattern.compile(
      "^(?<who>\\p{Lu}[\\p{L}'-]+|my [\\p{L} ]{2,30}?)'s birthday is (?:on )?(?<v>.{2,60})$", FLAGS);
  private static final Pattern WORK = Pattern.compile("^i(?: now)? work (?:at|for) (?<v>.{2,100})$", FLAGS);

  private Facts() {}

  /** The facts of a message the person wrote; none for most messages. */
  static List<Fact> in(String message) {
    List<Fact> facts = new ArrayList<>();
    if (message == null) {
      return facts;
    }
    for (String raw : SENTENCES.split(message.replace('\u2019', '\'').strip())) {
      String sentence = raw.strip();
      if (sentence.isEmpty() || sentence.endsWith("?") || SKIP.matcher(sentence).find()) {
        continue;
      }
      sentence = LEAD_IN.matcher(sentence.replaceAll("[.!;,]+$", "").replaceAll("\\s+", " ").strip()).replaceFirst("");
      Fact fact = fact(sentence);
      if (fact != null) {
        facts.add(fact);
      }
    }
    return facts;
  }

  private static Fact fact(String s) {
    Matcher m;
    if ((m = RELATIVE.matcher(s)).matches()) {
      String prefix = m.group("p") + " is my ";
      return new Fact(prefix + m.group("r").toLowerCase(Locale.ROOT), Memory.Type.PERSON, prefix);
    }
    if ((m = BIRTHDAY.matcher(s)).matches()) {
      String who = m.group("who").startsWith("my ") || m.group("who").startsWith("My ")
          ? "My " + m.group("who").substring(3) : m.group("who");
      String prefix = who + "'s birthday is ";
      return new Fact(prefix + m.group("v"), Memory.Type.PERSON, prefix);
    }
    if ((m = MY.matcher(s)).matches()) {
      String key = m.group("k").strip();
      String lower = key.toLowerCase(Locale.ROOT);
      if (TRANSIENT.contains(lower.substring(lower.lastIndexOf(' ') + 1)) || STATE.matcher(m.group("v")).find()
          || EMPTY_OBJECTS.contains(m.group("v").toLowerCase(Locale.ROOT))) {
        return null;
      }
      String prefix = "My " + key + " is ";
      Memory.Type type = Pattern.compile("^" + RELATION + "$", FLAGS).matcher(lower).matches()
          ? Memory.Type.PERSON : Memory.Type.FACT;
      return new Fact(prefix + m.group("v"), type, prefix);
    }
    if ((m = OUR_ANNIVERSARY.matcher(s)).matches()) {
      String prefix = "Our " + m.group("k").toLowerCase(Locale.ROOT) + " is ";
      return new Fact(prefix + m.group("v"), Memory.Type.FACT, prefix);
    }
    if ((m = ALLERGIC.matcher(s)).matches()) {
      return new Fact("I'm allergic to " + m.group("v"), Memory.Type.FACT, null);
    }
    if ((m = LIVE.matcher(s)).matches() || (m = LIVE_SHORT.matcher(s)).matches()) {
      return new Fact("I live in " + m.group("v"), Memory.Type.PLACE, "I live in ");
    }
    if ((m = WORK.matcher(s)).matches()) {
      return new Fact("I work at " + m.group("v"), Memory.Type.FACT, "I work at ");
    }
    if ((m = PREFER.matcher(s)).matches() && !VAGUE.matcher(m.group("v")).find()) {
      return new Fact("I " + m.group("verb").toLowerCase(Locale.ROOT) + " " + m.group("v"), Memory.Type.PREFERENCE, null);
    }
    return null;
  }
}
