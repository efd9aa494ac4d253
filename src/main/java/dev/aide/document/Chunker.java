package dev.aide.document;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a document's parts into passages of about 400 tokens (1,600 characters) that respect its structure: a passage
 * never spans two pages or sections, and breaks at a paragraph, else a sentence, else a space; consecutive passages
 * of a part overlap by about 200 characters, so a sentence cut at a border is whole in one of them. Each passage keeps
 * its page or section and its character offsets in the document's text (its parts, joined by blank lines).
 */
final class Chunker {

  /** A passage and where it is. */
  record Chunk(int ordinal, String text, Integer page, String section, int start, int end) {}

  static final int SIZE = 1_600;
  static final int OVERLAP = 200;

  private Chunker() {}

  static List<Chunk> chunks(List<DocumentText.Part> parts) {
    List<Chunk> chunks = new ArrayList<>();
    int offset = 0;
    for (DocumentText.Part part : parts) {
      String text = part.text();
      int from = 0;
      while (from < text.length()) {
        int to = Math.min(text.length(), from + SIZE);
        if (to < text.length()) {
          to = breakBefore(text, from, to);
        }
        String passage = text.substring(from, to).strip();
        if (!passage.isEmpty()) {
          chunks.add(new Chunk(chunks.size(), passage, part.page(), part.section(), offset + from, offset + to));
        }
        if (to >= text.length()) {
          break;
        }
        int next = Math.max(from + 1, to - OVERLAP);
        int space = text.indexOf(' ', next);
        from = space > 0 && space < to ? space + 1 : next;
      }
      offset += text.length() + 2;
    }
    return chunks;
  }

  /** The best place to end a passage before {@code to}: a paragraph, a sentence, a space, in the last half. */
  private static int breakBefore(String text, int from, int to) {
    int half = from + SIZE / 2;
    for (String mark : List.of("\n\n", ". ", "! ", "? ", "\n", " ")) {
      int at = text.lastIndexOf(mark, to - mark.length());
      if (at >= half) {
        return at + mark.length();
      }
    }
    return to;
  }
}
