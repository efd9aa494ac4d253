package dev.aide.document;

import dev.aide.delivery.DeliveryBus;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Sizes;
import dev.aide.platform.input.Texts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;

/**
 * Documents: a file is checked before anything is kept (a type Aide reads, within the size limit, not empty,
 * readable, not encrypted, with text in it), then stored with its reading task; reading it is
 * {@link DocumentReader}'s work.
 */
final class DocumentService {

  static final int MAX_TITLE = 200;
  static final int MAX_FILENAME = 255;
  static final int MAX_TEXT = 1_000_000;

  private final Vertx vertx;
  private final DocumentRepository documents;
  private final long maxBytes;

  DocumentService(Vertx vertx, DocumentRepository documents, long maxBytes) {
    this.vertx = vertx;
    this.documents = documents;
    this.maxBytes = maxBytes;
  }

  /** The largest file Aide takes. */
  long maxBytes() {
    return maxBytes;
  }

  /**
   * What can be told of a file before it is fetched or read: the media type Aide reads it as (from the declared type,
   * else the name's extension), or unsupported; too large when its size is known and over the limit.
   */
  String check(String filename, String declaredType, long size) {
    String type = DocumentText.mediaType(declaredType, filename);
    if (type == null) {
      throw new DomainException(DomainException.Kind.UNSUPPORTED, "Aide reads PDF, Markdown, HTML and plain text "
          + "documents (application/pdf, text/markdown, text/html, text/plain)"
          + (filename == null ? "" : "; " + filename + " is none of them"));
    }
    if (size > maxBytes) {
      throw DomainException.tooLarge("the document is larger than " + Sizes.of(maxBytes) + ", the most Aide takes");
    }
    return type;
  }

  /** A file as it was sent: its declared media type, maybe its name and a title. */
  Future<Document> add(UUID userId, String title, String filename, String declaredType, byte[] content) {
    return add(userId, title, filename, declaredType, content, null);
  }

  /**
   * A file a person sent in a chat, titled by its name: checked like any, then stored with what the chat is told at
   * once ("Reading lease.pdf…"); the same update handled again keeps the one document.
   */
  Future<Document> receive(UUID userId, String filename, String declaredType, byte[] content,
                           DocumentRepository.Chat chat) {
    return add(userId, null, filename, declaredType, content, chat)
        .onSuccess(document -> vertx.eventBus().publish(DeliveryBus.WAKE, null));
  }

  private Future<Document> add(UUID userId, String title, String filename, String declaredType, byte[] content,
                               DocumentRepository.Chat chat) {
    return Future.<String>succeededFuture().compose(v -> {
      String name = Texts.optional(filename, "filename", MAX_FILENAME);
      String heading = Texts.optional(title, "title", MAX_TITLE);
      String type = check(name, declaredType, content.length);
      if (content.length == 0) {
        throw DomainException.invalid("the document is empty");
      }
      String kept = heading != null ? heading : name != null ? cut(name, MAX_TITLE) : "Untitled document";
      // Read once here, on a worker, so a file that cannot be read is refused now and nothing is kept.
      return vertx.executeBlocking(() -> DocumentText.parts(content, type), false)
          .compose(parts -> chat == null ? documents.insert(userId, kept, name, type, content)
              : documents.insert(userId, kept, name, type, content, chat, DocumentMessages::received));
    });
  }

  /** Text sent as JSON: a plain-text document. */
  Future<Document> addText(UUID userId, String title, String text) {
    return Future.<Document>succeededFuture().compose(v -> add(userId, title, null, DocumentText.TEXT,
        Texts.required(text, "text", MAX_TEXT).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** At most max characters, never half of a surrogate pair. */
  private static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    return text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
  }

  Future<List<Document>> list(UUID userId, int limit) {
    return documents.list(userId, limit);
  }

  Future<Document> get(UUID userId, UUID id) {
    return documents.find(userId, id).map(found -> found.orElseThrow(() -> DomainException.notFound("document")));
  }

  /** A new title; nothing changes when it is not valid or the person has no such document. */
  Future<Document> rename(UUID userId, UUID id, String title) {
    return Future.<String>succeededFuture().compose(v -> documents.rename(userId, id,
            Texts.required(title, "title", MAX_TITLE)))
        .map(found -> found.orElseThrow(() -> DomainException.notFound("document")));
  }

  Future<Void> delete(UUID userId, UUID id) {
    return documents.delete(userId, id).map(deleted -> {
      if (!deleted) {
        throw DomainException.notFound("document");
      }
      return null;
    });
  }
}
