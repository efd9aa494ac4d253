package dev.aide.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.CompletionException;

/** A blocking façade over Vert.x WebClient so tests read top to bottom. */
public final class Api implements AutoCloseable {

  // One Vert.x for every client of a test JVM: each client is only a connection pool on it, and starting and stopping
  // a Vert.x for each of a suite's thousand clients costs seconds of CPU.
  private static final Vertx VERTX = Vertx.vertx();

  private final WebClient client;
  private final int port;
  private String token;
  private String refreshToken;

  public Api(int port) {
    this.port = port;
    this.client = WebClient.create(VERTX, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(500));
  }

  /** Sends later requests with this bearer token. */
  public Api as(String bearerToken) {
    this.token = bearerToken;
    return this;
  }

  /** The bearer token later requests carry, or null. */
  public String token() {
    return token;
  }

  public Response get(String path) {
    return send(HttpMethod.GET, path, null, null);
  }

  public Response delete(String path) {
    return send(HttpMethod.DELETE, path, null, null);
  }

  public Response post(String path, JsonObject body) {
    return send(HttpMethod.POST, path, body.toBuffer(), "application/json");
  }

  public Response patch(String path, JsonObject body) {
    return send(HttpMethod.PATCH, path, body.toBuffer(), "application/json");
  }

  /** A raw body with a content type of the test's choosing, for the bad-input cases. */
  public Response send(HttpMethod method, String path, Buffer body, String contentType) {
    return send(method, path, body, contentType, java.util.Map.of());
  }

