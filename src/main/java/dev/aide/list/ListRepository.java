package dev.aide.list;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Lists and their items, always read and written for one user. */
public final class ListRepository {

  private static final String LIST_RETURNING = " returning id, user_id, name, kind, created_at,"
      + " (select timezone from users where id = user_id) as timezone";
  private static final String SELECT_LISTS = """
      select l.id, l.user_id, l.name, l.kind, l.created_at, u.timezone
      from lists l join users u on u.id = l.user_id
      """;
  private static final String ITEM_COLUMNS = "id, list_id, text, quantity, unit, category, done, position";
  private static final String INSERT_LIST = "insert into lists (user_id, name, kind) values ($1, $2, $3)" + LIST_RETURNING;
  private static final String LISTS = SELECT_LISTS + " where l.user_id = $1 order by l.created_at, l.id";
  private static final String LIST_BY_ID = SELECT_LISTS + " where l.user_id = $1 and l.id = $2";
  private static final String ITEMS_OF_USER = "select " + ITEM_COLUMNS
      + " from list_items where user_id = $1 order by list_id, position, created_at";
  private static final String ITEMS_OF_LIST = "select " + ITEM_COLUMNS
      + " from list_items where user_id = $1 and list_id = $2 order by position, created_at";
  private static final String UPDATE_LIST = """
      update lists set
        name = coalesce($3, name),
        kind = case when $4 then $5 else kind end,
        updated_at = now()
      where user_id = $1 and id = $2""" + LIST_RETURNING;
  private static final String DELETE_LIST = "delete from lists where user_id = $1 and id = $2";
  /** Inserts only into a list of this user: no row back means no such list. */
  private static final String INSERT_ITEM = """
      insert into list_items (list_id, user_id, text, quantity, unit, category, position)
      select l.id, l.user_id, $3, $4, $5, $6,
             coalesce((select max(position) from list_items i where i.list_id = l.id), 0) + 1
      from lists l where l.user_id = $1 and l.id = $2
      returning\s""" + ITEM_COLUMNS;
  private static final String UPDATE_ITEM = """
      update list_items set
        text = coalesce($4, text),
        quantity = case when $5 then $6 else quantity end,
        unit = case when $7 then $8 else unit end,
        category = case when $9 then $10 else category end,
        done = coalesce($11, done),
        updated_at = now()
      where user_id = $1 and list_id = $2 and id = $3
      returning\s""" + ITEM_COLUMNS;
  private static final String DELETE_ITEM = "delete from list_items where user_id = $1 and list_id = $2 and id = $3";
  // Each item named takes its place in the order given; the list's other items keep theirs, after them.
  private static final String REORDER = """
      update list_items i set position = case when o.ord is null then $4 + i.position else o.ord end
      from list_items x left join unnest($3::uuid[]) with ordinality as o(id, ord) on o.id = x.id
      where x.id = i.id and i.user_id = $1 and i.list_id = $2""";
  private static final String ITEMS_OF = "select count(*) as n from list_items where user_id = $1 and list_id = $2 and id = any($3)";
  private static final String DELETE_ITEMS = "delete from list_items where user_id = $1 and list_id = $2 and id = any($3)";
  private static final String MARK_DONE = """
      update list_items set done = $4, updated_at = now()
      where user_id = $1 and list_id = $2 and id = any($3)""";

  private final Pool pool;

  public ListRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<NamedList> insertList(UUID userId, String name, String kind) {
    return pool.preparedQuery(INSERT_LIST).execute(Tuple.of(userId, name, kind))
        .map(rows -> toList(rows.iterator().next()));
  }

  /** The user's lists, each with its items. */
  public Future<List<NamedList>> lists(UUID userId) {
    return pool.preparedQuery(LISTS).execute(Tuple.of(userId)).compose(listRows ->
        pool.preparedQuery(ITEMS_OF_USER).execute(Tuple.of(userId)).map(itemRows -> {
          Map<UUID, List<ListItem>> byList = new LinkedHashMap<>();
          itemRows.forEach(row -> {
            ListItem item = toItem(row);
            byList.computeIfAbsent(item.listId(), k -> new ArrayList<>()).add(item);
          });
          List<NamedList> out = new ArrayList<>();
          listRows.forEach(row -> {
            NamedList list = toList(row);
            out.add(list.withItems(byList.getOrDefault(list.id(), List.of())));
          });
          return out;
        }));
  }

