package dev.aide.bench;

import dev.aide.embedding.EmbeddingRepository;
import dev.aide.embedding.Embeddings;
import dev.aide.embedding.LocalEmbedder;
import dev.aide.embedding.QueryEmbedding;
import dev.aide.embedding.VectorModel;
import dev.aide.embedding.Vectors;
import dev.aide.memory.MemoryRepository;
import dev.aide.memory.MemoryService;
import dev.aide.platform.database.Database;
import dev.aide.support.TestDatabase;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Benchmark, not a test (./aide bench -Dbench.main=dev.aide.bench.RetrievalScaleBenchmark): does the retrieval Aide
 * uses hold at scale, and does ingestion keep up with the embedding model? Issue 11 §12.
 *
 * <p>Retrieval: a database of its own (the migrated template) gets synthetic memories, 384-dimension vectors of the
 * local model's name spread round-robin over 100 people, loaded with COPY and grown size by size
 * (-Dbench.scaleSizes, default 10,000 and 100,000); at each size the model's HNSW index is built as
 * {@link EmbeddingRepository#ensureIndex} builds it (timed), then 200 queries, each near one person's data, go
 * through {@link MemoryRepository#nearest} (the repository's own statement and settings: HNSW, filtered by person
 * inside the scan with pgvector's iterative scan), and the same query with index scans off gives the exact top 10 to
 * count recall@10 against. Vectors are not uniform noise, which an index cannot learn and no text looks like: each is a
 * unit vector scattered around one of a few hundred centres, and each person writes about a few dozen of them.
 *
 * <p>Ingestion: the real local model (all-MiniLM-L6-v2 quantized) on passages of at least 80 words made of LoCoMo
 * turns (or generated sentences when the data is absent), embedded bare in the batches Aide uses, against the same
 * passages through {@link MemoryService#importItems} (validation, embedding, the memories and their vectors written
 * in one transaction into a table with its HNSW index). The ratio is what Aide keeps of the model's rate.
 */
public final class RetrievalScaleBenchmark {

  private static final int DIMENSION = 384;
  private static final String MODEL = LocalEmbedder.MODEL;
  private static final VectorModel SPACE = new VectorModel(MODEL, DIMENSION);
  private static final int PEOPLE = 100;
  private static final int CENTRES = 300;
  /** How many of the centres one person's memories are about. */
  private static final int TOPICS = 30;
  /** Noise per coordinate: a vector's length ≈ 0.8 from its centre, cosine ≈ 0.6 between two of one centre. */
  private static final double SPREAD = 0.04;
  private static final int K = 10;
  private static final long SEED = 20261204L;
  /**
   * The repository's vector ranking (the memory_meaning of its search, the inner query of its nearest), for trying
   * other settings than the ones it sets; with index scans off it is the exact path, reading every vector of the
   * person.
   */
  private static final String MEANING = """
      select memory_id from memory_vectors
      where model = '%s' and user_id = $1 order by vector::vector(%d) <=> $2::vector(%d) limit $3
      """.formatted(MODEL, DIMENSION, DIMENSION);

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = Arrays.stream(System.getProperty("bench.scaleSizes", "10000,100000").split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).map(Integer::parseInt).sorted().toList();
    int queries = Integer.getInteger("bench.scaleQueries", 200);
    int chunks = Integer.getInteger("bench.ingestChunks", 1_000);
    String buildMemory = System.getProperty("bench.indexMemory", "2GB");
    Vertx vertx = Vertx.vertx();
    try {
      if (chunks > 0) {
        ingestion(vertx, chunks);
      }
      if (!sizes.isEmpty()) {
        retrieval(vertx, sizes, queries, buildMemory);
      }
    } finally {
      vertx.close().await();
    }
    System.exit(0);
  }

  // ---------------------------------------------------------------------------------------------------- retrieval

  private static void retrieval(Vertx vertx, List<Integer> sizes, int queries, String buildMemory) throws Exception {
    List<String> table = new ArrayList<>();
    try (TestDatabase db = TestDatabase.create()) {
      // The index build keeps the graph in maintenance_work_mem; past it pgvector builds on disk, many times slower.
      // The server's default (64 MB) holds about 30,000 of these vectors, so the bench's own database gets more.
      db.execute("alter database " + db.url().database() + " set maintenance_work_mem = '" + buildMemory + "'");
      // One connection: the queries run one after another anyway, and the index's scan counter is then read right.
      Pool pool = Database.pool(vertx, db.url(), 1);
      EmbeddingRepository models = new EmbeddingRepository(pool);
      models.register(SPACE, java.time.Instant.now()).await();
      MemoryRepository memories = new MemoryRepository(pool);
      db.execute("insert into users (email, timezone) select 'scale-' || i || '@example.com', 'UTC'"
          + " from generate_series(0, " + (PEOPLE - 1) + ") i");
      UUID[] people = db.strings("select id::text from users where email like 'scale-%' order by"
          + " split_part(split_part(email, '@', 1), '-', 2)::int").stream().map(UUID::fromString).toArray(UUID[]::new);
      Data data = new Data();
      int loaded = 0;
      System.out.printf(Locale.ROOT, "Retrieval at scale: %d dimensions, %d people (round-robin), %d centres, %d"
          + " topics a person, %d queries a size, top %d (%d cores, maintenance_work_mem %s for the build)%n",
          DIMENSION, PEOPLE, CENTRES, TOPICS, queries, K, Runtime.getRuntime().availableProcessors(), buildMemory);
      for (int size : sizes) {
        long t0 = System.nanoTime();
        db.execute("drop index if exists memory_vectors_hnsw_" + Integer.toHexString(MODEL.hashCode()));
        load(db, people, data, loaded, size);
        loaded = size;
        db.execute("analyze memories");
        db.execute("analyze memory_vectors");
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        models.ensureIndex("memory_vectors", MODEL, DIMENSION).await();
        double buildSeconds = (System.nanoTime() - t1) / 1e9;
        String sizes2 = db.strings("select pg_size_pretty(pg_table_size('memory_vectors')) || ' table, '"
            + " || pg_size_pretty(pg_relation_size('memory_vectors_hnsw_" + Integer.toHexString(MODEL.hashCode())
            + "')) || ' index'").getFirst();
        System.out.printf(Locale.ROOT, "%,d rows: loaded in %.1f s (COPY, cumulative rows), HNSW index built in"
            + " %.1f s; %s%n", size, loadSeconds, buildSeconds, sizes2);
        table.addAll(measure(pool, memories, people, data, size, queries));
      }
      pool.close().await();
    }
    System.out.println();
    System.out.println("| rows | path | p50 ms | p99 ms | recall@10 | queries with < 10 rows | queries through HNSW |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|");
    table.forEach(System.out::println);
  }

  /** The 200 queries at one size, through each path; answers the table's rows. */
  private static List<String> measure(Pool pool, MemoryRepository memories, UUID[] people, Data data, int size,
                                      int count) {
    Random random = new Random(SEED + size);
    List<Integer> who = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int person = random.nextInt(PEOPLE);
      who.add(person);
      vectors.add(data.near(data.topics[person][random.nextInt(TOPICS)], random));
    }
    List<List<UUID>> exact = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      exact.add(ids(inTransaction(pool, List.of("set local enable_indexscan = off"), MEANING, people[who.get(i)],
          vectors.get(i))));
    }
    List<String> rows = new ArrayList<>();
    rows.add(run(pool, size, "exact (index scans off)", count, exact, i ->
        ids(inTransaction(pool, List.of("set local enable_indexscan = off"), MEANING, people[who.get(i)],
            vectors.get(i)))));
    if (!rows.getLast().endsWith("| 0 |")) {
      throw new IllegalStateException("the exact path used the HNSW index: " + rows.getLast());
    }
    rows.add(run(pool, size, "MemoryRepository.nearest (ef_search 100, relaxed_order)", count, exact, i ->
        memories.nearest(people[who.get(i)], SPACE, vectors.get(i), K).await().stream().map(n -> n.memory().id())
            .toList()));
    // The whole statement of each turn's recall: words match nothing here, so its memories are the vector ranking's.
    rows.add(run(pool, size, "MemoryRepository.search, fused statement", count, exact, i ->
        memories.search(people[who.get(i)], new QueryEmbedding("anniversary", SPACE, vectors.get(i)), null, 20, K)
            .await()
            .stream().map(r -> r.id()).toList()));
    for (String[] setting : new String[][] {{"40", "relaxed_order"}, {"200", "relaxed_order"},
        {"100", "strict_order"}, {"100", "off"}}) {
      List<String> sets = List.of("set local hnsw.ef_search = " + setting[0],
          "set local hnsw.iterative_scan = " + setting[1]);
      rows.add(run(pool, size, "same statement, ef_search " + setting[0] + ", " + setting[1], count, exact, i ->
          ids(inTransaction(pool, sets, MEANING, people[who.get(i)], vectors.get(i)))));
    }
    return rows;
  }

  /**
   * Runs 20 queries unmeasured (warm caches and plans), then all measured; one row of the table, with how many of them
   * PostgreSQL answered through the HNSW index (it may sort the person's rows instead when it thinks them few).
   */
  private static String run(Pool pool, int size, String path, int count, List<List<UUID>> exact,
                            java.util.function.IntFunction<List<UUID>> query) {
    for (int i = 0; i < Math.min(count, 20); i++) {
      query.apply(i);
    }
    long scans = hnswScans(pool);
    List<Double> ms = new ArrayList<>();
    double found = 0;
    int short_ = 0;
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      List<UUID> ids = query.apply(i);
      ms.add((System.nanoTime() - t0) / 1e6);
      HashSet<UUID> truth = new HashSet<>(exact.get(i));
      found += ids.stream().filter(truth::contains).count() / (double) truth.size();
      if (ids.size() < K) {
        short_++;
      }
    }
    String line = row(size, path, ms, found / count, short_, hnswScans(pool) - scans);
    System.out.println("  " + line);
    return line;
  }

  private static String row(int size, String path, List<Double> ms, double recall, int short_, long hnsw) {
    return String.format(Locale.ROOT, "| %,d | %s | %.2f | %.2f | %.3f | %d | %d |", size, path, percentile(ms, 0.5),
        percentile(ms, 0.99), recall, short_, hnsw);
  }

  /**
   * How many scans of the model's HNSW index the server has counted: the pool's one connection first flushes its own
   * counts (they are otherwise sent up to seconds later).
   */
  private static long hnswScans(Pool pool) {
    pool.query("select pg_stat_force_next_flush()").execute().await();
    return pool.query("select coalesce(sum(idx_scan), 0) from pg_stat_user_indexes where indexrelname like"
        + " 'memory_vectors_hnsw_%'").execute().await().iterator().next().getLong(0);
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p * sorted.size()) - 1)));
  }

  private static List<UUID> ids(List<Row> rows) {
    return rows.stream().map(r -> r.getUUID(0)).toList();
  }

  /** A statement in a transaction after the given SET LOCALs, as the repository runs its searches. */
  private static List<Row> inTransaction(Pool pool, List<String> settings, String sql, UUID person, float[] vector) {
    return pool.withTransaction(conn -> {
      Future<?> set = Future.succeededFuture();
      for (String setting : settings) {
        set = set.compose(v -> conn.query(setting).execute());
      }
      return set.compose(v -> conn.preparedQuery(sql).execute(Tuple.of(person, Vectors.text(vector), K)));
    }).map(rows -> {
      List<Row> list = new ArrayList<>();
      rows.forEach(list::add);
      return list;
    }).await();
  }

  /**
   * Rows from..to (exclusive) of the synthetic data: memories made in SQL (id i is UUID(0, i), person i mod 100), then
   * their vectors by binary COPY, generated as they are sent so no size needs them in memory.
   */
  private static void load(TestDatabase db, UUID[] people, Data data, int from, int to) throws SQLException,
      IOException {
    String ids = String.join(",", Arrays.stream(people).map(UUID::toString).toList());
    db.execute("insert into memories (id, user_id, content, type, source, created_at, updated_at)"
        + " select ('00000000-0000-0000-0000-' || lpad(to_hex(i), 12, '0'))::uuid,"
        + " ('{" + ids + "}'::uuid[])[i % " + PEOPLE + " + 1], 'synthetic memory ' || i, 'other', 'import',"
        + " now(), now() from generate_series(" + from + ", " + (to - 1) + ") i");
    var url = db.url();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new PGCopyOutputStream(
             c.unwrap(PGConnection.class), "copy memory_vectors (memory_id, model, user_id, vector) from stdin"
             + " (format binary)"), 1 << 20))) {
      byte[] model = MODEL.getBytes(StandardCharsets.UTF_8);
      out.writeBytes("PGCOPY\n");
      out.write(new byte[] {(byte) 0xff, '\r', '\n', 0});
      out.writeInt(0);
      out.writeInt(0);
      for (int i = from; i < to; i++) {
        int person = i % PEOPLE;
        out.writeShort(4);
        uuid(out, new UUID(0, i));
        out.writeInt(model.length);
        out.write(model);
        uuid(out, people[person]);
        float[] v = data.next(person);
        out.writeInt(4 + 4 * DIMENSION);
        out.writeShort(DIMENSION);
        out.writeShort(0);
        for (float x : v) {
          out.writeFloat(x);
        }
      }
      out.writeShort(-1);
    }
  }

  private static void uuid(DataOutputStream out, UUID id) throws IOException {
    out.writeInt(16);
    out.writeLong(id.getMostSignificantBits());
    out.writeLong(id.getLeastSignificantBits());
  }

  /** The synthetic data's centres, each person's topics and the stream of vectors (one seed: the same every run). */
  private static final class Data {
    final float[][] centres = new float[CENTRES][];
    final int[][] topics = new int[PEOPLE][TOPICS];
    private final SplittableRandom rows = new SplittableRandom(SEED);

    Data() {
      Random random = new Random(SEED);
      for (int c = 0; c < CENTRES; c++) {
        float[] v = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
          v[d] = (float) random.nextGaussian();
        }
        centres[c] = unit(v);
      }
      for (int p = 0; p < PEOPLE; p++) {
        List<Integer> all = new ArrayList<>();
        for (int c = 0; c < CENTRES; c++) {
          all.add(c);
        }
        Collections.shuffle(all, random);
        for (int t = 0; t < TOPICS; t++) {
          topics[p][t] = all.get(t);
        }
      }
    }

    /** The next stored vector, for the person whose row it is. */
    float[] next(int person) {
      return near(topics[person][rows.nextInt(TOPICS)], rows);
    }

    float[] near(int centre, java.util.random.RandomGenerator random) {
      float[] v = new float[DIMENSION];
      for (int d = 0; d < DIMENSION; d++) {
        v[d] = (float) (centres[centre][d] + SPREAD * random.nextGaussian());
      }
      return unit(v);
    }

    private static float[] unit(float[] v) {
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) (v[d] / Math.sqrt(norm));
      }
      return v;
    }
  }

  // ---------------------------------------------------------------------------------------------------- ingestion

  /** Batch size: the document reader's (DocumentReader.BATCH). */
  private static final int BATCH = 32;

  private static void ingestion(Vertx vertx, int count) throws IOException {
    List<String> texts = passages(count);
    double words = texts.stream().mapToInt(t -> t.split("\\s+").length).average().orElse(0);
    // The model LocalEmbedder runs by default, given what it is given: each passage after "passage: ".
    EmbeddingModel bare = new E5SmallV2QuantizedEmbeddingModel();
    LocalEmbedder embedder = new LocalEmbedder(vertx);
    for (int i = 0; i < 3; i++) { // warm-up (JIT, ONNX runtime), not measured
      bare.embedAll(texts.subList(0, BATCH).stream().map(t -> TextSegment.from("passage: " + t)).toList());
    }
    double rawBefore = raw(bare, texts);
    double endToEnd;
    try (TestDatabase db = TestDatabase.create()) {
      Pool pool = Database.pool(vertx, db.url(), 4);
      EmbeddingRepository models = new EmbeddingRepository(pool);
      models.register(SPACE, java.time.Instant.now()).await();
      models.ensureIndex("memory_vectors", SPACE).await();
      MemoryService service = new MemoryService(new MemoryRepository(pool), Embeddings.only(embedder));
      db.execute("insert into users (email, timezone) values ('ingest@example.com', 'UTC')");
      UUID person = UUID.fromString(db.strings("select id::text from users").getFirst());
      service.importItems(person, items(texts.subList(0, BATCH), "warm-")).await(); // warm-up, not measured
      long t0 = System.nanoTime();
      for (int from = 0; from < texts.size(); from += BATCH) {
        service.importItems(person, items(texts.subList(from, Math.min(texts.size(), from + BATCH)), "p-")).await();
      }
      endToEnd = texts.size() / ((System.nanoTime() - t0) / 1e9);
      long stored = db.number("select count(*) from memory_vectors");
      if (stored != texts.size() + BATCH) {
        throw new IllegalStateException("expected " + (texts.size() + BATCH) + " vectors, found " + stored);
      }
      pool.close().await();
    }
    double rawAfter = raw(bare, texts);
    double rawRate = (rawBefore + rawAfter) / 2;
    System.out.printf(Locale.ROOT, "Ingestion: %d passages of %.0f words on average, batches of %d, %d cores%n",
        texts.size(), words, BATCH, Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "  bare model (e5-small-v2 quantized, embedAll): %.1f passages/s before,"
        + " %.1f after%n", rawBefore, rawAfter);
    System.out.printf(Locale.ROOT, "  end to end (MemoryService.importItems: embed, write memories and vectors,"
        + " HNSW insert): %.1f passages/s%n", endToEnd);
    System.out.printf(Locale.ROOT, "  ratio: %.2f of the bare model's rate%n%n", endToEnd / rawRate);
  }

  private static double raw(EmbeddingModel model, List<String> texts) {
    long t0 = System.nanoTime();
    for (int from = 0; from < texts.size(); from += BATCH) {
      model.embedAll(texts.subList(from, Math.min(texts.size(), from + BATCH)).stream()
          .map(t -> TextSegment.from("passage: " + t)).toList());
    }
    return texts.size() / ((System.nanoTime() - t0) / 1e9);
  }

  private static List<MemoryRepository.ImportItem> items(List<String> texts, String prefix) {
    List<MemoryRepository.ImportItem> items = new ArrayList<>();
    for (String text : texts) {
      items.add(new MemoryRepository.ImportItem(text, null, null, prefix + items.size() + "-" + text.hashCode()));
    }
    return items;
  }

  /**
   * Passages of at least 80 words (about 95 on LoCoMo): consecutive LoCoMo turns joined (../shared/bench-data/locomo,
   * or -Dbench.locomo), else sentences put together from a small vocabulary with a fixed seed. Distinct texts, so none
   * is skipped.
   */
  private static List<String> passages(int count) throws IOException {
    List<String> turns = new ArrayList<>();
    Path folder = Path.of(System.getProperty("bench.locomo", "../shared/bench-data/locomo"));
    if (Files.isDirectory(folder)) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          JsonObject file_ = new JsonObject(Files.readString(file));
          JsonObject conversation = file_.containsKey("conversation") ? file_.getJsonObject("conversation") : file_;
          for (String key : conversation.fieldNames().stream().sorted().toList()) {
            if (conversation.getValue(key) instanceof JsonArray session) {
              session.forEach(t -> turns.add(((JsonObject) t).getString("speaker") + ": "
                  + ((JsonObject) t).getString("text")));
            }
          }
        }
      }
    }
    if (turns.isEmpty()) {
      String[] vocabulary = ("the lease says notice must be given two months before moving out and the deposit"
          + " returns within thirty days after keys are handed back to the landlord in person on a weekday").split(" ");
      Random random = new Random(SEED);
      for (int i = 0; i < 5_000; i++) {
        StringBuilder s = new StringBuilder();
        for (int w = 0; w < 12; w++) {
          s.append(w == 0 ? "" : " ").append(vocabulary[random.nextInt(vocabulary.length)]);
        }
        turns.add(s + " " + i + ".");
      }
    }
    List<String> passages = new ArrayList<>();
    StringBuilder passage = new StringBuilder();
    for (int i = 0; passages.size() < count; i = (i + 1) % turns.size()) {
      passage.append(passage.isEmpty() ? "" : " ").append(turns.get(i));
      if (passage.toString().split("\\s+").length >= 80) {
        passages.add(passage + " (" + passages.size() + ")");
        passage.setLength(0);
      }
    }
    return passages;
  }
}
