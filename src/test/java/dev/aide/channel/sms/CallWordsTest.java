package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

@DisplayName("What a caller's words mean to the call, and the TwiML Aide writes")
class CallWordsTest {

  @ParameterizedTest
  @ValueSource(strings = {"bye", "Goodbye.", "Bye-bye!", "thank you, bye", "Thanks, bye", "That's all.",
      "that's all for now, thanks", "No, that's it. Thank you very much.", "OK, I'm done", "nothing else, thanks",
      "good night", "that is all", "alright then, see ya, bye", "That’s all"})
  @DisplayName("short closings that take leave hang up")
  void farewells(String said) {
    assertThat(CallWords.farewell(said)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "thank you", "thanks", "ok", "no", "remind me to say goodbye to Sam at 5",
      "is that all I have tomorrow", "what's on tomorrow", "bye the way what's on today",
      "that's all I need to buy: milk and eggs", "goodbye party on Friday at 6"})
  @DisplayName("anything else, a request that mentions goodbye included, goes to the assistant")
  void notFarewells(String said) {
    assertThat(CallWords.farewell(said)).isFalse();
  }

  @Test
  @DisplayName("what was heard is kept as said, but control characters (NUL among them) become spaces")
  void heard() {
    assertThat(CallWords.heard(null)).isEmpty();
    assertThat(CallWords.heard("  buy\u0000 milk\u0007 ")).isEqualTo("buy milk");
  }

  @Test
  @DisplayName("the greeting names the caller by first name only, and tells a new caller the timezone assumed")
  void greeting() {
    assertThat(PhoneCalls.greeting(Optional.of("Ada Lovelace"), false, ZoneId.of("Europe/London")))
        .isEqualTo("Hi Ada, it's Aide. What can I do for you?");
    assertThat(PhoneCalls.greeting(Optional.of("** ~"), false, ZoneId.of("UTC"))).startsWith("Hi, it's Aide.");
    assertThat(PhoneCalls.greeting(Optional.empty(), true, ZoneId.of("America/New_York")))
        .contains("New York time");
  }

  @Test
  @DisplayName("text and URLs are escaped, and characters XML cannot carry are not said: the document parses")
  void twiml() throws Exception {
    String xml = new Twiml().gather("https://aide.example.org/webhooks/twilio/voice/gather?n=2&quiet=1",
        "Tom & Jerry <say> \"hi\"\u0000 it's\uFFFF done").pause(2).redirect("https://x.test/p?a=1&b=2").hangup().xml();

    Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();

    assertThat(root.getTagName()).isEqualTo("Response");
    Element gather = (Element) root.getElementsByTagName("Gather").item(0);
    assertThat(gather.getAttribute("action"))
        .isEqualTo("https://aide.example.org/webhooks/twilio/voice/gather?n=2&quiet=1");
    assertThat(gather.getElementsByTagName("Say").item(0).getTextContent())
        .isEqualTo("Tom & Jerry <say> \"hi\"  it's  done");
    assertThat(root.getElementsByTagName("Redirect").item(0).getTextContent()).isEqualTo("https://x.test/p?a=1&b=2");
    assertThat(root.getElementsByTagName("Hangup").getLength()).isEqualTo(1);
  }
}
