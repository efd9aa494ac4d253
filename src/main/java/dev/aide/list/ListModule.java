package dev.aide.list;

import dev.aide.conversation.ConversationModule;
import dev.aide.platform.module.Exporter;
import dev.aide.platform.module.Exports;
import dev.aide.platform.module.Feature;
import dev.aide.platform.module.Platform;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/** Named lists (groceries, to-do, packing) and their items, with quantities. */
public final class ListModule implements Feature {

  private final ConversationModule conversation;
  private final ListRepository rows;
  private final ListService lists;

  public ListModule(Platform platform, ConversationModule conversation) {
    this.conversation = conversation;
    this.rows = new ListRepository(platform.pool());
    this.lists = new ListService(rows);
  }

  @Override
  public void routes(Router api) {
    new ListRoutes(lists).mount(api);
  }

  @Override
  public List<Object> tools() {
    return List.of(new ListTools(lists, conversation.confirmations()));
  }

  @Override
  public Map<String, Exporter> exports() {
    return Map.of("lists", (userId, zone) -> Exports.of(rows.lists(userId), NamedList::toJson));
  }
}
