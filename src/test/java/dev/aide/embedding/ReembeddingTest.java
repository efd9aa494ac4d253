package dev.aide.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.Api;
import dev.aide.support.FakeEmbeddings;
import dev.aide.support.TestAide;
import dev.aide.support.TestClock;
import dev.aide.support.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A change of the configured embedding model, on the real server and PostgreSQL with pgvector: everything is embedded
 * again in the background (the new model is a fake OpenAI-compatible /v1/embeddings server on 127.0.0.1 that can hold
 * its answers), search keeps answering from the old model's vectors meanwhile, switches when the new ones are complete,
 * and the old ones go; a restart goes on where the work stopped, two instances do it once, and people stay apart.
 */
@DisplayName("Re-embedding after a change of embedding model")
class ReembeddingTest {

  private static final String PASSWORD = "correct horse battery";
  /** Words that no stored text has: only a search by meaning finds anything for them. */
  private static final String NO_SHARED_WORDS = "zebra quokka";

  private final TestClock clock = TestClock.at(Instant.now());
  private final List<AutoCloseable> open = new ArrayList<>();
  private TestDatabase db;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  @DisplayName("search answers from the old vectors until every item has a new one, then switches; the old ones go")
  void switchesWhenComplete() {
    // Model A: the in-process one (the default), which Aide can always run, so search keeps going by meaning.
    TestAide first = start(Map.of());
    db = first.db();
    assertThat(db.number("select count(*) from embedding_models where complete_at is not null"))
        .as("a new database's first model is complete at once").isEqualTo(1);
    Api ann = client(first);
    ann.register("ann@example.com", "UTC");
    Api ben = client(first);
    ben.register("ben@example.com", "UTC");
    String passport = memory(ann, "My passport expires in June");
    memory(ann, "The wifi password at my parents' house is sunflower");
    String bensPassport = memory(ben, "My passport expires in June");
    chat(ann, "The roof over the garage leaks when it rains");
    chat(ben, "The plumber comes on Thursday morning");
    document(ann, "Lease", "Either party may end the lease with two months' notice in writing.");
    await().atMost(Duration.ofSeconds(30)).until(() -> db.number(
        "select count(*) from message_vectors where model = ?", LocalEmbedder.MODEL) == 2);
    long chunks = db.number("select count(*) from document_chunks");
    first.stopKeepingDatabase();

    // Model B: the fake, holding every batch of the re-embedding (anything but the texts this test sends meanwhile).
    FakeEmbeddings fake = fake().serving("text-embedding-b", 48);
    String added = "The spare key is under the blue flowerpot";
    fake.holding(r -> !Set.of("dimension probe", added).containsAll(r.input()), 0);
    TestAide second = start(fake.env("text-embedding-b"));
    Api ann2 = login(second, "ann@example.com");
    Api ben2 = login(second, "ben@example.com");
    await().atMost(Duration.ofSeconds(30)).until(() -> fake.held() > 0);

    assertThat(db.value("select complete_at from embedding_models where model = 'openai:text-embedding-b'",
        java.time.OffsetDateTime.class)).isNull();
    // The query is embedded with the old model, in the process: words found in no item still find by meaning.
    assertThat(search(ann2, NO_SHARED_WORDS)).isNotEmpty();
    assertThat(fake.requests()).noneMatch(r -> r.contains(NO_SHARED_WORDS));
    assertThat(search(ann2, "passport").getJsonObject(0).getString("id")).isEqualTo(passport);
    JsonObject health = client(second).get("/health").json().getJsonObject("embedding");
    assertThat(health.getString("status")).isEqualTo("ok");
    assertThat(health.getString("model")).isEqualTo("openai:text-embedding-b");
    assertThat(health.getString("search")).isEqualTo(LocalEmbedder.MODEL);
    assertThat(health.getString("searchBy")).isEqualTo("meaning and words");
    assertThat(health.getJsonObject("reembedding").getLong("items")).isEqualTo(5 + chunks);
    // What is written meanwhile gets vectors of both: search stays complete now and after the switch.
    String spareKey = memory(ann2, added);
    assertThat(db.strings("select model from memory_vectors where memory_id = ?::uuid order by model", spareKey))
        .containsExactly(LocalEmbedder.MODEL, "openai:text-embedding-b");

    fake.letGo();
    await().atMost(Duration.ofSeconds(30)).until(() -> db.number(
        "select count(*) from embedding_models where model = 'openai:text-embedding-b' and complete_at is not null")
        == 1);
    assertThat(vectors("memory_vectors", "openai:text-embedding-b")).isEqualTo(4);
    assertThat(vectors("message_vectors", "openai:text-embedding-b")).isEqualTo(2);
    assertThat(vectors("chunk_vectors", "openai:text-embedding-b")).isEqualTo(chunks);
    assertMatchingPeople();
    // Search uses the new model now: the query goes to it, and its vectors rank.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      search(ann2, "when does my passport expire");
      return fake.times("text-embedding-b", "when does my passport expire") > 0;
    });
    assertThat(search(ann2, NO_SHARED_WORDS)).isNotEmpty();
    assertThat(search(ann2, "when does my passport expire").getJsonObject(0).getString("id")).isEqualTo(passport);
    assertThat(ids(search(ben2, "passport wifi roof plumber lease spare key"))).containsExactlyInAnyOrder(bensPassport,
        db.strings("select id::text from messages where role = 'user' and user_id = (select id from users where"
            + " email = 'ben@example.com')").getFirst()).doesNotContain(passport);

    // The old model's vectors stay a while (an instance that has not seen the switch yet may still search them).
    assertThat(vectors("memory_vectors", LocalEmbedder.MODEL)).isPositive();
    clock.jumpTo(clock.instant().plus(Reembedding.KEEP_REPLACED).plusSeconds(1));
    await().atMost(Duration.ofSeconds(30)).until(() -> db.number("select count(*) from embedding_models") == 1);
    for (String table : List.of("memory_vectors", "message_vectors", "chunk_vectors")) {
      assertThat(vectors(table, LocalEmbedder.MODEL)).as(table).isZero();
    }
    assertThat(db.strings("select indexname from pg_indexes where indexname like '%hnsw%'"))
        .hasSize(3).allMatch(name -> !name.endsWith(Integer.toHexString(LocalEmbedder.MODEL.hashCode())));
    assertThat(client(second).get("/health").json().getJsonObject("embedding").containsKey("reembedding")).isFalse();
  }

  @Test
  @DisplayName("a database whose vectors all-MiniLM-L6-v2 made (the default before e5-small-v2) moves to e5 by itself")
  void fromMiniLmToE5() {
    String minilm = "local:all-minilm-l6-v2-q";
    TestAide first = start(Map.of("AIDE_EMBEDDING_MODEL", "all-minilm-l6-v2-q"));
    db = first.db();
    Api ann = client(first);
    ann.register("ann@example.com", "UTC");
    String passport = memory(ann, "My passport expires in June");
    chat(ann, "The roof over the garage leaks when it rains");
    await().atMost(Duration.ofSeconds(30)).until(() -> vectors("message_vectors", minilm) == 1);
    first.stopKeepingDatabase();

    TestAide second = start(Map.of());
    Api ann2 = login(second, "ann@example.com");
    // Search goes by meaning from the start (words found in no item find something): on MiniLM's vectors, as Aide
    // can run that model, until e5's are complete.
    assertThat(search(ann2, NO_SHARED_WORDS)).isNotEmpty();
    await().atMost(Duration.ofSeconds(30)).until(() -> db.number(
        "select count(*) from embedding_models where model = ? and complete_at is not null", LocalEmbedder.MODEL) == 1);
    assertThat(vectors("memory_vectors", LocalEmbedder.MODEL)).isEqualTo(1);
    assertThat(vectors("message_vectors", LocalEmbedder.MODEL)).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        LocalEmbedder.MODEL.equals(client(second).get("/health").json().getJsonObject("embedding").getString("search")));
    assertThat(search(ann2, NO_SHARED_WORDS)).isNotEmpty();
    assertThat(search(ann2, "when does my passport expire").getJsonObject(0).getString("id")).isEqualTo(passport);
  }

  @Test
  @DisplayName("a restart in the middle goes on where it stopped, and two instances do the work once")
  void resumes() {
    FakeEmbeddings fake = fake().serving("text-embedding-a", 32).serving("text-embedding-b", 48);
    TestAide first = start(fake.env("text-embedding-a"));
    db = first.db();
    Api ann = client(first);
    ann.register("ann@example.com", "UTC");
    Api ben = client(first);
    ben.register("ben@example.com", "UTC");
    // More memories than one batch, so the walk stops in the middle of them.
    List<String> annsTexts = new ArrayList<>();
    JsonArray items = new JsonArray();
    for (int i = 0; i < Reembedding.BATCH + 20; i++) {
      annsTexts.add("Ann's note number " + i + " about the garden");
      items.add(new JsonObject().put("text", annsTexts.getLast()).put("externalId", "n" + i));
    }
    assertThat(ann.post("/api/v1/memories/import", new JsonObject().put("items", items)).status()).isEqualTo(200);
    memory(ben, "Ben's bike lock code is 4711");
    chat(ben, "The plumber comes on Thursday morning");
    document(ben, "Bike manual", "Oil the chain every two hundred kilometres.");
    await().atMost(Duration.ofSeconds(30)).until(() -> db.number("select count(*) from message_vectors") == 1);
    first.stopKeepingDatabase();

    // The new model answers the first batch and holds the second; the server stops while it waits.
    fake.holding(r -> r.model().equals("text-embedding-b") && !r.input().equals(List.of("dimension probe")), 1);
    Map<String, String> env = new HashMap<>(fake.env("text-embedding-b"));
    TestAide second = start(env);
    await().atMost(Duration.ofSeconds(30)).until(() -> fake.held() == 1);
    assertThat(vectors("memory_vectors", "openai:text-embedding-b")).isEqualTo(Reembedding.BATCH);
    assertThat(db.value("select resume_at->>'after' from embedding_models where model = 'openai:text-embedding-b'",
        String.class)).isNotNull();
    second.stopKeepingDatabase();
    fake.letGo();

    // Two instances start; the task is taken over from the stopped one and runs on one of them at a time.
    start(env);
    TestAide fourth = start(env);
    await().atMost(Duration.ofSeconds(60)).until(() -> db.number(
        "select count(*) from embedding_models where model = 'openai:text-embedding-b' and complete_at is not null")
        == 1);
    assertThat(vectors("memory_vectors", "openai:text-embedding-b")).isEqualTo(Reembedding.BATCH + 21);
    assertThat(vectors("message_vectors", "openai:text-embedding-b")).isEqualTo(1);
    assertThat(vectors("chunk_vectors", "openai:text-embedding-b"))
        .isEqualTo(db.number("select count(*) from document_chunks"));
    assertMatchingPeople();
    // The first batch was asked for once; the one held when the server stopped, once more; nothing a third time.
    List<String> firstBatch = db.strings("select content from memories order by id limit " + Reembedding.BATCH);
    for (String text : firstBatch) {
      assertThat(fake.times("text-embedding-b", text)).as(text).isEqualTo(1);
    }
    for (String text : annsTexts) {
      assertThat(fake.times("text-embedding-b", text)).as(text).isBetween(1L, 2L);
    }
    assertThat(fake.times("text-embedding-b", "The plumber comes on Thursday morning")).isEqualTo(1);
    assertThat(ids(search(login(fourth, "ben@example.com"), "garden note bike plumber"))).hasSize(2 + 1)
        .noneMatch(id -> db.number("select count(*) from memories m join users u on u.id = m.user_id"
            + " where m.id = ?::uuid and u.email = 'ann@example.com'", id) > 0);
  }

  @Test
  @DisplayName("when the old model cannot be run any more, search goes by words alone until the new one is complete")
  void wordsOnlyMeanwhile() {
    FakeEmbeddings fake = fake().serving("text-embedding-a", 32).serving("text-embedding-b", 48);
    TestAide first = start(fake.env("text-embedding-a"));
    db = first.db();
    Api ann = client(first);
    ann.register("ann@example.com", "UTC");
    String passport = memory(ann, "My passport expires in June");
    assertThat(search(ann, NO_SHARED_WORDS)).isNotEmpty();
    first.stopKeepingDatabase();

    fake.notServing("text-embedding-a");
    fake.holding(r -> !r.input().equals(List.of("dimension probe")), 0);
    TestAide second = start(fake.env("text-embedding-b"));
    Api ann2 = login(second, "ann@example.com");
    await().atMost(Duration.ofSeconds(30)).until(() -> fake.held() > 0);
    assertThat(search(ann2, NO_SHARED_WORDS)).isEmpty();
    assertThat(ids(search(ann2, "passport"))).containsExactly(passport);
    JsonObject health = client(second).get("/health").json();
    assertThat(health.getString("status")).isEqualTo("degraded");
    assertThat(health.getJsonObject("embedding").getString("searchBy")).isEqualTo("words");

    fake.letGo();
    await().atMost(Duration.ofSeconds(30)).until(() -> !search(ann2, NO_SHARED_WORDS).isEmpty());
    assertThat(client(second).get("/health").json().getJsonObject("embedding").getString("searchBy"))
        .isEqualTo("meaning and words");
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  private TestAide start(Map<String, String> env) {
    Map<String, String> vars = new HashMap<>(env);
    vars.put("AIDE_SCHEDULER_POLL_MILLIS", "100");
    vars.put("AIDE_SCHEDULER_TAKEOVER_SECONDS", "1");
    TestAide aide = db == null ? TestAide.start(vars, clock) : TestAide.restartOn(db, vars, clock);
    open.add(aide::stopKeepingDatabase);
    return aide;
  }

  private FakeEmbeddings fake() {
    FakeEmbeddings fake = new FakeEmbeddings();
    open.addFirst(fake);
    return fake;
  }

  private Api client(TestAide aide) {
    Api api = new Api(aide.port());
    open.add(api);
    return api;
  }

  private Api login(TestAide aide, String email) {
    Api api = client(aide);
    Api.Response r = api.post("/api/v1/auth/login", new JsonObject().put("email", email).put("password", PASSWORD));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return api.as(r.json().getString("token"));
  }

  private static String memory(Api api, String content) {
    Api.Response r = api.post("/api/v1/memories", new JsonObject().put("content", content));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static void chat(Api api, String text) {
    Api.Response r = api.post("/api/v1/chat", new JsonObject().put("text", text));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static void document(Api api, String title, String text) {
    Api.Response r = api.post("/api/v1/documents", new JsonObject().put("title", title).put("text", text));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    String id = r.json().getString("id");
    await().atMost(Duration.ofSeconds(30)).until(() ->
        api.get("/api/v1/documents/" + id).json().getString("status").equals("ready"));
  }

  private static JsonArray search(Api api, String query) {
    Api.Response r = api.get("/api/v1/memories/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
        + "&limit=20");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getJsonArray("items");
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(i -> ((JsonObject) i).getString("id")).toList();
  }

  private long vectors(String table, String model) {
    return db.number("select count(*) from " + table + " where model = ?", model);
  }

  /** Every vector is filed under the person whose item it is. */
  private void assertMatchingPeople() {
    assertThat(db.number("""
        select (select count(*) from memory_vectors v join memories m on m.id = v.memory_id
                where v.user_id <> m.user_id)
             + (select count(*) from message_vectors v join messages m on m.id = v.message_id
                where v.user_id <> m.user_id)
             + (select count(*) from chunk_vectors v join document_chunks c on c.id = v.chunk_id
                where v.user_id <> c.user_id)""")).isZero();
  }
}
