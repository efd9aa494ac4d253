package dev.aide.document;

import dev.aide.delivery.OutboxRepository;
import dev.aide.delivery.Outgoing;
import dev.aide.embedding.Embedded;
import dev.aide.embedding.VectorModel;
import dev.aide.embedding.VectorSource;
import dev.aide.embedding.Vectors;
import dev.aide.scheduler.TaskRepository;
import dev.aide.scheduler.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Documents, their passages and the passages' vectors (of each embedding model a passage is written with). A
 * document's reading task is written in its transaction, and so is every message to the chat a document came from:
 * that it is being read, that it is ready, or why it failed.
 */
final class DocumentRepository {

  /** What the reading task needs: the file and how to read it. */
  record Upload(UUID userId, String mediaType, byte[] content) {}

  /**
   * The chat a document was sent in: answers go to {@code recipient} on {@code channel}, and {@code sourceKey} (the
   * update it came in) makes storing it twice keep one document.
   */
  record Chat(String channel, String recipient, String sourceKey) {}

  /** A document that has been read, or failed, as its chat is told: its title, pages and passages. */
  record Finished(String title, Integer pages, int chunks) {}

  private static final String COLUMNS = """
      d.id, d.title, d.filename, d.media_type, d.size_bytes, d.status, d.error, d.pages, d.chunks_total,
      d.chunks_done, d.created_at, d.updated_at, u.timezone""";
  // A chat's update handled again finds its document there already: nothing is inserted, scheduled or said twice.
  private static final String INSERT = """
      with d as (insert into documents (user_id, title, filename, media_type, size_bytes, content, reply_channel,
                                        reply_to, source_key)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 on conflict (user_id, source_key) where source_key is not null do nothing
                 returning *)
      select %s from d join users u on u.id = d.user_id""".formatted(COLUMNS);
  private static final String FIND_SOURCE = """
      select %s from documents d join users u on u.id = d.user_id
      where d.user_id = $1 and d.source_key = $2""".formatted(COLUMNS);
  private static final String LIST = """
      select %s from documents d join users u on u.id = d.user_id
      where d.user_id = $1 order by d.created_at desc, d.id limit $2""".formatted(COLUMNS);
  private static final String FIND = """
      select %s from documents d join users u on u.id = d.user_id
      where d.user_id = $1 and d.id = $2""".formatted(COLUMNS);
  private static final String RENAME = """
      with d as (update documents set title = $3, updated_at = now() where user_id = $1 and id = $2 returning *)
      select %s from d join users u on u.id = d.user_id""".formatted(COLUMNS);
  private static final String DELETE = "delete from documents where user_id = $1 and id = $2";
  private static final String START = """
      update documents set status = 'processing', updated_at = now()
      where id = $1 and status in ('pending', 'processing') and content is not null
      returning user_id, media_type, content""";
  private static final String CLEAR_CHUNKS = "delete from document_chunks where document_id = $1";
  private static final String INSERT_CHUNKS = """
      insert into document_chunks (document_id, user_id, ordinal, text, page, section, char_start, char_end)
      select $1, $2, t.* from unnest($3::int[], $4::text[], $5::int[], $6::text[], $7::int[], $8::int[])
        as t(ordinal, text, page, section, char_start, char_end)
      returning id, ordinal""";
  private static final String PROGRESS = """
      update documents set pages = $2, chunks_total = $3, chunks_done = $4, updated_at = now() where id = $1""";
  private static final String ENDED = "returning user_id, title, pages, chunks_total, reply_channel, reply_to";
  private static final String READY = """
      update documents set status = 'ready', content = null, error = null, chunks_done = chunks_total,
        updated_at = now() where id = $1 and status = 'processing'
      """ + ENDED;
  private static final String FAILED = """
      update documents set status = 'failed', content = null, error = $2, updated_at = now()
      where id = $1 and status in ('pending', 'processing')
      """ + ENDED;
  private static final String COUNT_CHUNKS = "select count(*) from document_chunks";

  private final Pool pool;
  private final TaskRepository tasks;
  private final OutboxRepository outbox;
  private final Clock clock;
  private final Map<VectorModel, Statements> byModel = new ConcurrentHashMap<>();

