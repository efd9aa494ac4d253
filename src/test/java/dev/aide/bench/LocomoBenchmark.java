package dev.aide.bench;

import dev.aide.support.Api;
import dev.aide.support.TestAide;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Benchmark, not a test (./aide bench -Dbench.main=dev.aide.bench.LocomoBenchmark): memory retrieval on LoCoMo's long
 * conversations (../shared/bench-data/locomo, read at run time, never shipped). Each conversation is one person's:
 * every turn goes in through POST /api/v1/memories/import (externalId = the turn's dia_id, at = the session's date,
 * speaker), then each question of categories 1–4 is asked of GET /api/v1/memories/search; a question is recalled at k
 * when one of its evidence turns is among the first k results. Prints recall@5 and @10 per category and overall,
 * ingest turns/s, query p50/p99, and the top score of answerable (1–4) against adversarial (5) questions.
 *
 * <p>The conversations are split once, by file name order: the first {@link #TUNING} are the tuning set, on which
 * every retrieval parameter is chosen; the rest are held out, and their recall is the figure to report (a parameter
 * chosen on the conversations it is measured on overstates what a person's own history gets). {@code
 * -Dbench.locomoSet=tuning|held-out|all} runs one part (default all, each printed on its own).
 */
public final class LocomoBenchmark {

  /** "1:56 pm on 8 May, 2023". */
  private static final DateTimeFormatter SESSION_DATE = new java.time.format.DateTimeFormatterBuilder()
      .parseCaseInsensitive().appendPattern("h:mm a 'on' d MMMM, yyyy").toFormatter(Locale.ENGLISH);
  private static final String[] CATEGORIES = {"", "multi-hop", "temporal", "open-domain", "single-hop", "adversarial"};
  /** How many conversations, first by file name, form the tuning set; the rest are held out. */
  private static final int TUNING = 4;

  public static void main(String[] args) throws IOException {
    Path data = Path.of(System.getProperty("bench.locomo", "../shared/bench-data/locomo"));
    List<Path> files;
    try (Stream<Path> listed = Files.list(data)) {
      files = listed.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no LoCoMo conversations in " + data.toAbsolutePath());
    }
    String set = System.getProperty("bench.locomoSet", "all");
    if (set.isBlank() || set.startsWith("$")) {
      set = "all";
    }
    List<Part> parts = new ArrayList<>();
    if (!set.equals("held-out")) {
      parts.add(new Part("tuning", files.subList(0, Math.min(TUNING, files.size()))));
    }
    if (!set.equals("tuning") && files.size() > TUNING) {
      parts.add(new Part("held-out", files.subList(TUNING, files.size())));
    }
    // -Dbench.embeddingModel=all-minilm-l6-v2-q measures another in-process model (AIDE_EMBEDDING_MODEL).
    String model = System.getProperty("bench.embeddingModel", "");
    Map<String, String> env = model.isBlank() || model.startsWith("$") ? Map.of()
        : Map.of("AIDE_EMBEDDING_MODEL", model);
    try (TestAide aide = TestAide.start(env, java.time.Clock.systemUTC())) {
      for (Part part : parts) {
        for (Path file : part.files) {
          run(aide, file, part);
          System.out.printf(Locale.ROOT, "%s (%s): done%n", file.getFileName(), part.name);
        }
      }
    }
    for (Part part : parts) {
      part.print();
    }
    System.exit(0);
  }

  /** Imports one conversation as a person of its own and asks its questions. */
  private static void run(TestAide aide, Path file, Part part) throws IOException {
    JsonObject conversation = new JsonObject(Files.readString(file));
    try (Api api = new Api(aide.port())) {
      api.register("locomo-" + file.getFileName().toString().replace(".json", "") + "@example.com", "UTC");
      List<JsonObject> items = turns(conversation);
      long started = System.nanoTime();
      for (int from = 0; from < items.size(); from += 2_000) {
        Api.Response imported = api.post("/api/v1/memories/import", new JsonObject()
            .put("items", new JsonArray(items.subList(from, Math.min(items.size(), from + 2_000)))));
        if (imported.status() != 200) {
          throw new IllegalStateException("import failed: " + imported.body());
        }
      }
      part.ingestSeconds += (System.nanoTime() - started) / 1e9;
      part.turns += items.size();
      for (Object q : conversation.getJsonArray("qa")) {
        JsonObject qa = (JsonObject) q;
        int category = qa.getInteger("category");
        long t0 = System.nanoTime();
        Api.Response found = api.get("/api/v1/memories/search?limit=10&q="
            + URLEncoder.encode(qa.getString("question"), StandardCharsets.UTF_8));
        part.latencies.add((System.nanoTime() - t0) / 1e6);
        JsonArray results = found.json().getJsonArray("items");
        double top = results.isEmpty() ? 0 : results.getJsonObject(0).getDouble("score");
        if (category == 5) {
          part.adversarialTop.add(top);
          continue;
        }
        part.answerableTop.add(top);
        Set<String> evidence = evidence(qa.getValue("evidence"));
        part.hits[category][0]++;
        for (int i = 0; i < results.size(); i++) {
          if (evidence.contains(results.getJsonObject(i).getString("externalId"))) {
            if (i < 5) {
              part.hits[category][1]++;
            }
            part.hits[category][2]++;
            break;
          }
        }
      }
    }
  }

  /** The tuning or the held-out conversations, and what was measured on them. */
  private static final class Part {
    final String name;
    final List<Path> files;
    final int[][] hits = new int[6][3]; // per category: questions, recalled@5, recalled@10
    final List<Double> latencies = new ArrayList<>();
    final List<Double> answerableTop = new ArrayList<>();
    final List<Double> adversarialTop = new ArrayList<>();
    long turns;
    double ingestSeconds;

    Part(String name, List<Path> files) {
      this.name = name;
      this.files = files;
    }

    void print() {
      System.out.printf(Locale.ROOT, "LoCoMo memory retrieval, %s set (%s), %d conversations, %d turns, embedding"
          + " model %s (%d cores)%n", name, String.join(" ", files.stream()
              .map(f -> f.getFileName().toString().replace(".json", "")).toList()), files.size(), turns,
          System.getProperty("bench.embeddingModel", "").isBlank()
              || System.getProperty("bench.embeddingModel").startsWith("$") ? "default"
              : System.getProperty("bench.embeddingModel"), Runtime.getRuntime().availableProcessors());
      int all = 0;
      int all5 = 0;
      int all10 = 0;
      for (int c = 1; c <= 4; c++) {
        all += hits[c][0];
        all5 += hits[c][1];
        all10 += hits[c][2];
        System.out.printf(Locale.ROOT, "  category %d %-12s %4d questions: recall@5 %.3f, recall@10 %.3f%n", c,
            CATEGORIES[c], hits[c][0], ratio(hits[c][1], hits[c][0]), ratio(hits[c][2], hits[c][0]));
      }
      System.out.printf(Locale.ROOT, "  overall              %4d questions: recall@5 %.3f, recall@10 %.3f%n", all,
          ratio(all5, all), ratio(all10, all));
      System.out.printf(Locale.ROOT, "  ingest: %.0f turns/s (%d turns in %.1f s, embedding included)%n",
          turns / ingestSeconds, turns, ingestSeconds);
      System.out.printf(Locale.ROOT, "  search over HTTP: p50 %.1f ms, p99 %.1f ms (%d queries)%n",
          percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.size());
      System.out.printf(Locale.ROOT, "  top score: answerable p50 %.4f; adversarial (category 5, %d) p50 %.4f%n",
          percentile(answerableTop, 0.5), adversarialTop.size(), percentile(adversarialTop, 0.5));
    }
  }

  /** Every turn of every session that has turns, as an import item. */
  private static List<JsonObject> turns(JsonObject conversation) {
    JsonObject sessions = conversation.containsKey("conversation") ? conversation.getJsonObject("conversation")
        : conversation;
    Map<Integer, String> dates = new TreeMap<>();
    for (String key : sessions.fieldNames()) {
      if (key.matches("session_\\d+") && sessions.getValue(key) instanceof JsonArray) {
        dates.put(Integer.parseInt(key.substring("session_".length())),
            sessions.getString(key + "_date_time"));
      }
    }
    List<JsonObject> items = new ArrayList<>();
    for (var session : dates.entrySet()) {
      String at = LocalDateTime.parse(session.getValue().strip(), SESSION_DATE).atOffset(ZoneOffset.UTC).toString();
      for (Object t : sessions.getJsonArray("session_" + session.getKey())) {
        JsonObject turn = (JsonObject) t;
        String text = turn.getString("text");
        if (turn.getString("blip_caption") != null) {
          text = text + " [shares a photo: " + turn.getString("blip_caption") + "]";
        }
        items.add(new JsonObject().put("text", text).put("speaker", turn.getString("speaker"))
            .put("externalId", turn.getString("dia_id")).put("at", at));
      }
    }
    return items;
  }

  private static Set<String> evidence(Object value) {
    Set<String> ids = new HashSet<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        for (String id : String.valueOf(item).split("[;,\\s]+")) {
          if (!id.isBlank()) {
            ids.add(id.strip());
          }
        }
      }
    }
    return ids;
  }

  private static double ratio(int part, int whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }

  private static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
