package dev.aide.list;

import dev.aide.platform.database.SqlStates;
import dev.aide.platform.error.DomainException;
import dev.aide.platform.input.Texts;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The rules of lists, shared by the REST API and the assistant's tools.
 *
 * <p>Names as people say them: the tools look a list up by the name said, ignoring case, a leading "my"/"the" and a
 * trailing "list", and a plural "s" ("packing list" finds "Packing"). Some names mean the same list: "grocery",
 * "groceries", "shopping" and "grocery shopping" are one family, and "to-do", "todo", "to do" and "tasks" another; a
 * name of a family finds an existing list of the same family. A new list keeps the name as said. The REST API takes
 * names literally, unique per person whatever the case.
 */
public final class ListService {

  public static final int MAX_NAME = 100;
  public static final int MAX_TEXT = 200;
  public static final int MAX_UNIT = 20;
  public static final int MAX_CATEGORY = 50;
  public static final int MAX_KIND = 30;
  /** Most items one reorder names. */
  public static final int MAX_ORDER = 1000;
  private static final BigDecimal MAX_QUANTITY = new BigDecimal("99999999999");
  private static final List<Set<String>> FAMILIES = List.of(
      Set.of("grocery", "groceries", "shopping", "grocery shopping", "food shopping"),
      Set.of("to-do", "todo", "to do", "to-dos", "todos", "to dos", "task", "tasks"));

  private final ListRepository lists;

  public ListService(ListRepository lists) {
    this.lists = lists;
  }

  public Future<NamedList> create(UUID userId, String name, String kind) {
    return Future.<Void>succeededFuture()
        .compose(v -> lists.insertList(userId, name(name), kind(kind)))
        .recover(e -> Future.failedFuture(SqlStates.isUniqueViolation(e)
            ? DomainException.conflict("you already have a list named " + name.strip()) : e));
  }

  public Future<List<NamedList>> all(UUID userId) {
    return lists.lists(userId);
  }

  public Future<NamedList> get(UUID userId, UUID id) {
    return lists.find(userId, id).map(found -> found.orElseThrow(() -> DomainException.notFound("list")));
  }

  public Future<NamedList> update(UUID userId, UUID id, String name, boolean kindSet, String kind) {
    return Future.<Void>succeededFuture()
        .compose(v -> lists.updateList(userId, id, name == null ? null : name(name), kindSet, kindSet ? kind(kind) : null))
        .recover(e -> Future.failedFuture(SqlStates.isUniqueViolation(e)
            ? DomainException.conflict("you already have a list named " + name.strip()) : e))
        .map(found -> found.orElseThrow(() -> DomainException.notFound("list")));
  }

  /** Whether the list was there to delete (it may have gone meanwhile). */
  public Future<Boolean> deleteList(UUID userId, UUID id) {
    return lists.deleteList(userId, id);
  }

