package dev.aide.bench;

import dev.aide.platform.config.DatabaseUrl;
import dev.aide.support.AideProcess;
import dev.aide.support.Api;
import dev.aide.support.FakeOpenAi;
import dev.aide.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Benchmark, not a test: the cost of one chat turn, measured on a real Aide process (a JVM of its own, so its CPU time
 * is the server's alone) on a fresh database, with this JVM as the load generator (issue 16).
 *
 * <ol>
 *   <li>SQL per turn: the same process behind a relay that counts the wire protocol's messages
 *       ({@link PgStatementCounter}), one person asking "what is on my calendar today?" turn after turn; the idle
 *       background (scheduler polls) over the same time is subtracted.</li>
 *   <li>Offline model: many people at once, messages/s, p50/p99 and the server's CPU milliseconds per turn.</li>
 *   <li>A fake OpenAI-compatible model answering in 2 s, at 500 and 5,000 connections: turns waiting on the model
 *       against what this generator keeps in flight on the fake alone, errors, p50, and the live heap per waiting
 *       turn.</li>
 * </ol>
 * Every line carries the core count and the load average: other work on the machine shows in every figure.
 */
public final class TurnBenchmark {

  private static final String ASK = "what is on my calendar today?";
  private static final Map<String, String> NO_LIMITS = Map.of(
      "AIDE_LIMITS_LOGIN_FREE_ATTEMPTS_PER_ACCOUNT", "100000",
      "AIDE_LIMITS_LOGIN_FREE_ATTEMPTS_PER_ADDRESS", "100000",
      "AIDE_LIMITS_REGISTRATIONS_PER_ADDRESS_PER_HOUR", "0",
      "AIDE_LIMITS_CHAT_TURNS_PER_MINUTE", "0",
      "AIDE_LOG_LEVEL", "WARN");

  public static void main(String[] args) {
    int users = Integer.getInteger("bench.turnUsers", 200);
    int clients = Integer.getInteger("bench.turnClients", 128);
    int messages = Integer.getInteger("bench.turnMessages", 4000);
    int counted = Integer.getInteger("bench.countedTurns", 200);
    List<Integer> connections = Arrays.stream(System.getProperty("bench.slowConnections", "500,5000").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
    int slowSeconds = Integer.getInteger("bench.slowSeconds", 20);
    List<String> runs = List.of(System.getProperty("bench.turnRuns", "idle,sql,offline,slow").split(","));
    System.out.printf(Locale.ROOT, "turn benchmark on %d cores, load average %s%n",
        Runtime.getRuntime().availableProcessors(), load());
    if (runs.contains("idle")) {
      idle();
    }
    if (runs.contains("sql")) {
      sqlPerTurn(counted);
    }
    if (runs.contains("offline")) {
      offline(users, clients, messages);
    }
    if (runs.contains("slow")) {
      for (int c : connections) {
        slowModel(c, users, Duration.ofSeconds(slowSeconds));
      }
    }
    System.out.println("scheduler: see README, Benchmarks 6 (dev.aide.bench.SchedulerBenchmark)");
    System.exit(0);
  }

  /** What must not grow while turns get cheaper: the time to a healthy server and its resident memory at rest. */
  private static void idle() {
    try (TestDatabase db = TestDatabase.create()) {
      long t0 = System.nanoTime();
      AideProcess aide = AideProcess.start("bench-turn-idle", db.url(), NO_LIMITS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      try {
        sleep(10_000);
        System.out.printf(Locale.ROOT, "idle: healthy %.1f s after the JVM was started (a migrated database); resident"
            + " memory %,d KB after 10 s at rest (-Xmx1g, as the tests start it); load average %s%n", seconds,
            residentKb(aide.pid()), load());
      } finally {
        aide.stop();
      }
    }
  }

  /** The process's resident set (VmRSS of /proc/[pid]/status), or -1. */
  private static long residentKb(long pid) {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static void sqlPerTurn(int turns) {
    try (TestDatabase db = TestDatabase.create()) {
      DatabaseUrl direct = db.url();
      try (PgStatementCounter counter = new PgStatementCounter(direct.host(), direct.port())) {
        DatabaseUrl relayed = new DatabaseUrl("127.0.0.1", counter.port(), direct.database(), direct.user(), direct.password());
        AideProcess aide = AideProcess.start("bench-turn-sql", relayed, NO_LIMITS);
        try (Api api = new Api(aide.port())) {
          api.register("counted@example.com", "Europe/Paris");
          addEvents(api, ZoneId.of("Europe/Paris"));
          // Warm-up: every statement prepared once on the connections, the JIT past the first calls.
          for (int i = 0; i < 50; i++) {
            chat(api, i);
          }
          long idleStart = System.nanoTime();
          PgStatementCounter.Counts idle0 = counter.counts();
          sleep(3_000);
          PgStatementCounter.Counts idle = counter.counts().minus(idle0);
          double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
          PgStatementCounter.Counts before = counter.counts();
          counter.recording = true;
          long t0 = System.nanoTime();
          for (int i = 0; i < turns; i++) {
            chat(api, i);
          }
          double seconds = (System.nanoTime() - t0) / 1e9;
          PgStatementCounter.Counts used = counter.counts().minus(before);
          counter.recording = false;
          double share = seconds / idleSeconds;
          System.out.printf(Locale.ROOT, "SQL per turn (offline model, \"%s\", %d turns one after another, each a"
                  + " new conversation): %.1f statements, %.1f round trips (Syncs), %.2f statements parsed;"
                  + " idle background over the same time subtracted (%.1f statements/s); load average %s%n",
              ASK, turns, (used.executes() - idle.executes() * share) / turns, (used.syncs() - idle.syncs() * share) / turns,
              (used.parses() - idle.parses() * share) / turns, idle.executes() / idleSeconds, load());
          if (Boolean.getBoolean("bench.turnStatements")) {
            System.out.print(counter.statements(turns));
          }
        } finally {
          aide.stop();
        }
      }
    }
  }

  private static void chat(Api api, int i) {
    JsonObject body = new JsonObject().put("text", ASK);
    Api.Response r = api.post("/api/v1/chat", body);
    if (r.status() != 200) {
      throw new IllegalStateException("chat failed: " + r);
    }
  }

  private static void addEvents(Api api, ZoneId zone) {
    ZonedDateTime today = ZonedDateTime.now(zone).withHour(9).withMinute(0).withSecond(0).withNano(0);
    for (int h = 0; h < 3; h++) {
      ZonedDateTime start = today.plusHours(h * 3L);
      Api.Response r = api.post("/api/v1/events", new JsonObject().put("title", "Meeting " + h)
          .put("start", start.toOffsetDateTime().toString()).put("end", start.plusHours(1).toOffsetDateTime().toString()));
      if (r.status() != 201) {
        throw new IllegalStateException("event failed: " + r);
      }
    }
  }

  private static void offline(int users, int clients, int messages) {
    try (TestDatabase db = TestDatabase.create(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      AideProcess aide = AideProcess.start("bench-turn-offline", db.url(), NO_LIMITS);
      try {
        List<Api> apis = IntStream.range(0, users).mapToObj(i -> {
          Api api = new Api(aide.port());
          api.register("turn" + i + "@example.com", "Europe/Paris");
          addEvents(api, ZoneId.of("Europe/Paris"));
          return api;
        }).toList();
        run(apis, clients, pool, clients * 20);
        awaitIndexed(db);
        Duration cpu0 = cpu(aide);
        PostgresCpu db0 = PostgresCpu.read();
        Duration ours = ownCpu();
        long started = System.nanoTime();
        List<Long> latencies = run(apis, clients, pool, messages);
        double seconds = (System.nanoTime() - started) / 1e9;
        ours = ownCpu().minus(ours);
        // The CPU a turn causes includes what runs after its answer: the message's vector for later recall.
        long waiting = awaitIndexed(db);
        double cpuMs = cpu(aide).minus(cpu0).toNanos() / 1e6;
        double dbMs = PostgresCpu.read().msSince(db0);
        Collections.sort(latencies);
        System.out.printf(Locale.ROOT, "offline model, \"%s\": %d messages, %d people, %d concurrent clients, in %.1f s"
                + " = %.0f messages/s; p50 %.1f ms, p99 %.1f ms; server CPU %.2f ms a turn (%d cores, load average %s)%n",
            ASK, messages, users, clients, seconds, messages / seconds, ms(latencies, 0.50), ms(latencies, 0.99),
            cpuMs / messages, Runtime.getRuntime().availableProcessors(), load());
        System.out.printf(Locale.ROOT, "  (the CPU counted until every message was indexed for recall: %d ms after the "
            + "last answer); PostgreSQL's CPU %s a turn; the clients' %.2f ms a message%n", waiting,
            PostgresCpu.perTurn(dbMs, messages), perAnswer(ours, messages));
        apis.forEach(Api::close);
      } finally {
        aide.stop();
      }
    }
  }

  /** Each client sends as one person (client i as person i mod people), in conversations of 10 messages. */
  private static List<Long> run(List<Api> apis, int clients, ExecutorService pool, int messages) {
    List<CompletableFuture<List<Long>>> workers = new ArrayList<>();
    int perClient = messages / clients;
    for (int c = 0; c < clients; c++) {
      int client = c;
      workers.add(CompletableFuture.supplyAsync(() -> {
        List<Long> times = new ArrayList<>(perClient);
        for (int i = 0; i < perClient; i++) {
          // People beyond the clients take turns with the others: each message goes to the next of the client's people.
          Api api = apis.get((client + i * clients) % apis.size());
          long t0 = System.nanoTime();
          Api.Response r = api.post("/api/v1/chat", new JsonObject().put("text", ASK));
          times.add(System.nanoTime() - t0);
          if (r.status() != 200) {
            throw new IllegalStateException("chat failed: " + r);
          }
        }
        return times;
      }, pool));
    }
    List<Long> all = new ArrayList<>();
    workers.forEach(w -> all.addAll(w.join()));
    return all;
  }

  /**
   * The 2 s model at this many connections: first the generator against the fake alone (its ceiling on this machine),
   * then through Aide, each connection sending its next request as soon as it has the answer, for the given time.
   * The connections are dealt round robin to {@code people} people (each request its own conversation): with one
   * person for all of them, every turn's recall searched that one person's thousands of identical messages, a cost
   * that grew with the run and was not the one measured here.
   */
  private static final FakeOpenAi.Reply NOTED = FakeOpenAi.text("Noted.");

  private static void slowModel(int connections, int people, Duration length) {
    try (FakeOpenAi alone = new FakeOpenAi(request -> NOTED).forgettingRequests().answeringAfter(2_000)) {
      URI fake = URI.create(alone.baseUrl());
      JsonObject completion = new JsonObject().put("model", "slow-model")
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "note")));
      Duration harness = ownCpu();
      Load direct = load(fake.getHost(), fake.getPort(), URI.create(alone.baseUrl() + "/chat/completions").getPath(),
          List.of(), completion, connections, length, alone, null);
      harness = ownCpu().minus(harness);
      System.out.printf(Locale.ROOT, "2 s model, %d connections, generator against the fake alone: %.0f in flight"
              + " (median of samples in the second half), %d answered, %d errors; the generator and the fake's CPU"
              + " %.2f ms an answer; load average %s%n",
          connections, direct.inFlight(), direct.ok(), direct.errors(), perAnswer(harness, direct.ok()), load());

      try (TestDatabase db = TestDatabase.create();
           FakeOpenAi model = new FakeOpenAi(request -> NOTED).forgettingRequests().answeringAfter(2_000)) {
        Map<String, String> env = new HashMap<>(NO_LIMITS);
        env.putAll(Map.of("AIDE_LLM_PROVIDER", "openai", "AIDE_LLM_BASE_URL", model.baseUrl(), "AIDE_LLM_MODEL", "slow-model"));
        AideProcess aide = AideProcess.start("bench-turn-slow-" + connections, db.url(), env);
        try {
          List<String> tokens = new ArrayList<>();
          for (int i = 0; i < people; i++) {
            try (Api api = new Api(aide.port())) {
              api.register("slow" + connections + "-" + i + "@example.com", "UTC");
              tokens.add(api.token());
            }
          }
          long idleHeap = liveHeapKb(aide);
          Duration ours = ownCpu();
          Load through = load("127.0.0.1", aide.port(), "/api/v1/chat", tokens,
              new JsonObject().put("text", "note this"), connections, length, model, aide);
          ours = ownCpu().minus(ours);
          System.out.printf(Locale.ROOT, "2 s model, %d connections, %d people, through Aide: %.0f turns waiting on the model"
                  + " (ratio %.2f of the fake alone), %d answered, %d errors, p50 %.2f s; live heap %,d KB idle, %,d KB"
                  + " with them waiting = %s KB a waiting turn, %.1f KB a turn inside Aide (one a connection); server CPU"
                  + " %.2f ms a turn, PostgreSQL's %s, the generator and the fake's %.2f ms (%d cores, load average %s)%n",
              connections, people, through.inFlight(), through.inFlight() / direct.inFlight(), through.ok(), through.errors(),
              through.p50Seconds(), idleHeap, through.liveHeapKb(), through.inFlight() < 1 ? "n/a"
                  : String.format(Locale.ROOT, "%.1f", (through.liveHeapKb() - idleHeap) / through.inFlight()),
              (through.liveHeapKb() - idleHeap) / (double) connections,
              through.ok() == 0 ? 0 : through.cpuMs() / through.ok(), PostgresCpu.perTurn(through.dbMs(), through.ok()),
              perAnswer(ours, through.ok()), Runtime.getRuntime().availableProcessors(), load());
        } finally {
          aide.stop();
        }
      }
    }
  }

  private record Load(double inFlight, long ok, long errors, double p50Seconds, long liveHeapKb, double cpuMs,
                      double dbMs) {}

  /**
   * Keeps {@code connections} requests going for {@code length}, samples the fake's waiting requests every 100 ms, and,
   * halfway through, the Aide process's live heap (if one is being measured).
   */
  private static Load load(String host, int port, String path, List<String> tokens, JsonObject body, int connections,
                           Duration length, FakeOpenAi fake, AideProcess measured) {
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
          .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
      Buffer payload = body.toBuffer();
      long end = System.nanoTime() + length.toNanos();
      AtomicLong ok = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loops.add(done);
        String token = tokens.isEmpty() ? null : tokens.get(i % tokens.size());
        vertx.runOnContext(v -> next(http, path, token, payload, end, ok, errors, latencies, done));
      }
      List<Integer> samples = new ArrayList<>();
      long heap = -1;
      Duration cpu0 = measured == null ? Duration.ZERO : cpu(measured);
      PostgresCpu db0 = PostgresCpu.read();
      long t0 = System.nanoTime();
      while (System.nanoTime() < end) {
        sleep(100);
        if (System.nanoTime() - t0 > length.toNanos() / 2) {
          samples.add(fake.inFlight());
          if (heap < 0 && measured != null && System.nanoTime() - t0 > length.toNanos() * 3 / 4) {
            heap = liveHeapKb(measured);
          }
        }
      }
      loops.forEach(CompletableFuture::join);
      // Until the last answer: the turns still inside Aide when the time was up are counted among the answers, so
      // their CPU is too (read when the time was up, it divided the first 20 s of CPU by every answer, and at 5,000
      // connections most answers came later).
      double cpuMs = measured == null ? 0 : cpu(measured).minus(cpu0).toNanos() / 1e6;
      double dbMs = PostgresCpu.read().msSince(db0);
      Collections.sort(samples);
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      return new Load(samples.isEmpty() ? 0 : samples.get(samples.size() / 2), ok.get(), errors.get(),
          sorted.isEmpty() ? 0 : ms(sorted, 0.5) / 1000, heap, cpuMs, dbMs);
    } finally {
      vertx.close().await();
    }
  }

  private static void next(HttpClient http, String path, String token, Buffer payload, long end, AtomicLong ok,
                           AtomicLong errors, ConcurrentLinkedQueue<Long> latencies, CompletableFuture<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete(null);
      return;
    }
    long t0 = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("content-type", "application/json").setTimeout(180_000);
    if (token != null) {
      options.putHeader("authorization", "Bearer " + token);
    }
    http.request(options)
        .compose(request -> request.send(payload))
        .compose(response -> response.body().map(b -> response.statusCode()))
        .onComplete(result -> {
          if (result.succeeded() && result.result() == 200) {
            ok.incrementAndGet();
            latencies.add(System.nanoTime() - t0);
          } else {
            errors.incrementAndGet();
          }
          next(http, path, token, payload, end, ok, errors, latencies, done);
        });
  }

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** The process's heap in use right after a full collection: what is live. */
  private static long liveHeapKb(AideProcess aide) {
    try {
      String pid = Long.toString(aide.pid());
      new ProcessBuilder("jcmd", pid, "GC.run").redirectErrorStream(true).start().waitFor();
      Process info = new ProcessBuilder("jcmd", pid, "GC.heap_info").redirectErrorStream(true).start();
      String out = new String(info.getInputStream().readAllBytes());
      info.waitFor();
      Matcher m = USED.matcher(out);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Waits until every person's message has its vector for recall; the milliseconds that took. */
  private static long awaitIndexed(TestDatabase db) {
    long started = System.nanoTime();
    while (db.number("select count(*) from messages m where m.role = 'user' and not exists ("
        + "select 1 from message_vectors v where v.message_id = m.id)") > 0) {
      if (System.nanoTime() - started > TimeUnit.MINUTES.toNanos(5)) {
        throw new IllegalStateException("messages still unindexed after 5 minutes");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  /**
   * The CPU time of this machine's PostgreSQL processes, by process, read from /proc: between two readings, the
   * database's share of the work (a process that ended in between is not counted, one that began counts from zero;
   * the server's pool connections live through a run). Empty where PostgreSQL runs elsewhere.
   */
  private record PostgresCpu(Map<Long, Long> ticks) {

    /** Clock ticks a second of /proc/[pid]/stat's times (USER_HZ, 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    static PostgresCpu read() {
      Map<Long, Long> ticks = new HashMap<>();
      try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
        dirs.filter(dir -> dir.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(dir -> {
          try {
            if (!"postgres".equals(java.nio.file.Files.readString(dir.resolve("comm")).strip())) {
              return;
            }
            String stat = java.nio.file.Files.readString(dir.resolve("stat"));
            // After the command in parentheses: state is field 3, utime 14 and stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks.put(Long.valueOf(dir.getFileName().toString()), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
          } catch (IOException | RuntimeException e) {
            // the process ended while it was read
          }
        });
      } catch (IOException e) {
        return new PostgresCpu(Map.of());
      }
      return new PostgresCpu(ticks);
    }

    /** Milliseconds of CPU since {@code before}; negative when no PostgreSQL process is on this machine. */
    double msSince(PostgresCpu before) {
      if (ticks.isEmpty()) {
        return -1;
      }
      long used = 0;
      for (Map.Entry<Long, Long> e : ticks.entrySet()) {
        used += e.getValue() - before.ticks.getOrDefault(e.getKey(), 0L);
      }
      return used * 1000.0 / TICKS_PER_SECOND;
    }

    static String perTurn(double ms, long turns) {
      return ms < 0 || turns == 0 ? "n/a (not on this machine)" : String.format(Locale.ROOT, "%.2f ms", ms / turns);
    }
  }

  /**
   * This benchmark's own CPU so far: the load generator and the fake model run in it, so over a run it is what the
   * harness costs, which the same cores must also give.
   */
  private static Duration ownCpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  private static double perAnswer(Duration cpu, long answers) {
    return answers == 0 ? 0 : cpu.toNanos() / 1e6 / answers;
  }

  private static Duration cpu(AideProcess aide) {
    return ProcessHandle.of(aide.pid()).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String load() {
    try {
      String[] parts = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split("\\s+");
      return parts[0] + ", " + parts[1] + ", " + parts[2];
    } catch (IOException e) {
      return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static double ms(List<Long> sorted, double quantile) {
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}
