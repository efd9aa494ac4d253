package dev.aide.note;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Tags;
import dev.aide.platform.input.Texts;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/** The rules of notes, shared by the REST API and the assistant's tools. */
public final class NoteService {

  public static final int MAX_CONTENT = 20_000;
  public static final int MAX_TITLE = 200;
  public static final int MAX_QUERY = 500;

  private final NoteRepository notes;

  public NoteService(NoteRepository notes) {
    this.notes = notes;
  }

  public Future<Note> create(UUID userId, String title, String content, List<String> tags, UUID sourceMessageId) {
    return Future.<Void>succeededFuture()
        .compose(v -> notes.insert(userId, title(title), content(content), Tags.normalize(tags), sourceMessageId));
  }

  /** Notes matching a full-text query (websearch syntax) and/or a tag; best match first, else newest first. */
  public Future<List<Note>> search(UUID userId, String query, String tag, int limit) {
    return Future.<Void>succeededFuture().compose(v -> {
      String q = query == null || query.isBlank() ? null : query.strip();
      if (q != null && q.length() > MAX_QUERY) {
        throw DomainException.invalid("q must be at most " + MAX_QUERY + " characters");
      }
      String t = tag == null || tag.isBlank() ? null : Tags.one(tag);
      return notes.list(userId, q, t, limit);
    });
  }

  public Future<Note> get(UUID userId, UUID id) {
    return notes.find(userId, id).map(found -> found.orElseThrow(() -> DomainException.notFound("note")));
  }

  public Future<Note> update(UUID userId, UUID id, NoteRepository.Changes changes) {
    return Future.<Void>succeededFuture()
        .compose(v -> notes.update(userId, id, new NoteRepository.Changes(changes.titleSet(),
            changes.titleSet() ? title(changes.title()) : null,
            changes.content() == null ? null : content(changes.content()),
            changes.tags() == null ? null : Tags.normalize(changes.tags()))))
        .map(found -> found.orElseThrow(() -> DomainException.notFound("note")));
  }

  public Future<Void> delete(UUID userId, UUID id) {
    return notes.delete(userId, id).compose(deleted -> deleted
        ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("note")));
  }

  public Future<Integer> deleteAll(UUID userId, List<UUID> ids) {
    return notes.deleteAll(userId, ids);
  }

  private static String content(String content) {
    return Texts.required(content, "content", MAX_CONTENT);
  }

  private static String title(String title) {
    return Texts.optional(title, "title", MAX_TITLE);
  }
}
