package dev.aide.note;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Notes, always read and written for one user; instants come back in that user's timezone. */
public final class NoteRepository {

  private static final String COLUMNS = "id, user_id, title, content, tags, created_at, updated_at";
  private static final String RETURNING = " returning " + COLUMNS
      + ", (select timezone from users where id = user_id) as timezone";
  private static final String SELECT = """
      select n.id, n.user_id, n.title, n.content, n.tags, n.created_at, n.updated_at, u.timezone
      from notes n join users u on u.id = n.user_id
      """;
  private static final String INSERT = "insert into notes (user_id, title, content, tags, source_message_id)"
      + " values ($1, $2, $3, $4, $5)" + RETURNING;
  private static final String BY_ID = SELECT + " where n.user_id = $1 and n.id = $2";
  /** With a query: matches only, best rank first (websearch syntax: "quoted phrases", or, -not); else newest first. */
  private static final String LIST = SELECT + """
       where n.user_id = $1
         and ($2::text is null or n.search @@ websearch_to_tsquery('english', $2))
         and ($3::text is null or $3 = any(n.tags))
       order by case when $2::text is null then 0
                     else ts_rank_cd(n.search, websearch_to_tsquery('english', $2)) end desc,
                n.updated_at desc, n.id
       limit $4
      """;
  private static final String UPDATE = """
      update notes set
        title = case when $3 then $4 else title end,
        content = coalesce($5, content),
        tags = coalesce($6, tags),
        updated_at = now()
      where user_id = $1 and id = $2""" + RETURNING;
  private static final String DELETE = "delete from notes where user_id = $1 and id = $2";
  private static final String DELETE_MANY = "delete from notes where user_id = $1 and id = any($2) returning id";

  private final Pool pool;

  public NoteRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Note> insert(UUID userId, String title, String content, List<String> tags, UUID sourceMessageId) {
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(userId, title, content, tags.toArray(String[]::new), sourceMessageId))
        .map(rows -> toNote(rows.iterator().next()));
  }

  public Future<Optional<Note>> find(UUID userId, UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(userId, id)).map(NoteRepository::first);
  }

  public Future<List<Note>> list(UUID userId, String query, String tag, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(userId, query, tag, limit)).map(NoteRepository::all);
  }

  /** Changes the given fields; a null leaves a field as it is, except title, which titleSet can set to null. */
  public Future<Optional<Note>> update(UUID userId, UUID id, Changes changes) {
    return pool.preparedQuery(UPDATE)
        .execute(Tuple.from(new Object[] {userId, id, changes.titleSet(), changes.title(), changes.content(),
            changes.tags() == null ? null : changes.tags().toArray(String[]::new)}))
        .map(NoteRepository::first);
  }

  public Future<Boolean> delete(UUID userId, UUID id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(userId, id)).map(rows -> rows.rowCount() == 1);
  }

  /** Deletes those of the ids that are the user's; answers how many went. */
  public Future<Integer> deleteAll(UUID userId, List<UUID> ids) {
    return pool.preparedQuery(DELETE_MANY)
        .execute(Tuple.tuple().addValue(userId).addValue(ids.toArray(UUID[]::new))).map(RowSet::rowCount);
  }

  private static Optional<Note> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toNote(it.next())) : Optional.empty();
  }

  private static List<Note> all(RowSet<Row> rows) {
    List<Note> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(toNote(row)));
    return list;
  }

  private static Note toNote(Row row) {
    ZoneId zone = ZoneId.of(row.getString("timezone"));
    return new Note(row.getUUID("id"), row.getUUID("user_id"), row.getString("title"), row.getString("content"),
        List.copyOf(Arrays.asList(row.getArrayOfStrings("tags"))), inZone(row.getOffsetDateTime("created_at"), zone),
        inZone(row.getOffsetDateTime("updated_at"), zone));
  }

  private static OffsetDateTime inZone(OffsetDateTime instant, ZoneId zone) {
    return instant.atZoneSameInstant(zone).toOffsetDateTime();
  }

  /** A partial update. */
  public record Changes(boolean titleSet, String title, String content, List<String> tags) {}
}
