package dev.aide.bench;

import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import dev.aide.support.TestAide;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Benchmark, not a test ({@code ./aide bench -Dbench.main=dev.aide.bench.UndoBenchmark}): what recording for undo
 * costs a chat turn, and how long an undo takes. A fake OpenAI-compatible model calls the scripted tool at once.
 * Prints the latency of turns that write (a note created: recorded) beside turns that only read (a search: nothing
 * to record), of undoing one note, and of a confirmed delete of every reminder and its undo.
 */
public final class UndoBenchmark {

  private static final Deque<FakeOpenAi.Reply> SCRIPT = new ConcurrentLinkedDeque<>();

  public static void main(String[] args) {
    int turns = Integer.getInteger("bench.undoTurns", 300);
    int reminders = Integer.getInteger("bench.undoReminders", 300);
    FakeOpenAi model = new FakeOpenAi(request -> {
      if (!"user".equals(FakeOpenAi.lastRole(request))) {
        return FakeOpenAi.text("Done.");
      }
      FakeOpenAi.Reply next = SCRIPT.poll();
      return next == null ? FakeOpenAi.text("Okay.") : next;
    });
    Map<String, String> env = Map.of("AIDE_LLM_PROVIDER", "openai", "AIDE_LLM_BASE_URL", model.baseUrl(),
        "AIDE_LLM_API_KEY", "sk-test", "AIDE_LLM_MODEL", "gpt-4o-mini");
    try (model; TestAide aide = TestAide.start(env, Clock.systemUTC()); Api api = new Api(aide.port())) {
      api.register("bench-undo@example.com", "UTC");
      // Warm-up: the JIT and the pool's prepared statements.
      for (int i = 0; i < 50; i++) {
        turn(api, "createNote", new JsonObject().put("content", "warm-up " + i));
        turn(api, "searchNotes", new JsonObject().put("query", "warm-up"));
      }
      List<Long> reads = new ArrayList<>();
      List<Long> writes = new ArrayList<>();
      List<String> handles = new ArrayList<>();
      for (int i = 0; i < turns; i++) {
        long started = System.nanoTime();
        turn(api, "searchNotes", new JsonObject().put("query", "note " + i));
        reads.add(System.nanoTime() - started);
        started = System.nanoTime();
        JsonObject reply = turn(api, "createNote", new JsonObject().put("content", "note " + i));
        writes.add(System.nanoTime() - started);
        handles.add(reply.getJsonArray("toolCalls").getJsonObject(0).getString("undo"));
      }
      List<Long> undos = new ArrayList<>();
      for (String handle : handles) {
        long started = System.nanoTime();
        Api.Response undone = api.post("/api/v1/changes/" + handle + "/undo", new JsonObject());
        undos.add(System.nanoTime() - started);
        if (undone.status() != 200) {
          throw new IllegalStateException(undone.body());
        }
      }
      print("chat turn, a search (nothing recorded)", reads);
      print("chat turn, a note created (recorded)", writes);
      print("undo of a created note", undos);

      for (int i = 0; i < reminders; i++) {
        api.post("/api/v1/reminders", new JsonObject().put("text", "reminder " + i)
            .put("dueAt", "2030-01-01T09:00:00Z"));
      }
      JsonObject asked = turn(api, "deleteReminders", new JsonObject().put("all", true));
      long started = System.nanoTime();
      JsonObject yes = api.post("/api/v1/chat", new JsonObject().put("text", "yes")
          .put("conversationId", asked.getString("conversationId"))).json();
      long deleteMs = (System.nanoTime() - started) / 1_000_000;
      String handle = yes.getJsonArray("toolCalls").getJsonObject(0).getString("undo");
      started = System.nanoTime();
      Api.Response undone = api.post("/api/v1/changes/" + handle + "/undo", new JsonObject());
      long undoMs = (System.nanoTime() - started) / 1_000_000;
      System.out.printf(Locale.ROOT, "delete of %d reminders after 'yes', recorded: %d ms; its undo (%d reminders "
          + "and their tasks put back): %d ms, status %d%n", reminders, deleteMs, reminders, undoMs, undone.status());
      System.out.printf(Locale.ROOT, "load average: %s%n", loadAverage());
    }
    System.exit(0);
  }

  private static JsonObject turn(Api api, String tool, JsonObject arguments) {
    SCRIPT.add(FakeOpenAi.toolCall(tool, arguments.encode()));
    Api.Response reply = api.post("/api/v1/chat", new JsonObject().put("text", "please"));
    if (reply.status() != 200) {
      throw new IllegalStateException(reply.body());
    }
    return reply.json();
  }

  private static void print(String what, List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    System.out.printf(Locale.ROOT, "%-42s n=%d p50 %.1f ms, p99 %.1f ms%n", what, sorted.size(),
        sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6);
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
