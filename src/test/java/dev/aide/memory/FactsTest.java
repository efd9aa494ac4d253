package dev.aide.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Facts a person states in passing are found without a model")
class FactsTest {

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @DisplayName("each statement gives the fact, its type and, for one-value facts, its slot")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      my wifi password is tulip42                          | My wifi password is tulip42         | FACT       | My wifi password is
      By the way, my dog's name is Biscuit.                | My dog's name is Biscuit           | FACT       | My dog's name is
      My dog's name is Biscuit.                            | My dog's name is Biscuit           | FACT       | My dog's name is
      I'm allergic to peanuts                              | I'm allergic to peanuts            | FACT       | NULL
      I really prefer window seats                         | I really prefer window seats       | PREFERENCE | NULL
      Anna is my sister                                    | Anna is my sister                  | PERSON     | Anna is my
      my sister is Anna                                    | My sister is Anna                  | PERSON     | My sister is
      I live in Porto                                      | I live in Porto                    | PLACE      | I live in
      I just moved to Lisbon!                              | I live in Lisbon                   | PLACE      | I live in
      Anna's birthday is on 3 May                          | Anna's birthday is 3 May           | PERSON     | Anna's birthday is
      our wedding anniversary is June 12                   | Our wedding anniversary is June 12 | FACT       | Our wedding anniversary is
      I work at Acme Corp                                  | I work at Acme Corp                | FACT       | I work at
      """)
  void statements(String message, String content, Memory.Type type, String slot) {
    List<Facts.Fact> facts = Facts.in(message);

    if (content == null) {
      assertThat(facts).isEmpty();
      return;
    }
    assertThat(facts).containsExactly(new Facts.Fact(content, type, slot == null ? null : slot + " "));
  }

  @ParameterizedTest(name = "\"{0}\" states nothing to keep")
  @DisplayName("questions, requests and passing states are left alone")
  @ValueSource(strings = {"what is my wifi password?", "is my flight at 6", "remind me that my passport expires in June",
      "my meeting is at 5pm", "I love it", "remember that my locker is 218", "my appointment is tomorrow",
      "Is Anna my sister", "how are you", "note that my car is blue"})
  void nothingToKeep(String message) {
    assertThat(Facts.in(message)).isEmpty();
  }
}
