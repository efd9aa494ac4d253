package dev.aide.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A person finds, renames and deletes their conversations through the API")
class ConversationApiTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).freshEachTest();

  @Test
  @DisplayName("a search finds conversations by words of their title or of any message in them, whatever the case")
  void searchByWords() {
    try (Api api = new Api(aide.port())) {
      api.register("ada@example.com", "Europe/Paris");
      String plumber = chat(api, "note that the plumber is called Jo");
      String lunch = chat(api, "I spent 12 euros on lunch");

      assertThat(ids(api, "/api/v1/conversations")).containsExactlyInAnyOrder(plumber, lunch);
      assertThat(ids(api, "/api/v1/conversations?q=PLUMBER")).containsExactly(plumber);
      assertThat(ids(api, "/api/v1/conversations?q=" + "Logged".toLowerCase())).as("Aide's reply is searched too")
          .containsExactly(lunch);
      assertThat(ids(api, "/api/v1/conversations?q=nothing%20like%20this")).isEmpty();
      assertThat(api.get("/api/v1/conversations?q=" + "x".repeat(201)).status()).isEqualTo(422);
    }
  }

  @Test
  @DisplayName("a conversation renamed keeps its place and messages; deleted, it is gone with its messages")
  void renameAndDelete() {
    try (Api api = new Api(aide.port())) {
      api.register("ben@example.com", "Europe/Paris");
      String id = chat(api, "remind me to call mom tomorrow at 5pm");

      Api.Response renamed = api.patch("/api/v1/conversations/" + id, new JsonObject().put("title", "  Family  "));
      assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
      assertThat(renamed.json().getString("title")).isEqualTo("Family");
      assertThat(api.get("/api/v1/conversations").json().getJsonArray("items").getJsonObject(0).getString("title"))
          .isEqualTo("Family");
      assertThat(api.get("/api/v1/conversations?q=family").json().getJsonArray("items")).hasSize(1);
      assertThat(api.get("/api/v1/conversations/" + id + "/messages").json().getJsonArray("items")).hasSize(2);

      assertThat(api.delete("/api/v1/conversations/" + id).status()).isEqualTo(204);
      assertThat(api.get("/api/v1/conversations").json().getJsonArray("items")).isEmpty();
      assertThat(api.get("/api/v1/conversations/" + id + "/messages").status()).isEqualTo(404);
      assertThat(aide.db().number("select count(*) from messages")).isZero();
      assertThat(api.delete("/api/v1/conversations/" + id).status()).isEqualTo(404);
      assertThat(aide.db().number("select count(*) from reminders")).as("what the conversation did stays").isEqualTo(1);
    }
  }

  @Test
  @DisplayName("another person's conversation cannot be renamed or deleted (404, nothing changed), and bad bodies change nothing")
  void othersAndBadInput() {
    String id;
    try (Api owner = new Api(aide.port())) {
      owner.register("cleo@example.com", "UTC");
      id = chat(owner, "note that the spare key is under the mat");
    }
    String title = aide.db().value("select title from conversations", String.class);
    try (Api other = new Api(aide.port())) {
      other.register("dan@example.com", "UTC");
      assertThat(other.patch("/api/v1/conversations/" + id, new JsonObject().put("title", "mine")).status()).isEqualTo(404);
      assertThat(other.delete("/api/v1/conversations/" + id).status()).isEqualTo(404);
      assertThat(other.get("/api/v1/conversations?q=spare").json().getJsonArray("items")).isEmpty();

      Api.Response notJson = other.send(HttpMethod.PATCH, "/api/v1/conversations/" + id, Buffer.buffer("{nope"), "application/json");
      assertThat(notJson.status()).isEqualTo(400);
      assertThat(other.patch("/api/v1/conversations/not-an-id", new JsonObject().put("title", "x")).status()).isIn(404, 422);
    }
    try (Api owner = new Api(aide.port())) {
      String token = owner.post("/api/v1/auth/login", new JsonObject().put("email", "cleo@example.com")
          .put("password", "correct horse battery")).json().getString("token");
      owner.as(token);
      for (JsonObject bad : new JsonObject[] {new JsonObject(), new JsonObject().put("title", "   "),
          new JsonObject().put("title", 42), new JsonObject().put("title", "x".repeat(201)),
          new JsonObject().put("title", "ok").put("channel", "sms"), new JsonObject().put("title", "a\u0000b")}) {
        Api.Response r = owner.patch("/api/v1/conversations/" + id, bad);
        assertThat(r.status()).as(bad.encode() + " " + r.body()).isEqualTo(422);
      }
      assertThat(owner.send(HttpMethod.PATCH, "/api/v1/conversations/" + id, Buffer.buffer("[]"), "application/json").status())
          .isEqualTo(400);
      assertThat(aide.db().value("select title from conversations", String.class)).isEqualTo(title);
      assertThat(owner.get("/api/v1/conversations/" + id + "/messages").json().getJsonArray("items")).hasSize(2);
    }
  }

  private static String chat(Api api, String text) {
    Api.Response r = api.post("/api/v1/chat", new JsonObject().put("text", text));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getString("conversationId");
  }

  private static java.util.List<String> ids(Api api, String path) {
    Api.Response r = api.get(path);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }
}
