package dev.aide.document;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * How a messaging channel hands Aide a document a person sent in a chat (a PDF to the Telegram bot): the channel
 * fetches the file, the document feature checks, stores and reads it like one given through the API, and tells the
 * chat itself — "Reading lease.pdf…" at once, then that it is ready or why it is not — through the outbox. Failures
 * that mean the file was refused, with nothing kept, are {@code DomainException}s (invalid, unsupported, too large)
 * whose sentence the channel passes on.
 */
public final class ChatDocuments {

  private final DocumentService documents;

  ChatDocuments(DocumentService documents) {
    this.documents = documents;
  }

  /** The largest file taken: a channel fetches no more than this. */
  public long maxBytes() {
    return documents.maxBytes();
  }

  /**
   * Refuses, before it is fetched, a file Aide would not take: a kind it does not read (by the declared type, else the
   * name's extension), or larger than the limit when the channel knows its size (0 when it does not).
   */
  public void check(String filename, String declaredType, long size) {
    documents.check(filename, declaredType, size);
  }

  /**
   * Stores the file as the person's document, titled by its name, and has it read in the background; the chat is
   * answered at {@code recipient} on {@code channel}. {@code sourceKey} names the update it came in: the same key
   * again keeps the one document and says nothing twice.
   */
  public Future<Void> receive(UUID userId, String filename, String declaredType, Buffer content, String channel,
                              String recipient, String sourceKey) {
    return documents.receive(userId, filename, declaredType, content.getBytes(),
        new DocumentRepository.Chat(channel, recipient, sourceKey)).mapEmpty();
  }
}
