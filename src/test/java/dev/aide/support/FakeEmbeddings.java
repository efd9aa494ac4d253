package dev.aide.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A fake OpenAI-compatible embeddings endpoint on 127.0.0.1: POST /v1/embeddings ({"model", "input"} → {"data":
 * [{"index", "embedding"}]}, built from the documented payload under src/test/resources/payload/openai), for the models
 * it is told to serve, each of its own dimension; another model gets OpenAI's 404 model_not_found. Its vectors are
 * deterministic and mean something: each word of a text adds to a few of the model's dimensions (a hash of the word and
 * the model), so texts that share words are near and a model's vectors differ from another's. It records every
 * request, and can hold the requests that match a test's condition, answering a number of them and keeping the rest
 * until it is told to let them go.
 */
public final class FakeEmbeddings implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Map<String, Integer> models = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Runnable> held = new ArrayList<>();
  private Predicate<Request> holding = r -> false;
  private int letThrough;

  /** One request: the model asked for and the texts. */
  public record Request(String model, List<String> input) {

    public boolean contains(String text) {
      return input.contains(text);
    }
  }

  public FakeEmbeddings() {
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(req -> {
          if (!req.path().equals("/v1/embeddings") || req.method() != io.vertx.core.http.HttpMethod.POST) {
            req.response().setStatusCode(404).end();
            return;
          }
          req.body().onSuccess(body -> {
            JsonObject json = body.toJsonObject();
            Object input = json.getValue("input");
            List<String> texts = input instanceof JsonArray array
                ? array.stream().map(String::valueOf).toList() : List.of(String.valueOf(input));
            Request request = new Request(json.getString("model"), texts);
            requests.add(request);
            Runnable answer = () -> answer(req, request);
            boolean hold;
            synchronized (held) {
              hold = holding.test(request) && letThrough-- <= 0;
              if (hold) {
                held.add(answer);
              }
            }
            if (!hold) {
              answer.run();
            }
          });
        });
    server.listen(0).toCompletionStage().toCompletableFuture().join();
  }

  /** The /v1 base URL to configure as AIDE_EMBEDDING_BASE_URL. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** The variables that make Aide embed with one of this fake's models. */
  public Map<String, String> env(String model) {
    return Map.of("AIDE_EMBEDDING_PROVIDER", "openai", "AIDE_EMBEDDING_BASE_URL", baseUrl(),
        "AIDE_EMBEDDING_API_KEY", "sk-embed-test", "AIDE_EMBEDDING_MODEL", model);
  }

  public FakeEmbeddings serving(String model, int dimension) {
    models.put(model, dimension);
    return this;
  }

  /** The model is gone from the endpoint (a request for it gets 404 model_not_found). */
  public FakeEmbeddings notServing(String model) {
    models.remove(model);
    return this;
  }

  /**
   * From now on, requests that match are held, except the next {@code answered} of them, which are answered; what is
   * held waits for {@link #letGo()}.
   */
  public FakeEmbeddings holding(Predicate<Request> condition, int answered) {
    synchronized (held) {
      holding = condition;
      letThrough = answered;
    }
    return this;
  }

  /** Holds nothing any more and answers every request it held. */
  public void letGo() {
    List<Runnable> release;
    synchronized (held) {
      holding = r -> false;
      release = new ArrayList<>(held);
      held.clear();
    }
    release.forEach(Runnable::run);
  }

  /** How many requests are held now. */
  public int held() {
    synchronized (held) {
      return held.size();
    }
  }

  public List<Request> requests() {
    return requests;
  }

  /** The requests for one model. */
  public List<Request> requests(String model) {
    return requests.stream().filter(r -> r.model().equals(model)).toList();
  }

  /** How many times the text was sent to be embedded with the model. */
  public long times(String model, String text) {
    return requests(model).stream().mapToLong(r -> r.input().stream().filter(text::equals).count()).sum();
  }

  private void answer(HttpServerRequest req, Request request) {
    if (req.response().closed()) {
      return;
    }
    Integer dimension = models.get(request.model());
    if (dimension == null) {
      JsonObject error = FakeOpenAi.payload("error-model-not-found.json");
      error.getJsonObject("error").put("message", "The model `" + request.model()
          + "` does not exist or you do not have access to it.");
      req.response().setStatusCode(404).putHeader("content-type", "application/json").end(error.encode());
      return;
    }
    JsonObject body = FakeOpenAi.payload("embeddings.json");
    JsonObject template = body.getJsonArray("data").getJsonObject(0);
    JsonArray data = new JsonArray();
    int tokens = 0;
    for (int i = 0; i < request.input().size(); i++) {
      String text = request.input().get(i);
      tokens += text.split("\\s+").length;
      JsonArray embedding = new JsonArray();
      for (float f : vector(request.model(), dimension, text)) {
        embedding.add(f);
      }
      data.add(template.copy().put("index", i).put("embedding", embedding));
    }
    body.put("data", data).put("model", request.model())
        .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens));
    req.response().putHeader("content-type", "application/json").end(body.encode());
  }

  /** A text's vector: each word adds to two of the dimensions, picked by a hash of the model and the word. */
  public static float[] vector(String model, int dimension, String text) {
    float[] v = new float[dimension];
    v[0] = 0.01f;
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty()) {
        continue;
      }
      int h = (model + "/" + word).hashCode();
      v[Math.floorMod(h, dimension)] += 1;
      v[Math.floorMod(h >>> 7, dimension)] += (h & 1) == 0 ? 0.5f : -0.5f;
    }
    return v;
  }

  /** Lets anything held go, then stops. */
  @Override
  public void close() {
    letGo();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