  public Future<Void> delete(UUID userId, UUID id) {
    return lists.deleteList(userId, id).compose(deleted -> deleted
        ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("list")));
  }

  public Future<ListItem> addItem(UUID userId, UUID listId, ListRepository.NewItem item) {
    return Future.<Void>succeededFuture()
        .compose(v -> lists.insertItem(userId, listId, new ListRepository.NewItem(text(item.text()),
            quantity(item.quantity()), optional(item.unit(), "unit", MAX_UNIT),
            optional(item.category(), "category", MAX_CATEGORY))))
        .map(found -> found.orElseThrow(() -> DomainException.notFound("list")));
  }

  public Future<ListItem> updateItem(UUID userId, UUID listId, UUID itemId, ListRepository.ItemChanges c) {
    return Future.<Void>succeededFuture()
        .compose(v -> lists.updateItem(userId, listId, itemId, new ListRepository.ItemChanges(
            c.text() == null ? null : text(c.text()), c.quantitySet(), c.quantitySet() ? quantity(c.quantity()) : null,
            c.unitSet(), c.unitSet() ? optional(c.unit(), "unit", MAX_UNIT) : null,
            c.categorySet(), c.categorySet() ? optional(c.category(), "category", MAX_CATEGORY) : null, c.done())))
        .map(found -> found.orElseThrow(() -> DomainException.notFound("list item")));
  }

  /** The list with its items in the new order: those named first, as given (each once), the rest after them. */
  public Future<NamedList> reorder(UUID userId, UUID listId, List<UUID> itemIds) {
    if (itemIds.isEmpty() || itemIds.size() > MAX_ORDER) {
      return Future.failedFuture(DomainException.invalid("itemIds must hold 1 to " + MAX_ORDER + " item ids"));
    }
    if (new java.util.HashSet<>(itemIds).size() != itemIds.size()) {
      return Future.failedFuture(DomainException.invalid("itemIds must name each item once"));
    }
    return get(userId, listId)
        .compose(list -> lists.reorder(userId, listId, itemIds))
        .compose(done -> done ? get(userId, listId)
            : Future.failedFuture(DomainException.invalid("itemIds must be items of this list")));
  }

  public Future<Void> deleteItem(UUID userId, UUID listId, UUID itemId) {
    return lists.deleteItem(userId, listId, itemId).compose(deleted -> deleted
        ? Future.succeededFuture() : Future.failedFuture(DomainException.notFound("list item")));
  }

  public Future<Integer> deleteItems(UUID userId, UUID listId, List<UUID> itemIds) {
    return lists.deleteItems(userId, listId, itemIds);
  }

  public Future<Integer> markDone(UUID userId, UUID listId, List<UUID> itemIds) {
    return lists.markDone(userId, listId, itemIds, true);
  }

  /** The list a person means by the name they said (see the class comment), with its items. */
  public Future<Optional<NamedList>> findByName(UUID userId, String said) {
    String wanted = key(said);
    return lists.lists(userId).map(all -> all.stream().filter(l -> key(l.name()).equals(wanted)).findFirst()
        .or(() -> all.stream().filter(l -> singular(key(l.name())).equals(singular(wanted))).findFirst())
        .or(() -> family(wanted).flatMap(f -> all.stream().filter(l -> f.contains(key(l.name()))).findFirst())));
  }

  /** The list named so, created (with the name as said) when the person has none. */
  public Future<NamedList> findOrCreate(UUID userId, String said) {
    return findByName(userId, said).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> create(userId, spokenName(said), null)));
  }

  /** A name as said, without "my"/"the" before it or "list" after it: "my Shopping list" is "Shopping". */
  public static String spokenName(String said) {
    String s = said == null ? "" : said.strip().replaceAll("\\s+", " ");
    s = s.replaceFirst("(?i)^(my|the|our)\\s+", "").replaceFirst("(?i)\\s+list$", "").strip();
    return s;
  }

  static String key(String name) {
    return spokenName(name).toLowerCase(Locale.ROOT);
  }

  private static String singular(String key) {
    return key.endsWith("s") && key.length() > 3 ? key.substring(0, key.length() - 1) : key;
  }

  private static Optional<Set<String>> family(String key) {
    return FAMILIES.stream().filter(f -> f.contains(key)).findFirst();
  }

  static String text(String text) {
    return Texts.required(text, "text", MAX_TEXT);
  }

  static String unit(String unit) {
    return optional(unit, "unit", MAX_UNIT);
  }

  static String name(String name) {
    return Texts.required(name, "name", MAX_NAME);
  }

  private static String kind(String kind) {
    return optional(kind, "kind", MAX_KIND);
  }

  static BigDecimal quantity(BigDecimal quantity) {
    if (quantity == null) {
      return null;
    }
    if (quantity.signum() <= 0) {
      throw DomainException.invalid("quantity must be more than 0");
    }
    if (quantity.compareTo(MAX_QUANTITY) > 0) {
      throw DomainException.invalid("quantity is too large");
    }
    if (quantity.stripTrailingZeros().scale() > 3) {
      throw DomainException.invalid("quantity has at most 3 decimal places");
    }
    return ListItem.plain(quantity);
  }

  private static String optional(String value, String field, int max) {
    return Texts.optional(value, field, max);
  }
}
