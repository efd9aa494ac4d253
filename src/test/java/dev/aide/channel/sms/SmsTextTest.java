package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Replies as text messages: Markdown taken out, 1,600-character parts, segments as carriers bill them")
class SmsTextTest {

  @Test
  @DisplayName("bold, italics, code, headings, bullets, quotes and links become plain text")
  void plain() {
    String markdown = """
        ## Your day
        **Dentist** at *10:00* — bring the `insurance card`.
        * call __mom__
        + buy ~~milk~~ bread
        > don't forget
        See [the clinic](https://clinic.example) or https://x.example/a_b_c.
        ```
        code block
        ```
        ---
        snake_case_name stays, 2*3*4 stays""";
    assertThat(SmsText.plain(markdown)).isEqualTo("""
        Your day
        Dentist at 10:00 — bring the insurance card.
        - call mom
        - buy milk bread
        don't forget
        See the clinic (https://clinic.example) or https://x.example/a_b_c.
        code block

        snake_case_name stays, 2*3*4 stays""");
  }

  @Test
  @DisplayName("a long reply is cut at sentence ends within 1,600 characters, in order, losing nothing but the "
      + "spaces at the cuts")
  void splitAtSentences() {
    String sentence = "This is sentence number %d of a rather long answer about the week ahead. ";
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 60; i++) {
      text.append(sentence.formatted(i));
    }
    List<String> parts = SmsText.split(text.toString(), 1600);
    assertThat(parts).hasSizeGreaterThan(2);
    for (String part : parts) {
      assertThat(part.codePointCount(0, part.length())).isLessThanOrEqualTo(1600);
      assertThat(part).startsWith("This is sentence").endsWith("ahead.");
    }
    assertThat(String.join(" ", parts)).isEqualTo(text.toString().strip());
  }

  @Test
  @DisplayName("without sentence ends it cuts between words, without spaces it cuts between characters, never "
      + "inside an emoji; a blank reply is no message")
  void splitFallbacks() {
    String words = "word ".repeat(500).strip();
    List<String> byWords = SmsText.split(words, 1600);
    assertThat(byWords).allSatisfy(p -> assertThat(p).doesNotStartWith(" ").doesNotEndWith(" ").endsWith("word"));
    assertThat(String.join(" ", byWords)).isEqualTo(words);
    String emoji = "😀".repeat(1700);
    List<String> byCharacters = SmsText.split(emoji, 1600);
    assertThat(byCharacters).hasSize(2);
    assertThat(byCharacters.get(0).codePointCount(0, byCharacters.get(0).length())).isEqualTo(1600);
    assertThat(String.join("", byCharacters)).isEqualTo(emoji);
    assertThat(SmsText.split("  \n ", 1600)).isEmpty();
  }

  @Test
  @DisplayName("GSM-7: 160 characters are one segment, 161 two, 306 two, 307 three; an extension character counts "
      + "two and is never split; anything outside GSM-7 is UCS-2: 70, 67 a segment")
  void segments() {
    assertThat(SmsText.segments("a".repeat(160))).isEqualTo(new SmsText.Segments("GSM-7", 1));
    assertThat(SmsText.segments("a".repeat(161)).count()).isEqualTo(2);
    assertThat(SmsText.segments("a".repeat(306)).count()).isEqualTo(2);
    assertThat(SmsText.segments("a".repeat(307)).count()).isEqualTo(3);
    assertThat(SmsText.segments("€".repeat(80))).isEqualTo(new SmsText.Segments("GSM-7", 1));
    assertThat(SmsText.segments("€".repeat(81)).count()).isEqualTo(2);
    // 152 septets, then an escape pair that would straddle the boundary: it moves whole to the next segment.
    assertThat(SmsText.segments("a".repeat(152) + "€" + "a".repeat(10)).count()).isEqualTo(2);
    assertThat(SmsText.segments("a".repeat(152) + "€" + "a".repeat(152)).count()).isEqualTo(3);
    assertThat(SmsText.segments("Çà vous? ¿Qué! Ñandù £5 @home")).isEqualTo(new SmsText.Segments("GSM-7", 1));
    assertThat(SmsText.segments("ç".repeat(70))).isEqualTo(new SmsText.Segments("UCS-2", 1));
    assertThat(SmsText.segments("ç".repeat(71)).count()).isEqualTo(2);
    assertThat(SmsText.segments("a".repeat(159) + "😀")).isEqualTo(new SmsText.Segments("UCS-2", 3));
    assertThat(SmsText.segments("😀".repeat(35))).isEqualTo(new SmsText.Segments("UCS-2", 1));
    assertThat(SmsText.segments("a".repeat(66) + "😀").count()).isEqualTo(1);
    assertThat(SmsText.segments("a".repeat(68) + "😀" + "a").count()).isEqualTo(2);
  }
}
