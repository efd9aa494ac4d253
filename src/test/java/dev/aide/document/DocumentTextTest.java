package dev.aide.document;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A document's kind and text: what a file is read as, and how its text is cleaned")
class DocumentTextTest {

  @Test
  @DisplayName("control characters become spaces and blanks before a line break go, line breaks and tabs stay")
  void clean() {
    assertThat(DocumentText.clean("  one \t\r\ntwo\u0000three\t \n\nfour\tfive   ")).isEqualTo("one\ntwo three\n\nfour\tfive");
    assertThat(DocumentText.clean("last words" + " ".repeat(1_000_000))).isEqualTo("last words");
  }
}
