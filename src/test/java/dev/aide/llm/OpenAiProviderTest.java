package dev.aide.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.AideServer;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("With an OpenAI-compatible model, the whole tool loop runs through LangChain4j's real client")
class OpenAiProviderTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-18T15:15:00Z"), ZoneOffset.UTC);
  private static final AtomicBoolean failing = new AtomicBoolean();

  private static final FakeOpenAi model = new FakeOpenAi(request -> {
    if (failing.get()) {
      return new FakeOpenAi.Reply(500, FakeOpenAi.payload("error-server.json"));
    }
    return FakeOpenAi.lastRole(request).equals("tool")
        ? new FakeOpenAi.Reply(200, FakeOpenAi.payload("chat-completion-text.json"))
        : new FakeOpenAi.Reply(200, FakeOpenAi.payload("chat-completion-tool-call.json"));
  });

  @RegisterExtension
  static final AideServer aide = AideServer.create().clock(CLOCK).model(model)
      .env("AIDE_LLM_API_KEY", "sk-test-key")
      .freshEachTest()
      .person("ola@example.com", "America/New_York");

  private Api api;

  @BeforeEach
  void client() {
    model.requests().clear();
    failing.set(false);
    api = aide.api();
  }

  @Test
  @DisplayName("the model asks for a tool, Aide runs it for the user, sends the result back and relays the answer")
  void toolLoop() {
    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom tomorrow at 5pm"));

    assertThat(chat.status()).isEqualTo(200);
    assertThat(chat.json().getJsonObject("reply").getString("text"))
        .isEqualTo("Done! I'll remind you to call mom tomorrow at 5 pm.");
    JsonObject call = chat.json().getJsonArray("toolCalls").getJsonObject(0);
    assertThat(call.getString("name")).isEqualTo("createReminder");
    assertThat(call.getString("result")).isEqualTo("Reminder set: «call mom» on Thu 19 Nov 2026 at 17:00.");

    assertThat(model.requests()).hasSize(2);
    JsonObject first = model.requests().get(0);
    assertThat(first.getString("model")).isEqualTo("gpt-4o-mini");
    JsonArray tools = first.getJsonArray("tools");
    assertThat(tools.stream().map(t -> ((JsonObject) t).getJsonObject("function").getString("name")))
        .contains("createReminder", "listReminders");
    JsonObject createSchema = tools.stream().map(t -> ((JsonObject) t).getJsonObject("function"))
        .filter(f -> f.getString("name").equals("createReminder")).findFirst().orElseThrow().getJsonObject("parameters");
    assertThat(createSchema.getJsonObject("properties").fieldNames()).containsExactlyInAnyOrder("text", "dueAt", "rrule");
    String system = first.getJsonArray("messages").getJsonObject(0).getString("content");
    assertThat(system).contains("2026-11-18T10:15-05:00[America/New_York] (Wednesday)")
        .contains("- Default currency: USD").contains("- Working hours: Mon, Tue, Wed, Thu, Fri 09:00–17:00");
    assertThat(model.authorizations()).allMatch(a -> a.equals("Bearer sk-test-key"));

    JsonObject toolResult = model.requests().get(1).getJsonArray("messages").stream().map(m -> (JsonObject) m)
        .filter(m -> "tool".equals(m.getString("role"))).findFirst().orElseThrow();
    assertThat(toolResult.getString("tool_call_id")).isEqualTo("call_62136354");
    assertThat(toolResult.getString("content")).startsWith("Reminder set: «call mom»");

    assertThat(aide.db().value("select due_at from reminders where text = 'call mom'", OffsetDateTime.class).toInstant())
        .isEqualTo(Instant.parse("2026-11-19T22:00:00Z"));
    assertThat(aide.db().number("select input_tokens from ai_responses")).isEqualTo(182 + 240);
    assertThat(aide.db().number("select output_tokens from ai_responses")).isEqualTo(31 + 16);
    assertThat(aide.db().value("select model from ai_responses", String.class)).isEqualTo("gpt-4o-mini");
  }

  @Test
  @DisplayName("a failing model gives 502 with the error JSON, and the person's message is kept")
  void modelFailure() {
    failing.set(true);

    Api.Response chat = api.post("/api/v1/chat", new JsonObject().put("text", "remind me to call mom tomorrow at 5pm"));

    assertThat(chat.status()).isEqualTo(502);
    assertThat(chat.errorCode()).isEqualTo("model_unavailable");
    assertThat(aide.db().number("select count(*) from messages where role = 'user'")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from messages where role = 'assistant'")).isZero();
    assertThat(aide.db().number("select count(*) from ai_responses where status = 'failed'")).isEqualTo(1);
    assertThat(aide.db().number("select count(*) from reminders")).isZero();
    assertThat(aide.db().number("select count(*) from chat_memory")).isZero();
  }
}
