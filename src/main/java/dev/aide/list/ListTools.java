package dev.aide.list;

import static dev.aide.platform.database.Blocking.join;

import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.ToolResults;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The assistant's list tools: lists are named as the person says them; answers are short facts. */
public final class ListTools {

  /** One thing to put on a list, as the model passes it. */
  public record ItemInput(String text, BigDecimal quantity, String unit) {}

  private final ListService lists;

  public ListTools(ListService lists) {
    this.lists = lists;
  }

  @Tool(name = "addToList", value = "Add items to one of the user's lists (groceries, to-do, packing, …); the list is "
      + "created when missing, and an item already on it gets the quantities added up")
  public String addToList(
      @ToolMemoryId ConversationKey key,
      @P("the list's name as the user said it, e.g. 'grocery', 'to-do', 'packing'") String listName,
      @P("the items: text, and optional quantity (a number) and unit, e.g. {text:'apples', quantity:2, unit:'kg'}")
      List<ItemInput> items) {
    if (items == null || items.isEmpty()) {
      return "Error: give at least one item to add.";
    }
    return ToolResults.attempt(() -> {
      for (ItemInput item : items) {
        if (item == null) {
          return "Error: an item is empty.";
        }
        ListService.text(item.text());
        ListService.quantity(item.quantity());
        ListService.unit(item.unit());
      }
      if (listName == null || ListService.spokenName(listName).isBlank()) {
        return "Error: say which list to add to.";
      }
      Optional<NamedList> existing = join(lists.findByName(key.userId(), listName));
      NamedList list = existing.orElseGet(() -> join(lists.findOrCreate(key.userId(), listName)));
      List<ListItem> current = new ArrayList<>(list.items());
      List<String> added = new ArrayList<>();
      for (ItemInput in : items) {
        String unit = in.unit() == null || in.unit().isBlank() ? null : in.unit().strip();
        Optional<ListItem> same = current.stream()
            .filter(i -> !i.done() && i.sameThing(in.text()) && unitsMatch(i.unit(), unit)).findFirst();
        if (same.isPresent()) {
          ListItem old = same.get();
          if (old.quantity() == null && in.quantity() == null) {
            added.add(old.text() + " (already there)");
            continue;
          }
          BigDecimal sum = orOne(old.quantity()).add(orOne(in.quantity()));
          ListItem merged = join(lists.updateItem(key.userId(), list.id(), old.id(),
              new ListRepository.ItemChanges(null, true, sum, false, null, false, null, null)));
          current.set(current.indexOf(old), merged);
          added.add(old.text() + " (now " + merged.spoken() + ")");
        } else {
          ListItem item = join(lists.addItem(key.userId(), list.id(),
              new ListRepository.NewItem(in.text(), in.quantity(), unit, null)));
          current.add(item);
          added.add(item.spoken());
        }
      }
      return (existing.isEmpty() ? "Created the list \"" + list.name() + "\". " : "")
          + "Added to " + list.name() + ": " + String.join(", ", added) + ".";
    });
  }

  @Tool(name = "showList", value = "Show the items of one of the user's lists")
  public String showList(@ToolMemoryId ConversationKey key, @P("the list's name as the user said it") String listName) {
    Optional<NamedList> found = join(lists.findByName(key.userId(), listName));
    if (found.isEmpty()) {
      return noSuchList(key, listName);
    }
    NamedList list = found.get();
    if (list.items().isEmpty()) {
      return "Your " + list.name() + " list is empty.";
    }
    StringBuilder out = new StringBuilder(list.name()).append(" (").append(summary(list)).append("):");
    list.items().forEach(i -> out.append("\n- ").append(i.spoken()).append(i.done() ? " (done)" : ""));
    return out.toString();
  }

  @Tool(name = "checkOffItems", value = "Mark items of a list as done (bought, packed, finished). Checking off more "
      + "than one needs the user's confirmation: call without confirm, ask the user, then call again with confirm=true")
  public String checkOffItems(
      @ToolMemoryId ConversationKey key,
      @P(value = "the list's name; leave out to look for the items on every list", required = false) String listName,
      @P("the items' texts, e.g. ['milk']") List<String> items,
      @P(value = "true only after the user confirmed checking off several items", required = false) Boolean confirm) {
    if (items == null || items.isEmpty()) {
      return "Error: say which items to check off.";
    }
    List<NamedList> candidates;
    if (listName == null || listName.isBlank()) {
      candidates = join(lists.all(key.userId()));
    } else {
      Optional<NamedList> found = join(lists.findByName(key.userId(), listName));
      if (found.isEmpty()) {
        return noSuchList(key, listName);
      }
      candidates = List.of(found.get());
    }
    List<Target> targets = new ArrayList<>();
    for (String text : items.stream().filter(Objects::nonNull).distinct().toList()) {
      List<Target> matches = new ArrayList<>();
      for (NamedList list : candidates) {
        list.items().stream().filter(i -> !i.done() && i.sameThing(text)).findFirst()
            .ifPresent(i -> matches.add(new Target(list, i)));
      }
      if (matches.isEmpty()) {
        return "Error: \"" + text + "\" is not an open item on " + (candidates.size() == 1
            ? "your " + candidates.get(0).name() + " list" : "any of your lists") + ". Nothing was checked off.";
      }
      if (matches.size() > 1) {
        return "Error: \"" + text + "\" is on several lists (" + String.join(", ",
            matches.stream().map(t -> t.list().name()).toList()) + "). Ask which one. Nothing was checked off.";
      }
      targets.add(matches.get(0));
    }
    if (targets.size() > 1 && !Boolean.TRUE.equals(confirm)) {
      return "This would check off " + targets.size() + " items (" + describe(targets)
          + "). Ask the user to confirm, then call again with confirm=true.";
    }
    for (NamedList list : candidates) {
      List<UUID> ids = targets.stream().filter(t -> t.list().id().equals(list.id())).map(t -> t.item().id()).toList();
      if (!ids.isEmpty()) {
        join(lists.markDone(key.userId(), list.id(), ids));
      }
    }
    return "Checked off " + describe(targets) + ".";
  }

