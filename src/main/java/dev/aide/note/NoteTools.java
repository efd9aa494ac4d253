package dev.aide.note;

import dev.aide.conversation.Confirmations;
import dev.aide.conversation.Confirmations.Effect;
import dev.aide.conversation.Confirmations.Proposal;
import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.Quoted;
import dev.aide.conversation.ToolResults;
import dev.aide.platform.error.DomainException;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The assistant's note tools: thin, acting for the conversation's user, answering in short facts. */
public final class NoteTools {

  private static final int SHOWN = 10;
  /** What a note is called in the undo journal. */
  private static final String UNDO_KIND = "note";
  private static final int PREVIEW = 120;

  private final NoteService notes;
  private final Confirmations confirmations;

  public NoteTools(NoteService notes, Confirmations confirmations) {
    this.notes = notes;
    this.confirmations = confirmations;
    confirmations.handle("createNote", this::create);
    confirmations.handle("updateNote", this::update);
    confirmations.handle("deleteNotes", this::delete);
  }

  @Tool(name = "createNote", value = "Save a note for the user (a fact to keep, not something to be reminded of at a time)")
  public String createNote(
      @ToolMemoryId ConversationKey key,
      @P("the note's text, in the user's words") String content,
      @P(value = "optional tags, single words without '#', e.g. [\"work\"]", required = false) List<String> tags) {
    JsonObject targets = new JsonObject().put("content", content).put("tags", tags == null ? null : new JsonArray(tags));
    return ToolResults.attempt(() -> confirmations.act(key, Proposal.of("createNote", Effect.CHANGE, 1, targets,
        "save a note " + Quoted.of(preview(content == null ? "" : content)))));
  }

  @Tool(name = "searchNotes", value = "Find the user's notes by words they contain and/or by tag; with neither, the latest notes")
  public String searchNotes(
      @ToolMemoryId ConversationKey key,
      @P(value = "words to search for, e.g. 'plumber'", required = false) String query,
      @P(value = "a tag without '#', e.g. 'work'", required = false) String tag) {
    return ToolResults.attempt(() -> {
      List<Note> found = notes.search(key.userId(), query, tag, SHOWN).await();
      if (found.isEmpty()) {
        return "No notes found" + about(query, tag) + ".";
      }
      StringBuilder out = new StringBuilder(found.size() == 1 ? "1 note" : found.size() + " notes")
          .append(about(query, tag)).append(':');
      found.forEach(n -> out.append("\n- ").append(Quoted.of(preview(n.content()))).append(tagText(n)).append(" (id ")
          .append(n.id()).append(')'));
      return out.toString();
    });
  }

  @Tool(name = "updateNote", value = "Change the text and/or the tags of one of the user's notes, found by its id")
  public String updateNote(
      @ToolMemoryId ConversationKey key,
      @P("the note's id, from searchNotes") String id,
      @P(value = "the new text", required = false) String content,
      @P(value = "the new tags, replacing the old ones", required = false) List<String> tags) {
    UUID noteId = uuid(id);
    if (noteId == null) {
      return "Error: no note with id " + id + ". Use searchNotes to find its id.";
    }
    if (content == null && tags == null) {
      return "Error: give the new content or tags.";
    }
    Note note;
    try {
      note = notes.get(key.userId(), noteId).await();
    } catch (DomainException e) {
      return e.kind() == DomainException.Kind.NOT_FOUND ? "Error: no note with id " + id + ". Use searchNotes to find its id."
          : ToolResults.text(e);
    }
    JsonObject targets = new JsonObject().put("id", noteId.toString()).put("content", content)
        .put("tags", tags == null ? null : new JsonArray(tags));
    String what = content != null
        ? "replace the note " + Quoted.of(preview(note.content())) + " with " + Quoted.of(preview(content))
        : "tag the note " + Quoted.of(preview(note.content())) + " " + String.join(", ", tags.stream().map(t -> "#" + t).toList());
    // Replacing a note's text loses the old text: a removal. New tags only change it.
    return ToolResults.attempt(() -> confirmations.act(key,
        Proposal.of("updateNote", content != null ? Effect.REMOVE : Effect.CHANGE, 1, targets, what)));
  }

