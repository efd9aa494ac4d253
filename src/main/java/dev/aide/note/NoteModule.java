package dev.aide.note;

import dev.aide.conversation.ConversationModule;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/** Notes: tagged, searchable facts the person keeps. */
public final class NoteModule implements Feature {

  private final ConversationModule conversation;
  private final NoteRepository rows;
  private final NoteService notes;

  public NoteModule(Platform platform, ConversationModule conversation) {
    this.conversation = conversation;
    this.rows = new NoteRepository(platform.pool());
    this.notes = new NoteService(rows);
  }

  @Override
  public void routes(Router api) {
    new NoteRoutes(notes).mount(api);
  }

  @Override
  public List<Object> tools() {
    return List.of(new NoteTools(notes, conversation.confirmations()));
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("notes", (userId, zone) -> Exports.of(rows.list(userId, null, null, Exports.ALL), Note::toJson));
  }
}
