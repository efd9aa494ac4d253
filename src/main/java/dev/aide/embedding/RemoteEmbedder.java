package dev.aide.embedding;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI-compatible {@code POST {baseUrl}/embeddings} endpoint ({"model", "input": [...]} → {"data": [{"index",
 * "embedding"}]}), e.g. OpenAI's text-embedding-3-small or a local server speaking the same API. Its dimension is
 * learned from one probe call at start-up ({@link #open}).
 */
public final class RemoteEmbedder implements Embedder {

  /** What its model's name starts with in the record of models: "openai:text-embedding-3-small". */
  public static final String PREFIX = "openai:";
  private static final int MAX_BATCH = 256;

  private final WebClient web;
  private final URI endpoint;
  private final String apiKey;
  private final String model;
  private final int dimension;

  private RemoteEmbedder(WebClient web, URI endpoint, String apiKey, String model, int dimension) {
    this.web = web;
    this.endpoint = endpoint;
    this.apiKey = apiKey;
    this.model = model;
    this.dimension = dimension;
  }

  /** Asks the endpoint for one vector to learn its dimension; fails when the endpoint cannot embed. */
  public static Future<RemoteEmbedder> open(WebClient web, URI baseUrl, String apiKey, String model) {
    String base = baseUrl.toString().replaceAll("/+$", "");
    RemoteEmbedder probe = new RemoteEmbedder(web, URI.create(base + "/embeddings"), apiKey, model, 0);
    return probe.call(List.of("dimension probe")).map(vectors ->
        new RemoteEmbedder(web, probe.endpoint, apiKey, model, vectors.getFirst().length));
  }

  @Override
  public String model() {
    return PREFIX + model;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Future<List<float[]>> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    if (texts.size() <= MAX_BATCH) {
      return call(texts);
    }
    return call(texts.subList(0, MAX_BATCH)).compose(first -> embed(texts.subList(MAX_BATCH, texts.size()))
        .map(rest -> {
          List<float[]> all = new ArrayList<>(first);
          all.addAll(rest);
          return all;
        }));
  }

  private Future<List<float[]>> call(List<String> texts) {
    var request = web.postAbs(endpoint.toString());
    if (apiKey != null) {
      request.bearerTokenAuthentication(apiKey);
    }
    return request.sendJsonObject(new JsonObject().put("model", model).put("input", new JsonArray(texts)))
        .compose(response -> {
          if (response.statusCode() / 100 != 2) {
            return Future.failedFuture(new EmbeddingException("the embedding endpoint answered "
                + response.statusCode() + ": " + abbreviate(response.bodyAsString())));
          }
          JsonArray data = response.bodyAsJsonObject().getJsonArray("data");
          if (data == null || data.size() != texts.size()) {
            return Future.failedFuture(new EmbeddingException("the embedding endpoint answered "
                + (data == null ? "no data" : data.size() + " vectors") + " for " + texts.size() + " texts"));
          }
          float[][] vectors = new float[texts.size()][];
          for (int i = 0; i < data.size(); i++) {
            JsonObject item = data.getJsonObject(i);
            vectors[item.getInteger("index", i)] = unit(item.getJsonArray("embedding"));
          }
          if (dimension > 0) {
            for (float[] v : vectors) {
              if (v == null || v.length != dimension) {
                return Future.failedFuture(new EmbeddingException("the embedding endpoint changed its dimension"));
              }
            }
          }
          return Future.succeededFuture(List.of(vectors));
        });
  }

  private static float[] unit(JsonArray values) {
    float[] v = new float[values.size()];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = values.getNumber(i).floatValue();
      norm += v[i] * v[i];
    }
    double length = Math.sqrt(norm);
    if (length > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / length);
      }
    }
    return v;
  }

  private static String abbreviate(String body) {
    return body == null ? "" : body.length() <= 200 ? body : body.substring(0, 200) + "…";
  }
}
