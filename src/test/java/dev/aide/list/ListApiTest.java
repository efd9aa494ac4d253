package dev.aide.list;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Lists and their items are managed through the REST API")
class ListApiTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("lise@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @Test
  @DisplayName("a list is created, filled, read with its items, renamed and deleted with its items")
  void listLifecycle() {
    Api.Response created = api.post("/api/v1/lists", new JsonObject().put("name", "Groceries").put("kind", "groceries"));
    assertThat(created.status()).isEqualTo(201);
    JsonObject list = created.json();
    assertThat(list.fieldNames()).contains("id", "name", "items");
    assertThat(list.getString("name")).isEqualTo("Groceries");
    assertThat(list.getJsonArray("items")).isEmpty();
    String path = "/api/v1/lists/" + list.getString("id");

    Api.Response apples = api.post(path + "/items", new JsonObject().put("text", "apples").put("quantity", 1.5).put("unit", "kg"));
    assertThat(apples.status()).isEqualTo(201);
    assertThat(apples.json().fieldNames()).contains("id", "text", "quantity", "unit", "done");
    assertThat(new BigDecimal(apples.json().getValue("quantity").toString())).isEqualByComparingTo("1.5");
    assertThat(apples.json().getBoolean("done")).isFalse();
    api.post(path + "/items", new JsonObject().put("text", "milk"));
    api.post(path + "/items", new JsonObject().put("text", "flour").put("quantity", "0.1").put("unit", "kg"));

    JsonObject read = api.get(path).json();
    assertThat(read.getJsonArray("items")).hasSize(3);
    assertThat(read.getJsonArray("items").getJsonObject(0).getString("text")).isEqualTo("apples");
    assertThat(read.getJsonArray("items").getJsonObject(1).getValue("quantity")).isNull();
    assertThat(read.getJsonArray("items").getJsonObject(2).getValue("quantity").toString()).isEqualTo("0.1");
    assertThat(aide.db().value("select quantity::text from list_items where text = 'flour'", String.class)).isEqualTo("0.100");

    JsonObject all = api.get("/api/v1/lists").json();
    assertThat(all.getJsonArray("items")).hasSize(1);
    assertThat(all.getJsonArray("items").getJsonObject(0).getJsonArray("items")).hasSize(3);

    Api.Response renamed = api.patch(path, new JsonObject().put("name", "Food"));
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.json().getString("name")).isEqualTo("Food");
    assertThat(renamed.json().getJsonArray("items")).hasSize(3);

    assertThat(api.delete(path).status()).isEqualTo(204);
    assertThat(api.get(path).status()).isEqualTo(404);
    assertThat(aide.db().number("select count(*) from list_items")).isZero();
  }

  @Test
  @DisplayName("an item is checked off, changed, has its quantity cleared and is deleted")
  void itemLifecycle() {
    String path = "/api/v1/lists/" + list("Packing");
    String item = api.post(path + "/items", new JsonObject().put("text", "socks").put("quantity", 3)).json().getString("id");
    String itemPath = path + "/items/" + item;

    Api.Response done = api.patch(itemPath, new JsonObject().put("done", true));
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.json().getBoolean("done")).isTrue();
    assertThat(done.json().getString("text")).isEqualTo("socks");

    Api.Response changed = api.patch(itemPath, new JsonObject().put("text", "wool socks").put("quantity", "4").put("unit", "pairs"));
    assertThat(changed.json().getString("text")).isEqualTo("wool socks");
    assertThat(changed.json().getValue("quantity").toString()).isEqualTo("4");
    assertThat(changed.json().getString("unit")).isEqualTo("pairs");
    assertThat(changed.json().getBoolean("done")).isTrue();

    Api.Response cleared = api.patch(itemPath, new JsonObject().putNull("quantity").putNull("unit"));
    assertThat(cleared.json().getValue("quantity")).isNull();
    assertThat(cleared.json().getValue("unit")).isNull();

    assertThat(api.delete(itemPath).status()).isEqualTo(204);
    assertThat(api.delete(itemPath).status()).isEqualTo(404);
    assertThat(api.get(path).json().getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("a second list with the same name in another case is a conflict, for another person it is fine")
  void namesUniquePerPerson() {
    list("Groceries");
    Api.Response again = api.post("/api/v1/lists", new JsonObject().put("name", "groceries"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("conflict");
    String todo = list("To-do");
    assertThat(api.patch("/api/v1/lists/" + todo, new JsonObject().put("name", "GROCERIES")).status()).isEqualTo(409);
    assertThat(api.get("/api/v1/lists/" + todo).json().getString("name")).isEqualTo("To-do");

    Api other = aide.signUp("max@example.com", "UTC");
    assertThat(other.post("/api/v1/lists", new JsonObject().put("name", "Groceries")).status()).isEqualTo(201);
    other.close();
    assertThat(aide.db().number("select count(*) from lists")).isEqualTo(3);
  }

  @Test
  @DisplayName("a list's items are put in a new order: those named first, as given, the others after them in their order; "
      + "another person's list, an item of another list, a repeated or malformed id change nothing")
  void reorder() {
    String id = list("Packing");
    String path = "/api/v1/lists/" + id;
    java.util.List<String> items = new java.util.ArrayList<>();
    for (String text : new String[] {"passport", "charger", "socks", "toothbrush"}) {
      items.add(api.post(path + "/items", new JsonObject().put("text", text)).json().getString("id"));
    }
    Api.Response moved = api.send(HttpMethod.PUT, path + "/order",
        new JsonObject().put("itemIds", new JsonArray().add(items.get(2)).add(items.get(0))).toBuffer(), "application/json");
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(moved.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("text")).toList())
        .containsExactly("socks", "passport", "charger", "toothbrush");
    assertThat(api.get(path).json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("text")).toList())
        .containsExactly("socks", "passport", "charger", "toothbrush");

    String other = list("Other");
    String stranger = api.post("/api/v1/lists/" + other + "/items", new JsonObject().put("text", "stranger")).json().getString("id");
    String before = aide.db().strings("select text from list_items where list_id = ?::uuid order by position", id).toString();
    for (JsonObject bad : new JsonObject[] {
        new JsonObject().put("itemIds", new JsonArray().add(items.get(1)).add(stranger)),
        new JsonObject().put("itemIds", new JsonArray().add(items.get(1)).add(items.get(1))),
        new JsonObject().put("itemIds", new JsonArray().add("not-an-id")),
        new JsonObject().put("itemIds", new JsonArray()),
        new JsonObject().put("itemIds", new JsonArray().add(42)),
        new JsonObject().put("itemIds", "socks"),
        new JsonObject(),
        new JsonObject().put("itemIds", new JsonArray().add(items.get(1))).put("extra", true)}) {
      Api.Response r = api.send(HttpMethod.PUT, path + "/order", bad.toBuffer(), "application/json");
      assertThat(r.status()).as(bad.encode() + " " + r.body()).isEqualTo(422);
    }
    assertThat(api.send(HttpMethod.PUT, path + "/order", Buffer.buffer("[1"), "application/json").status()).isEqualTo(400);
    Api sam = aide.signUp("sam@example.com", "UTC");
    assertThat(sam.send(HttpMethod.PUT, path + "/order", new JsonObject().put("itemIds", new JsonArray().add(items.get(3)))
        .toBuffer(), "application/json").status()).isEqualTo(404);
    sam.close();
    assertThat(aide.db().strings("select text from list_items where list_id = ?::uuid order by position", id).toString())
        .isEqualTo(before);
  }

  @Test
  @DisplayName("another person's list and items are not found, and they cannot add to, change or delete them")
  void othersLists() {
    String id = list("Secret");
    String item = api.post("/api/v1/lists/" + id + "/items", new JsonObject().put("text", "gift")).json().getString("id");
    Api other = aide.signUp("sam@example.com", "UTC");
    String path = "/api/v1/lists/" + id;

    assertThat(other.get(path).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/lists").json().getJsonArray("items")).isEmpty();
    assertThat(other.patch(path, new JsonObject().put("name", "mine")).status()).isEqualTo(404);
    assertThat(other.post(path + "/items", new JsonObject().put("text", "spy")).status()).isEqualTo(404);
    assertThat(other.patch(path + "/items/" + item, new JsonObject().put("done", true)).status()).isEqualTo(404);
    assertThat(other.delete(path + "/items/" + item).status()).isEqualTo(404);
    assertThat(other.delete(path).status()).isEqualTo(404);
    other.close();

    String mine = list("Mine");
    assertThat(api.patch("/api/v1/lists/" + mine + "/items/" + item, new JsonObject().put("done", true)).status())
        .as("an item is reached only through its own list").isEqualTo(404);
    assertThat(aide.db().number("select count(*) from list_items")).isEqualTo(1);
    assertThat(aide.db().value("select done from list_items", Boolean.class)).isFalse();
    assertThat(aide.db().value("select name from lists where id = ?::uuid", String.class, id)).isEqualTo("Secret");
  }

  @Test
  @DisplayName("bad list input gets the right status and error JSON, and nothing is written")
  void badListInput() {
    expect(api.post("/api/v1/lists", new JsonObject()), 422);
    expect(api.post("/api/v1/lists", new JsonObject().put("name", "  ")), 422);
    expect(api.post("/api/v1/lists", new JsonObject().put("name", 3)), 422);
    expect(api.post("/api/v1/lists", new JsonObject().put("name", "n".repeat(101))), 422);
    expect(api.post("/api/v1/lists", new JsonObject().put("name", "x").put("items", new JsonArray())), 422);
    expect(api.send(HttpMethod.POST, "/api/v1/lists", Buffer.buffer("{\"name\":"), "application/json"), 400);
    expect(api.send(HttpMethod.POST, "/api/v1/lists", Buffer.buffer("name=x"), "application/x-www-form-urlencoded"), 415);
    expect(api.get("/api/v1/lists/nope"), 404);
    expect(api.patch("/api/v1/lists/" + UUID.randomUUID(), new JsonObject().put("name", "x")), 404);
    assertThat(aide.db().number("select count(*) from lists")).isZero();

    String path = "/api/v1/lists/" + list("Keep");
    expect(api.patch(path, new JsonObject()), 422);
    expect(api.patch(path, new JsonObject().putNull("name")), 422);
    expect(api.patch(path, new JsonObject().put("name", " ")), 422);
    expect(api.send(HttpMethod.PATCH, path, Buffer.buffer("nope"), "application/json"), 400);
    expect(api.send(HttpMethod.PATCH, path, Buffer.buffer("nope"), "text/plain"), 415);
    assertThat(api.get(path).json().getString("name")).isEqualTo("Keep");
    assertThat(aide.db().number("select count(*) from lists")).isEqualTo(1);
  }

  @Test
  @DisplayName("bad item input gets the right status and error JSON, and nothing is written or changed")
  void badItemInput() {
    String path = "/api/v1/lists/" + list("Groceries");
    String items = path + "/items";
    expect(api.post(items, new JsonObject()), 422);
    expect(api.post(items, new JsonObject().put("text", "")), 422);
    expect(api.post(items, new JsonObject().put("text", "t".repeat(201))), 422);
    expect(api.post(items, new JsonObject().put("text", "milk").put("quantity", 0)), 422);
    expect(api.post(items, new JsonObject().put("text", "milk").put("quantity", -2)), 422);
    expect(api.post(items, new JsonObject().put("text", "milk").put("quantity", "two")), 422);
    expect(api.post(items, new JsonObject().put("text", "milk").put("quantity", new JsonObject())), 422);
    expect(api.post(items, new JsonObject().put("text", "milk").put("quantity", "0.0001")), 422);
    expect(api.post(items, new JsonObject().put("text", "milk").put("quantity", "1e20")), 422);
    expect(api.post(items, new JsonObject().put("text", "milk").put("unit", "u".repeat(21))), 422);
    expect(api.post(items, new JsonObject().put("text", "milk").put("done", true)), 422);
    expect(api.send(HttpMethod.POST, items, Buffer.buffer("{]"), "application/json"), 400);
    expect(api.send(HttpMethod.POST, items, Buffer.buffer("milk"), "text/plain"), 415);
    expect(api.post("/api/v1/lists/" + UUID.randomUUID() + "/items", new JsonObject().put("text", "milk")), 404);
    expect(api.post("/api/v1/lists/bad/items", new JsonObject().put("text", "milk")), 404);
    assertThat(aide.db().number("select count(*) from list_items")).isZero();

    String item = items + "/" + api.post(items, new JsonObject().put("text", "milk").put("quantity", 2)).json().getString("id");
    expect(api.patch(item, new JsonObject()), 422);
    expect(api.patch(item, new JsonObject().put("done", "yes")), 422);
    expect(api.patch(item, new JsonObject().putNull("done")), 422);
    expect(api.patch(item, new JsonObject().putNull("text")), 422);
    expect(api.patch(item, new JsonObject().put("quantity", -1)), 422);
    expect(api.patch(item, new JsonObject().put("position", 4)), 422);
    expect(api.patch(items + "/" + UUID.randomUUID(), new JsonObject().put("done", true)), 404);
    expect(api.patch(items + "/zzz", new JsonObject().put("done", true)), 404);
    expect(api.send(HttpMethod.PATCH, item, Buffer.buffer("{"), "application/json"), 400);
    expect(api.send(HttpMethod.PATCH, item, Buffer.buffer("done"), "text/plain"), 415);
    JsonObject kept = api.get(path).json().getJsonArray("items").getJsonObject(0);
    assertThat(kept.getString("text")).isEqualTo("milk");
    assertThat(kept.getValue("quantity").toString()).isEqualTo("2");
    assertThat(kept.getBoolean("done")).isFalse();
    assertThat(aide.db().number("select count(*) from list_items")).isEqualTo(1);
  }

  private String list(String name) {
    Api.Response r = api.post("/api/v1/lists", new JsonObject().put("name", name));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static void expect(Api.Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().getJsonObject("error").getString("code")).isNotBlank();
    assertThat(response.json().getJsonObject("error").getString("message")).isNotBlank();
  }
}