  DocumentRepository(Pool pool, TaskRepository tasks, OutboxRepository outbox, Clock clock) {
    this.pool = pool;
    this.tasks = tasks;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * The vector statements of one model (its name a literal, as its partial index needs). A vector is written only
   * while its model is recorded, and only for a passage that is still there.
   */
  private record Statements(String putVectors, String missing, String putMissing) {

    static Statements of(VectorModel model) {
      String m = model.literal();
      return new Statements("""
          insert into chunk_vectors (chunk_id, model, user_id, vector)
          select t.id, e.model, $1, t.v::vector from unnest($2::uuid[], $3::text[]) as t(id, v)
          join embedding_models e on e.model = %1$s
          on conflict (chunk_id, model) do update set vector = excluded.vector
          """.formatted(m), """
          select c.id, c.user_id,
            case when c.section is null then c.text else c.section || chr(10) || c.text end as text
          from document_chunks c
          where ($1::uuid is null or c.id > $1) and not exists (
            select 1 from chunk_vectors v where v.chunk_id = c.id and v.model = %1$s)
          order by c.id limit $2
          """.formatted(m), """
          insert into chunk_vectors (chunk_id, model, user_id, vector)
          select c.id, e.model, c.user_id, t.v::vector from unnest($1::uuid[], $2::text[]) as t(id, v)
          join document_chunks c on c.id = t.id join embedding_models e on e.model = %1$s
          on conflict (chunk_id, model) do nothing
          """.formatted(m));
    }
  }

  private Statements statements(VectorModel model) {
    return byModel.computeIfAbsent(model, Statements::of);
  }

  static String taskKey(UUID documentId) {
    return "document:" + documentId;
  }

  /** The document, and its reading task due now, in one transaction. */
  Future<Document> insert(UUID userId, String title, String filename, String mediaType, byte[] content) {
    return insert(userId, title, filename, mediaType, content, null, null);
  }

  /**
   * A document sent in a chat, its reading task, and {@code received} (what the chat is told at once) in the outbox,
   * in one transaction; the chat's document as it was when its update was handled before.
   */
  Future<Document> insert(UUID userId, String title, String filename, String mediaType, byte[] content, Chat chat,
                          Function<Document, String> received) {
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT)
        .execute(Tuple.from(new Object[] {userId, title, filename, mediaType, (long) content.length,
            Buffer.buffer(content), chat == null ? null : chat.channel(), chat == null ? null : chat.recipient(),
            chat == null ? null : chat.sourceKey()}))
        .compose(rows -> {
          if (rows.size() == 0) {
            return tx.preparedQuery(FIND_SOURCE).execute(Tuple.of(userId, chat.sourceKey()))
                .map(found -> toDocument(found.iterator().next()));
          }
          Document document = toDocument(rows.iterator().next());
          Future<Void> told = chat == null ? Future.succeededFuture()
              : outbox.enqueue(tx, List.of(new Outgoing(userId, chat.channel(), chat.recipient(),
                  received.apply(document), messageKey(document.id(), "received"))));
          return told.compose(v -> tasks.schedule(tx, TaskSpec.once(null, taskKey(document.id()), DocumentReader.TYPE,
              new JsonObject().put("documentId", document.id().toString()), clock.instant()))).map(document);
        }));
  }

  /** The idempotency key of what a document's chat is told, once for each thing said. */
  private static String messageKey(UUID documentId, String what) {
    return "document:" + documentId + ":" + what;
  }

  Future<List<Document>> list(UUID userId, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(userId, limit)).map(rows -> {
      List<Document> list = new ArrayList<>();
      rows.forEach(row -> list.add(toDocument(row)));
      return list;
    });
  }

  Future<Optional<Document>> find(UUID userId, UUID id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(userId, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toDocument(rows.iterator().next())));
  }

  /** The document with its new title; empty if the person has no such one. */
  Future<Optional<Document>> rename(UUID userId, UUID id, String title) {
    return pool.preparedQuery(RENAME).execute(Tuple.of(userId, id, title))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toDocument(rows.iterator().next())));
  }

  /** Gone with its passages and vectors, and its task if it was not read yet; false if the person has no such one. */
  Future<Boolean> delete(UUID userId, UUID id) {
    return pool.withTransaction(tx -> tx.preparedQuery(DELETE).execute(Tuple.of(userId, id))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
            : tasks.delete(tx, taskKey(id)).map(true)));
  }

  /** Marks it being read and gives the file; empty when it is gone or was read already. */
  Future<Optional<Upload>> start(UUID id) {
    return pool.preparedQuery(START).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Upload(row.getUUID("user_id"), row.getString("media_type"),
          row.getBuffer("content").getBytes()));
    });
  }

  /** The passages (those of an earlier attempt replaced), answered with their ids in order. */
  Future<List<UUID>> putChunks(UUID id, UUID userId, List<Chunker.Chunk> chunks, int pages) {
    int n = chunks.size();
    Integer[] ordinals = new Integer[n];
    String[] texts = new String[n];
    Integer[] pageNumbers = new Integer[n];
    String[] sections = new String[n];
    Integer[] starts = new Integer[n];
    Integer[] ends = new Integer[n];
    for (int i = 0; i < n; i++) {
      Chunker.Chunk c = chunks.get(i);
      ordinals[i] = c.ordinal();
      texts[i] = c.text();
      pageNumbers[i] = c.page();
      sections[i] = c.section();
      starts[i] = c.start();
      ends[i] = c.end();
    }
    return pool.withTransaction(tx -> tx.preparedQuery(CLEAR_CHUNKS).execute(Tuple.of(id))
        .compose(v -> tx.preparedQuery(INSERT_CHUNKS).execute(Tuple.from(new Object[] {id, userId, ordinals, texts,
            pageNumbers, sections, starts, ends})))
        .compose(rows -> {
          UUID[] ids = new UUID[n];
          rows.forEach(row -> ids[row.getInteger("ordinal")] = row.getUUID("id"));
          return tx.preparedQuery(PROGRESS).execute(Tuple.of(id, pages == 0 ? null : pages, n, 0))
              .map(List.of(ids));
        }));
  }

  /** Vectors of some passages (of each model given), and how many have theirs now. */
  Future<Void> putVectors(UUID id, UUID userId, List<UUID> chunkIds, List<Embedded> vectors, int done, int total,
                          int pages) {
    UUID[] ids = chunkIds.toArray(UUID[]::new);
    return pool.withTransaction(tx -> {
      Future<?> chain = Future.succeededFuture();
      for (Embedded embedded : vectors) {
        String sql = statements(embedded.model()).putVectors();
        String[] texts = embedded.vectors().stream().map(Vectors::text).toArray(String[]::new);
        chain = chain.compose(v -> tx.preparedQuery(sql).execute(Tuple.of(userId, ids, texts)));
      }
      return chain.compose(v -> tx.preparedQuery(PROGRESS).execute(Tuple.of(id, pages == 0 ? null : pages, total,
          done))).mapEmpty();
    });
  }

  /** Every person's passages, as re-embedding walks them (the text under its section heading, as it was embedded). */
  VectorSource chunkVectors() {
    return new VectorSource() {
      @Override
      public String name() {
        return "document passages";
      }

      @Override
      public String vectorTable() {
        return "chunk_vectors";
      }

      @Override
      public Future<Long> count() {
        return pool.query(COUNT_CHUNKS).execute().map(rows -> rows.iterator().next().getLong(0));
      }

      @Override
      public Future<List<Item>> missing(VectorModel model, UUID after, int limit) {
        return pool.preparedQuery(statements(model).missing()).execute(Tuple.of(after, limit)).map(rows -> {
          List<Item> items = new ArrayList<>(rows.size());
          rows.forEach(row -> items.add(new Item(row.getUUID("id"), row.getUUID("user_id"), row.getString("text"))));
          return items;
        });
      }

      @Override
      public Future<Integer> put(VectorModel model, List<Item> items, List<float[]> vectors) {
        if (items.isEmpty()) {
          return Future.succeededFuture(0);
        }
        // Tuple.tuple(): Tuple.of would spread the second array as its varargs.
        return pool.preparedQuery(statements(model).putMissing()).execute(Tuple.tuple()
                .addValue(items.stream().map(Item::id).toArray(UUID[]::new))
                .addValue(vectors.stream().map(Vectors::text).toArray(String[]::new)))
            .map(rows -> rows.rowCount());
      }
    };
  }

  /**
   * Read: marked ready, and its chat, if it came from one, told {@code message} in the same transaction; answers
   * whether a chat was told (nothing is, for a document already ended or gone).
   */
  Future<Boolean> ready(UUID id, Function<Finished, String> message) {
    return pool.withTransaction(tx -> tx.preparedQuery(READY).execute(Tuple.of(id))
        .compose(rows -> tell(tx, id, "ready", rows, message)));
  }

  /** Not readable: marked failed with the reason, its file dropped, and its chat told, like {@link #ready}. */
  Future<Boolean> failed(UUID id, String error, Function<Finished, String> message) {
    return pool.withTransaction(tx -> tx.preparedQuery(FAILED).execute(Tuple.of(id, error))
        .compose(rows -> tell(tx, id, "failed", rows, message)));
  }

  private Future<Boolean> tell(SqlConnection tx, UUID id, String outcome, RowSet<Row> rows,
                               Function<Finished, String> message) {
    if (rows.size() == 0) {
      return Future.succeededFuture(false);
    }
    Row row = rows.iterator().next();
    if (row.getString("reply_channel") == null) {
      return Future.succeededFuture(false);
    }
    String text = message.apply(new Finished(row.getString("title"), row.getInteger("pages"),
        row.getInteger("chunks_total")));
    return outbox.enqueue(tx, List.of(new Outgoing(row.getUUID("user_id"), row.getString("reply_channel"),
        row.getString("reply_to"), text, messageKey(id, outcome)))).map(true);
  }

  private static Document toDocument(Row row) {
    return new Document(row.getUUID("id"), row.getString("title"), row.getString("filename"),
        row.getString("media_type"), row.getLong("size_bytes"), row.getString("status"), row.getString("error"),
        row.getInteger("pages"), row.getInteger("chunks_total"), row.getInteger("chunks_done"),
        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"), ZoneId.of(row.getString("timezone")));
  }
}
