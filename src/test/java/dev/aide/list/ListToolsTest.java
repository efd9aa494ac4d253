package dev.aide.list;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.ToolHarness;
import dev.langchain4j.service.tool.ToolExecution;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The list tools act through the AI service for the conversation's user")
class ListToolsTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest();

  private static ToolHarness tools;
  private UUID ann;
  private UUID bob;

  @BeforeAll
  static void start() {
    tools = new ToolHarness(aide.db(), (pool, confirmations) ->
        List.of(new ListTools(new ListService(new ListRepository(pool)), confirmations)));
  }

  @AfterAll
  static void stop() {
    tools.close();
  }

  @BeforeEach
  void users() {
    try (Api api = new Api(aide.port())) {
      ann = UUID.fromString(api.register("ann@example.com", "Europe/Paris").getString("id"));
      bob = UUID.fromString(api.register("bob@example.com", "UTC").getString("id"));
    }
  }

  @Test
  @DisplayName("the service offers exactly the eight list tools")
  void offered() {
    tools.turn(ann, "hello");
    assertThat(tools.model().offeredTools()).containsExactlyInAnyOrder("addToList", "showList", "checkOffItems",
        "removeFromList", "clearList", "createList", "deleteList", "listLists");
  }

  @Test
  @DisplayName("addToList creates a missing list, named as said, with quantities and units")
  void addCreatesList() {
    tools.model().then("addToList", add("grocery", item("apples", "2", "kg"), item("bananas", "3", null)));

    List<ToolExecution> ran = tools.turn(ann, "add 2 kg of apples and 3 bananas to the grocery list");

    assertThat(ran).extracting(e -> e.request().name()).containsExactly("addToList");
    assertThat(ran.get(0).result()).isEqualTo("Created the list «grocery». Added to «grocery»: 2 kg «apples», 3 «bananas».");
    assertThat(aide.db().value("select name from lists where user_id = ?", String.class, ann)).isEqualTo("grocery");
    assertThat(aide.db().value("select quantity::text || ' ' || unit from list_items where text = 'apples'", String.class))
        .isEqualTo("2.000 kg");
    assertThat(aide.db().number("select count(*) from list_items where user_id = ?", ann)).isEqualTo(2);
  }

  @Test
  @DisplayName("a duplicate item is merged by adding quantities when units match, exactly, across grocery/shopping names")
  void duplicatesMerge() {
    tools.model().then("addToList", add("grocery", item("apples", "2", "kg"), item("milk", null, null),
            item("flour", "0.1", "kg")))
        .then("addToList", add("shopping", item("Apples", "1.5", "KG"), item("milk", null, null), item("flour", "0.2", "kg")))
        .then("addToList", add("groceries", item("apples", "3", null), item("the milk", "2", null)));

    List<ToolExecution> ran = tools.turn(ann, "add things");

    assertThat(ran.get(1).result())
        .isEqualTo("Added to «grocery»: «apples» (now 3.5 kg «apples»), «milk» (already there), «flour» (now 0.3 kg «flour»).");
    assertThat(ran.get(2).result()).isEqualTo("Added to «grocery»: 3 «apples», «milk» (now 3 «milk»).");
    assertThat(aide.db().number("select count(*) from lists")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from list_items")).isEqualTo(4);
    assertThat(aide.db().value("select quantity::text from list_items where text = 'flour'", String.class)).isEqualTo("0.300");
    assertThat(aide.db().value("select quantity::text from list_items where text = 'apples' and unit = 'kg'", String.class))
        .isEqualTo("3.500");
  }

  @Test
  @DisplayName("showList and listLists describe the user's own lists only")
  void show() {
    tools.model().then("addToList", add("packing", item("sunscreen", null, null), item("socks", "3", "pairs")))
        .then("addToList", add("to-do", item("call the bank", null, null)));
    tools.turn(ann, "setup");
    tools.model().then("addToList", add("packing", item("bob's passport", null, null)));
    tools.turn(bob, "setup");
    tools.model().then("showList", new JsonObject().put("listName", "my Packing list"))
        .then("listLists", new JsonObject())
        .then("showList", new JsonObject().put("listName", "holiday"));

    List<ToolExecution> ran = tools.turn(ann, "show");

    assertThat(ran.get(0).result()).isEqualTo("«packing» (2 items):\n- «sunscreen»\n- 3 pairs «socks»");
    assertThat(ran.get(1).result()).isEqualTo("Your lists:\n- «packing» (2 items)\n- «to-do» (1 item)");
    assertThat(ran.get(2).result()).isEqualTo("You have no list called «holiday». Your lists: «packing», «to-do».");
  }

  @Test
  @DisplayName("checkOffItems finds the list that has the item, and checks off several only after the person's yes")
  void checkOff() {
    tools.model().then("addToList", add("grocery", item("apples", null, null), item("milk", null, null),
        item("eggs", null, null)))
        .then("addToList", add("packing", item("sunscreen", null, null)));
    tools.turn(ann, "setup");

    tools.model().then("checkOffItems", new JsonObject().put("items", new JsonArray().add("the apple")));
    assertThat(tools.turn(ann, "I bought the apples").get(0).result()).isEqualTo("Checked off «apples» on «grocery».");
    assertThat(aide.db().value("select done from list_items where text = 'apples'", Boolean.class)).isTrue();

    JsonObject two = new JsonObject().put("listName", "shopping").put("items", new JsonArray().add("milk").add("eggs"));
    tools.model().then("checkOffItems", two);
    assertThat(tools.turn(ann, "cross off milk and eggs").get(0).result())
        .isEqualTo("This needs the person's confirmation; it has been asked: "
            + "check off «milk» on «grocery», «eggs» on «grocery».");
    assertThat(aide.db().number("select count(*) from list_items where done")).isEqualTo(1);

    assertThat(tools.answer(ann, "yes").orElseThrow().reply()).isEqualTo("Checked off milk on grocery, eggs on grocery.");
    assertThat(aide.db().number("select count(*) from list_items where done")).isEqualTo(3);

    tools.model().then("checkOffItems", new JsonObject().put("items", new JsonArray().add("tent")));
    assertThat(tools.turn(ann, "I packed the tent").get(0).result())
        .isEqualTo("Error: «tent» is not an open item on any of your lists. Nothing was checked off.");
  }

  @Test
  @DisplayName("an item on two lists is not checked off until the list is named")
  void ambiguousCheckOff() {
    tools.model().then("addToList", add("grocery", item("batteries", null, null)))
        .then("addToList", add("hardware", item("batteries", null, null)))
        .then("checkOffItems", new JsonObject().put("items", new JsonArray().add("batteries")));

    List<ToolExecution> ran = tools.turn(ann, "I bought batteries");

    assertThat(ran.get(2).result()).startsWith("Error: «batteries» is on several lists («grocery», «hardware»)");
    assertThat(aide.db().number("select count(*) from list_items where done")).isZero();
  }

  @Test
  @DisplayName("removeFromList removes one item at once, several only after the person's yes")
  void remove() {
    tools.model().then("addToList", add("grocery", item("apples", null, null), item("bananas", "3", null),
        item("milk", null, null)));
    tools.turn(ann, "setup");

    tools.model().then("removeFromList", new JsonObject().put("listName", "grocery").put("items", new JsonArray().add("bananas")));
    assertThat(tools.turn(ann, "remove bananas from the grocery list").get(0).result())
        .isEqualTo("Removed from «grocery»: 3 «bananas».");

    JsonObject both = new JsonObject().put("listName", "groceries").put("items", new JsonArray().add("apples").add("milk"));
    tools.model().then("removeFromList", both);
    assertThat(tools.turn(ann, "remove apples and milk").get(0).result()).isEqualTo("This needs the person's "
        + "confirmation; it has been asked: remove 2 items from «grocery» («apples», «milk»).");
    assertThat(aide.db().number("select count(*) from list_items")).isEqualTo(2);

    assertThat(tools.answer(ann, "ok").orElseThrow().reply()).isEqualTo("Removed from grocery: apples, milk.");
    assertThat(aide.db().number("select count(*) from list_items")).isZero();
  }

  @Test
  @DisplayName("clearList deletes the done items after a yes when more than one would go, and a whole list always after a yes")
  void clear() {
    tools.model().then("addToList", add("grocery", item("apples", null, null), item("milk", null, null),
            item("eggs", null, null)))
        .then("checkOffItems", new JsonObject().put("items", new JsonArray().add("apples").add("milk")));
    tools.turn(ann, "setup");
    tools.answer(ann, "yes");

    tools.model().then("clearList", new JsonObject().put("listName", "grocery").put("onlyDone", true));
    assertThat(tools.turn(ann, "clear the done items from my grocery list").get(0).result())
        .isEqualTo("This needs the person's confirmation; it has been asked: "
            + "delete 2 done items from «grocery» («apples», «milk»).");
    assertThat(aide.db().number("select count(*) from list_items")).isEqualTo(3);

    assertThat(tools.answer(ann, "yes").orElseThrow().reply()).isEqualTo("Cleared 2 items from grocery: apples, milk.");
    assertThat(aide.db().value("select text from list_items", String.class)).isEqualTo("eggs");

    tools.model().then("clearList", new JsonObject().put("listName", "grocery"));
    assertThat(tools.turn(ann, "clear my grocery list").get(0).result()).isEqualTo("This needs the person's "
        + "confirmation; it has been asked: delete 1 item from «grocery» («eggs»).");
    assertThat(aide.db().number("select count(*) from list_items")).isEqualTo(1);
    assertThat(tools.answer(ann, "yes").orElseThrow().reply()).isEqualTo("Cleared 1 item from grocery: eggs.");
    assertThat(aide.db().number("select count(*) from list_items")).isZero();
    assertThat(aide.db().number("select count(*) from lists")).isEqualTo(1);
  }

  @Test
  @DisplayName("removeFromList with no list named takes the item off the one list that holds it, and names the lists "
      + "when several or none do, removing nothing")
  void removeFromUnnamedList() {
    tools.model().then("addToList", add("grocery", item("milk", null, null), item("eggs", null, null)))
        .then("addToList", add("packing", item("eggs", null, null), item("socks", null, null)));
    tools.turn(ann, "setup");
    tools.model().then("addToList", add("grocery", item("bread", null, null)));
    tools.turn(bob, "setup");
    tools.model().then("removeFromList", new JsonObject().put("items", new JsonArray().add("eggs")))
        .then("removeFromList", new JsonObject().put("items", new JsonArray().add("bread")));

    List<ToolExecution> ran = tools.turn(ann, "remove eggs, and bob's bread");

    assertThat(ran.get(0).result()).isEqualTo("Error: «eggs» is on several lists («grocery», «packing»); say which. "
        + "Nothing was removed.");
    assertThat(ran.get(1).result()).isEqualTo("Error: no list of yours holds «bread». Nothing was removed.");
    tools.model().then("removeFromList", new JsonObject().put("items", new JsonArray().add("the milk")));
    assertThat(tools.turn(ann, "remove the milk").get(0).result()).isEqualTo("Removed from «grocery»: «milk».");
    assertThat(aide.db().number("select count(*) from list_items where user_id = ?", ann)).isEqualTo(3);
    assertThat(aide.db().number("select count(*) from list_items where user_id = ?", bob)).isEqualTo(1);
  }

  @Test
  @DisplayName("deleteList deletes a list with its items only after the person's yes, and never another person's")
  void deleteList() {
    tools.model().then("addToList", add("packing", item("socks", null, null), item("hat", null, null)));
    tools.turn(ann, "setup");
    tools.model().then("addToList", add("packing", item("bob's socks", null, null)));
    tools.turn(bob, "setup");

    tools.model().then("deleteList", new JsonObject().put("listName", "my packing list"));
    assertThat(tools.turn(ann, "delete my packing list").get(0).result()).isEqualTo("This needs the person's "
        + "confirmation; it has been asked: delete the list «packing» and its 2 items.");
    assertThat(aide.db().number("select count(*) from lists where user_id = ?", ann)).isEqualTo(1);
    assertThat(tools.answer(ann, "yes").orElseThrow().reply()).isEqualTo("Deleted the list packing.");
    assertThat(aide.db().number("select count(*) from lists where user_id = ?", ann)).isZero();
    assertThat(aide.db().number("select count(*) from list_items where user_id = ?", ann)).isZero();
    assertThat(aide.db().number("select count(*) from list_items where user_id = ?", bob)).isEqualTo(1);

    tools.model().then("deleteList", new JsonObject().put("listName", "packing"));
    assertThat(tools.turn(ann, "delete my packing list").get(0).result())
        .isEqualTo("You have no list called «packing».");
    assertThat(aide.db().number("select count(*) from lists where user_id = ?", bob)).isEqualTo(1);
  }

  @Test
  @DisplayName("one person's tools never touch another person's list of the same name")
  void ownership() {
    tools.model().then("addToList", add("grocery", item("bob's milk", null, null)));
    tools.turn(bob, "setup");
    tools.model().then("addToList", add("grocery", item("milk", null, null)))
        .then("clearList", new JsonObject().put("listName", "grocery").put("confirm", true))
        .then("removeFromList", new JsonObject().put("listName", "grocery").put("items", new JsonArray().add("bob's milk")));

    List<ToolExecution> ran = tools.turn(ann, "mess with it");

    assertThat(ran.get(0).result()).startsWith("Created the list «grocery»");
    assertThat(ran.get(1).result()).startsWith("This needs the person's confirmation");
    assertThat(ran.get(2).result()).isEqualTo("Error: «bob's milk» is not on your «grocery» list. Nothing was removed.");
    assertThat(tools.answer(ann, "yes").orElseThrow().reply()).isEqualTo("Cleared 1 item from grocery: milk.");
    assertThat(aide.db().number("select count(*) from list_items where user_id = ?", bob)).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from lists")).isEqualTo(2);
  }

  @Test
  @DisplayName("bad arguments come back as error text and write nothing")
  void badArguments() {
    tools.model().then("addToList", add("grocery", item("", null, null)))
        .then("addToList", add("grocery", item("apples", "-1", null)))
        .then("addToList", add("grocery", item("apples", "0.0001", null)))
        .then("addToList", new JsonObject().put("listName", "grocery").put("items", new JsonArray()))
        .then("addToList", add("  ", item("apples", null, null)))
        .then("createList", new JsonObject().put("listName", "x".repeat(100_000)))
        .then("createList", new JsonObject().put("listName", "bad\u0000name"))
        .then("createList", new JsonObject().put("listName", "  "))
        .then("removeFromList", new JsonObject().put("items", new JsonArray().add("\u0000")))
        .then("removeFromList", new JsonObject().put("listName", "nowhere").put("items", new JsonArray().add("x")))
        .then("deleteList", new JsonObject().put("listName", "nowhere"));

    List<ToolExecution> ran = tools.turn(ann, "nonsense");

    assertThat(ran).hasSize(11);
    assertThat(ran.subList(0, 9)).extracting(ToolExecution::result).allSatisfy(r -> assertThat(r).startsWith("Error: "));
    assertThat(ran.get(9).result()).isEqualTo("You have no list called «nowhere».");
    assertThat(ran.get(10).result()).isEqualTo("You have no list called «nowhere».");
    assertThat(aide.db().number("select count(*) from lists")).isZero();
    assertThat(aide.db().number("select count(*) from list_items")).isZero();
  }

  private static JsonObject add(String list, JsonObject... items) {
    return new JsonObject().put("listName", list).put("items", new JsonArray(List.of((Object[]) items)));
  }

  private static JsonObject item(String text, String quantity, String unit) {
    JsonObject item = new JsonObject().put("text", text);
    if (quantity != null) {
      item.put("quantity", new java.math.BigDecimal(quantity));
    }
    if (unit != null) {
      item.put("unit", unit);
    }
    return item;
  }
}
