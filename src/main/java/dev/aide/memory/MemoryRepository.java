package dev.aide.memory;

import dev.aide.embedding.Embedded;
import dev.aide.embedding.QueryEmbedding;
import dev.aide.embedding.VectorModel;
import dev.aide.embedding.VectorSource;
import dev.aide.embedding.Vectors;
import dev.aide.platform.database.Database;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Memories and their vectors, and the one retrieval over memories and past messages that the API and the assistant
 * share. Always for one user, whose id is inside every query, except where re-embedding walks every person's items
 * ({@link #memoryVectors()}, {@link #messageVectors()}). An item may have vectors of several embedding models (while a
 * new one's are made); each statement that reads or writes vectors names its model.
 */
public final class MemoryRepository {

  /** Reciprocal-rank fusion's constant: a result's share is 1 / (K + its rank) in each ranking it appears in. */
  static final int RRF_K = 60;
  /**
   * What a query word found only in what a memory was said after counts, against one in the memory itself (chosen on
   * LoCoMo's tuning conversations: 0.25 and 1 did worse than a half).
   */
  static final String CONTEXT_WEIGHT = "0.5";

  // A memory replaced is history: never searched, so its vectors go (they only took places in a nearest-k).
  private static final String SUPERSEDE = """
      with replaced as (
        update memories set superseded_by = $2, updated_at = now()
        where user_id = $1 and id <> $2 and superseded_by is null and lower(content) like $3 returning id)
      delete from memory_vectors where memory_id in (select id from replaced)
      """;
  /**
   * One named memory replaced, only while it is still current: a memory changed meanwhile is not replaced twice.
   * Answers how many were replaced (0 or 1).
   */
  private static final String REPLACE = """
      with replaced as (
        update memories set superseded_by = $3, updated_at = now()
        where user_id = $1 and id = $2 and superseded_by is null returning id),
      vectors as (delete from memory_vectors where memory_id in (select id from replaced))
      select count(*) from replaced
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
  /**
   * Relates a memory ($2) and the person's other current memories through the people they name: a memory of type
   * person names someone by the capitalised word it begins with ("Anna is my sister"), unless that word is one of
   * $3 ("My sister is Anna" names no one this way), and every memory with that word in it ("Anna's birthday is 3
   * May") is "about" them. Both directions: the memory may be the person or what is said of them.
   */
  private static final String RELATE = """
      with named as (
        select p.id, substring(p.content from '^([[:upper:]][[:alpha:]]+)') as name from memories p
        where p.user_id = $1 and p.type = 'person' and p.superseded_by is null
      )
      insert into memory_relations (from_id, to_id, relation)
      select m.id, n.id, 'about' from named n join memories m on m.user_id = $1 and m.id <> n.id
      where n.name is not null and not (n.name = any($3)) and $2 in (m.id, n.id) and m.superseded_by is null
        and m.content ~ ('\\m' || n.name || '\\M')
      on conflict do nothing""";
  private static final String UNRELATE = "delete from memory_relations where from_id = $1 or to_id = $1";
  /** The current memories related to any of $2 (either way), with the one each is related to. */
  private static final String RELATED = "select r.of, " + COLUMNS + """
       from (select from_id as of, to_id as other from memory_relations where from_id = any($2)
             union select to_id, from_id from memory_relations where to_id = any($2)) r
      join memories m on m.id = r.other
      where m.user_id = $1 and m.superseded_by is null
      order by r.of, m.updated_at desc""";
  /** Capitalised words that begin a sentence without naming anyone. */
  private static final String[] NOT_NAMES = {"I", "My", "Our", "The", "A", "An", "His", "Her", "Their", "This",
      "That", "These", "Those", "We", "You", "Your", "He", "She", "It", "They", "There", "Mom", "Dad", "Mum"};
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
  // The memories asked for and the history each replaced (superseded_by chains), so an erased fact never becomes
  // current again; answers one row per memory, saying whether it was one asked for.
  private static final String DELETE_MANY = """
      with recursive gone(id) as (
        select id from memories where user_id = $1 and id = any($2)
        union
        select m.id from memories m join gone g on m.superseded_by = g.id where m.user_id = $1
      )
      delete from memories where user_id = $1 and id in (select id from gone) returning id = any($2) as asked""";
  private static final String IMPORT = """
      insert into memories as m (id, user_id, content, type, source, speaker, occurred_at, external_id, context)
      select t.id, $1, t.content, 'other', 'import', t.speaker, t.occurred_at, t.external_id, t.context
      from unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
        as t(id, content, speaker, occurred_at, external_id, context)
      on conflict (user_id, external_id) where external_id is not null do update
        set content = excluded.content, speaker = excluded.speaker, occurred_at = excluded.occurred_at,
            context = excluded.context, superseded_by = null, updated_at = now()
        where (m.content, m.speaker, m.occurred_at) is distinct from
              (excluded.content, excluded.speaker, excluded.occurred_at)
      returning m.id, m.external_id
      """;
  /**
   * What is embedded of a memory: what it was said after (an imported conversation's previous turn), then the memory
   * with its speaker's name in front, as search shows it.
   */
  private static final String EMBEDDED_TEXT = "coalesce(m.context || E'\\n', '') || "
      + "case when m.speaker is null then m.content else m.speaker || ': ' || m.content end";
  private static final String COUNT_MEMORIES = "select count(*) from memories where superseded_by is null";
  private static final String COUNT_MESSAGES = "select count(*) from messages where role = 'user'";

  private final Pool pool;
  private final Map<VectorModel, Statements> byModel = new ConcurrentHashMap<>();
  private final String wordsOnly = search(null, false);
  private final String wordsOnlyInPeriod = search(null, true);
  /**
   * People found to have more than {@value #READ_ALL} vectors of a kind: searched through the index from then on (a
   * history only grows; after a restart the first search finds out again).
   */
  private final Set<UUID> manyVectors = ConcurrentHashMap.newKeySet();

  public MemoryRepository(Pool pool) {
    this.pool = pool;
  }

  private Statements statements(VectorModel model) {
    return byModel.computeIfAbsent(model, Statements::new);
  }

  /**
   * The statements of one model: its name and dimension are literals in their text, so the planner can use the
   * model's partial HNSW index. A vector is written only while its model is recorded (a replaced model's vectors are
   * being deleted: one written late by an instance that has not seen the switch yet is not written at all).
   */
  private static final class Statements {

    final String unindexedMessages;
    final String putMessageVectors;
    final String unindexedMemories;
    final String putMemoryVectors;
    final String missingMessages;
    final String missingMemories;
    final String putVectors;
    final String nearest;
    final String meaning;
    final String search;
    final String searchInPeriod;
    final String searchAll;

    Statements(VectorModel model) {
      String m = model.literal();
      String v = model.column();
      String q = "$2::vector(" + model.dimension() + ")";
      String recorded = "join embedding_models e on e.model = " + m;
      this.unindexedMessages = """
          select m.id, m.user_id, m.content from messages m
          where m.role = 'user' and not exists (
            select 1 from message_vectors v where v.message_id = m.id and v.model = %s)
          order by m.created_at desc limit $1
          """.formatted(m);
      this.missingMessages = """
          select m.id, m.user_id, m.content from messages m
          where ($1::uuid is null or m.id > $1) and m.role = 'user' and not exists (
            select 1 from message_vectors v where v.message_id = m.id and v.model = %s)
          order by m.id limit $2
          """.formatted(m);
      this.putMessageVectors = """
          insert into message_vectors (message_id, model, user_id, vector)
          select m.id, e.model, m.user_id, t.v::vector from unnest($1::uuid[], $2::text[]) as t(id, v)
          join messages m on m.id = t.id %s
          on conflict (message_id, model) do nothing
          """.formatted(recorded);
      this.unindexedMemories = """
          select m.id, m.user_id, %s as content
          from memories m
          where m.superseded_by is null and not exists (
            select 1 from memory_vectors v where v.memory_id = m.id and v.model = %s)
          order by m.created_at desc limit $1
          """.formatted(EMBEDDED_TEXT, m);
      this.missingMemories = """
          select m.id, m.user_id, %s as content
          from memories m
          where ($1::uuid is null or m.id > $1) and m.superseded_by is null and not exists (
            select 1 from memory_vectors v where v.memory_id = m.id and v.model = %s)
          order by m.id limit $2
          """.formatted(EMBEDDED_TEXT, m);
      this.putMemoryVectors = """
          insert into memory_vectors (memory_id, model, user_id, vector)
          select m.id, e.model, m.user_id, t.v::vector from unnest($1::uuid[], $2::text[]) as t(id, v)
          join memories m on m.id = t.id and m.superseded_by is null %s
          on conflict (memory_id, model) do nothing
          """.formatted(recorded);
      this.putVectors = """
          insert into memory_vectors (memory_id, model, user_id, vector)
          select t.id, e.model, $1, t.v::vector from unnest($2::uuid[], $3::text[]) as t(id, v) %s
          on conflict (memory_id, model) do update set vector = excluded.vector, created_at = now()
          """.formatted(recorded);
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
      this.search = MemoryRepository.search(model, false);
      this.searchInPeriod = MemoryRepository.search(model, true);
      this.searchAll = MemoryRepository.searchAll(model);
    }
  }

  /** The period's days as instants in the person's time zone, and its rankings by meaning (%1$s memories, %2$s messages). */
  private static final String PERIOD = """

      period as (
        select ($6::date)::timestamp at time zone u.timezone as from_at,
               ($7::date)::timestamp at time zone u.timezone as to_at
        from users u where u.id = $1 and $6::date is not null),
      memory_then as materialized (%1$s),
      message_then as materialized (%2$s),""";
  private static final String PERIOD_RANKINGS = """

        union all select 'memory', id, row_number() over (order by distance), false from memory_then
        union all select 'message', id, row_number() over (order by distance), false from message_then""";

  /**
   * Vectors of one kind (memories', messages', passages') a person may have for their search to read them all: about
   * a millisecond of distances, where planning the search for the person's own numbers takes more (1.2-2.3 ms).
   */
  static final int READ_ALL = 2_000;
  /** The row that ends {@link #searchAll}'s answer when the person has more vectors than it reads (%1$s the model). */
  private static final String MORE = """
      )
      union all
      select 'more', null, null, null, null, null, null, null, null, null
      where exists (select 1 from memory_vectors where model = %1$s and user_id = $1 offset %2$d)
         or exists (select 1 from message_vectors where model = %1$s and user_id = $1 offset %2$d)
         or exists (select 1 from chunk_vectors where model = %1$s and user_id = $1 offset %2$d)""";

  /**
   * The fused search statement of a model; of none ({@code model} null), the same ranked by words alone ($2, the
   * query's vector, is then null and unused). Only a statement {@code inPeriod} has the period's rankings and its days
   * ($6, $7): most queries name no period, and PostgreSQL plans this statement afresh for each call (a plan made for
   * the person's own numbers picks the HNSW index or reads their few vectors; one generic plan could not do both), so
   * parts that cannot run are better not planned at all (about 0.2 of 1.4 ms of planning).
   */
  private static String search(VectorModel model, boolean inPeriod) {
    return search(model, inPeriod, false);
  }

  /**
   * The search of a person whose vectors are few enough to read them all: by meaning, each kind's {@value #READ_ALL}
   * vectors at most are read and sorted (no HNSW index, whose choice needs the person's numbers), and the answer ends
   * with a row of kind {@code more} when they have more than that of any kind (the answer is then not to be used).
   * Its plan is the same for every person, so it is planned once per connection ({@link #ALL_SETTINGS}).
   */
  private static String searchAll(VectorModel model) {
    return search(model, false, true);
  }

  private static String search(VectorModel model, boolean inPeriod, boolean readAll) {
    String meaning;
    String then;
    String similarity;
    if (model == null) {
      meaning = "select null::uuid as id, null::float8 as distance where $2::text is not null and false";
      then = "select null::uuid as id, null::float8 as distance from period where false";
      similarity = "null::float8";
    } else {
      String v = model.column();
      String q = "$2::vector(" + model.dimension() + ")";
      String m = model.literal();
      meaning = readAll ? """
          select id, distance from (
            select %%1$s as id, %s <=> %s as distance from %%2$s where model = %s and user_id = $1 limit %d) all_of_them
          order by distance limit $4""".formatted(v, q, m, READ_ALL + 1) : """
          select %%1$s as id, %s <=> %s as distance from %%2$s
          where model = %s and user_id = $1 order by %s <=> %s limit $4""".formatted(v, q, m, v, q);
      then = """
          select x.id, xv.vector <=> %s as distance
          from period p
          join %%1$s x on x.user_id = $1 and %%2$s >= p.from_at and %%2$s < p.to_at and %%5$s
          join %%3$s xv on xv.%%4$s = x.id and xv.model = %s
          order by distance limit $4""".formatted(q, m);
      similarity = """
          1 - coalesce((select mv.vector <=> %1$s from memory_vectors mv
                        where f.kind = 'memory' and mv.memory_id = f.id and mv.model = %2$s),
                       (select gv.vector <=> %1$s from message_vectors gv
                        where f.kind = 'message' and gv.message_id = f.id and gv.model = %2$s),
                       (select cv.vector <=> %1$s from chunk_vectors cv
                        where f.kind = 'chunk' and cv.chunk_id = f.id and cv.model = %2$s))""".formatted(q, m);
    }
    return """
        with memory_meaning as materialized (%1$s),
        message_meaning as materialized (%2$s),
        chunk_meaning as materialized (%3$s),%6$s
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
          select m.id, (select sum(mt.idf * case when m.search @@ mt.t then 1 when m.context_search @@ mt.t then %8$s
                                              else 0 end) from memory_terms mt) as rank
          from memories m, any_term
          where m.user_id = $1 and m.superseded_by is null
            and (m.search @@ any_term.q or m.context_search @@ any_term.q)
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
          select 'memory' as kind, id, row_number() over (order by distance) as r, false as words from memory_meaning
          union all select 'memory', id, row_number() over (order by rank desc), true from memory_words
          union all select 'message', id, row_number() over (order by distance), false from message_meaning
          union all select 'message', id, row_number() over (order by rank desc), true from message_words
          union all select 'chunk', id, row_number() over (order by distance), false from chunk_meaning
          union all select 'chunk', id, row_number() over (order by rank desc), true from chunk_words%7$s),
        fused as (
          select kind, id, sum(1.0 / (%4$d + r))::float8 as score, min(r) filter (where words) as words_rank
          from ranked group by kind, id)
        %9$sselect f.kind, f.id, f.score,
          coalesce(case when mem.speaker is null then mem.content else mem.speaker || ': ' || mem.content end,
                   msg.content, ch.text) as text,
          mem.external_id, coalesce(mem.occurred_at, mem.created_at, msg.created_at, doc.created_at) as occurred_at,
          (select timezone from users where id = $1) as timezone,
          %5$s as similarity,
          doc.id as document_id,
          doc.title || coalesce(', p. ' || ch.page, ', ' || ch.section, '') as document_place
        from fused f
        left join memories mem on f.kind = 'memory' and mem.id = f.id and mem.user_id = $1
          and mem.superseded_by is null
        left join messages msg on f.kind = 'message' and msg.id = f.id and msg.user_id = $1
        left join document_chunks ch on f.kind = 'chunk' and ch.id = f.id and ch.user_id = $1
        left join documents doc on doc.id = ch.document_id and doc.user_id = $1 and doc.status = 'ready'
        where mem.id is not null or msg.id is not null or doc.id is not null
        order by f.score desc, f.words_rank nulls last, occurred_at desc nulls last, f.id
        limit $5%10$s
        """.formatted(meaning.formatted("memory_id", "memory_vectors"),
            meaning.formatted("message_id", "message_vectors"), meaning.formatted("chunk_id", "chunk_vectors"),
            RRF_K, similarity, inPeriod ? PERIOD.formatted(
                then.formatted("memories", "coalesce(x.occurred_at, x.created_at)", "memory_vectors", "memory_id",
                    "x.superseded_by is null"),
                then.formatted("messages", "x.created_at", "message_vectors", "message_id", "x.role = 'user'")) : "",
            inPeriod ? PERIOD_RANKINGS : "", CONTEXT_WEIGHT, readAll ? "(" : "",
            readAll ? MORE.formatted(model.literal(), READ_ALL) : "");
  }

  /** A new memory and its vectors (one of each model given), in one transaction. */
  public Future<Memory> insert(UUID userId, NewMemory memory, List<Embedded> vector) {
    return pool.withTransaction(tx -> insert(tx, userId, memory, vector));
  }

  private Future<Memory> insert(SqlClient tx, UUID userId, NewMemory memory, List<Embedded> vector) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.from(new Object[] {userId, memory.content(), memory.type().wire(),
            memory.tags().toArray(String[]::new), memory.importance(), memory.source().wire(),
            memory.sourceMessageId(), memory.externalId(), memory.speaker(), memory.occurredAt()}))
        .map(rows -> toMemory(rows.iterator().next()))
        .compose(saved -> putVectors(tx, userId, List.of(saved.id()), vector).map(saved))
        .compose(saved -> relate(tx, userId, saved.id()).map(saved));
  }

  private Future<Void> relate(SqlClient tx, UUID userId, UUID id) {
    return tx.preparedQuery(RELATE).execute(Tuple.tuple().addValue(userId).addValue(id).addValue(NOT_NAMES))
        .mapEmpty();
  }

  /** A memory and one it is related to, through a person it names ({@code of} is the memory asked about). */
  public record Related(UUID of, Memory memory) {}

  /** The person's current memories related to any of the given ones. */
  public Future<List<Related>> related(UUID userId, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery(RELATED)
        .execute(Tuple.tuple().addValue(userId).addValue(ids.toArray(UUID[]::new))).map(rows -> {
      List<Related> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(new Related(row.getUUID("of"), toMemory(row)));
      }
      return out;
    });
  }

  /**
   * A new memory that replaces the person's current ones of the same slot (content beginning with {@code slot}, in
   * any case): they stay, as its history, with superseded_by pointing at it. In one transaction.
   */
  public Future<Memory> insertSuperseding(UUID userId, NewMemory memory, List<Embedded> vector, String slot) {
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
                  .compose(rows -> rows.iterator().next().getLong(0) == 1 ? Future.succeededFuture(saved)
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
   * Changes the given fields (null leaves one as it is); a new content comes with its new vectors, written in the same
   * transaction.
   */
  public Future<Optional<Memory>> update(UUID userId, UUID id, Changes changes, List<Embedded> vector) {
    return pool.withTransaction(tx -> tx.preparedQuery(UPDATE)
        .execute(Tuple.from(new Object[] {userId, id, changes.content(),
            changes.type() == null ? null : changes.type().wire(),
            changes.tags() == null ? null : changes.tags().toArray(String[]::new), changes.importance()}))
        .map(MemoryRepository::first)
        .compose(updated -> updated.isEmpty() || vector == null ? Future.succeededFuture(updated)
            : putVectors(tx, userId, List.of(id), vector)
                .compose(v -> tx.preparedQuery(UNRELATE).execute(Tuple.of(id)))
                .compose(v -> relate(tx, userId, id)).map(updated)));
  }

  /**
   * Deletes those of the ids that are the user's, with the memories each replaced (its history) and their vectors;
   * answers how many of the ids went.
   */
  public Future<Integer> deleteAll(UUID userId, List<UUID> ids) {
    return pool.preparedQuery(DELETE_MANY)
        .execute(Tuple.tuple().addValue(userId).addValue(ids.toArray(UUID[]::new)))
        .map(rows -> {
          int asked = 0;
          for (Row row : rows) {
            asked += row.getBoolean("asked") ? 1 : 0;
          }
          return asked;
        });
  }

  /**
   * Imported items and their vectors, in one transaction: an item whose externalId the person imported before updates
   * that memory, and one identical to it is skipped. Answers how many were written.
   */
  public Future<Integer> importAll(UUID userId, List<ImportItem> items, List<Embedded> vectors) {
    UUID[] ids = new UUID[items.size()];
    String[] contents = new String[items.size()];
    String[] speakers = new String[items.size()];
    OffsetDateTime[] times = new OffsetDateTime[items.size()];
    String[] externalIds = new String[items.size()];
    String[] contexts = new String[items.size()];
    java.util.Map<UUID, Integer> byId = new java.util.HashMap<>();
    java.util.Map<String, Integer> byExternal = new java.util.HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      ImportItem item = items.get(i);
      ids[i] = UUID.randomUUID();
      contents[i] = item.text();
      speakers[i] = item.speaker();
      times[i] = item.at();
      externalIds[i] = item.externalId();
      contexts[i] = item.context();
      byId.put(ids[i], i);
      if (item.externalId() != null) {
        byExternal.put(item.externalId(), i);
      }
    }
    return pool.withTransaction(tx -> tx.preparedQuery(IMPORT)
        .execute(Tuple.from(new Object[] {userId, ids, contents, speakers, times, externalIds, contexts}))
        .compose(rows -> {
          List<UUID> written = new ArrayList<>(rows.size());
          List<Integer> positions = new ArrayList<>(rows.size());
          for (Row row : rows) {
            UUID id = row.getUUID("id");
            Integer index = byId.get(id);
            if (index == null) {
              index = byExternal.get(row.getString("external_id"));
            }
            written.add(id);
            positions.add(index);
          }
          return putVectors(tx, userId, written, vectors.stream().map(e -> e.pick(positions)).toList())
              .map(written.size());
        }));
  }

  /**
   * The user's current memories nearest in meaning to the vector (of the model), nearest first, with their cosine
   * distance.
   */
  public Future<List<Near>> nearest(UUID userId, VectorModel model, float[] vector, int limit) {
    String sql = statements(model).nearest;
    return inSearch(SEARCH_SETTINGS, conn -> conn.preparedQuery(sql).execute(Tuple.of(userId, Vectors.text(vector), limit)))
        .map(rows -> {
          List<Near> list = new ArrayList<>(rows.size());
          rows.forEach(row -> list.add(new Near(toMemory(row), row.getDouble("distance"))));
          return list;
        });
  }

  /**
   * The one retrieval: memories, the person's own past messages and their documents' passages, ranked by meaning
   * (the query's model's HNSW index, filtered by user inside the scan) and by words (full-text search; a memory's
   * words and, at half weight, those of what it was said after), and, when the query names a period, by meaning among
   * the memories and messages of that period; fused by reciprocal rank. On a tie the item that says the query's words
   * itself comes first (a reply read after a question can tie with the question), then the newer. A query without a
   * vector is ranked by words alone.
   *
   * <p>A person with at most {@value #READ_ALL} vectors of each kind is searched by reading them all, with one plan for
   * everyone; one with more (found out by that search, then remembered) through the index, planned for them at each
   * call.
   *
   * @param period the days the query names, in the person's time zone, or null
   * @param depth how many each ranking contributes before fusion
   */
  public Future<List<Recalled>> search(UUID userId, QueryEmbedding query, Period period, int depth, int limit) {
    String sql = query.byMeaning()
        ? period == null ? statements(query.model()).search : statements(query.model()).searchInPeriod
        : period == null ? wordsOnly : wordsOnlyInPeriod;
    String vector = query.byMeaning() ? Vectors.text(query.vector()) : null;
    Tuple values = Tuple.from(new Object[] {userId, vector, query.text(), depth, limit});
    if (period != null) {
      values.addValue(period.from()).addValue(period.until());
    }
    if (query.byMeaning() && period == null && !manyVectors.contains(userId)) {
      String all = statements(query.model()).searchAll;
      return inSearch(ALL_SETTINGS, conn -> conn.preparedQuery(all).execute(values)).compose(rows -> {
        for (Row row : rows) {
          if (row.getString("kind").equals("more")) {
            manyVectors.add(userId);
            return inSearch(SEARCH_SETTINGS, conn -> conn.preparedQuery(sql).execute(values))
                .map(MemoryRepository::recalled);
          }
        }
        return Future.succeededFuture(recalled(rows));
      });
    }
    return inSearch(SEARCH_SETTINGS, conn -> conn.preparedQuery(sql).execute(values)).map(MemoryRepository::recalled);
  }

  private static List<Recalled> recalled(RowSet<Row> rows) {
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
  }

  /**
   * The memories nearest in meaning, through the HNSW index alone ({@code exact} false: sorting and plain scans are
   * off, so only the index can give the order) or by reading every vector of the user ({@code exact} true: index scans
   * off), for checking the one against the other.
   */
  public Future<List<UUID>> nearestIds(UUID userId, VectorModel model, float[] vector, int limit, boolean exact) {
    return nearest(userId, vector, limit, exact, statements(model).meaning).map(rows -> {
      List<UUID> ids = new ArrayList<>(rows.size());
      rows.forEach(row -> ids.add(row.getUUID("id")));
      return ids;
    });
  }

  /** PostgreSQL's plan for {@link #nearestIds}, to show which path it takes. */
  public Future<String> nearestPlan(UUID userId, VectorModel model, float[] vector, int limit, boolean exact) {
    return nearest(userId, vector, limit, exact, "explain " + statements(model).meaning).map(rows -> {
      StringBuilder plan = new StringBuilder();
      rows.forEach(row -> plan.append(row.getString(0)).append('\n'));
      return plan.toString();
    });
  }

  private Future<RowSet<Row>> nearest(UUID userId, float[] vector, int limit, boolean exact, String sql) {
    // Planned under these settings at every call: a generic plan cached on the connection would keep the path of the
    // settings it was made under.
    List<String> settings = exact
        ? List.of("set local enable_indexscan = off", "set local enable_bitmapscan = off", Database.PLAN_AFRESH)
        : List.of("set local hnsw.iterative_scan = relaxed_order", "set local enable_sort = off",
            "set local enable_seqscan = off", "set local enable_bitmapscan = off", Database.PLAN_AFRESH);
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
  /** {@code set local hnsw.iterative_scan = relaxed_order} and {@code set local hnsw.ef_search = 100} in one statement. */
  private static final String SEARCH_SETTINGS =
      "select set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', '100', true)";

  /**
   * For {@link #searchAll}: its one generic plan from the first call on each connection (a plan for each call's values
   * would be made afresh every time, as PostgreSQL finds a generic plan dearer than those of small histories).
   */
  private static final String ALL_SETTINGS = "select set_config('plan_cache_mode', 'force_generic_plan', true)";

  private Future<RowSet<Row>> inSearch(String settings,
                                       java.util.function.Function<SqlConnection, Future<RowSet<Row>>> query) {
    return pool.withTransaction(conn -> conn.query(settings).execute().compose(v -> query.apply(conn)));
  }

  /**
   * Texts that have no vector of the model yet: the person's messages (embedded a moment after they are stored), and
   * memories that lack one. Newest first.
   */
  public Future<List<VectorSource.Item>> unindexed(VectorModel model, boolean messages, int limit) {
    Statements sql = statements(model);
    return pool.preparedQuery(messages ? sql.unindexedMessages : sql.unindexedMemories).execute(Tuple.of(limit))
        .map(MemoryRepository::items);
  }

  /**
   * Stores vectors of texts ({@link #unindexed}, or messages just stored); one deleted meanwhile, or one that has a
   * vector of the model already, is skipped. Answers how many were stored.
   */
  public Future<Integer> index(VectorModel model, boolean messages, List<VectorSource.Item> items,
                               List<float[]> vectors) {
    if (items.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Statements sql = statements(model);
    UUID[] ids = items.stream().map(VectorSource.Item::id).toArray(UUID[]::new);
    String[] texts = vectors.stream().map(Vectors::text).toArray(String[]::new);
    return pool.preparedQuery(messages ? sql.putMessageVectors : sql.putMemoryVectors)
        .execute(Tuple.tuple().addValue(ids).addValue(texts)).map(RowSet::rowCount);
  }

  /** Current memories, as re-embedding walks them. */
  public VectorSource memoryVectors() {
    return new Source("memories", "memory_vectors", COUNT_MEMORIES, false);
  }

  /** The persons' own messages (what search finds of a conversation), as re-embedding walks them. */
  public VectorSource messageVectors() {
    return new Source("messages", "message_vectors", COUNT_MESSAGES, true);
  }

  private final class Source implements VectorSource {

    private final String name;
    private final String table;
    private final String count;
    private final boolean messages;

    Source(String name, String table, String count, boolean messages) {
      this.name = name;
      this.table = table;
      this.count = count;
      this.messages = messages;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String vectorTable() {
      return table;
    }

    @Override
    public Future<Long> count() {
      return pool.query(count).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    @Override
    public Future<List<Item>> missing(VectorModel model, UUID after, int limit) {
      Statements sql = statements(model);
      return pool.preparedQuery(messages ? sql.missingMessages : sql.missingMemories).execute(Tuple.of(after, limit))
          .map(MemoryRepository::items);
    }

    @Override
    public Future<Integer> put(VectorModel model, List<Item> items, List<float[]> vectors) {
      return index(model, messages, items, vectors);
    }
  }

  private static List<VectorSource.Item> items(RowSet<Row> rows) {
    List<VectorSource.Item> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(new VectorSource.Item(row.getUUID("id"), row.getUUID("user_id"),
        row.getString("content"))));
    return list;
  }

  /** Vectors of the given memories of the person, of each model given, in the caller's transaction. */
  private Future<Void> putVectors(SqlClient tx, UUID userId, List<UUID> ids, List<Embedded> vectors) {
    Future<Void> chain = Future.succeededFuture();
    if (ids.isEmpty()) {
      return chain;
    }
    UUID[] idArray = ids.toArray(UUID[]::new);
    for (Embedded embedded : vectors) {
      String sql = statements(embedded.model()).putVectors;
      String[] texts = embedded.vectors().stream().map(Vectors::text).toArray(String[]::new);
      chain = chain.compose(v -> tx.preparedQuery(sql).execute(Tuple.of(userId, idArray, texts)).mapEmpty());
    }
    return chain;
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

  /**
   * One item of an import, checked; {@code context}: what it was said after ({@link #said} of the item before it in
   * the same conversation), or null.
   */
  public record ImportItem(String text, OffsetDateTime at, String speaker, String externalId, String context) {

    public ImportItem(String text, OffsetDateTime at, String speaker, String externalId) {
      this(text, at, speaker, externalId, null);
    }

    /** The item as said: the speaker's name in front. */
    public String said() {
      return speaker == null ? text : speaker + ": " + text;
    }

    /** What is embedded: the item as said, after what it answers. */
    public String searchText() {
      return context == null ? said() : context + "\n" + said();
    }

    public ImportItem after(String said) {
      return new ImportItem(text, at, speaker, externalId, said);
    }
  }

  /** A memory learned from a message and its vector; {@code replaces}: the current memory it supersedes, or null. */
  public record Learned(NewMemory memory, List<Embedded> vector, UUID replaces) {}

  /** A partial update. */
  public record Changes(String content, Memory.Type type, List<String> tags, Double importance) {}

  /** A memory and its cosine distance to a query. */
  public record Near(Memory memory, double distance) {}
}
