package dev.aide.document;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A document's kind and text: what a file is read as, and how its text is cleaned")
class DocumentTextTest {

  @Test
  @DisplayName("the declared type decides when Aide reads it; a generic or missing one falls back to the extension")
  void mediaType() {
    assertThat(DocumentText.mediaType("application/pdf", "scan")).isEqualTo(DocumentText.PDF);
    assertThat(DocumentText.mediaType("text/markdown; charset=utf-8", null)).isEqualTo(DocumentText.MARKDOWN);
    assertThat(DocumentText.mediaType("text/plain", "notes.md")).isEqualTo(DocumentText.TEXT);
    assertThat(DocumentText.mediaType("application/octet-stream", "notes.md")).isEqualTo(DocumentText.MARKDOWN);
    assertThat(DocumentText.mediaType(null, "Lease.PDF")).isEqualTo(DocumentText.PDF);
    assertThat(DocumentText.mediaType("", "page.htm")).isEqualTo(DocumentText.HTML);
    assertThat(DocumentText.mediaType(null, "README")).isEqualTo(DocumentText.TEXT);
    assertThat(DocumentText.mediaType(null, null)).isEqualTo(DocumentText.TEXT);
    assertThat(DocumentText.mediaType("image/png", "cat.pdf")).isNull();
    assertThat(DocumentText.mediaType("application/octet-stream", "cat.png")).isNull();
  }

  @Test
  @DisplayName("control characters become spaces and blanks before a line break go, line breaks and tabs stay")
  void clean() {
    assertThat(DocumentText.clean("  one \t\r\ntwo\u0000three\t \n\nfour\tfive   ")).isEqualTo("one\ntwo three\n\nfour\tfive");
    assertThat(DocumentText.clean("last words" + " ".repeat(1_000_000))).isEqualTo("last words");
  }
}
