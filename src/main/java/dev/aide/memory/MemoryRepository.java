package dev.aide.memory;

import dev.aide.embedding.EmbeddingRepository;
import dev.aide.embedding.Vectors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Memories and their vectors, and the one retrieval over memories and past messages that the API and the assistant
 * share. Always for one user, whose id is inside every query. The vector statements are built for one embedding model
 * (its name and dimension are literals in the SQL text, so the planner can use the model's partial HNSW index).
 */
public final class MemoryRepository {

  /** Reciprocal-rank fusion's constant: a result's share is 1 / (K + its rank) in each ranking it appears in. */
  static final int RRF_K = 60;

  private static final String SUPERSEDE = """
      update memories set superseded_by = $2, updated_at = now()
      where user_id = $1 and id <> $2 and superseded_by is null and lower(content) like $3
      """;
  /** One named memory replaced, only while it is still current: a memory changed meanwhile is not replaced twice. */
  private static final String REPLACE = """
      update memories set superseded_by = $3, updated_at = now()
      where user_id = $1 and id = $2 and superseded_by is null
      """;
  private static final String COLUMNS = """
      m.id, m.user_id, m.content, m.type, m.tags, m.importance, m.source, m.external_id, m.speaker, m.occurred_at,
      m.superseded_by, m.created_at, m.updated_at, (select timezone from users u where u.id = m.user_id) as timezone
      """;
  private static final String INSERT = """
      insert into memories as m (user_id, content, type, tags, importance, source, source_message_id, external_id,
        speaker, occurred_at)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      returning""" + " " + COLUMNS;
  private static final String BY_ID = "select " + COLUMNS + " from memories m where m.user_id = $1 and m.id = $2";
  private static final String LIST = "select " + COLUMNS + """
       from memories m
      where m.user_id = $1
        and ($2::text is null or m.type = $2)
        and ($3 or m.superseded_by is null)
        and ($4::text is null or m.search @@ websearch_to_tsquery('english', $4))
      order by m.updated_at desc, m.id
      limit $5
      """;
  private static final String UPDATE = """
      update memories as m set
        content = coalesce($3, content),
        type = coalesce($4, type),
        tags = coalesce($5, tags),
        importance = coalesce($6, importance),
        updated_at = now()
      where m.user_id = $1 and m.id = $2
      returning""" + " " + COLUMNS;
  private static final String DELETE_MANY = "delete from memories where user_id = $1 and id = any($2) returning id";
  private static final String IMPORT = """
      insert into memories as m (id, user_id, content, type, source, speaker, occurred_at, external_id)
      select t.id, $1, t.content, 'other', 'import', t.speaker, t.occurred_at, t.external_id
      from unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
        as t(id, content, speaker, occurred_at, external_id)
      on conflict (user_id, external_id) where external_id is not null do update
        set content = excluded.content, speaker = excluded.speaker, occurred_at = excluded.occurred_at,
            superseded_by = null, updated_at = now()
        where (m.content, m.speaker, m.occurred_at) is distinct from
              (excluded.content, excluded.speaker, excluded.occurred_at)
      returning m.id, m.external_id
      """;

  private static final String PUT_MEMORY_VECTORS = """
      insert into memory_vectors (memory_id, model, user_id, vector)
      select m.id, %s, m.user_id, t.v::vector from unnest($1::uuid[], $2::text[]) as t(id, v)
      join memories m on m.id = t.id and m.superseded_by is null
      on conflict (memory_id, model) do nothing
      """;

  private final Pool pool;
  private final String model;
  private final String unindexedMessages;
  private final String putMessageVectors;
  private final String unindexedMemories;
  private final String putVectors;
  private final String nearest;
  private final String search;
  private final String meaning;

  public MemoryRepository(Pool pool, String model, int dimension) {
    this.pool = pool;
    this.model = EmbeddingRepository.checkedModel(model);
    String m = "'" + this.model + "'";
    String v = "vector::vector(" + dimension + ")";
    String q = "$2::vector(" + dimension + ")";
    this.unindexedMessages = """
        select m.id, m.user_id, m.content from messages m
        where m.role = 'user' and not exists (
          select 1 from message_vectors v where v.message_id = m.id and v.model = %s)
        order by m.created_at desc limit $1
        """.formatted(m);
    this.putMessageVectors = """
        insert into message_vectors (message_id, model, user_id, vector)
        select m.id, %s, m.user_id, t.v::vector from unnest($1::uuid[], $2::text[]) as t(id, v)
        join messages m on m.id = t.id
        on conflict (message_id, model) do nothing
        """.formatted(m);
    this.unindexedMemories = """
        select m.id, m.user_id, case when m.speaker is null then m.content else m.speaker || ': ' || m.content end
          as content
        from memories m
        where m.superseded_by is null and not exists (
          select 1 from memory_vectors v where v.memory_id = m.id and v.model = %s)
        order by m.created_at desc limit $1
        """.formatted(m);
    this.putVectors = """
        insert into memory_vectors (memory_id, model, user_id, vector)
        select t.id, %s, $1, t.v::vector from unnest($2::uuid[], $3::text[]) as t(id, v)
        on conflict (memory_id, model) do update set vector = excluded.vector, created_at = now()
        """.formatted(m);
    this.nearest = """
        select %s, n.distance from (
          select memory_id, %s <=> %s as distance from memory_vectors
          where model = %s and user_id = $1 order by %s <=> %s limit $3) n
        join memories m on m.id = n.memory_id and m.user_id = $1 and m.superseded_by is null
        order by n.distance
        """.formatted(COLUMNS, v, q, m, v, q);
    this.meaning = """
        select memory_id as id, %s <=> %s as distance from memory_vectors
        where model = %s and user_id = $1 order by %s <=> %s limit $3
        """.formatted(v, q, m, v, q);
    this.search = """
        with memory_meaning as materialized (
          select memory_id as id, %1$s <=> %2$s as distance from memory_vectors
          where model = %3$s and user_id = $1 order by %1$s <=> %2$s limit $4),
        message_meaning as materialized (
          select message_id as id, %1$s <=> %2$s as distance from message_vectors
          where model = %3$s and user_id = $1 order by %1$s <=> %2$s limit $4),
        chunk_meaning as materialized (
          select chunk_id as id, %1$s <=> %2$s as distance from chunk_vectors
          where model = %3$s and user_id = $1 order by %1$s <=> %2$s limit $4),
        terms as (
          select distinct lexeme::tsquery as t
          from unnest(tsvector_to_array(to_tsvector('english', $3))) as lexeme),
        any_term as (select coalesce(string_agg(t::text, ' | '), '')::tsquery as q from terms),
        memory_count as (
          select greatest(count(*), 1)::float8 as n from memories where user_id = $1 and superseded_by is null),
        memory_terms as materialized (
          select t, ln((select n from memory_count) / (1 + (select count(*) from memories m
            where m.user_id = $1 and m.superseded_by is null and m.search @@ terms.t))) + 1 as idf from terms),
        memory_words as (
          select m.id, (select sum(mt.idf) from memory_terms mt where m.search @@ mt.t) as rank
          from memories m, any_term
          where m.user_id = $1 and m.superseded_by is null and m.search @@ any_term.q
          order by rank desc limit $4),
        message_count as (
          select greatest(count(*), 1)::float8 as n from messages where user_id = $1 and role = 'user'),
        message_terms as materialized (
          select t, ln((select n from message_count) / (1 + (select count(*) from messages m
            where m.user_id = $1 and m.role = 'user' and m.search @@ terms.t))) + 1 as idf from terms),
        message_words as (
          select m.id, (select sum(mt.idf) from message_terms mt where m.search @@ mt.t) as rank
          from messages m, any_term
          where m.user_id = $1 and m.role = 'user' and m.search @@ any_term.q
          order by rank desc limit $4),
        chunk_count as (
          select greatest(count(*), 1)::float8 as n from document_chunks where user_id = $1),
        chunk_terms as materialized (
          select t, ln((select n from chunk_count) / (1 + (select count(*) from document_chunks c
            where c.user_id = $1 and c.search @@ terms.t))) + 1 as idf from terms),
        chunk_words as (
          select c.id, (select sum(ct.idf) from chunk_terms ct where c.search @@ ct.t) as rank
          from document_chunks c, any_term
          where c.user_id = $1 and c.search @@ any_term.q
          order by rank desc limit $4),
        ranked as (
          select 'memory' as kind, id, row_number() over (order by distance) as r from memory_meaning
          union all select 'memory', id, row_number() over (order by rank desc) from memory_words
          union all select 'message', id, row_number() over (order by distance) from message_meaning
          union all select 'message', id, row_number() over (order by rank desc) from message_words
          union all select 'chunk', id, row_number() over (order by distance) from chunk_meaning
          union all select 'chunk', id, row_number() over (order by rank desc) from chunk_words),
        fused as (select kind, id, sum(1.0 / (%4$d + r))::float8 as score from ranked group by kind, id)
        select f.kind, f.id, f.score,
          coalesce(case when mem.speaker is null then mem.content else mem.speaker || ': ' || mem.content end,
                   msg.content, ch.text) as text,
          mem.external_id, coalesce(mem.occurred_at, mem.created_at, msg.created_at, doc.created_at) as occurred_at,
          (select timezone from users where id = $1) as timezone,
          1 - coalesce((select mv.vector <=> %2$s from memory_vectors mv
                        where f.kind = 'memory' and mv.memory_id = f.id and mv.model = %3$s),
                       (select gv.vector <=> %2$s from message_vectors gv
                        where f.kind = 'message' and gv.message_id = f.id and gv.model = %3$s),
                       (select cv.vector <=> %2$s from chunk_vectors cv
                        where f.kind = 'chunk' and cv.chunk_id = f.id and cv.model = %3$s)) as similarity,
          doc.id as document_id,
          doc.title || coalesce(', p. ' || ch.page, ', ' || ch.section, '') as document_place
        from fused f
        left join memories mem on f.kind = 'memory' and mem.id = f.id and mem.user_id = $1
          and mem.superseded_by is null
        left join messages msg on f.kind = 'message' and msg.id = f.id and msg.user_id = $1
        left join document_chunks ch on f.kind = 'chunk' and ch.id = f.id and ch.user_id = $1
        left join documents doc on doc.id = ch.document_id and doc.user_id = $1 and doc.status = 'ready'
        where mem.id is not null or msg.id is not null or doc.id is not null
        order by f.score desc, occurred_at desc nulls last, f.id
        limit $5
        """.formatted(v, q, m, RRF_K);
  }

  /** The model whose vectors this repository writes and searches. */
  public String model() {
    return model;
  }

  /** A new memory and its vector, in one transaction. */
  public Future<Memory> insert(UUID userId, NewMemory memory, float[] vector) {
    return pool.withTransaction(tx -> insert(tx, userId, memory, vector));
  }

  private Future<Memory> insert(SqlClient tx, UUID userId, NewMemory memory, float[] vector) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.from(new Object[] {userId, memory.content(), memory.type().wire(),
            memory.tags().toArray(String[]::new), memory.importance(), memory.source().wire(),
            memory.sourceMessageId(), memory.externalId(), memory.speaker(), memory.occurredAt()}))
        .map(rows -> toMemory(rows.iterator().next()))
        .compose(saved -> putVectors(tx, userId, List.of(saved.id()), List.of(vector)).map(saved));
  }

  /**
   * A new memory that replaces the person's current ones of the same slot (content beginning with {@code slot}, in
   * any case): they stay, as its history, with superseded_by pointing at it. In one transaction.
   */
  public Future<Memory> insertSuperseding(UUID userId, NewMemory memory, float[] vector, String slot) {
    String like = slot.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
        .replace("_", "\\_") + "%";
    return pool.withTransaction(tx -> insert(tx, userId, memory, vector)
        .compose(saved -> tx.preparedQuery(SUPERSEDE).execute(Tuple.of(userId, saved.id(), like)).map(saved)));
  }

  /**
   * What one extraction learned, in one transaction: new memories with their vectors, each replacing at most one of
   * the person's current memories, which stays as its history (superseded_by pointing at it). A memory to replace that
   * is no longer current (or not the person's) fails the whole transaction: nothing is written.
   */
  public Future<List<Memory>> learn(UUID userId, List<Learned> learned) {
    return pool.withTransaction(tx -> {
      Future<List<Memory>> chain = Future.succeededFuture(new ArrayList<>());
      for (Learned item : learned) {
        chain = chain.compose(saved -> insert(tx, userId, item.memory(), item.vector()).compose(memory -> {
          saved.add(memory);
          return item.replaces() == null ? Future.succeededFuture(saved)
              : tx.preparedQuery(REPLACE).execute(Tuple.of(userId, item.replaces(), memory.id()))
                  .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(saved)
                      : Future.failedFuture(new IllegalStateException(
                          "memory " + item.replaces() + " changed meanwhile; nothing was learned")));
        }));
      }
      return chain;
    });
  }

  public Future<Optional<Memory>> find(UUID userId, UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(userId, id)).map(MemoryRepository::first);
  }

  /** Newest first; {@code query}: websearch syntax over the words; history (superseded memories) only if asked. */
  public Future<List<Memory>> list(UUID userId, Memory.Type type, boolean withHistory, String query, int limit) {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(userId, type == null ? null : type.wire(), withHistory, query, limit))
        .map(MemoryRepository::all);
  }

  /**
   * Changes the given fields (null leaves one as it is); a new content comes with its new vector, written in the same
   * transaction.
   */
  public Future<Optional<Memory>> update(UUID userId, UUID id, Changes changes, float[] vector) {
    return pool.withTransaction(tx -> tx.preparedQuery(UPDATE)
        .execute(Tuple.from(new Object[] {userId, id, changes.content(),
            changes.type() == null ? null : changes.type().wire(),
            changes.tags() == null ? null : changes.tags().toArray(String[]::new), changes.importance()}))
        .map(MemoryRepository::first)
        .compose(updated -> updated.isEmpty() || vector == null ? Future.succeededFuture(updated)
            : putVectors(tx, userId, List.of(id), List.of(vector)).map(updated)));
  }

  /** Deletes those of the ids that are the user's (their vectors go with them); answers how many went. */
  public Future<Integer> deleteAll(UUID userId, List<UUID> ids) {
    return pool.preparedQuery(DELETE_MANY)
        .execute(Tuple.tuple().addValue(userId).addValue(ids.toArray(UUID[]::new))).map(RowSet::rowCount);
  }

  /**
   * Imported items and their vectors, in one transaction: an item whose externalId the person imported before updates
   * that memory, and one identical to it is skipped. Answers how many were written.
   */
  public Future<Integer> importAll(UUID userId, List<ImportItem> items, List<float[]> vectors) {
    UUID[] ids = new UUID[items.size()];
    String[] contents = new String[items.size()];
    String[] speakers = new String[items.size()];
    OffsetDateTime[] times = new OffsetDateTime[items.size()];
    String[] externalIds = new String[items.size()];
    java.util.Map<UUID, Integer> byId = new java.util.HashMap<>();
    java.util.Map<String, Integer> byExternal = new java.util.HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      ImportItem item = items.get(i);
      ids[i] = UUID.randomUUID();
      contents[i] = item.text();
      speakers[i] = item.speaker();
      times[i] = item.at();
      externalIds[i] = item.externalId();
      byId.put(ids[i], i);
      if (item.externalId() != null) {
        byExternal.put(item.externalId(), i);
      }
    }
    return pool.withTransaction(tx -> tx.preparedQuery(IMPORT)
        .execute(Tuple.of(userId, ids, contents, speakers, times, externalIds))
        .compose(rows -> {
          List<UUID> written = new ArrayList<>(rows.size());
          List<float[]> writtenVectors = new ArrayList<>(rows.size());
          for (Row row : rows) {
            UUID id = row.getUUID("id");
            Integer index = byId.get(id);
            if (index == null) {
              index = byExternal.get(row.getString("external_id"));
            }
            written.add(id);
            writtenVectors.add(vectors.get(index));
          }
          return putVectors(tx, userId, written, writtenVectors).map(written.size());
        }));
  }

  /** The user's current memories nearest in meaning to the vector, nearest first, with their cosine distance. */
  public Future<List<Near>> nearest(UUID userId, float[] vector, int limit) {
    return inSearch(conn -> conn.preparedQuery(nearest).execute(Tuple.of(userId, Vectors.text(vector), limit)))
        .map(rows -> {
          List<Near> list = new ArrayList<>(rows.size());
          rows.forEach(row -> list.add(new Near(toMemory(row), row.getDouble("distance"))));
          return list;
        });
  }

  /**
   * The one retrieval: memories and the person's own past messages, ranked by meaning (the model's HNSW index,
   * filtered by user inside the scan) and by words (full-text search), fused by reciprocal rank; newer first on a tie.
   *
   * @param depth how many each ranking contributes before fusion
   */
  public Future<List<Recalled>> search(UUID userId, float[] vector, String text, int depth, int limit) {
    return inSearch(conn -> conn.preparedQuery(search)
        .execute(Tuple.of(userId, Vectors.text(vector), text, depth, limit)))
        .map(rows -> {
          List<Recalled> list = new ArrayList<>(rows.size());
          for (Row row : rows) {
            ZoneId zone = ZoneId.of(row.getString("timezone"));
            OffsetDateTime at = row.getOffsetDateTime("occurred_at");
            Recalled.Kind kind = switch (row.getString("kind")) {
              case "memory" -> Recalled.Kind.MEMORY;
              case "chunk" -> Recalled.Kind.CHUNK;
              default -> Recalled.Kind.MESSAGE;
            };
            list.add(new Recalled(kind, row.getUUID("id"), row.getString("text"), row.getDouble("score"),
                row.getDouble("similarity"), row.getString("external_id"), row.getUUID("document_id"),
                row.getString("document_place"), at == null ? null : inZone(at, zone)));
          }
          return list;
        });
  }

  /**
   * The memories nearest in meaning, through the HNSW index alone ({@code exact} false: sorting and plain scans are
   * off, so only the index can give the order) or by reading every vector of the user ({@code exact} true: index scans
   * off), for checking the one against the other.
   */
  public Future<List<UUID>> nearestIds(UUID userId, float[] vector, int limit, boolean exact) {
    return nearest(userId, vector, limit, exact, meaning).map(rows -> {
      List<UUID> ids = new ArrayList<>(rows.size());
      rows.forEach(row -> ids.add(row.getUUID("id")));
      return ids;
    });
  }

  /** PostgreSQL's plan for {@link #nearestIds}, to show which path it takes. */
  public Future<String> nearestPlan(UUID userId, float[] vector, int limit, boolean exact) {
    return nearest(userId, vector, limit, exact, "explain " + meaning).map(rows -> {
      StringBuilder plan = new StringBuilder();
      rows.forEach(row -> plan.append(row.getString(0)).append('\n'));
      return plan.toString();
    });
  }

  private Future<RowSet<Row>> nearest(UUID userId, float[] vector, int limit, boolean exact, String sql) {
    List<String> settings = exact
        ? List.of("set local enable_indexscan = off", "set local enable_bitmapscan = off")
        : List.of("set local hnsw.iterative_scan = relaxed_order", "set local enable_sort = off",
            "set local enable_seqscan = off", "set local enable_bitmapscan = off");
    return pool.withTransaction(conn -> {
      Future<?> set = Future.succeededFuture();
      for (String setting : settings) {
        set = set.compose(v -> conn.query(setting).execute());
      }
      return set.compose(v -> conn.preparedQuery(sql).execute(Tuple.of(userId, Vectors.text(vector), limit)));
    });
  }

  /**
   * A search statement in a transaction that lets the HNSW scan go on past rows of other people (pgvector 0.8's
   * iterative scan), so a filtered query still returns its k rows.
   */
  private Future<RowSet<Row>> inSearch(java.util.function.Function<SqlConnection, Future<RowSet<Row>>> query) {
    return pool.withTransaction(conn -> conn.query("set local hnsw.iterative_scan = relaxed_order").execute()
        .compose(v -> conn.query("set local hnsw.ef_search = 100").execute())
        .compose(v -> query.apply(conn)));
  }

  /**
   * Texts that have no vector of this model yet: the person's messages, and memories written before this model was
   * configured. Newest first.
   */
  public Future<List<Unindexed>> unindexed(boolean messages, int limit) {
    return pool.preparedQuery(messages ? unindexedMessages : unindexedMemories).execute(Tuple.of(limit)).map(rows -> {
      List<Unindexed> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(new Unindexed(row.getUUID("id"), row.getUUID("user_id"), row.getString("content"))));
      return list;
    });
  }

  /** Stores vectors of {@link #unindexed} texts; a message deleted meanwhile is skipped. */
  public Future<Void> index(boolean messages, List<Unindexed> items, List<float[]> vectors) {
    if (items.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID[] ids = items.stream().map(Unindexed::id).toArray(UUID[]::new);
    String[] texts = vectors.stream().map(Vectors::text).toArray(String[]::new);
    if (messages) {
      return pool.preparedQuery(putMessageVectors).execute(Tuple.tuple().addValue(ids).addValue(texts)).mapEmpty();
    }
    return pool.preparedQuery(PUT_MEMORY_VECTORS.formatted("'" + model + "'")).execute(Tuple.tuple().addValue(ids).addValue(texts)).mapEmpty();
  }

  private Future<Void> putVectors(SqlClient tx, UUID userId, List<UUID> ids, List<float[]> vectors) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(putVectors)
        .execute(Tuple.of(userId, ids.toArray(UUID[]::new), vectors.stream().map(Vectors::text).toArray(String[]::new)))
        .mapEmpty();
  }

  private static Optional<Memory> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toMemory(it.next())) : Optional.empty();
  }

  private static List<Memory> all(RowSet<Row> rows) {
    List<Memory> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(toMemory(row)));
    return list;
  }

  private static Memory toMemory(Row row) {
    ZoneId zone = ZoneId.of(row.getString("timezone"));
    OffsetDateTime occurred = row.getOffsetDateTime("occurred_at");
    return new Memory(row.getUUID("id"), row.getUUID("user_id"), row.getString("content"),
        Memory.Type.parse(row.getString("type")), List.copyOf(Arrays.asList(row.getArrayOfStrings("tags"))),
        row.getFloat("importance"), Memory.Source.of(row.getString("source")), row.getString("external_id"),
        row.getString("speaker"), occurred == null ? null : inZone(occurred, zone), row.getUUID("superseded_by"),
        inZone(row.getOffsetDateTime("created_at"), zone), inZone(row.getOffsetDateTime("updated_at"), zone));
  }

  private static OffsetDateTime inZone(OffsetDateTime instant, ZoneId zone) {
    return instant.atZoneSameInstant(zone).toOffsetDateTime();
  }

  /** A memory to store. */
  public record NewMemory(String content, Memory.Type type, List<String> tags, double importance, Memory.Source source,
                          UUID sourceMessageId, String externalId, String speaker, OffsetDateTime occurredAt) {}

  /** A memory learned from a message and its vector; {@code replaces}: the current memory it supersedes, or null. */
  public record Learned(NewMemory memory, float[] vector, UUID replaces) {}

  /** One item of an import, checked. */
  public record ImportItem(String text, OffsetDateTime at, String speaker, String externalId) {

    /** What is embedded: the speaker's name in front. */
    public String searchText() {
      return speaker == null ? text : speaker + ": " + text;
    }
  }

  /** A partial update. */
  public record Changes(String content, Memory.Type type, List<String> tags, Double importance) {}

  /** A text without a vector of the current model. */
  public record Unindexed(UUID id, UUID userId, String text) {}

  /** A memory and its cosine distance to a query. */
  public record Near(Memory memory, double distance) {}
}
