package dev.aide.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A reply to \"Shall I go ahead?\" is a yes or a no only when it is made of nothing else")
class ConsentTest {

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"yes", "Yes.", "YES!", "yes please", "Yes please!", "yep", "yeah sure", "sure", "ok", "OK.",
      "okay", "ok go ahead", "go ahead", "Go ahead!", "sure, do it", "do it", "yes, do it please", "alright",
      "confirm", "confirmed", "absolutely", "yes thank you", "👍", "yes 👍", "y"})
  @DisplayName("a plain yes")
  void yes(String text) {
    assertThat(Consent.of(text)).isEqualTo(Consent.YES);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"no", "No.", "nope", "nah", "No, don't.", "don't", "do not", "don’t do it", "cancel",
      "cancel it", "stop", "never mind", "no thanks", "leave it", "keep them", "wait", "👎", "n"})
  @DisplayName("a plain no")
  void no(String text) {
    assertThat(Consent.of(text)).isEqualTo(Consent.NO);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "   ", "?", "yes but only the first one", "no wait, yes", "yes no", "what notes do I have?",
      "delete them all", "thanks", "please", "hmm", "only the dentist one", "yes delete everything else too",
      "yes yes yes yes yes yes yes"})
  @DisplayName("anything else")
  void other(String text) {
    assertThat(Consent.of(text)).isEqualTo(Consent.OTHER);
  }
}
