package dev.aide.conversation;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where a write tool's changes are recorded so the person can undo them (the undo feature implements it). A tool's
 * action names what it is about to change or delete, and what it created, through {@link Confirmations#touching} and
 * {@link Confirmations#created}; the journal keeps those things as they were before and as the action left them.
 */
public interface ChangeJournal {

  /** Records nothing: Aide without the undo feature (tool tests). */
  ChangeJournal NONE = new ChangeJournal() {
    @Override
    public Recording begin(ConversationKey key, String tool) {
      return Recording.NONE;
    }

    @Override
    public Future<Set<UUID>> undoable(UUID userId, Collection<UUID> handles) {
      return Future.succeededFuture(Set.of());
    }

    @Override
    public Future<Optional<Latest>> latest(ConversationKey key) {
      return Future.succeededFuture(Optional.empty());
    }

    @Override
    public Future<String> undo(UUID userId, UUID change) {
      return Future.succeededFuture(NOTHING_TO_UNDO);
    }
  };

  /** The tool name of an undo that waits for the person's "yes" (a typed "undo" of an older change). */
  String UNDO_TOOL = "undo";

  /** The answer to "undo" when the conversation has no change left to undo. */
  String NOTHING_TO_UNDO = "There's nothing here I can undo.";

  /** Starts recording what one tool call changes. Blocking callers (a turn's virtual thread). */
  Recording begin(ConversationKey key, String tool);

  /** Those of the handles that the person can still undo (theirs, not undone, not expired). */
  Future<Set<UUID>> undoable(UUID userId, Collection<UUID> handles);

  /**
   * The conversation's latest change that can still be undone, for a person who writes "undo" (a channel without
   * buttons) in the message of {@code key}: whether it came from the turn just before (or minutes ago), and what it
   * is in words, naming the things it touched.
   */
  Future<Optional<Latest>> latest(ConversationKey key);

  /** Undoes one change of the person; what they read: what was undone, naming it, or why it could not be. */
  Future<String> undo(UUID userId, UUID change);

  /**
   * A change "undo" would reach. {@code recent}: made in the conversation's turn just before, or within minutes, so a
   * bare "undo" plainly means it. {@code description}: what undoing it does, naming the things ("undo the note I
   * saved 6 days ago: «passport number X123»"), stored text quoted.
   */
  record Latest(UUID id, boolean recent, String description) {}

  /** What one tool call changes, as it runs. Blocking: called on the turn's virtual thread. */
  interface Recording {

    Recording NONE = new Recording() {
      @Override
      public void touching(String kind, String id) {}

      @Override
      public void created(String kind, String id) {}

      @Override
      public Optional<UUID> finish() {
        return Optional.empty();
      }
    };

    /** The thing of that kind and id is about to be changed or deleted: keep it as it is now. */
    void touching(String kind, String id);

    /** The thing of that kind and id was just created: it was not there before. */
    void created(String kind, String id);

    /** The call is over: stores what changed and answers its undo handle, or empty when nothing changed. */
    Optional<UUID> finish();
  }
}
