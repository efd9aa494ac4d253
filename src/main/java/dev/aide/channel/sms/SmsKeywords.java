package dev.aide.channel.sms;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The carrier keywords, as Twilio's opt-out handling reads them: a message that is nothing but one of them (any case,
 * with spaces or punctuation around it) opts the number out, back in, or asks for help. They never reach the
 * assistant.
 */
public final class SmsKeywords {

  /** What a keyword asks. */
  public enum Keyword { OPT_OUT, OPT_IN, HELP }

  private static final Set<String> OPT_OUT = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
      "REVOKE", "OPTOUT");
  private static final Set<String> OPT_IN = Set.of("START", "YES", "UNSTOP");
  private static final Set<String> HELP = Set.of("HELP", "INFO");

  static final String OPTED_OUT = "You're unsubscribed from Aide and will get no more messages from this number. "
      + "Reply START to subscribe again.";
  static final String OPTED_IN = "You're subscribed to Aide again: I'll answer your messages and send your reminders "
      + "here. Reply STOP to unsubscribe, HELP for help.";
  static final String HELP_TEXT = "Aide, your personal assistant. Write to me as you would to a person, e.g. \"remind "
      + "me to call mom tomorrow at 5pm\". Send /help for commands. Reply STOP to unsubscribe. Msg&data rates may "
      + "apply.";

  private SmsKeywords() {}

  /** The keyword the whole message is, if it is one. */
  public static Optional<Keyword> of(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String word = text.strip().replaceAll("^[\\p{Punct}\\s]+|[\\p{Punct}\\s]+$", "").toUpperCase(Locale.ROOT);
    if (OPT_OUT.contains(word)) {
      return Optional.of(Keyword.OPT_OUT);
    }
    if (OPT_IN.contains(word)) {
      return Optional.of(Keyword.OPT_IN);
    }
    return HELP.contains(word) ? Optional.of(Keyword.HELP) : Optional.empty();
  }

  /**
   * Whether a message is Aide's answer to a keyword, which goes even to a number that opted out: the confirmation of
   * the opt-out itself, and help, which carriers require to be answered always.
   */
  static boolean isKeywordAnswer(String body) {
    return OPTED_OUT.equals(body) || HELP_TEXT.equals(body);
  }
}
