package dev.aide.note;

import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** The rules of notes, shared by the REST API and the assistant's tools. */
public final class NoteService {

  public static final int MAX_CONTENT = 20_000;
  public static final int MAX_TITLE = 200;
  public static final int MAX_TAGS = 20;
  public static final int MAX_TAG = 50;
  public static final int MAX_QUERY = 500;
  private static final Pattern TAG = Pattern.compile("^[\\p{L}\\p{N}_-]+$");

  private final NoteRepository notes;

  public NoteService(NoteRepository notes) {
    this.notes = notes;
  }

  public Future<Note> create(UUID userId, String title, String content, List<String> tags, UUID sourceMessageId) {
    return Future.<Void>succeededFuture()
        .compose(v -> notes.insert(userId, title(title), content(content), tags(tags), sourceMessageId));
  }

  /** Notes matching a full-text query (websearch syntax) and/or a tag; best match first, else newest first. */
  public Future<List<Note>> search(UUID userId, String query, String tag, int limit) {
    return Future.<Void>succeededFuture().compose(v -> {
      String q = query == null || query.isBlank() ? null : query.strip();
      if (q != null && q.length() > MAX_QUERY) {
        throw DomainException.invalid("q must be at most " + MAX_QUERY + " characters");
      }
      String t = tag == null || tag.isBlank() ? null : tag(tag);
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
            changes.tags() == null ? null : tags(changes.tags()))))
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

  /** Tags are lower-cased, a leading '#' dropped, duplicates removed, order kept. */
  static List<String> tags(List<String> tags) {
    if (tags == null) {
      return List.of();
    }
    if (tags.size() > MAX_TAGS) {
      throw DomainException.invalid("at most " + MAX_TAGS + " tags");
    }
    LinkedHashSet<String> clean = new LinkedHashSet<>();
    for (String tag : tags) {
      clean.add(tag(tag));
    }
    return new ArrayList<>(clean);
  }

  private static String tag(String tag) {
    String t = tag == null ? "" : tag.strip();
    if (t.startsWith("#")) {
      t = t.substring(1);
    }
    t = t.toLowerCase(Locale.ROOT);
    if (t.isEmpty() || t.length() > MAX_TAG || !TAG.matcher(t).matches()) {
      throw DomainException.invalid("a tag is a word of letters, digits, '-' or '_' (at most " + MAX_TAG + " characters)");
    }
    return t;
  }
}
