package dev.aide.document;

import java.util.ArrayList;
import java.util.List;

/** What Aide tells the chat a document came from: that it is being read, then that it is ready or why it is not. */
final class DocumentMessages {

  private DocumentMessages() {}

  static String received(Document document) {
    return "Reading " + document.title() + " — I'll tell you when it's ready.";
  }

  static String ready(DocumentRepository.Finished document) {
    List<String> size = new ArrayList<>();
    if (document.pages() != null) {
      size.add(document.pages() + (document.pages() == 1 ? " page" : " pages"));
    }
    size.add(document.chunks() + (document.chunks() == 1 ? " passage" : " passages"));
    return document.title() + " is ready (" + String.join(", ", size) + "): ask me anything about it.";
  }

  /** The file is not readable: the reason is the refusal's sentence ("the PDF is encrypted; …"). */
  static String unreadable(DocumentRepository.Finished document, String why) {
    return "I couldn't read " + document.title() + ": " + why + ".";
  }

  /** Reading failed on Aide's side, after every retry. */
  static String gaveUp(DocumentRepository.Finished document) {
    return "Sorry, I couldn't read " + document.title() + " just now. Please send it again in a while.";
  }
}
