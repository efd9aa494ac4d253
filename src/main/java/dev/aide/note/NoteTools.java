package dev.aide.note;

import static dev.aide.platform.database.Blocking.join;

import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.ToolResults;
import dev.aide.platform.http.ApiException;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The assistant's note tools: thin, acting for the conversation's user, answering in short facts. */
public final class NoteTools {

  private static final int SHOWN = 10;
  private static final int PREVIEW = 120;

  private final NoteService notes;

  public NoteTools(NoteService notes) {
    this.notes = notes;
  }

  @Tool(name = "createNote", value = "Save a note for the user (a fact to keep, not something to be reminded of at a time)")
  public String createNote(
      @ToolMemoryId ConversationKey key,
      @P("the note's text, in the user's words") String content,
      @P(value = "optional tags, single words without '#', e.g. [\"work\"]", required = false) List<String> tags) {
    return ToolResults.attempt(() -> {
      Note note = join(notes.create(key.userId(), null, content, tags, key.messageId()));
      return "Note saved" + tagText(note) + ": \"" + note.content() + "\" (id " + note.id() + ").";
    });
  }

  @Tool(name = "searchNotes", value = "Find the user's notes by words they contain and/or by tag; with neither, the latest notes")
  public String searchNotes(
      @ToolMemoryId ConversationKey key,
      @P(value = "words to search for, e.g. 'plumber'", required = false) String query,
      @P(value = "a tag without '#', e.g. 'work'", required = false) String tag) {
    return ToolResults.attempt(() -> {
      List<Note> found = join(notes.search(key.userId(), query, tag, SHOWN));
      if (found.isEmpty()) {
        return "No notes found" + about(query, tag) + ".";
      }
      StringBuilder out = new StringBuilder(found.size() == 1 ? "1 note" : found.size() + " notes")
          .append(about(query, tag)).append(':');
      found.forEach(n -> out.append("\n- ").append(preview(n.content())).append(tagText(n)).append(" (id ")
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
    try {
      Note note = join(notes.update(key.userId(), noteId, new NoteRepository.Changes(false, null, content, tags)));
      return "Note updated" + tagText(note) + ": \"" + preview(note.content()) + "\".";
    } catch (ApiException e) {
      return e.status() == 404 ? "Error: no note with id " + id + ". Use searchNotes to find its id."
          : "Error: " + e.getMessage() + ".";
    }
  }

  @Tool(name = "deleteNotes", value = "Delete some of the user's notes by id. Deleting more than one needs the user's "
      + "confirmation: call without confirm first, ask the user, then call again with confirm=true")
  public String deleteNotes(
      @ToolMemoryId ConversationKey key,
      @P("the ids of the notes to delete, from searchNotes") List<String> ids,
      @P(value = "true only after the user confirmed deleting several notes", required = false) Boolean confirm) {
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
        targets.add(join(notes.get(key.userId(), noteId)));
      } catch (ApiException e) {
        return "Error: no note with id " + id + ". Nothing was deleted.";
      }
    }
    if (targets.size() > 1 && !Boolean.TRUE.equals(confirm)) {
      return "This would delete " + targets.size() + " notes (" + String.join("; ",
          targets.stream().map(n -> "\"" + preview(n.content()) + "\"").toList())
          + "). Ask the user to confirm, then call again with confirm=true.";
    }
    int deleted = join(notes.deleteAll(key.userId(), targets.stream().map(Note::id).toList()));
    return deleted == 1 ? "Deleted 1 note." : "Deleted " + deleted + " notes.";
  }

  private static UUID uuid(String id) {
    try {
      return id == null ? null : UUID.fromString(id.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String about(String query, String tag) {
    String out = query == null || query.isBlank() ? "" : " about \"" + query.strip() + "\"";
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
