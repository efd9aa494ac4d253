package dev.aide.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("With the offline model, a person tells Aide what to remember and asks what it knows")
class MemoryChatTest {

  @RegisterExtension
  static final AideServer aide = AideServer.create().freshEachTest().person("mem-chat@example.com", "Europe/Paris");

  private final Api api = aide.api();

  @Test
  @DisplayName("\"remember that …\" keeps a memory; \"what do you know about …\" answers with it and where it comes from")
  void rememberAndRecall() {
    assertThat(say("remember that my sister Anna's birthday is on 3 May"))
        .startsWith("Remembered: \"my sister Anna's birthday is on 3 May\"");
    assertThat(aide.db().strings("select content from memories")).containsExactly("my sister Anna's birthday is on 3 May");

    String answer = say("what do you know about Anna?");

    assertThat(answer).startsWith("Best matches first:").contains("my sister Anna's birthday is on 3 May");
    assertThat(aide.db().number("select count(*) from notes")).isZero();
  }

  @Test
  @DisplayName("facts said in passing are remembered after the turn; a move supersedes where they live, kept as history")
  void learnedInPassing() {
    say("I live in Porto. My wifi password is tulip42");
    say("I just moved to Lisbon!");
    say("what is the weather like?");

    assertThat(aide.db().strings("select content from memories where superseded_by is null order by content"))
        .containsExactly("I live in Lisbon", "My wifi password is tulip42");
    assertThat(aide.db().strings("select old.content from memories old join memories new on old.superseded_by = new.id"))
        .containsExactly("I live in Porto");
    assertThat(aide.db().strings("select distinct source from memories")).containsExactly("extracted");
    assertThat(aide.db().number("select count(*) from memory_vectors v join memories m on m.id = v.memory_id "
        + "where m.superseded_by is not null")).as("history keeps no vectors").isZero();
    assertThat(aide.db().number("select count(*) from memory_vectors")).isEqualTo(2);
    assertThat(say("what do you know about where I live?")).contains("I live in Lisbon").doesNotContain("Porto\"");
  }

  @Test
  @DisplayName("deleting a fact deletes the history it replaced: the old place does not become current again")
  void deletedWithItsHistory() {
    say("I live in Porto");
    say("I moved to Lisbon");
    String lisbon = aide.db().value("select id::text from memories where content = 'I live in Lisbon'", String.class);
    say("My wifi password is tulip42");

    assertThat(api.delete("/api/v1/memories/" + lisbon).status()).isEqualTo(204);

    assertThat(aide.db().strings("select content from memories")).containsExactly("My wifi password is tulip42");
    assertThat(api.get("/api/v1/memories?history=true").json().getJsonArray("items")).hasSize(1);
    assertThat(api.delete("/api/v1/memories/" + lisbon).status()).isEqualTo(404);
  }

  private String say(String text) {
    Api.Response r = api.post("/api/v1/chat", new JsonObject().put("text", text));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getJsonObject("reply").getString("text");
  }
}
