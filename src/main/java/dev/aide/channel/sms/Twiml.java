package dev.aide.channel.sms;

/**
 * A TwiML voice response, written as Twilio reads it: a {@code <Response>} of verbs in order. Text and URLs are
 * escaped for XML, and characters XML cannot carry (NUL and the other controls) are left out of what is said.
 */
final class Twiml {

  /** The language Twilio listens for and speaks in (Twilio's default, said explicitly). */
  static final String LANGUAGE = "en-US";

  private final StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");

  /** Says the text. */
  Twiml say(String text) {
    xml.append(sayElement(text));
    return this;
  }

  /**
   * Says the text (the caller may talk over it) and listens for speech, which Twilio posts to {@code action}, with an
   * empty SpeechResult after silence (actionOnEmptyResult), so the call never falls off the end of the document.
   */
  Twiml gather(String action, String prompt) {
    xml.append("<Gather input=\"speech\" action=\"").append(escape(action))
        .append("\" method=\"POST\" speechTimeout=\"auto\" speechModel=\"phone_call\" language=\"").append(LANGUAGE)
        .append("\" actionOnEmptyResult=\"true\">");
    if (prompt != null && !prompt.isBlank()) {
      xml.append(sayElement(prompt));
    }
    xml.append("</Gather>");
    return this;
  }

  Twiml pause(int seconds) {
    xml.append("<Pause length=\"").append(seconds).append("\"/>");
    return this;
  }

  /** Continues the call with the TwiML at {@code url}, fetched with a POST Twilio signs like any webhook. */
  Twiml redirect(String url) {
    xml.append("<Redirect method=\"POST\">").append(escape(url)).append("</Redirect>");
    return this;
  }

  Twiml hangup() {
    xml.append("<Hangup/>");
    return this;
  }

  String xml() {
    return xml + "</Response>";
  }

  private static String sayElement(String text) {
    return "<Say language=\"" + LANGUAGE + "\">" + escape(sayable(text)) + "</Say>";
  }

  /** Only characters XML 1.0 carries; control characters (but none a person would hear) become spaces. */
  static String sayable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c < 0xFFFE)
          || c >= 0x10000;
      out.appendCodePoint(allowed ? c : ' ');
    });
    return out.toString().strip();
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
