package dev.aide.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Memories are kept, imported and searched through the REST API, each person's apart")
class MemoryApiTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("mira@example.com", "Europe/Lisbon");

  private final Api api = aide.api();

  @Test
  @DisplayName("a memory is created, read, listed, changed and deleted; its vector follows its words")
  void lifecycle() {
    Api.Response created = api.post("/api/v1/memories", new JsonObject()
        .put("content", "My sister Anna's birthday is on 3 May").put("type", "person")
        .put("tags", new JsonArray().add("Family")).put("importance", 0.9));
    assertThat(created.status()).isEqualTo(201);
    JsonObject memory = created.json();
    assertThat(memory.getString("type")).isEqualTo("person");
    assertThat(memory.getJsonArray("tags")).containsExactly("family");
    assertThat(memory.getString("source")).isEqualTo("api");
    assertThat(memory.getDouble("importance")).isCloseTo(0.9, org.assertj.core.data.Offset.offset(0.001));
    String path = "/api/v1/memories/" + memory.getString("id");
    assertThat(aide.db().number("select count(*) from memory_vectors where memory_id = ?::uuid",
        memory.getString("id"))).isEqualTo(1);

    assertThat(api.get(path).json().getString("content")).isEqualTo("My sister Anna's birthday is on 3 May");
    assertThat(api.get("/api/v1/memories?type=person").json().getJsonArray("items")).hasSize(1);
    assertThat(api.get("/api/v1/memories?type=place").json().getJsonArray("items")).isEmpty();

    String before = aide.db().value("select vector::text from memory_vectors where memory_id = ?::uuid", String.class,
        memory.getString("id"));
    Api.Response changed = api.patch(path, new JsonObject().put("content", "Anna's birthday is on 4 May"));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().getString("content")).isEqualTo("Anna's birthday is on 4 May");
    assertThat(aide.db().value("select vector::text from memory_vectors where memory_id = ?::uuid", String.class,
        memory.getString("id"))).isNotEqualTo(before);

    assertThat(api.delete(path).status()).isEqualTo(204);
    assertThat(api.get(path).status()).isEqualTo(404);
    assertThat(aide.db().number("select count(*) from memory_vectors")).isZero();
  }

  @Test
  @DisplayName("bad input is refused with a clear error and writes nothing")
  void badInput() {
    assertThat(api.post("/api/v1/memories", new JsonObject().put("content", "")).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/memories", new JsonObject().put("content", "x\u0000y")).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/memories", new JsonObject().put("content", "x").put("type", "secret")).status())
        .isEqualTo(422);
    assertThat(api.post("/api/v1/memories", new JsonObject().put("content", "x").put("importance", 7)).status())
        .isEqualTo(422);
    assertThat(api.post("/api/v1/memories", new JsonObject().put("content", "x").put("occurredAt",
        "1700-01-01T00:00:00Z")).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/memories", new JsonObject().put("content", "x".repeat(4_001))).status())
        .isEqualTo(422);
    assertThat(api.patch("/api/v1/memories/" + java.util.UUID.randomUUID(), new JsonObject().put("content", "y"))
        .status()).isEqualTo(404);
    assertThat(api.get("/api/v1/memories/search").status()).isEqualTo(422);
    assertThat(api.get("/api/v1/memories/search?q=x&limit=0").status()).isEqualTo(422);

    JsonArray items = new JsonArray().add(item("fine", "a", null)).add(item("also fine", "a", null));
    Api.Response twice = api.post("/api/v1/memories/import", new JsonObject().put("items", items));
    assertThat(twice.status()).isEqualTo(422);
    assertThat(twice.body()).contains("items[1].externalId");
    Api.Response old = api.post("/api/v1/memories/import", new JsonObject().put("items", new JsonArray()
        .add(item("fine", "b", null)).add(new JsonObject().put("text", "old").put("at", "1700-01-01T00:00:00Z"))));
    assertThat(old.status()).isEqualTo(422);
    assertThat(old.body()).contains("items[1].at");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 2_001; i++) {
      tooMany.add(new JsonObject().put("text", "item " + i));
    }
    assertThat(api.post("/api/v1/memories/import", new JsonObject().put("items", tooMany)).status()).isEqualTo(422);
    assertThat(api.post("/api/v1/memories/import", new JsonObject().put("items", new JsonArray())).status())
        .isEqualTo(422);
    assertThat(api.post("/api/v1/memories/import", new JsonObject().put("items", new JsonArray().add("text")))
        .status()).isEqualTo(422);
    assertThat(aide.db().number("select count(*) from memories")).isZero();
  }

  @Test
  @DisplayName("an import is searchable when answered; importing an externalId again updates, never duplicates")
  void importAndSearch() {
    JsonArray items = new JsonArray()
        .add(item("I went to a LGBTQ support group yesterday and it was so powerful.", "D1:3", "Caroline"))
        .add(item("I'm thinking of going back to school to study counseling.", "D1:5", "Caroline"))
        .add(item("We adopted a puppy named Oscar last weekend!", "D1:7", "Melanie"))
        .add(item("My favourite painting is the sunset over the lake that I did in art class.", "D1:9", "Melanie"));
    Api.Response imported = api.post("/api/v1/memories/import", new JsonObject().put("items", items));
    assertThat(imported.status()).isEqualTo(200);
    assertThat(imported.json()).isEqualTo(new JsonObject().put("imported", 4).put("skipped", 0));

    // By meaning: none of these words is in the item it finds.
    JsonArray pets = search("which dog did they get?");
    assertThat(pets.getJsonObject(0).getString("externalId")).isEqualTo("D1:7");
    assertThat(pets.getJsonObject(0).getString("kind")).isEqualTo("memory");
    assertThat(pets.getJsonObject(0).getString("text")).startsWith("Melanie: ");
    assertThat(pets.getJsonObject(0).getString("occurredAt")).isEqualTo("2023-05-08T14:00:00+01:00");
    // The turn after it (D1:7) is read after it, as a reply, so it may come first; the turn itself comes next.
    assertThat(search("career plans education").stream().limit(2).map(o -> ((JsonObject) o).getString("externalId")))
        .contains("D1:5");
    // By words, and by the speaker's name.
    assertThat(search("painting").getJsonObject(0).getString("externalId")).isEqualTo("D1:9");
    assertThat(search("Caroline support group").getJsonObject(0).getString("externalId")).isEqualTo("D1:3");

    Api.Response again = api.post("/api/v1/memories/import", new JsonObject().put("items", items.copy()
        .set(1, item("I'm going back to school to study psychology.", "D1:5", "Caroline"))));
    assertThat(again.json()).isEqualTo(new JsonObject().put("imported", 1).put("skipped", 3));
    assertThat(aide.db().number("select count(*) from memories")).isEqualTo(4);
    assertThat(aide.db().number("select count(*) from memory_vectors")).isEqualTo(4);
    assertThat(search("psychology").getJsonObject(0).getString("text")).contains("psychology");
  }

  @Test
  @DisplayName("an imported reply is read after what it answers: found by the question's words and meaning")
  void replyInContext() {
    JsonArray items = new JsonArray()
        .add(item("Have you ever watched the Perseid meteor shower?", "D2:1", "Melanie"))
        .add(item("Yes, twice! Once with my dad when I was a kid, lying on the roof.", "D2:2", "Caroline"))
        .add(item("I bought a new blender for smoothies.", "D2:3", "Melanie"))
        .add(item("My brother is moving to Denver in the fall.", "D2:4", "Caroline"))
        .add(item("The pottery class on Thursday was fun.", "D2:5", "Melanie"))
        .add(item("I can't decide between the blue and the green jacket.", "D2:6", "Caroline"))
        .add(item("Let's meet for coffee next week.", "D2:7", "Melanie"));
    assertThat(api.post("/api/v1/memories/import", new JsonObject().put("items", items)).status()).isEqualTo(200);
    assertThat(aide.db().strings("select coalesce(context, '-') from memories order by external_id")).containsExactly(
        "-", "Melanie: Have you ever watched the Perseid meteor shower?", "Caroline: Yes, twice! Once with my dad "
            + "when I was a kid, lying on the roof.", "Melanie: I bought a new blender for smoothies.",
        "Caroline: My brother is moving to Denver in the fall.", "Melanie: The pottery class on Thursday was fun.",
        "Caroline: I can't decide between the blue and the green jacket.");
    // "meteor shower" is only in the question; the reply says when.
    List<String> found = search("how many times did Caroline see the meteor shower?").stream()
        .map(o -> ((JsonObject) o).getString("externalId")).limit(2).toList();
    assertThat(found).contains("D2:2");
    // Items of another time, or without a speaker, are not read after the one before them.
    api.post("/api/v1/memories/import", new JsonObject().put("items", new JsonArray()
        .add(item("We should repaint the fence.", "N:1", "Melanie"))
        .add(item("Tomorrow I fly to Oslo.", "N:2", "Melanie").put("at", "2023-05-09T09:00:00Z"))
        .add(item("The gate code is 4411", "N:3", null).put("at", "2023-05-09T09:00:00Z"))));
    assertThat(aide.db().strings("select coalesce(context, '-') from memories where external_id like 'N:%' "
        + "order by external_id")).containsExactly("-", "-", "-");
  }

  @Test
  @DisplayName("a search naming a day or a month also ranks what was said then by meaning")
  void periodNamed() {
    JsonArray items = new JsonArray()
        .add(item("We went hiking up the ridge, the view was amazing.", "a", "Jon").put("at", "2023-03-03T18:00:00Z"))
        .add(item("We went hiking by the lake, it rained all day.", "b", "Jon").put("at", "2023-05-03T18:00:00Z"))
        .add(item("We went hiking in the forest with the dog.", "c", "Jon").put("at", "2023-07-03T18:00:00Z"));
    assertThat(api.post("/api/v1/memories/import", new JsonObject().put("items", items)).status()).isEqualTo(200);

    assertThat(search("Where did Jon go hiking on 3 May 2023?").getJsonObject(0).getString("externalId"))
        .isEqualTo("b");
    assertThat(search("Where did Jon go hiking in July 2023?").getJsonObject(0).getString("externalId"))
        .isEqualTo("c");
    assertThat(search("Where did Jon go hiking on March 3, 2023?").getJsonObject(0).getString("externalId"))
        .isEqualTo("a");
  }

  @Test
  @DisplayName("another person's memories are never found, read, changed or deleted")
  void othersApart() {
    JsonArray items = new JsonArray().add(item("The wifi password at my parents' is tulip42", "w", null));
    api.post("/api/v1/memories/import", new JsonObject().put("items", items));
    String mine = api.get("/api/v1/memories").json().getJsonArray("items").getJsonObject(0).getString("id");
    try (Api other = new Api(aide.port())) {
      other.register("otto@example.com", "Europe/Berlin");
      assertThat(other.get("/api/v1/memories/search?q=wifi%20password%20parents").json().getJsonArray("items"))
          .isEmpty();
      other.post("/api/v1/memories/import", new JsonObject().put("items", items.copy()));
      JsonArray found = other.get("/api/v1/memories/search?q=wifi%20password%20parents").json().getJsonArray("items");
      assertThat(found).hasSize(1);
      assertThat(found.getJsonObject(0).getString("id")).isNotEqualTo(mine);
      assertThat(other.get("/api/v1/memories/" + mine).status()).isEqualTo(404);
      assertThat(other.patch("/api/v1/memories/" + mine, new JsonObject().put("content", "x")).status()).isEqualTo(404);
      assertThat(other.delete("/api/v1/memories/" + mine).status()).isEqualTo(404);
    }
    assertThat(api.get("/api/v1/memories/" + mine).json().getString("content")).contains("tulip42");
  }

  @Test
  @DisplayName("what a person said in a chat is found again (episodic recall)")
  void messagesSearchable() {
    assertThat(api.post("/api/v1/chat", new JsonObject().put("text", "the roofer said the gutter leaks above the kitchen"))
        .status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> aide.db().number("select count(*) from message_vectors") > 0);
    JsonObject hit = search("roof repair").getJsonObject(0);
    assertThat(hit.getString("kind")).isEqualTo("message");
    assertThat(hit.getString("text")).contains("gutter leaks");
  }

  private JsonArray search(String q) {
    Api.Response response = api.get("/api/v1/memories/search?q=" + java.net.URLEncoder.encode(q,
        java.nio.charset.StandardCharsets.UTF_8) + "&limit=5");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().getJsonArray("items");
  }

  private static JsonObject item(String text, String externalId, String speaker) {
    return new JsonObject().put("text", text).put("externalId", externalId).put("speaker", speaker)
        .put("at", "2023-05-08T13:00:00Z");
  }
}
