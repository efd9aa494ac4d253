package dev.aide.channel.email;

import java.util.regex.Pattern;

/**
 * An outbox message as a mail: its first line, plain, is the subject; the whole text is the body, followed by a
 * signature saying where the person changes where Aide's messages go.
 */
final class EmailText {

  static final int SUBJECT_LENGTH = 78;
  private static final Pattern MARKUP = Pattern.compile("[*_`#>~|\\[\\]]+");
  private static final Pattern SPACES = Pattern.compile("[\\s\\p{Cc}\\p{Cf}]+");

  private EmailText() {}

  /** The first line with words in it, without Markdown marks, cut at a word before {@value #SUBJECT_LENGTH}. */
  static String subject(String body) {
    for (String line : body.split("\\R")) {
      String plain = SPACES.matcher(MARKUP.matcher(line).replaceAll("")).replaceAll(" ").strip();
      if (plain.chars().anyMatch(Character::isLetterOrDigit)) {
        return cut(plain);
      }
    }
    return "A message from Aide";
  }

  private static String cut(String text) {
    if (text.length() <= SUBJECT_LENGTH) {
      return text;
    }
    int end = SUBJECT_LENGTH - 1;
    if (Character.isLowSurrogate(text.charAt(end))) {
      end--;
    }
    int space = text.lastIndexOf(' ', end);
    return text.substring(0, space > SUBJECT_LENGTH / 2 ? space : end).strip() + "…";
  }

  /** The text, its control characters (but line breaks and tabs) dropped, and the signature. */
  static String body(String text, String publicUrl) {
    String clean = text.replaceAll("[\\p{Cc}&&[^\\n\\t]]", "");
    return clean + "\n\n-- \nAide, your assistant at " + publicUrl + "\nTo have these messages sent elsewhere, "
        + "choose another channel in Aide's settings, or unlink this address there.\n";
  }
}
