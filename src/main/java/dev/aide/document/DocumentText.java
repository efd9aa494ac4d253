package dev.aide.document;

import dev.aide.platform.error.DomainException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * The text of a document, in the parts that say where a passage is: a PDF's pages (PDFBox), the sections under the
 * headings of Markdown and HTML (jsoup), or plain text. A file that cannot be read, is encrypted, or holds no text is
 * refused (nothing is kept). CPU work: call it on a worker thread.
 */
final class DocumentText {

  /** A part of the document: its page (PDF) or section heading, and its text. */
  record Part(Integer page, String section, String text) {}

  static final String PDF = "application/pdf";
  static final String MARKDOWN = "text/markdown";
  static final String HTML = "text/html";
  static final String TEXT = "text/plain";

  private static final Pattern MD_HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");

  private DocumentText() {}

  /**
   * The media type Aide reads a file as: the declared one when Aide reads that type; else, when the declared type is
   * missing or says nothing (application/octet-stream, as curl and many clients send for a .md file), the file name's
   * extension; a file without either is plain text. Null when it is none Aide reads.
   */
  static String mediaType(String declared, String filename) {
    String type = declared == null ? "" : declared.toLowerCase(Locale.ROOT).split(";")[0].strip();
    String byType = switch (type) {
      case PDF, "application/x-pdf" -> PDF;
      case HTML, "application/xhtml+xml" -> HTML;
      case MARKDOWN, "text/x-markdown" -> MARKDOWN;
      case TEXT -> TEXT;
      default -> null;
    };
    if (byType != null) {
      return byType;
    }
    if (!type.isEmpty() && !type.equals("application/octet-stream")) {
      return null;
    }
    String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
    if (name.endsWith(".pdf")) {
      return PDF;
    }
    if (name.endsWith(".html") || name.endsWith(".htm")) {
      return HTML;
    }
    if (name.endsWith(".md") || name.endsWith(".markdown")) {
      return MARKDOWN;
    }
    return name.endsWith(".txt") || !name.contains(".") ? TEXT : null;
  }

  static List<Part> parts(byte[] content, String mediaType) {
    List<Part> parts = switch (mediaType) {
      case PDF -> pdf(content);
      case HTML -> html(utf8(content));
      case MARKDOWN -> markdown(utf8(content));
      default -> List.of(new Part(null, null, utf8(content)));
    };
    List<Part> kept = parts.stream().map(p -> new Part(p.page(), p.section(), clean(p.text())))
        .filter(p -> !p.text().isBlank()).toList();
    if (kept.isEmpty()) {
      throw DomainException.invalid("the document has no text to read");
    }
    return kept;
  }

  private static List<Part> pdf(byte[] content) {
    try (PDDocument pdf = Loader.loadPDF(content)) {
      if (pdf.isEncrypted()) {
        throw DomainException.invalid("the PDF is encrypted; send it without a password");
      }
      List<Part> pages = new ArrayList<>();
      PDFTextStripper stripper = new PDFTextStripper();
      for (int page = 1; page <= pdf.getNumberOfPages(); page++) {
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        pages.add(new Part(page, null, stripper.getText(pdf)));
      }
      return pages;
    } catch (InvalidPasswordException e) {
      throw DomainException.invalid("the PDF is encrypted; send it without a password");
    } catch (IOException e) {
      throw DomainException.invalid("the file is not a readable PDF");
    }
  }

  private static List<Part> html(String html) {
    List<Part> parts = new ArrayList<>();
    String section = null;
    StringBuilder text = new StringBuilder();
    Element body = Jsoup.parse(html).body();
    for (Element element : body.select("h1, h2, h3, h4, h5, h6, p, li, pre, blockquote, td, th")) {
      if (element.tagName().matches("h[1-6]")) {
        parts.add(new Part(null, section, text.toString()));
        section = element.text();
        text.setLength(0);
      } else if (element.parents().stream().noneMatch(p -> p.tagName().matches("p|li|pre|blockquote|td|th"))) {
        text.append(element.text()).append("\n\n");
      }
    }
    parts.add(new Part(null, section, text.toString()));
    if (parts.stream().allMatch(p -> p.text().isBlank())) {
      return List.of(new Part(null, null, body.text()));
    }
    return parts;
  }

  private static List<Part> markdown(String markdown) {
    List<Part> parts = new ArrayList<>();
    Matcher m = MD_HEADING.matcher(markdown);
    String section = null;
    int from = 0;
    while (m.find()) {
      parts.add(new Part(null, section, markdown.substring(from, m.start())));
      section = m.group(1);
      from = m.end();
    }
    parts.add(new Part(null, section, markdown.substring(from)));
    return parts;
  }

  /** UTF-8 text; bytes that are not (a binary file sent as text) are refused rather than read as garbage. */
  private static String utf8(byte[] content) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      throw DomainException.invalid("the file is not UTF-8 text");
    }
  }

  /**
   * Control characters (NUL among them) become spaces, spaces and tabs before a line break go; line breaks stay. One
   * pass, in time linear in the text: the regular expression it replaces ({@code [ \t]+\n}) took time quadratic in a
   * run of blanks not followed by a line break, and held a worker for minutes on a file padded with spaces.
   */
  static String clean(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    int blanks = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        out.setLength(out.length() - blanks);
        out.append(c);
        blanks = 0;
      } else if (c == ' ' || c == '\t' || Character.getType(c) == Character.CONTROL) {
        out.append(c == '\t' ? c : ' ');
        blanks++;
      } else {
        out.append(c);
        blanks = 0;
      }
    }
    return out.toString().strip();
  }
}
