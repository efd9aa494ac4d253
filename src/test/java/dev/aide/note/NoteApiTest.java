package dev.aide.note;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Notes are managed and searched through the REST API")
class NoteApiTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("nora@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @Test
  @DisplayName("a note is created, read, listed, changed and deleted, its tags lower-cased")
  void lifecycle() {
    Api.Response created = api.post("/api/v1/notes", new JsonObject().put("content", "The wifi password is tulip42")
        .put("tags", new JsonArray().add("Home").add("#wifi").add("home")));
    assertThat(created.status()).isEqualTo(201);
    JsonObject note = created.json();
    assertThat(note.fieldNames()).contains("id", "content", "tags", "title", "createdAt", "updatedAt");
    assertThat(note.getString("content")).isEqualTo("The wifi password is tulip42");
    assertThat(note.getJsonArray("tags")).containsExactly("home", "wifi");
    assertThat(note.getString("createdAt")).endsWith("+01:00");
    String path = "/api/v1/notes/" + note.getString("id");

    assertThat(api.get(path).json().getString("content")).isEqualTo("The wifi password is tulip42");
    assertThat(api.get("/api/v1/notes").json().getJsonArray("items")).hasSize(1);

    Api.Response changed = api.patch(path, new JsonObject().put("title", "Wifi").put("tags", new JsonArray().add("NET")));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().getString("title")).isEqualTo("Wifi");
    assertThat(changed.json().getJsonArray("tags")).containsExactly("net");
    assertThat(changed.json().getString("content")).isEqualTo("The wifi password is tulip42");
    Api.Response untitled = api.patch(path, new JsonObject().putNull("title").put("content", "wifi: tulip43"));
    assertThat(untitled.json().getString("title")).isNull();
    assertThat(untitled.json().getString("content")).isEqualTo("wifi: tulip43");

    assertThat(api.delete(path).status()).isEqualTo(204);
    assertThat(api.get(path).status()).isEqualTo(404);
    assertThat(api.delete(path).status()).isEqualTo(404);
    assertThat(aide.db().number("select count(*) from notes")).isZero();
  }

  @Test
  @DisplayName("full-text search finds notes by their words, stems included, the best match first")
  void search() {
    String weak = note("Call the plumber's office about the invoice someday", List.of());
    String strong = note("Plumber comes Tuesday; the plumber needs the plumber key for the boiler", List.of());
    note("The wifi password is tulip42", List.of());

    List<String> found = ids(api.get("/api/v1/notes?q=plumber"));
    assertThat(found).containsExactly(strong, weak);
    assertThat(ids(api.get("/api/v1/notes?q=plumbers%20boiler"))).containsExactly(strong);
    assertThat(ids(api.get("/api/v1/notes?q=plumber%20-invoice"))).containsExactly(strong);
    assertThat(ids(api.get("/api/v1/notes?q=%22plumber%20comes%22"))).containsExactly(strong);
    assertThat(ids(api.get("/api/v1/notes?q=giraffe"))).isEmpty();
    assertThat(ids(api.get("/api/v1/notes?q=plumber&limit=1"))).containsExactly(strong);
  }

  @Test
  @DisplayName("a title outweighs the body in the ranking")
  void titleRanksHigher() {
    String body = note("We talked about the budget and then the budget again", List.of());
    String titled = api.post("/api/v1/notes", new JsonObject().put("title", "Budget").put("content", "numbers for Q3"))
        .json().getString("id");

    assertThat(ids(api.get("/api/v1/notes?q=budget"))).containsExactly(titled, body);
  }

  @Test
  @DisplayName("the tag filter keeps only notes with that tag, alone or with a query")
  void tagFilter() {
    String work = note("quarterly review is moved", List.of("work"));
    String both = note("review the lease", List.of("home", "work"));
    note("review the garden", List.of("home"));

    assertThat(ids(api.get("/api/v1/notes?tag=work"))).containsExactlyInAnyOrder(work, both);
    assertThat(ids(api.get("/api/v1/notes?tag=WORK"))).containsExactlyInAnyOrder(work, both);
    assertThat(ids(api.get("/api/v1/notes?tag=home&q=lease"))).containsExactly(both);
    assertThat(ids(api.get("/api/v1/notes?tag=travel"))).isEmpty();
  }

  @Test
  @DisplayName("another person's note is not found, not listed, not searchable, and they cannot change or delete it")
  void othersNotes() {
    String id = note("my secret recipe", List.of("food"));
    Api other = aide.signUp("sam@example.com", "UTC");

    assertThat(other.get("/api/v1/notes/" + id).status()).isEqualTo(404);
    assertThat(other.patch("/api/v1/notes/" + id, new JsonObject().put("content", "mine now")).status()).isEqualTo(404);
    assertThat(other.delete("/api/v1/notes/" + id).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/notes").json().getJsonArray("items")).isEmpty();
    assertThat(other.get("/api/v1/notes?q=recipe").json().getJsonArray("items")).isEmpty();
    assertThat(other.get("/api/v1/notes?tag=food").json().getJsonArray("items")).isEmpty();
    assertThat(aide.db().value("select content from notes", String.class)).isEqualTo("my secret recipe");
  }

  @Test
  @DisplayName("bad note input gets the right status and error JSON, and nothing is written")
  void badInput() {
    expect(api.post("/api/v1/notes", new JsonObject()), 422);
    expect(api.post("/api/v1/notes", new JsonObject().put("content", "   ")), 422);
    expect(api.post("/api/v1/notes", new JsonObject().put("content", 42)), 422);
    expect(api.post("/api/v1/notes", new JsonObject().put("content", "x".repeat(20_001))), 422);
    expect(api.post("/api/v1/notes", new JsonObject().put("content", "x").put("tags", "work")), 422);
    expect(api.post("/api/v1/notes", new JsonObject().put("content", "x").put("tags", new JsonArray().add(7))), 422);
    expect(api.post("/api/v1/notes", new JsonObject().put("content", "x").put("tags", new JsonArray().add("two words"))), 422);
    expect(api.post("/api/v1/notes", new JsonObject().put("content", "x").put("tags", new JsonArray().add(""))), 422);
    expect(api.post("/api/v1/notes", new JsonObject().put("content", "x").put("title", "t".repeat(201))), 422);
    expect(api.post("/api/v1/notes", new JsonObject().put("content", "x").put("colour", "red")), 422);
    expect(api.send(HttpMethod.POST, "/api/v1/notes", Buffer.buffer("{not json"), "application/json"), 400);
    expect(api.send(HttpMethod.POST, "/api/v1/notes", Buffer.buffer("[]"), "application/json"), 400);
    expect(api.send(HttpMethod.POST, "/api/v1/notes", Buffer.buffer("content"), "text/plain"), 415);
    expect(api.get("/api/v1/notes?limit=0"), 422);
    expect(api.get("/api/v1/notes?limit=lots"), 422);
    expect(api.get("/api/v1/notes?tag=no%20spaces"), 422);
    expect(api.get("/api/v1/notes?q=" + "x".repeat(501)), 422);
    expect(api.get("/api/v1/notes/not-a-uuid"), 404);
    expect(api.patch("/api/v1/notes/" + UUID.randomUUID(), new JsonObject().put("content", "x")), 404);
    assertThat(aide.db().number("select count(*) from notes")).isZero();

    String id = note("keep me", List.of("keep"));
    String path = "/api/v1/notes/" + id;
    expect(api.patch(path, new JsonObject()), 422);
    expect(api.patch(path, new JsonObject().putNull("content")), 422);
    expect(api.patch(path, new JsonObject().put("content", " ")), 422);
    expect(api.patch(path, new JsonObject().putNull("tags")), 422);
    expect(api.patch(path, new JsonObject().put("tags", new JsonArray().add("bad tag"))), 422);
    expect(api.patch(path, new JsonObject().put("id", UUID.randomUUID().toString())), 422);
    expect(api.send(HttpMethod.PATCH, path, Buffer.buffer("{"), "application/json"), 400);
    expect(api.send(HttpMethod.PATCH, path, Buffer.buffer("x"), "text/plain"), 415);
    JsonObject kept = api.get(path).json();
    assertThat(kept.getString("content")).isEqualTo("keep me");
    assertThat(kept.getJsonArray("tags")).containsExactly("keep");
    assertThat(aide.db().number("select count(*) from notes")).isEqualTo(1);
  }

  @Test
  @DisplayName("without a token the notes API answers 401")
  void unauthenticated() {
    Api anonymous = aide.client();
    assertThat(anonymous.get("/api/v1/notes").status()).isEqualTo(401);
    assertThat(anonymous.post("/api/v1/notes", new JsonObject().put("content", "x")).status()).isEqualTo(401);
    assertThat(aide.db().number("select count(*) from notes")).isZero();
  }

  private String note(String content, List<String> tags) {
    Api.Response r = api.post("/api/v1/notes", new JsonObject().put("content", content).put("tags", new JsonArray(tags)));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static List<String> ids(Api.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static void expect(Api.Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().getJsonObject("error").getString("code")).isNotBlank();
    assertThat(response.json().getJsonObject("error").getString("message")).isNotBlank();
  }
}
