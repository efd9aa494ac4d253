package dev.aide.undo;

import dev.aide.conversation.ChangeJournal;
import dev.aide.conversation.ConversationModule;
import dev.aide.platform.database.HousekeepingVerticle;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * Undo of what the assistant's tools changed: each tool call's changes are recorded as it runs (the conversation's
 * {@link dev.aide.conversation.ChangeJournal}), its handle travels with the tool call in the chat answer and the
 * stored messages, and POST /changes/{id}/undo puts things back as they were. Records are kept {@link #KEPT_DAYS}.
 */
public final class UndoModule implements Feature {

  /** How long a change can be undone. */
  public static final int KEPT_DAYS = 7;

  private final UndoRepository undo;

  public UndoModule(Platform platform, ConversationModule conversation) {
    this.undo = new UndoRepository(platform.pool());
    UndoJournal journal = new UndoJournal(undo, KEPT_DAYS);
    conversation.confirmations().journal(journal);
    conversation.confirmations().handle(ChangeJournal.UNDO_TOOL, journal::confirmed);
  }

  @Override
  public void routes(Router api) {
    new UndoRoutes(undo).mount(api);
  }

  @Override
  public List<HousekeepingVerticle.Cleaner> cleaners() {
    return List.of(new HousekeepingVerticle.Cleaner("expired undo records", undo::deleteExpired));
  }
}