  /** Any request, with extra headers (a webhook's signature or secret). */
  public Response send(HttpMethod method, String path, Buffer body, String contentType,
                       java.util.Map<String, String> headers) {
    HttpRequest<Buffer> request = client.request(method, path);
    headers.forEach(request::putHeader);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (contentType != null) {
      request.putHeader("content-type", contentType);
    }
    try {
      var response = (body == null ? request.send() : request.sendBuffer(body)).toCompletionStage().toCompletableFuture().join();
      java.util.Map<String, String> received = new java.util.HashMap<>();
      response.headers().forEach(h -> received.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
      // An answer without a body (204) reads as empty text, so callers can search it like any other.
      String text = response.bodyAsString();
      return new Response(response.statusCode(), text == null ? "" : text, java.util.Map.copyOf(received));
    } catch (CompletionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** A part of a multipart/form-data body: a form field (no filename, no content type) or a file. */
  public record Part(String name, String filename, String contentType, Buffer content) {

    public static Part field(String name, String value) {
      return new Part(name, null, null, Buffer.buffer(value));
    }

    public static Part file(String name, String filename, String contentType, byte[] content) {
      return new Part(name, filename, contentType, Buffer.buffer(content));
    }
  }

  /** A multipart/form-data body as browsers and curl -F write it (RFC 7578), and its content type. */
  public static Form form(java.util.List<Part> parts) {
    String boundary = "----aide-test-" + java.util.UUID.randomUUID();
    Buffer body = Buffer.buffer();
    for (Part part : parts) {
      body.appendString("--" + boundary + "\r\n");
      body.appendString("Content-Disposition: form-data; name=\"" + part.name() + "\""
          + (part.filename() == null ? "" : "; filename=\"" + part.filename() + "\"") + "\r\n");
      if (part.contentType() != null) {
        body.appendString("Content-Type: " + part.contentType() + "\r\n");
      }
      body.appendString("\r\n").appendBuffer(part.content()).appendString("\r\n");
    }
    body.appendString("--" + boundary + "--\r\n");
    return new Form(body, "multipart/form-data; boundary=" + boundary);
  }

  /** A form's body and the content type that names its boundary. */
  public record Form(Buffer body, String contentType) {}

  /** POSTs a multipart/form-data body (with its content-length, as curl -F sends it). */
  public Response postForm(String path, java.util.List<Part> parts) {
    Form form = form(parts);
    return send(HttpMethod.POST, path, form.body(), form.contentType());
  }

  /**
   * Sends a body in chunks (transfer-encoding: chunked, no content-length), so the server learns its size only as it
   * reads; the answer is taken as soon as it comes, even if the server stops reading before the end.
   */
  public Response sendChunked(HttpMethod method, String path, Buffer body, String contentType) {
    io.vertx.core.http.HttpClient http = VERTX.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(port));
    try {
      return http.request(method, path).compose(request -> {
        request.setChunked(true).putHeader("content-type", contentType);
        if (token != null) {
          request.putHeader("authorization", "Bearer " + token);
        }
        Future<io.vertx.core.http.HttpClientResponse> answer = request.response();
        int piece = 64 * 1024;
        for (int at = 0; at < body.length(); at += piece) {
          request.write(body.slice(at, Math.min(body.length(), at + piece)));
        }
        request.end();
        return answer.compose(response -> response.body().map(text -> {
          java.util.Map<String, String> received = new java.util.HashMap<>();
          response.headers().forEach(h -> received.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
          return new Response(response.statusCode(), text.toString(), java.util.Map.copyOf(received));
        }));
      }).toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      http.close();
    }
  }

  /**
   * Sends the start of a body (transfer-encoding: chunked) and never its end, and returns the answer if the server
   * gives one without the rest within ten seconds: what a server that refuses a request on its headers alone answers.
   */
  public Response sendUnfinished(HttpMethod method, String path, Buffer start, String contentType) {
    io.vertx.core.http.HttpClient http = VERTX.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(port));
    try {
      return http.request(method, path).compose(request -> {
        request.setChunked(true).putHeader("content-type", contentType);
        if (token != null) {
          request.putHeader("authorization", "Bearer " + token);
        }
        Future<io.vertx.core.http.HttpClientResponse> answer = request.response();
        request.write(start);
        return answer.compose(response -> response.body()
            .map(text -> new Response(response.statusCode(), text.toString())));
      }).toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 10 s to a request whose body never ends", e);
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    } finally {
      http.close();
    }
  }

  /** Registers a user and remembers their token. */
  public JsonObject register(String email, String timezone) {
    Response r = post("/api/v1/auth/register", new JsonObject().put("email", email).put("password", "correct horse battery")
        .put("name", "Test Person").put("timezone", timezone));
    if (r.status() != 201) {
      throw new IllegalStateException("register failed: " + r);
    }
    as(r.json().getString("token"));
    refreshToken = r.json().getString("refreshToken");
    return r.json().getJsonObject("user");
  }

  /**
   * Says {@code text} to the assistant in the conversation ({@code null}: a new one) and answers the chat's JSON; any
   * answer but 200 fails the test with its body.
   */
  public JsonObject chat(String text, String conversationId) {
    JsonObject body = new JsonObject().put("text", text);
    if (conversationId != null) {
      body.put("conversationId", conversationId);
    }
    Response r = post("/api/v1/chat", body);
    if (r.status() != 200) {
      throw new AssertionError("chat answered " + r.status() + ": " + r.body());
    }
    return r.json();
  }

  /** The reply's text in a chat answer. */
  public static String replyText(JsonObject chat) {
    return chat.getJsonObject("reply").getString("text");
  }

  /** The tool calls of a chat answer. */
  public static java.util.List<JsonObject> toolCalls(JsonObject chat) {
    return chat.getJsonArray("toolCalls").stream().map(JsonObject.class::cast).toList();
  }

  /** The refresh token of the last registration through {@link #register}. */
  public String refreshToken() {
    return refreshToken;
  }

  @Override
  public void close() {
    client.close();
  }

  /** Status, body and headers (names in lower case) of a response. */
  public record Response(int status, String body, java.util.Map<String, String> headers) {

    public Response(int status, String body) {
      this(status, body, java.util.Map.of());
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public JsonObject json() {
      return new JsonObject(body);
    }

    public String errorCode() {
      return json().getJsonObject("error").getString("code");
    }
  }
}