  @Tool(name = "removeFromList", value = "Remove items from one of the user's lists. Removing more than one needs the "
      + "user's confirmation: call without confirm, ask the user, then call again with confirm=true")
  public String removeFromList(
      @ToolMemoryId ConversationKey key,
      @P("the list's name as the user said it") String listName,
      @P("the items' texts, e.g. ['bananas']") List<String> items,
      @P(value = "true only after the user confirmed removing several items", required = false) Boolean confirm) {
    if (items == null || items.isEmpty()) {
      return "Error: say which items to remove.";
    }
    Optional<NamedList> found = join(lists.findByName(key.userId(), listName));
    if (found.isEmpty()) {
      return noSuchList(key, listName);
    }
    NamedList list = found.get();
    List<ListItem> targets = new ArrayList<>();
    for (String text : items.stream().filter(Objects::nonNull).distinct().toList()) {
      Optional<ListItem> item = list.items().stream().filter(i -> i.sameThing(text)).findFirst();
      if (item.isEmpty()) {
        return "Error: \"" + text + "\" is not on your " + list.name() + " list. Nothing was removed.";
      }
      if (!targets.contains(item.get())) {
        targets.add(item.get());
      }
    }
    String names = String.join(", ", targets.stream().map(ListItem::spoken).toList());
    if (targets.size() > 1 && !Boolean.TRUE.equals(confirm)) {
      return "This would remove " + targets.size() + " items from " + list.name() + " (" + names
          + "). Ask the user to confirm, then call again with confirm=true.";
    }
    join(lists.deleteItems(key.userId(), list.id(), targets.stream().map(ListItem::id).toList()));
    return "Removed from " + list.name() + ": " + names + ".";
  }

  @Tool(name = "clearList", value = "Delete the items of one of the user's lists: all of them, or only the done ones. "
      + "Deleting more than one needs the user's confirmation: call without confirm, ask, then call with confirm=true")
  public String clearList(
      @ToolMemoryId ConversationKey key,
      @P("the list's name as the user said it") String listName,
      @P(value = "true to delete only the items marked done", required = false) Boolean onlyDone,
      @P(value = "true only after the user confirmed", required = false) Boolean confirm) {
    Optional<NamedList> found = join(lists.findByName(key.userId(), listName));
    if (found.isEmpty()) {
      return noSuchList(key, listName);
    }
    NamedList list = found.get();
    boolean done = Boolean.TRUE.equals(onlyDone);
    List<ListItem> targets = list.items().stream().filter(i -> !done || i.done()).toList();
    String what = done ? "done items" : "items";
    if (targets.isEmpty()) {
      return "There are no " + what + " on your " + list.name() + " list.";
    }
    String names = String.join(", ", targets.stream().map(ListItem::spoken).toList());
    if (targets.size() > 1 && !Boolean.TRUE.equals(confirm)) {
      return "This would delete " + targets.size() + " " + what + " from " + list.name() + " (" + names
          + "). Ask the user to confirm, then call again with confirm=true.";
    }
    join(lists.deleteItems(key.userId(), list.id(), targets.stream().map(ListItem::id).toList()));
    return "Cleared " + targets.size() + (targets.size() == 1 ? " item" : " items") + " from " + list.name()
        + ": " + names + ".";
  }

  @Tool(name = "listLists", value = "List the user's lists with how many items each has")
  public String listLists(@ToolMemoryId ConversationKey key) {
    List<NamedList> all = join(lists.all(key.userId()));
    if (all.isEmpty()) {
      return "You have no lists yet.";
    }
    StringBuilder out = new StringBuilder("Your lists:");
    all.forEach(l -> out.append("\n- ").append(l.name()).append(" (").append(summary(l)).append(')'));
    return out.toString();
  }

  private String noSuchList(ConversationKey key, String listName) {
    List<NamedList> all = join(lists.all(key.userId()));
    return "You have no list called \"" + ListService.spokenName(listName == null ? "" : listName) + "\"."
        + (all.isEmpty() ? "" : " Your lists: " + String.join(", ", all.stream().map(NamedList::name).toList()) + ".");
  }

  private static String summary(NamedList list) {
    long done = list.items().stream().filter(ListItem::done).count();
    int n = list.items().size();
    return (n == 1 ? "1 item" : n + " items") + (done > 0 ? ", " + done + " done" : "");
  }

  private static String describe(List<Target> targets) {
    return String.join(", ", targets.stream().map(t -> t.item().spoken() + " on " + t.list().name()).toList());
  }

  private static boolean unitsMatch(String a, String b) {
    return a == null ? b == null : b != null && a.equalsIgnoreCase(b);
  }

  private static BigDecimal orOne(BigDecimal quantity) {
    return quantity == null ? BigDecimal.ONE : quantity;
  }

  private record Target(NamedList list, ListItem item) {}
}
