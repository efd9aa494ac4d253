package dev.aide.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Model replies become valid Telegram HTML messages within the length limit")
class TelegramTextTest {

  @Test
  @DisplayName("Escaping replaces the characters HTML parse mode would read as markup")
  void escapes() {
    assertThat(TelegramText.escapeHtml("a < b && c > \"d\"")).isEqualTo("a &lt; b &amp;&amp; c &gt; &quot;d&quot;");
  }

  @Test
  @DisplayName("Bold, inline code and fenced blocks become <b>, <code> and <pre>, with their content escaped")
  void markdown() {
    assertThat(TelegramText.toHtml("**Tomorrow**: call `a<b` & go"))
        .isEqualTo("<b>Tomorrow</b>: call <code>a&lt;b</code> &amp; go");
    assertThat(TelegramText.toHtml("Run:\n```bash\necho **hi** `x`\n```\ndone"))
        .isEqualTo("Run:\n<pre>echo **hi** `x`</pre>\ndone");
  }

  @Test
  @DisplayName("Unmatched markers stay as text, so the HTML is never unbalanced")
  void unmatchedMarkers() {
    assertThat(TelegramText.toHtml("2 ** 3 and **open")).isEqualTo("2 ** 3 and **open");
    assertThat(TelegramText.toHtml("a `tick and ```fence")).isEqualTo("a `tick and ```fence");
    assertThat(TelegramText.toHtml("$1 **$2** \\n")).isEqualTo("$1 <b>$2</b> \\n");
  }

  @Test
  @DisplayName("Short text stays one chunk, and blank text gives none")
  void shortText() {
    assertThat(TelegramText.split("hello", TelegramText.MAX_MESSAGE)).containsExactly("hello");
    assertThat(TelegramText.split(" \n\n ", TelegramText.MAX_MESSAGE)).isEmpty();
  }

  @Test
  @DisplayName("A 10,000-character reply splits into ordered chunks within 4096 that keep every word")
  void longReply() {
    StringBuilder text = new StringBuilder();
    List<String> words = new ArrayList<>();
    for (int i = 0; text.length() < 10_000; i++) {
      String word = "word" + i;
      words.add(word);
      text.append(word).append(i % 40 == 39 ? "\n\n" : i % 9 == 8 ? "\n" : " ");
    }

    List<String> chunks = TelegramText.split(text.toString(), TelegramText.MAX_MESSAGE);

    assertThat(chunks).hasSizeGreaterThanOrEqualTo(3).allSatisfy(c -> assertThat(c.length()).isBetween(1, 4096));
    assertThat(String.join(" ", chunks).split("\\s+")).containsExactlyElementsOf(words);
    // Paragraph breaks are preferred, so every chunk but the last ends a paragraph.
    chunks.subList(0, chunks.size() - 1).forEach(c -> assertThat(c).matches("(?s).*word\\d*9"));
  }

  @Test
  @DisplayName("Paragraph breaks are preferred over lines, and lines over spaces")
  void lineBreaks() {
    assertThat(TelegramText.split("aaaa bbbb\ncc dd ee", 12)).containsExactly("aaaa bbbb", "cc dd ee");
    assertThat(TelegramText.split("aaaa bbbb cc dd", 12)).containsExactly("aaaa bbbb cc", "dd");
    assertThat(TelegramText.split("one\n\ntwo three\nfour", 16)).containsExactly("one", "two three\nfour");
  }

  @Test
  @DisplayName("Emoji surrogate pairs are never split")
  void surrogatePairs() {
    String emoji = "😀".repeat(3000);

    List<String> chunks = TelegramText.split(emoji, TelegramText.MAX_MESSAGE);

    assertThat(String.join("", chunks)).isEqualTo(emoji);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.length()).isLessThanOrEqualTo(4096);
      assertThat(Character.isLowSurrogate(c.charAt(0))).isFalse();
      assertThat(Character.isHighSurrogate(c.charAt(c.length() - 1))).isFalse();
    });
    assertThat(TelegramText.split("a😀b", 2)).containsExactly("a", "😀", "b");
  }

  @Test
  @DisplayName("A single 5000-character word is hard-cut at the limit")
  void hardCut() {
    String word = "x".repeat(5000);

    assertThat(TelegramText.split(word, TelegramText.MAX_MESSAGE)).containsExactly("x".repeat(4096), "x".repeat(904));
  }

  @Test
  @DisplayName("A limit too small for a surrogate pair is refused")
  void tinyLimit() {
    assertThatThrownBy(() -> TelegramText.split("abc", 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
