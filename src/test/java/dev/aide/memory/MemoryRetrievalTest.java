package dev.aide.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.embedding.Embedded;
import dev.aide.embedding.EmbeddingRepository;
import dev.aide.embedding.QueryEmbedding;
import dev.aide.embedding.VectorModel;
import dev.aide.platform.database.Database;
import dev.aide.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The retrieval at the SQL level, on the real PostgreSQL with pgvector: the HNSW path gives the same top results as
 * exact search on small data, and two people with the very same words and vectors never see each other's rows.
 */
@DisplayName("Memory retrieval in SQL: the index agrees with exact search, and people stay apart")
class MemoryRetrievalTest {

  private static final int DIMENSION = 8;
  private static final VectorModel MODEL = new VectorModel("test:random-8", DIMENSION);

  private static Vertx vertx;
  private static TestDatabase db;
  private static Pool pool;
  private static MemoryRepository memories;
  private static UUID anna;
  private static UUID ben;
  private static UUID cleo;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    db = TestDatabase.create();
    pool = Database.pool(vertx, db.url(), 4);
    EmbeddingRepository models = new EmbeddingRepository(pool);
    models.register(MODEL, java.time.Instant.now()).await();
    models.ensureIndex("memory_vectors", MODEL).await();
    memories = new MemoryRepository(pool);
    db.execute("insert into users (email, timezone) values ('anna@example.com', 'UTC'), ('ben@example.com', 'UTC')");
    anna = UUID.fromString(db.strings("select id::text from users where email = 'anna@example.com'").getFirst());
    ben = UUID.fromString(db.strings("select id::text from users where email = 'ben@example.com'").getFirst());
    Random random = new Random(7);
    List<MemoryRepository.ImportItem> items = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      items.add(new MemoryRepository.ImportItem("shared words about item " + i, null, null, "item-" + i,
          i % 2 == 0 ? "Ben: the context before item " + i : null));
      vectors.add(randomUnit(random));
    }
    // The same texts and the same vectors for both people.
    memories.importAll(anna, items, List.of(new Embedded(MODEL, vectors))).await();
    memories.importAll(ben, items, List.of(new Embedded(MODEL, vectors))).await();
    // More vectors than a search reads all of: hers go through the index.
    db.execute("insert into users (email, timezone) values ('cleo@example.com', 'UTC')");
    cleo = UUID.fromString(db.strings("select id::text from users where email = 'cleo@example.com'").getFirst());
    List<MemoryRepository.ImportItem> many = new ArrayList<>();
    List<float[]> manyVectors = new ArrayList<>();
    for (int i = 0; i <= MemoryRepository.READ_ALL; i++) {
      many.add(new MemoryRepository.ImportItem("cleo's item " + i, null, null, "cleo-" + i, null));
      manyVectors.add(randomUnit(random));
    }
    memories.importAll(cleo, many, List.of(new Embedded(MODEL, manyVectors))).await();
  }

  @AfterAll
  static void stop() {
    pool.close().await();
    vertx.close().await();
    db.close();
  }

  @Test
  @DisplayName("the HNSW path returns the same top 10 as exact search, for 30 queries")
  void indexAgreesWithExact() {
    Random random = new Random(11);
    for (int q = 0; q < 30; q++) {
      float[] query = randomUnit(random);
      List<UUID> exact = memories.nearestIds(anna, MODEL, query, 10, true).await();
      List<UUID> indexed = memories.nearestIds(anna, MODEL, query, 10, false).await();
      assertThat(exact).hasSize(10);
      assertThat(indexed).as("query %d", q).containsExactlyInAnyOrderElementsOf(exact);
    }
    // The two paths really differ: the one through the model's HNSW index, the other reading every vector.
    float[] query = randomUnit(random);
    assertThat(memories.nearestPlan(anna, MODEL, query, 10, false).await()).contains("memory_vectors_hnsw_");
    assertThat(memories.nearestPlan(anna, MODEL, query, 10, true).await()).doesNotContain("memory_vectors_hnsw_");
  }

  @Test
  @DisplayName("the fused search by meaning alone finds the exact nearest: by reading every vector of a person with a "
      + "few hundred, through the index for one with more than the search reads all of")
  void searchFindsTheNearest() {
    Random random = new Random(17);
    for (int q = 0; q < 10; q++) {
      float[] query = randomUnit(random);
      // Words no item has: the ranking is by meaning alone.
      QueryEmbedding byMeaning = new QueryEmbedding("zanzibar", MODEL, query);
      List<UUID> exact = memories.nearestIds(anna, MODEL, query, 10, true).await();
      assertThat(memories.search(anna, byMeaning, null, 10, 10).await()).extracting(Recalled::id)
          .as("query %d", q).containsExactlyElementsOf(exact);
      List<UUID> cleosExact = memories.nearestIds(cleo, MODEL, query, 10, true).await();
      List<Recalled> cleos = memories.search(cleo, byMeaning, null, 10, 10).await();
      assertThat(cleos).hasSize(10).allMatch(r -> r.kind() == Recalled.Kind.MEMORY && r.id() != null);
      assertThat(cleos.getFirst().id()).as("query %d", q).isEqualTo(cleosExact.getFirst());
      assertThat(cleos).extracting(Recalled::id).filteredOn(cleosExact::contains).hasSizeGreaterThanOrEqualTo(9);
    }
  }

  @Test
  @DisplayName("with the very same words and vectors, one person's search never returns the other's rows")
  void peopleApart() {
    List<UUID> annas = db.strings("select id::text from memories where user_id = ?::uuid", anna.toString()).stream()
        .map(UUID::fromString).toList();
    Random random = new Random(13);
    for (int q = 0; q < 10; q++) {
      float[] query = randomUnit(random);
      assertThat(memories.nearestIds(anna, MODEL, query, 50, false).await()).hasSize(50).allMatch(annas::contains);
      assertThat(memories.search(anna, new QueryEmbedding("shared words item", MODEL, query), null, 40, 40).await())
          .hasSize(40)
          .allMatch(r -> annas.contains(r.id()));
      assertThat(memories.search(ben, new QueryEmbedding("shared words item", MODEL, query), null, 40, 40).await())
          .noneMatch(r -> annas.contains(r.id()));
      // The period's ranking and the words of what an item was said after are filtered by person too.
      Period today = new Period(LocalDate.now(ZoneOffset.UTC).minusDays(1), LocalDate.now(ZoneOffset.UTC).plusDays(2));
      assertThat(memories.search(anna, new QueryEmbedding("context before", MODEL, query), today, 40, 40).await())
          .hasSize(40)
          .allMatch(r -> annas.contains(r.id()));
      assertThat(memories.search(ben, new QueryEmbedding("context before", MODEL, query), today, 40, 40).await())
          .noneMatch(r -> annas.contains(r.id()));
    }
  }

  private static float[] randomUnit(Random random) {
    float[] v = new float[DIMENSION];
    double norm = 0;
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return v;
  }
}
