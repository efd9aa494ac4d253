package dev.aide.list;

import dev.aide.conversation.Confirmations;
import dev.aide.conversation.Confirmations.Effect;
import dev.aide.conversation.Confirmations.Proposal;
import dev.aide.conversation.ConversationKey;
import dev.aide.conversation.Quoted;
import dev.aide.conversation.ToolResults;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The assistant's list tools: lists are named as the person says them; answers are short facts. */
public final class ListTools {

  /** One thing to put on a list, as the model passes it. */
  public record ItemInput(String text, BigDecimal quantity, String unit) {}

  private final ListService lists;
  /** What a list (with its items) is called in the undo journal. */
  private static final String UNDO_KIND = "list";

  private final Confirmations confirmations;

  public ListTools(ListService lists, Confirmations confirmations) {
    this.lists = lists;
    this.confirmations = confirmations;
    confirmations.handle("addToList", this::add);
    confirmations.handle("checkOffItems", this::checkOff);
    confirmations.handle("removeFromList", this::remove);
    confirmations.handle("clearList", this::remove);
    confirmations.handle("deleteList", this::deleteWhole);
    confirmations.handle("createList", this::createNamed);
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
      JsonArray wanted = new JsonArray();
      for (ItemInput item : items) {
        if (item == null) {
          return "Error: an item is empty.";
        }
        ListService.text(item.text());
        ListService.quantity(item.quantity());
        ListService.unit(item.unit());
        wanted.add(new JsonObject().put("text", item.text())
            .put("quantity", item.quantity() == null ? null : item.quantity().toPlainString())
            .put("unit", item.unit() == null || item.unit().isBlank() ? null : item.unit().strip()));
      }
      if (listName == null || ListService.spokenName(listName).isBlank()) {
        return "Error: say which list to add to.";
      }
      String what = "add " + String.join(", ", items.stream().map(i -> spoken(i.quantity(), i.unit(), i.text())).toList())
          + " to " + Quoted.of(ListService.spokenName(listName));
      return confirmations.act(key, Proposal.of("addToList", Effect.CHANGE, 1,
          new JsonObject().put("listName", listName).put("items", wanted), what));
    });
  }

  @Tool(name = "showList", value = "Show the items of one of the user's lists")
  public String showList(@ToolMemoryId ConversationKey key, @P("the list's name as the user said it") String listName) {
    Optional<NamedList> found = lists.findByName(key.userId(), listName).await();
    if (found.isEmpty()) {
      return noSuchList(key, listName);
    }
    NamedList list = found.get();
    if (list.items().isEmpty()) {
      return "Your " + name(list) + " list is empty.";
    }
    StringBuilder out = new StringBuilder(name(list)).append(" (").append(summary(list)).append("):");
    list.items().forEach(i -> out.append("\n- ").append(spoken(i)).append(i.done() ? " (done)" : ""));
    return out.toString();
  }

  @Tool(name = "checkOffItems", value = "Mark items of a list as done (bought, packed, finished). Checking off more "
      + "than one is confirmed by the user: Aide asks them itself")
  public String checkOffItems(
      @ToolMemoryId ConversationKey key,
      @P(value = "the list's name; leave out to look for the items on every list", required = false) String listName,
      @P("the items' texts, e.g. ['milk']") List<String> items) {
    if (items == null || items.isEmpty()) {
      return "Error: say which items to check off.";
    }
    List<NamedList> candidates;
    if (listName == null || listName.isBlank()) {
      candidates = lists.all(key.userId()).await();
    } else {
      Optional<NamedList> found = lists.findByName(key.userId(), listName).await();
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
        return "Error: " + Quoted.of(text) + " is not an open item on " + (candidates.size() == 1
            ? "your " + name(candidates.get(0)) + " list" : "any of your lists") + ". Nothing was checked off.";
      }
      if (matches.size() > 1) {
        return "Error: " + Quoted.of(text) + " is on several lists (" + String.join(", ",
            matches.stream().map(t -> name(t.list())).toList()) + "). Ask which one. Nothing was checked off.";
      }
      targets.add(matches.get(0));
    }
    return ToolResults.attempt(() -> confirmations.act(key, Proposal.of("checkOffItems", Effect.CHANGE,
        targets.size(), targetsJson(targets), "check off " + describe(targets))));
  }

  @Tool(name = "removeFromList", value = "Remove items from one of the user's lists; with no list named, from the "
      + "one list that holds them. Removing more than one is confirmed by the user: Aide asks them itself")
  public String removeFromList(
      @ToolMemoryId ConversationKey key,
      @P(value = "the list's name as the user said it; leave out when the user did not say", required = false)
      String listName,
      @P("the items' texts, e.g. ['bananas']") List<String> items) {
    if (items == null || items.isEmpty()) {
      return "Error: say which items to remove.";
    }
    boolean named = listName != null && !ListService.spokenName(listName).isBlank();
    Optional<NamedList> found = named ? lists.findByName(key.userId(), listName).await() : Optional.empty();
    if (named && found.isEmpty()) {
      return noSuchList(key, listName);
    }
    if (!named) {
      List<String> wanted = items.stream().filter(Objects::nonNull).toList();
      List<NamedList> holding = lists.all(key.userId()).await().stream()
          .filter(l -> wanted.stream().allMatch(text -> l.items().stream().anyMatch(i -> i.sameThing(text)))).toList();
      if (holding.size() != 1) {
        String said = String.join(", ", wanted.stream().map(Quoted::of).toList());
        return holding.isEmpty() ? "Error: no list of yours holds " + said + ". Nothing was removed."
            : "Error: " + said + " is on several lists (" + String.join(", ", holding.stream().map(ListTools::name).toList())
                + "); say which. Nothing was removed.";
      }
      found = Optional.of(holding.get(0));
    }
    NamedList list = found.get();
    List<ListItem> targets = new ArrayList<>();
    for (String text : items.stream().filter(Objects::nonNull).distinct().toList()) {
      Optional<ListItem> item = list.items().stream().filter(i -> i.sameThing(text)).findFirst();
      if (item.isEmpty()) {
        return "Error: " + Quoted.of(text) + " is not on your " + name(list) + " list. Nothing was removed.";
      }
      if (!targets.contains(item.get())) {
        targets.add(item.get());
      }
    }
    String what = targets.size() == 1 ? "remove " + names(targets) + " from " + name(list)
        : "remove " + targets.size() + " items from " + name(list) + " (" + names(targets) + ")";
    return ToolResults.attempt(() -> confirmations.act(key,
        Proposal.of("removeFromList", Effect.REMOVE, targets.size(), itemsJson(list, targets, "Removed from " + name(list) + ": "), what)));
  }

  @Tool(name = "clearList", value = "Delete the items of one of the user's lists: all of them, or only the done ones. "
      + "Aide asks the user to confirm it itself")
  public String clearList(
      @ToolMemoryId ConversationKey key,
      @P("the list's name as the user said it") String listName,
      @P(value = "true to delete only the items marked done", required = false) Boolean onlyDone) {
    Optional<NamedList> found = lists.findByName(key.userId(), listName).await();
    if (found.isEmpty()) {
      return noSuchList(key, listName);
    }
    NamedList list = found.get();
    boolean done = Boolean.TRUE.equals(onlyDone);
    List<ListItem> targets = list.items().stream().filter(i -> !done || i.done()).toList();
    String what = done ? "done items" : "items";
    if (targets.isEmpty()) {
      return "There are no " + what + " on your " + name(list) + " list.";
    }
    Proposal proposal = Proposal.of("clearList", Effect.REMOVE, targets.size(),
        itemsJson(list, targets, "Cleared " + (targets.size() == 1 ? "1 item" : targets.size() + " items") + " from "
            + name(list) + ": "), "delete " + (targets.size() == 1 ? "1 " + what.replace("items", "item")
            : targets.size() + " " + what) + " from " + name(list) + " (" + names(targets) + ")");
    return ToolResults.attempt(() -> confirmations.act(key, done ? proposal : proposal.everything()));
  }

  @Tool(name = "createList", value = "Create an empty list for the user (addToList creates one too, with its first "
      + "items)")
  public String createList(@ToolMemoryId ConversationKey key,
                           @P("the list's name as the user said it, e.g. 'school supplies'") String listName) {
    if (listName == null || ListService.spokenName(listName).isBlank()) {
      return "Error: say what the list is called.";
    }
    Optional<NamedList> existing = lists.findByName(key.userId(), listName).await();
    if (existing.isPresent()) {
      return "You already have the list " + name(existing.get()) + " (" + summary(existing.get()) + ").";
    }
    return ToolResults.attempt(() -> {
      ListService.name(ListService.spokenName(listName));   // a name that could not be stored is refused before anything
      return confirmations.act(key, Proposal.of("createList", Effect.CHANGE, 1, new JsonObject().put("listName", listName),
          "create the list " + Quoted.of(ListService.spokenName(listName))));
    });
  }

  private String createNamed(ConversationKey key, JsonObject t) {
    boolean existed = lists.findByName(key.userId(), t.getString("listName")).await().isPresent();
    NamedList list = lists.findOrCreate(key.userId(), t.getString("listName")).await();
    if (!existed) {
      confirmations.created(key, UNDO_KIND, list.id());
    }
    return "Created the list " + name(list) + "; add to it with \"add … to my " + list.name() + " list\".";
  }

  @Tool(name = "deleteList", value = "Delete one of the user's lists itself, with its items (to empty a list and keep "
      + "it, use clearList). Always confirmed by the user: Aide asks them itself")
  public String deleteList(@ToolMemoryId ConversationKey key,
                           @P("the list's name as the user said it") String listName) {
    Optional<NamedList> found = lists.findByName(key.userId(), listName).await();
    if (found.isEmpty()) {
      return noSuchList(key, listName);
    }
    NamedList list = found.get();
    int items = list.items().size();
    return ToolResults.attempt(() -> confirmations.act(key, Proposal.of("deleteList", Effect.REMOVE, Math.max(1, items),
        new JsonObject().put("listId", list.id().toString()).put("name", list.name()),
        "delete the list " + name(list) + (items == 0 ? " (it is empty)" : items == 1 ? " and its item" : " and its "
            + items + " items")).everything()));
  }

  private String deleteWhole(ConversationKey key, JsonObject t) {
    confirmations.touching(key, UNDO_KIND, t.getString("listId"));
    boolean deleted = lists.deleteList(key.userId(), UUID.fromString(t.getString("listId"))).await();
    return deleted ? "Deleted the list " + Quoted.of(t.getString("name")) + "."
        : "The list " + Quoted.of(t.getString("name")) + " had already gone.";
  }

  private String add(ConversationKey key, JsonObject t) {
    String listName = t.getString("listName");
    List<ItemInput> items = t.getJsonArray("items").stream().map(o -> (JsonObject) o)
        .map(o -> new ItemInput(o.getString("text"),
            o.getString("quantity") == null ? null : new BigDecimal(o.getString("quantity")), o.getString("unit")))
        .toList();
    Optional<NamedList> existing = lists.findByName(key.userId(), listName).await();
    existing.ifPresent(l -> confirmations.touching(key, UNDO_KIND, l.id()));
    NamedList list = existing.orElseGet(() -> lists.findOrCreate(key.userId(), listName).await());
    if (existing.isEmpty()) {
      confirmations.created(key, UNDO_KIND, list.id());
    }
    List<ListItem> current = new ArrayList<>(list.items());
    List<String> added = new ArrayList<>();
    for (ItemInput in : items) {
      String unit = in.unit();
      Optional<ListItem> same = current.stream()
          .filter(i -> !i.done() && i.sameThing(in.text()) && unitsMatch(i.unit(), unit)).findFirst();
      if (same.isPresent()) {
        ListItem old = same.get();
        if (old.quantity() == null && in.quantity() == null) {
          added.add(spoken(old) + " (already there)");
          continue;
        }
        BigDecimal sum = orOne(old.quantity()).add(orOne(in.quantity()));
        ListItem merged = lists.updateItem(key.userId(), list.id(), old.id(),
            new ListRepository.ItemChanges(null, true, sum, false, null, false, null, null)).await();
        current.set(current.indexOf(old), merged);
        added.add(Quoted.of(old.text()) + " (now " + spoken(merged) + ")");
      } else {
        ListItem item = lists.addItem(key.userId(), list.id(),
            new ListRepository.NewItem(in.text(), in.quantity(), unit, null)).await();
        current.add(item);
        added.add(spoken(item));
      }
    }
    return (existing.isEmpty() ? "Created the list " + name(list) + ". " : "")
        + "Added to " + name(list) + ": " + String.join(", ", added) + ".";
  }

  private String checkOff(ConversationKey key, JsonObject t) {
    Map<UUID, List<UUID>> byList = new LinkedHashMap<>();
    t.getJsonArray("items").stream().map(o -> (JsonObject) o).forEach(o -> byList
        .computeIfAbsent(UUID.fromString(o.getString("listId")), k -> new ArrayList<>())
        .add(UUID.fromString(o.getString("itemId"))));
    byList.keySet().forEach(listId -> confirmations.touching(key, UNDO_KIND, listId));
    byList.forEach((listId, ids) -> lists.markDone(key.userId(), listId, ids).await());
    return "Checked off " + t.getString("spoken") + ".";
  }

  private String remove(ConversationKey key, JsonObject t) {
    List<UUID> ids = t.getJsonArray("itemIds").stream().map(o -> UUID.fromString((String) o)).toList();
    confirmations.touching(key, UNDO_KIND, t.getString("listId"));
    int removed = lists.deleteItems(key.userId(), UUID.fromString(t.getString("listId")), ids).await();
    String gone = removed < ids.size() ? " (" + (ids.size() - removed) + " had already gone)" : "";
    return t.getString("done") + t.getString("spoken") + gone + ".";
  }

  private static JsonObject targetsJson(List<Target> targets) {
    return new JsonObject().put("items", new JsonArray(targets.stream().map(x -> new JsonObject()
            .put("listId", x.list().id().toString()).put("itemId", x.item().id().toString())).toList()))
        .put("spoken", describe(targets));
  }

  /** The items to remove, and how the answer begins once they are gone ("Removed from «grocery»: "). */
  private static JsonObject itemsJson(NamedList list, List<ListItem> items, String done) {
    return new JsonObject().put("listId", list.id().toString())
        .put("itemIds", new JsonArray(items.stream().map(i -> i.id().toString()).toList()))
        .put("spoken", names(items)).put("done", done);
  }

  @Tool(name = "listLists", value = "List the user's lists with how many items each has; one list is shown with its items")
  public String listLists(@ToolMemoryId ConversationKey key) {
    List<NamedList> all = lists.all(key.userId()).await();
    if (all.isEmpty()) {
      return "You have no lists yet.";
    }
    if (all.size() == 1) {
      return showList(key, all.get(0).name());
    }
    StringBuilder out = new StringBuilder("Your lists:");
    all.forEach(l -> out.append("\n- ").append(name(l)).append(" (").append(summary(l)).append(')'));
    return out.toString();
  }

  private String noSuchList(ConversationKey key, String listName) {
    List<NamedList> all = lists.all(key.userId()).await();
    return "You have no list called " + Quoted.of(ListService.spokenName(listName == null ? "" : listName)) + "."
        + (all.isEmpty() ? "" : " Your lists: " + String.join(", ", all.stream().map(ListTools::name).toList()) + ".");
  }

  /** A list's name as the model reads it: stored text, quoted. */
  private static String name(NamedList list) {
    return Quoted.of(list.name());
  }

  /** "2 kg «apples»": the item's own words quoted, its quantity and unit as they are. */
  private static String spoken(ListItem item) {
    return spoken(item.quantity() == null ? null : ListItem.plain(item.quantity()), item.unit(), item.text());
  }

  private static String spoken(BigDecimal quantity, String unit, String text) {
    return quantity == null ? Quoted.of(text)
        : quantity.toPlainString() + " " + (unit == null || unit.isBlank() ? "" : Quoted.neutralised(unit.strip()) + " ")
            + Quoted.of(text);
  }

  private static String names(List<ListItem> items) {
    return String.join(", ", items.stream().map(ListTools::spoken).toList());
  }

  private static String summary(NamedList list) {
    long done = list.items().stream().filter(ListItem::done).count();
    int n = list.items().size();
    return (n == 1 ? "1 item" : n + " items") + (done > 0 ? ", " + done + " done" : "");
  }

  private static String describe(List<Target> targets) {
    return String.join(", ", targets.stream().map(t -> spoken(t.item()) + " on " + name(t.list())).toList());
  }

  private static boolean unitsMatch(String a, String b) {
    return a == null ? b == null : b != null && a.equalsIgnoreCase(b);
  }

  private static BigDecimal orOne(BigDecimal quantity) {
    return quantity == null ? BigDecimal.ONE : quantity;
  }

  private record Target(NamedList list, ListItem item) {}
}