  public Future<Optional<NamedList>> find(UUID userId, UUID id) {
    return pool.preparedQuery(LIST_BY_ID).execute(Tuple.of(userId, id)).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        return Future.succeededFuture(Optional.empty());
      }
      NamedList list = toList(rows.iterator().next());
      return items(userId, id).map(items -> Optional.of(list.withItems(items)));
    });
  }

  private Future<List<ListItem>> items(UUID userId, UUID listId) {
    return pool.preparedQuery(ITEMS_OF_LIST).execute(Tuple.of(userId, listId)).map(rows -> {
      List<ListItem> items = new ArrayList<>(rows.size());
      rows.forEach(row -> items.add(toItem(row)));
      return items;
    });
  }

  public Future<Optional<NamedList>> updateList(UUID userId, UUID id, String name, boolean kindSet, String kind) {
    return pool.preparedQuery(UPDATE_LIST).execute(Tuple.of(userId, id, name, kindSet, kind)).compose(rows -> rows
        .iterator().hasNext() ? find(userId, id) : Future.succeededFuture(Optional.empty()));
  }

  public Future<Boolean> deleteList(UUID userId, UUID id) {
    return pool.preparedQuery(DELETE_LIST).execute(Tuple.of(userId, id)).map(rows -> rows.rowCount() == 1);
  }

  public Future<Optional<ListItem>> insertItem(UUID userId, UUID listId, NewItem item) {
    return pool.preparedQuery(INSERT_ITEM)
        .execute(Tuple.from(new Object[] {userId, listId, item.text(), item.quantity(), item.unit(), item.category()}))
        .map(ListRepository::firstItem);
  }

  public Future<Optional<ListItem>> updateItem(UUID userId, UUID listId, UUID itemId, ItemChanges c) {
    return pool.preparedQuery(UPDATE_ITEM)
        .execute(Tuple.from(new Object[] {userId, listId, itemId, c.text(), c.quantitySet(), c.quantity(), c.unitSet(),
            c.unit(), c.categorySet(), c.category(), c.done()}))
        .map(ListRepository::firstItem);
  }

  /**
   * Puts the named items of a list first, in the order given, the others after them in their order; one transaction.
   * False (and nothing changed) when an id is not an item of that list of that person.
   */
  public Future<Boolean> reorder(UUID userId, UUID listId, List<UUID> itemIds) {
    UUID[] ids = itemIds.toArray(UUID[]::new);
    return pool.withTransaction(tx -> tx.preparedQuery(ITEMS_OF).execute(Tuple.of(userId, listId, ids))
        .compose(rows -> rows.iterator().next().getLong("n") != ids.length ? Future.succeededFuture(false)
            : tx.preparedQuery(REORDER).execute(Tuple.of(userId, listId, ids, ids.length)).map(true)));
  }

  public Future<Boolean> deleteItem(UUID userId, UUID listId, UUID itemId) {
    return pool.preparedQuery(DELETE_ITEM).execute(Tuple.of(userId, listId, itemId)).map(rows -> rows.rowCount() == 1);
  }

  public Future<Integer> deleteItems(UUID userId, UUID listId, List<UUID> itemIds) {
    return pool.preparedQuery(DELETE_ITEMS).execute(Tuple.tuple().addValue(userId).addValue(listId).addValue(itemIds.toArray(UUID[]::new)))
        .map(RowSet::rowCount);
  }

  public Future<Integer> markDone(UUID userId, UUID listId, List<UUID> itemIds, boolean done) {
    return pool.preparedQuery(MARK_DONE).execute(Tuple.tuple().addValue(userId).addValue(listId)
        .addValue(itemIds.toArray(UUID[]::new)).addValue(done))
        .map(RowSet::rowCount);
  }

  private static Optional<ListItem> firstItem(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toItem(it.next())) : Optional.empty();
  }

  private static NamedList toList(Row row) {
    ZoneId zone = ZoneId.of(row.getString("timezone"));
    return new NamedList(row.getUUID("id"), row.getUUID("user_id"), row.getString("name"), row.getString("kind"),
        row.getOffsetDateTime("created_at").atZoneSameInstant(zone).toOffsetDateTime(), List.of());
  }

  private static ListItem toItem(Row row) {
    BigDecimal quantity = row.getBigDecimal("quantity");
    return new ListItem(row.getUUID("id"), row.getUUID("list_id"), row.getString("text"),
        quantity == null ? null : ListItem.plain(quantity), row.getString("unit"), row.getString("category"),
        row.getBoolean("done"), row.getInteger("position"));
  }

  /** An item to add. */
  public record NewItem(String text, BigDecimal quantity, String unit, String category) {}

  /** A partial update of an item; the *Set flags let nullable fields be emptied. */
  public record ItemChanges(String text, boolean quantitySet, BigDecimal quantity, boolean unitSet, String unit,
                            boolean categorySet, String category, Boolean done) {}
}
