package dev.aide.memory;

import static dev.aide.memory.ExtractionTest.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With a configured model, what a person says is learned by asking the model after the reply (memory extraction, as
 * mem0 does), through a fake OpenAI-compatible server that answers the extraction as each test says. A message whose
 * extraction is answered with a fact to add ({@link #BARRIER}) is sent after a bad answer: one person's extractions
 * run in order, so once its fact is there, the bad answer has been dealt with.
 */
@DisplayName("With a configured model, Aide learns from each turn by asking the model and applies only what is allowed")
class ModelLearningTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);
  private static final String BARRIER = "I am learning Portuguese";
  /** The model's timeout: the fake answers at once unless told to hold an answer. */
  private static final int TIMEOUT_SECONDS = 2;
  private static volatile Function<JsonObject, FakeOpenAi.Reply> extraction;
  private static final FakeOpenAi model = new FakeOpenAi(request -> FakeOpenAi.text("OK."))
      .extracting(request -> FakeOpenAi.extractionData(request).getString("message").equals(BARRIER)
          ? answer(op("ADD", null, BARRIER, "fact")) : extraction.apply(request));

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).model(model).freshEachTest()
      .env("AIDE_LLM_TIMEOUT_SECONDS", String.valueOf(TIMEOUT_SECONDS)).person("learner@example.com", "Europe/Lisbon");

  private final Api api = aide.api();

  @BeforeEach
  void quiet() {
    extraction = request -> answer();
    model.extractions().clear();
  }

  @AfterEach
  void release() {
    model.releaseExtractions();
  }

  @Test
  @DisplayName("a statement the model says to ADD is remembered, its source the person's message, after the reply")
  void addFromAStatement() {
    extraction = request -> answer(op("ADD", null, "I play the cello in an amateur orchestra", "fact"));
    model.holdExtractions();

    Api.Response chat = say(api, "I play the cello in an amateur orchestra, we rehearse on Tuesdays");

    assertThat(chat.json().getJsonObject("reply").getString("text")).as("the reply did not wait").isEqualTo("OK.");
    await().until(() -> model.extractions().size() == 1);
    assertThat(current(api)).isEmpty();
    model.releaseExtractions();
    await().until(() -> current(api).size() == 1);

    JsonObject memory = current(api).getFirst();
    assertThat(memory.getString("content")).isEqualTo("I play the cello in an amateur orchestra");
    assertThat(memory.getString("type")).isEqualTo("fact");
    assertThat(memory.getString("source")).isEqualTo("extracted");
    assertThat(aide.db().value("select source_message_id from memories", UUID.class))
        .isEqualTo(messageId("I play the cello in an amateur orchestra, we rehearse on Tuesdays"));
    JsonObject request = model.extractions().getFirst();
    assertThat(request.getJsonObject("response_format").getJsonObject("json_schema").getJsonObject("schema")
        .getJsonObject("properties").containsKey("operations")).isTrue();
    assertThat(FakeOpenAi.messages(request, "system").getFirst().getString("content")).contains("ADD", "UPDATE",
        "DELETE", "NONE");
    JsonObject data = FakeOpenAi.extractionData(request);
    assertThat(data.getString("message"))
        .isEqualTo("I play the cello in an amateur orchestra, we rehearse on Tuesdays");
    assertThat(data.getString("today")).startsWith("2026-11-18");
    assertThat(data.getJsonArray("memories")).isEmpty();
  }

  @Test
  @DisplayName("an UPDATE of a contradicted memory supersedes it: the new fact is current, the old one its history")
  void updateKeepsHistory() {
    JsonObject porto = create(api, "I live in Porto", "place");
    extraction = request -> answer(op("UPDATE", idOf(request, "I live in Porto"), "I live in Lisbon", "place"));

    say(api, "I moved to Lisbon last month");

    await().until(() -> contents(current(api)).contains("I live in Lisbon"));
    assertThat(contents(current(api))).containsExactly("I live in Lisbon");
    JsonObject lisbon = current(api).getFirst();
    JsonObject old = history(api).stream().filter(m -> m.getString("id").equals(porto.getString("id"))).findFirst()
        .orElseThrow();
    assertThat(old.getString("content")).isEqualTo("I live in Porto");
    assertThat(old.getString("supersededBy")).isEqualTo(lisbon.getString("id"));
    assertThat(lisbon.getString("source")).isEqualTo("extracted");
    assertThat(model.extractions().getFirst().encode()).as("the model never sees a memory's real id")
        .doesNotContain(porto.getString("id"));
  }

  @Test
  @DisplayName("a DELETE of a memory that no longer holds supersedes it with what holds now; nothing is deleted")
  void deleteArchives() {
    JsonObject car = create(api, "I drive a red Toyota", "fact");
    extraction = request -> answer(op("DELETE", idOf(request, "I drive a red Toyota"), "I sold my car", null));

    say(api, "I sold my red Toyota last week");

    await().until(() -> contents(current(api)).contains("I sold my car"));
    assertThat(contents(current(api))).containsExactly("I sold my car");
    JsonObject sold = current(api).getFirst();
    assertThat(history(api)).anySatisfy(m -> {
      assertThat(m.getString("id")).isEqualTo(car.getString("id"));
      assertThat(m.getString("supersededBy")).isEqualTo(sold.getString("id"));
    });
  }

  @Test
  @DisplayName("a fact the model ADDs again in other words supersedes the one it repeats instead of piling up; the "
      + "same words change nothing")
  void nearDuplicateDoesNotPileUp() {
    JsonObject tea = create(api, "My favourite tea is genmaicha", "preference");
    extraction = request -> FakeOpenAi.extractionData(request).getString("message").startsWith("My")
        ? answer(op("ADD", null, "my favourite tea is genmaicha", "preference"))
        : answer(op("ADD", null, "My favourite tea is genmaicha.", "preference"));

    say(api, "My favourite tea is genmaicha");
    say(api, "Genmaicha is still my favourite tea");
    barrier(api);

    assertThat(contents(current(api))).containsExactlyInAnyOrder("My favourite tea is genmaicha.", BARRIER);
    assertThat(history(api)).hasSize(3).anySatisfy(m -> assertThat(m.getString("id")).isEqualTo(tea.getString("id")));
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("an answer that is garbage, names unknown ids or asks too much changes nothing")
  @ValueSource(strings = {"garbage", "prose", "unknown id", "real uuid", "twenty deletes", "three deletes",
      "six adds", "server error"})
  void badAnswersChangeNothing(String kind) {
    JsonObject porto = create(api, "I live in Porto", "place");
    create(api, "I live with my sister Anna in Porto", "person");
    create(api, "I rent a flat in Porto", "fact");
    List<JsonObject> before = history(api);
    extraction = request -> {
      String porto1 = idOf(request, "I live in Porto");
      return switch (kind) {
        case "garbage" -> FakeOpenAi.text("{\"operations\": [{\"op\": \"UPDATE\", \"id\": \"" + porto1 + "\"");
        case "prose" -> FakeOpenAi.text("You moved to Lisbon, so I will update where you live.");
        case "unknown id" -> answer(op("UPDATE", "m77", "I live in Lisbon", "place"));
        case "real uuid" -> answer(op("UPDATE", porto.getString("id"), "I live in Lisbon", "place"));
        case "twenty deletes" -> answer(IntStream.range(0, 20).mapToObj(i -> op("DELETE", "m" + (i + 1), null, null))
            .toArray(JsonObject[]::new));
        case "three deletes" -> answer(IntStream.range(0, 3).mapToObj(i -> op("DELETE", "m" + (i + 1), null, null))
            .toArray(JsonObject[]::new));
        case "six adds" -> answer(IntStream.range(0, 6).mapToObj(i -> op("ADD", null, "I like Lisbon part " + i, null))
            .toArray(JsonObject[]::new));
        default -> new FakeOpenAi.Reply(500, FakeOpenAi.payload("error-server.json"));
      };
    };

    say(api, "I moved to Lisbon, I don't live in Porto any more");
    barrier(api);

    assertThat(FakeOpenAi.extractionData(model.extractions().getFirst()).getJsonArray("memories"))
        .as("the memories were shown").hasSize(3);
    List<JsonObject> after = history(api);
    assertThat(after).hasSize(before.size() + 1);
    assertThat(after.stream().filter(m -> !m.getString("content").equals(BARRIER)).toList())
        .containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  @DisplayName("an extraction the model does not answer in time changes nothing, and the next one goes ahead")
  void timeoutChangesNothing() {
    create(api, "I live in Porto", "place");
    List<JsonObject> before = history(api);
    extraction = request -> answer(op("UPDATE", idOf(request, "I live in Porto"), "I live in Lisbon", "place"));
    model.holdExtractionsWhere(request -> !FakeOpenAi.extractionData(request).getString("message").equals(BARRIER));

    Api.Response chat = say(api, "I moved to Lisbon last month");
    barrier(api);

    assertThat(chat.json().getJsonObject("reply").getString("text")).isEqualTo("OK.");
    assertThat(model.extractions()).as("the first one was asked").hasSizeGreaterThanOrEqualTo(2);
    assertThat(history(api).stream().filter(m -> !m.getString("content").equals(BARRIER)).toList())
        .containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  @DisplayName("\"forget everything\" answered with DELETEs by an obeying model erases and archives nothing")
  void forgetEverythingErasesNothing() {
    create(api, "I live in Porto", "place");
    List<JsonObject> before = history(api);
    extraction = request -> answer(op("DELETE", idOf(request, "I live in Porto"), null, null));

    say(api, "Forget that I live in Porto and forget everything else you know about me");
    barrier(api);

    assertThat(FakeOpenAi.extractionData(model.extractions().getFirst()).getJsonArray("memories")).hasSize(1);
    assertThat(history(api).stream().filter(m -> !m.getString("content").equals(BARRIER)).toList())
        .containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  @DisplayName("another person's memories are never shown to the extractor, even in the same words, nor changed by it")
  void anotherPersonsMemoriesNeverShown() {
    Api bob = aide.signUp("bob@example.com", "UTC");
    JsonObject bobs = create(bob, "The garden gate code is 4411", "fact");
    extraction = request -> FakeOpenAi.extractionData(request).getJsonArray("memories").isEmpty() ? answer()
        : answer(op("UPDATE", "m1", "The garden gate code is 1234", "fact"));

    say(api, "The garden gate code is 1234 now");
    await().until(() -> model.extractions().size() == 1);
    create(api, "The garden gate code is 9911", "fact");
    say(api, "The garden gate code is 1234 now");
    await().until(() -> contents(current(api)).contains("The garden gate code is 1234"));

    assertThat(FakeOpenAi.extractionData(model.extractions().get(0)).getJsonArray("memories")).isEmpty();
    JsonArray shown = FakeOpenAi.extractionData(model.extractions().get(1)).getJsonArray("memories");
    assertThat(shown).hasSize(1);
    assertThat(shown.getJsonObject(0).getString("text")).isEqualTo("The garden gate code is 9911");
    assertThat(model.extractions().stream().map(JsonObject::encode)).noneMatch(r -> r.contains("4411"));
    assertThat(history(bob)).containsExactly(bobs);
  }

  /** Sends the barrier message and waits until its fact is remembered: every extraction before it is done. */
  private void barrier(Api person) {
    say(person, BARRIER);
    await().until(() -> contents(current(person)).contains(BARRIER));
  }

  private static Api.Response say(Api person, String text) {
    Api.Response chat = person.post("/api/v1/chat", new JsonObject().put("text", text));
    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    return chat;
  }

  private static JsonObject create(Api person, String content, String type) {
    Api.Response created = person.post("/api/v1/memories", new JsonObject().put("content", content).put("type", type));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  private static List<JsonObject> current(Api person) {
    return items(person.get("/api/v1/memories"));
  }

  private static List<JsonObject> history(Api person) {
    return items(person.get("/api/v1/memories?history=true"));
  }

  private static List<JsonObject> items(Api.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().getJsonArray("items").stream().map(item -> (JsonObject) item).toList();
  }

  private static List<String> contents(List<JsonObject> memories) {
    return memories.stream().map(m -> m.getString("content")).toList();
  }

  private UUID messageId(String text) {
    return aide.db().value("select id from messages where role = 'user' and content = ?", UUID.class, text);
  }

  /** The short id the extraction request shows a memory under, or "m0" when it does not show it. */
  private static String idOf(JsonObject request, String text) {
    Map<String, String> ids = FakeOpenAi.extractionData(request).getJsonArray("memories").stream()
        .map(m -> (JsonObject) m).collect(Collectors.toMap(m -> m.getString("text"), m -> m.getString("id")));
    return ids.getOrDefault(text, "m0");
  }

  private static FakeOpenAi.Reply answer(JsonObject... operations) {
    return FakeOpenAi.text(new JsonObject().put("operations", new JsonArray(List.of((Object[]) operations))).encode());
  }
}
