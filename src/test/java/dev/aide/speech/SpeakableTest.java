package dev.aide.speech;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A written reply rewritten to be read aloud")
class SpeakableTest {

  @Test
  @DisplayName("Markdown emphasis, code, headings and quotes are read as plain words")
  void markdown() {
    assertThat(Speakable.of("## Today\n**Call mom** at _5pm_ and `water` the ~~cat~~ plants.\n> be kind"))
        .isEqualTo("Today. Call mom at 5pm and water the cat plants. Be kind.".replace("Be", "be"));
    assertThat(Speakable.of("Use this:\n```\nrm -rf /\n```\nDone.")).isEqualTo("Use this: Done.");
    assertThat(Speakable.of("2 * 3 = 6 and snake_case_name stays")).isEqualTo("2 * 3 = 6 and snake_case_name stays.");
  }

  @Test
  @DisplayName("links keep their words, bare URLs and ids go")
  void linksAndIds() {
    assertThat(Speakable.of("See [the lease](https://example.com/lease.pdf) and https://example.com/x?y=1 now."))
        .isEqualTo("See the lease and now.");
    assertThat(Speakable.of("Reminder set (id 3f2a9c1e-1b2c-4d5e-8f90-123456789abc) for 5pm."))
        .isEqualTo("Reminder set for 5pm.");
    assertThat(Speakable.of("Deleted note 3f2a9c1e-1b2c-4d5e-8f90-123456789abc.")).isEqualTo("Deleted note.");
    assertThat(Speakable.of("Saved: id: 3f2a9c1e-1b2c-4d5e-8f90-123456789abc")).isEqualTo("Saved.");
  }

  @Test
  @DisplayName("a list is read as sentences, the first five items, then how many more")
  void lists() {
    assertThat(Speakable.of("Your reminders:\n- call mom at 17:00\n- buy milk\n\nAnything else?"))
        .isEqualTo("Your reminders: Call mom at 17:00. Buy milk. Anything else?");
    assertThat(Speakable.of("Steps:\n1. open\n2) close\n* [x] done")).isEqualTo("Steps: Open. Close. Done.");
    StringBuilder seven = new StringBuilder("Groceries:");
    for (int i = 1; i <= 7; i++) {
      seven.append("\n- item ").append(i);
    }
    assertThat(Speakable.of(seven.toString()))
        .isEqualTo("Groceries: Item 1. Item 2. Item 3. Item 4. Item 5. And 2 more.");
  }

  @Test
  @DisplayName("tables, rules and emoji are not read out")
  void noise() {
    assertThat(Speakable.of("| a | b |\n|---|---|\n| 1 | 2 |\n---\nDone 🎉✅")).isEqualTo("A, b. 1, 2. Done.".replace("A,", "a,"));
  }

  @Test
  @DisplayName("a long reply is cut after a whole sentence, saying the rest is in the written reply")
  void short_() {
    String sentence = "This is a sentence of some length that goes on. ";
    String spoken = Speakable.of(sentence.repeat(40));
    assertThat(spoken.length()).isLessThanOrEqualTo(Speakable.MAX_CHARS);
    assertThat(spoken).endsWith("goes on. " + Speakable.CUT);
    String oneLong = Speakable.of("word ".repeat(300));
    assertThat(oneLong.length()).isLessThanOrEqualTo(Speakable.MAX_CHARS);
    assertThat(oneLong).endsWith("word… " + Speakable.CUT);
  }

  @Test
  @DisplayName("nothing, blank and only-markup replies say nothing; plain sentences pass unchanged")
  void edges() {
    assertThat(Speakable.of(null)).isEmpty();
    assertThat(Speakable.of("  \n ")).isEmpty();
    assertThat(Speakable.of("---\n**  **")).isEmpty();
    assertThat(Speakable.of("When should I remind you to call mom?")).isEqualTo("When should I remind you to call mom?");
  }
}
