package dev.aide.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fake OpenAI-compatible server on 127.0.0.1 answering POST /v1/chat/completions in the documented wire format,
 * from payload files under src/test/resources/payload/openai. It records every request, can answer after a delay
 * (without blocking), and counts how many requests were waiting at once.
 *
 * <p>Aide also asks a configured model, after each turn, what the person's message teaches (memory extraction: a
 * request whose {@code response_format} is the JSON schema {@value #EXTRACTION_SCHEMA}). Those requests are kept apart
 * ({@link #extractions()}, answered by {@link #extracting}, by default with no operations) and neither delayed nor
 * counted with the conversation's, so a test about turns sees only the turns.
 */
public final class FakeOpenAi implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile boolean remembering = true;
  private static final Map<String, String> PAYLOADS = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final HttpServer server;
  private volatile Function<JsonObject, Reply> responder;
  private volatile long delayMillis;
  private volatile int gate;
  private final List<Runnable> held = new ArrayList<>();
  // Conversation answers held until the test releases them (holdAnswers), and whether new ones are held.
  private final List<Runnable> heldAnswers = new ArrayList<>();
  private boolean holdingAnswers;
  /** The name Aide gives the JSON schema of a memory extraction's answer. */
  public static final String EXTRACTION_SCHEMA = "memory_operations";
  private final List<JsonObject> extractions = new CopyOnWriteArrayList<>();
  private volatile Function<JsonObject, Reply> extractor = request -> text("{\"operations\": []}");
  private java.util.function.Predicate<JsonObject> holdingExtractions = request -> false;
  private final List<Runnable> heldExtractions = new ArrayList<>();

  /**
   * What the fake answers: a status and a body; {@code escapedToAscii} writes every other character as a \\u escape, as
   * Python's json.dumps does by default (servers written in Python send text so), which can carry half a surrogate
   * pair that UTF-8 cannot.
   */
  public record Reply(int status, JsonObject body, boolean escapedToAscii) {

    public Reply(int status, JsonObject body) {
      this(status, body, false);
    }

    public Reply asciiOnly() {
      return new Reply(status, body, true);
    }

    String encoded() {
      String json = body.encode();
      if (!escapedToAscii) {
        return json;
      }
      StringBuilder out = new StringBuilder(json.length());
      json.chars().forEach(c -> out.append(c < 0x80 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
      return out.toString();
    }
  }

  public FakeOpenAi(Function<JsonObject, Reply> responder) {
    this.responder = responder;
    // HTTP/1.1 only, like most self-hosted OpenAI-compatible servers.
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setHttp2ClearTextEnabled(false))
        .requestHandler(req -> {
          if (!req.path().equals("/v1/chat/completions")) {
            req.response().setStatusCode(404).end();
            return;
          }
          if (remembering) {
            authorizations.add(String.valueOf(req.getHeader("authorization")));
          }
          req.body().onSuccess(body -> {
            JsonObject json = body.toJsonObject();
            if (isExtraction(json)) {
              extraction(json, req.response(), vertx.getOrCreateContext());
              return;
            }
            if (remembering) {
              requests.add(json);
            }
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            Runnable answer = () -> {
              inFlight.decrementAndGet();
              Reply reply = this.responder.apply(json);
              req.response().setStatusCode(reply.status()).putHeader("content-type", "application/json")
                  .end(reply.encoded());
            };
            io.vertx.core.Context context = vertx.getOrCreateContext();
            synchronized (heldAnswers) {
              if (holdingAnswers) {
                heldAnswers.add(() -> context.runOnContext(v -> answer.run()));
                return;
              }
            }
            if (gate > 0) {
              hold(answer, now, vertx.getOrCreateContext());
            } else if (delayMillis > 0) {
              vertx.setTimer(delayMillis, id -> answer.run());
            } else {
              answer.run();
            }
          });
        });
    server.listen(0).toCompletionStage().toCompletableFuture().join();
  }

  /** The /v1 base URL to configure as AIDE_LLM_BASE_URL. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /**
   * A benchmark's fake: requests are answered and counted, never kept (thousands of them, each with every tool's
   * schema, kept in copy-on-write lists, cost the measuring JVM more CPU than answering them).
   */
  public FakeOpenAi forgettingRequests() {
    this.remembering = false;
    return this;
  }

  public FakeOpenAi answeringAfter(long millis) {
    this.delayMillis = millis;
    return this;
  }

  /**
   * Holds every answer until {@code count} requests are waiting at once, then answers them all; a request still held
   * after {@code maxWaitMillis} is answered anyway (and maxInFlight shows the count was never reached). This shows
   * how many calls a client keeps in flight without depending on how fast the machine sends them.
   */
  public FakeOpenAi answeringWhenInFlight(int count, long maxWaitMillis) {
    this.gate = count;
    this.delayMillis = maxWaitMillis;
    return this;
  }

  private void hold(Runnable answer, int inFlightNow, io.vertx.core.Context context) {
    Runnable onContext = () -> context.runOnContext(v -> answer.run());
    List<Runnable> release = List.of();
    synchronized (held) {
      held.add(onContext);
      if (inFlightNow >= gate) {
        release = new ArrayList<>(held);
        held.clear();
      }
    }
    release.forEach(Runnable::run);
    vertx.setTimer(delayMillis, id -> {
      boolean stillHeld;
      synchronized (held) {
        stillHeld = held.remove(onContext);
      }
      if (stillHeld) {
        onContext.run();
      }
    });
  }

  /** The conversation's requests (memory extractions are in {@link #extractions()}). */
  public List<JsonObject> requests() {
    return requests;
  }

  /** Memory extraction requests, in the order they came. */
  public List<JsonObject> extractions() {
    return extractions;
  }

  /**
   * Holds every conversation answer from now on until {@link #releaseAnswers()}: a model as slow as a test needs it to
   * be, without a timer.
   */
  public FakeOpenAi holdAnswers() {
    synchronized (heldAnswers) {
      holdingAnswers = true;
    }
    return this;
  }

  /** Answers the held conversation requests and stops holding them. */
  public void releaseAnswers() {
    List<Runnable> release;
    synchronized (heldAnswers) {
      holdingAnswers = false;
      release = new ArrayList<>(heldAnswers);
      heldAnswers.clear();
    }
    release.forEach(Runnable::run);
  }

  /** How many conversation answers are held now. */
  public int heldAnswers() {
    synchronized (heldAnswers) {
      return heldAnswers.size();
    }
  }

  /** How memory extractions are answered from now on (by default: no operations). */
  public FakeOpenAi extracting(Function<JsonObject, Reply> extractor) {
    this.extractor = extractor;
    return this;
  }

  /** Holds every memory extraction's answer from now on, until {@link #releaseExtractions()}. */
  public void holdExtractions() {
    holdExtractionsWhere(request -> true);
  }

  /** Holds the answers of the memory extractions that match, from now on, until {@link #releaseExtractions()}. */
  public void holdExtractionsWhere(java.util.function.Predicate<JsonObject> which) {
    synchronized (heldExtractions) {
      holdingExtractions = which;
    }
  }

  /** Answers the held extractions and stops holding them. */
  public void releaseExtractions() {
    List<Runnable> release;
    synchronized (heldExtractions) {
      holdingExtractions = request -> false;
      release = new ArrayList<>(heldExtractions);
      heldExtractions.clear();
    }
    release.forEach(Runnable::run);
  }

  private static boolean isExtraction(JsonObject request) {
    JsonObject format = request.getJsonObject("response_format");
    JsonObject schema = format == null ? null : format.getJsonObject("json_schema");
    return "json_schema".equals(format == null ? null : format.getString("type")) && schema != null
        && EXTRACTION_SCHEMA.equals(schema.getString("name"));
  }

  private void extraction(JsonObject request, io.vertx.core.http.HttpServerResponse response,
                          io.vertx.core.Context context) {
    if (remembering) {
      extractions.add(request);
    }
    Runnable answer = () -> context.runOnContext(v -> {
      Reply reply = extractor.apply(request);
      response.setStatusCode(reply.status()).putHeader("content-type", "application/json").end(reply.encoded());
    });
    synchronized (heldExtractions) {
      if (holdingExtractions.test(request)) {
        heldExtractions.add(answer);
        return;
      }
    }
    answer.run();
  }

  /** The data a memory extraction request quotes: {today, memories:[{id, text, type}], message}. */
  public static JsonObject extractionData(JsonObject request) {
    List<JsonObject> users = messages(request, "user");
    String content = users.get(users.size() - 1).getString("content");
    int start = content.indexOf("<data>");
    int end = content.lastIndexOf("</data>");
    return new JsonObject(content.substring(start + "<data>".length(), end));
  }

  public List<String> authorizations() {
    return authorizations;
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** How many conversation requests are waiting on the fake now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** A payload file, e.g. "chat-completion-text.json". */
  public static JsonObject payload(String name) {
    return new JsonObject(PAYLOADS.computeIfAbsent(name, FakeOpenAi::read));
  }

  private static String read(String name) {
    try (InputStream in = FakeOpenAi.class.getResourceAsStream("/payload/openai/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no payload " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A plain text answer built from the documented payload. */
  public static Reply text(String content) {
    JsonObject body = payload("chat-completion-text.json");
    body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").put("content", content);
    return new Reply(200, body);
  }

  /** A single tool call with arguments exactly as given (even malformed), built from the documented payload. */
  public static Reply toolCall(String name, String rawArguments) {
    JsonObject body = payload("chat-completion-tool-call.json");
    JsonObject function = body.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function");
    function.put("name", name).put("arguments", rawArguments);
    body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0)
        .put("id", "call_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    return new Reply(200, body);
  }

  /**
   * Several tool calls in one answer (the "parallel tool calls" of the wire format), each a name and raw arguments, in
   * order, built from the documented payload.
   */
  public static Reply toolCalls(String... namesAndArguments) {
    if (namesAndArguments.length == 0 || namesAndArguments.length % 2 != 0) {
      throw new IllegalArgumentException("pairs of a name and arguments");
    }
    JsonObject body = payload("chat-completion-tool-call.json");
    JsonObject message = body.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    JsonObject template = message.getJsonArray("tool_calls").getJsonObject(0);
    io.vertx.core.json.JsonArray calls = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < namesAndArguments.length; i += 2) {
      JsonObject call = template.copy()
          .put("id", "call_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12));
      call.getJsonObject("function").put("name", namesAndArguments[i]).put("arguments", namesAndArguments[i + 1]);
      calls.add(call);
    }
    message.put("tool_calls", calls);
    return new Reply(200, body);
  }

  /** The messages of a request whose role is the given one ("user", "tool", …), oldest first. */
  public static List<JsonObject> messages(JsonObject request, String role) {
    return request.getJsonArray("messages").stream().map(m -> (JsonObject) m)
        .filter(m -> role.equals(m.getString("role"))).toList();
  }

  /** The role of the last message in a request: "user" on a new turn, "tool" after a tool ran. */
  public static String lastRole(JsonObject request) {
    var messages = request.getJsonArray("messages");
    return messages.getJsonObject(messages.size() - 1).getString("role");
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