  @Tool(name = "deleteNotes", value = "Delete some of the user's notes by id. Deleting more than one is confirmed by "
      + "the user: Aide asks them itself")
  public String deleteNotes(
      @ToolMemoryId ConversationKey key,
      @P("the ids of the notes to delete, from searchNotes") List<String> ids) {
    if (ids == null || ids.isEmpty()) {
      return "Error: give the ids of the notes to delete. Use searchNotes to find them.";
    }
    List<Note> targets = new ArrayList<>();
    for (String id : ids.stream().distinct().toList()) {
      UUID noteId = uuid(id);
      if (noteId == null) {
        return "Error: no note with id " + id + ". Nothing was deleted.";
      }
      try {
        targets.add(notes.get(key.userId(), noteId).await());
      } catch (DomainException e) {
        return "Error: no note with id " + id + ". Nothing was deleted.";
      }
    }
    String listed = String.join("; ", targets.stream().map(n -> Quoted.of(preview(n.content()))).toList());
    String what = targets.size() == 1 ? "delete the note " + listed : "delete " + targets.size() + " notes: " + listed;
    JsonObject resolved = new JsonObject().put("ids", new JsonArray(targets.stream().map(n -> n.id().toString()).toList()));
    return ToolResults.attempt(() -> confirmations.act(key,
        Proposal.of("deleteNotes", Effect.REMOVE, targets.size(), resolved, what)));
  }

  private String create(ConversationKey key, JsonObject t) {
    Note note = notes.create(key.userId(), null, t.getString("content"), strings(t.getJsonArray("tags")),
        key.messageId()).await();
    confirmations.created(key, UNDO_KIND, note.id());
    return "Note saved" + tagText(note) + ": " + Quoted.of(note.content()) + " (id " + note.id() + ").";
  }

  private String update(ConversationKey key, JsonObject t) {
    try {
      confirmations.touching(key, UNDO_KIND, t.getString("id"));
      Note note = notes.update(key.userId(), UUID.fromString(t.getString("id")),
          new NoteRepository.Changes(false, null, t.getString("content"), strings(t.getJsonArray("tags")))).await();
      return "Note updated" + tagText(note) + ": " + Quoted.of(preview(note.content())) + ".";
    } catch (DomainException e) {
      return e.kind() == DomainException.Kind.NOT_FOUND ? "Error: that note no longer exists." : ToolResults.text(e);
    }
  }

  private String delete(ConversationKey key, JsonObject t) {
    List<UUID> ids = strings(t.getJsonArray("ids")).stream().map(UUID::fromString).toList();
    ids.forEach(id -> confirmations.touching(key, UNDO_KIND, id));
    int deleted = notes.deleteAll(key.userId(), ids).await();
    String gone = deleted < ids.size() ? " (" + (ids.size() - deleted) + " had already gone)" : "";
    return (deleted == 1 ? "Deleted 1 note" : "Deleted " + deleted + " notes") + gone + ".";
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? null : array.stream().map(String::valueOf).toList();
  }

  private static UUID uuid(String id) {
    try {
      return id == null ? null : UUID.fromString(id.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String about(String query, String tag) {
    String out = query == null || query.isBlank() ? "" : " about " + Quoted.of(query.strip());
    return tag == null || tag.isBlank() ? out : out + " tagged #" + tag.strip().replaceFirst("^#", "");
  }

  private static String tagText(Note note) {
    return note.tags().isEmpty() ? "" : " [" + String.join(", ", note.tags().stream().map(t -> "#" + t).toList()) + "]";
  }

  private static String preview(String content) {
    String flat = content.replaceAll("\\s+", " ");
    return flat.length() <= PREVIEW ? flat : flat.substring(0, PREVIEW - 1) + "…";
  }
}
