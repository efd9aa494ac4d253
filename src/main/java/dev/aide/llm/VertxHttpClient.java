package dev.aide.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j's HTTP client SPI on Vert.x's web client, so a model call is a Vert.x future the calling thread awaits.
 * On the conversation verticle's virtual threads {@code Future.await} parks the turn and frees its context for other
 * turns, where the JDK client LangChain4j ships would block the context and serialise every turn behind one model
 * call. Elsewhere (a worker thread, a test) await simply blocks that thread. No executor of its own, no connection
 * pool per call: the web client's pool is shared and sized for many concurrent slow calls.
 *
 * <p>Chat completions are plain request/response; a streaming request is read whole and then parsed, which keeps
 * LangChain4j's streaming contract (events, then close) without token-by-token delivery, which Aide does not use.
 * Multipart form data is not used by any model Aide talks to and is refused.
 */
public final class VertxHttpClient implements HttpClient {

  private final WebClient web;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  private VertxHttpClient(WebClient web, Duration connectTimeout, Duration readTimeout) {
    this.web = web;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  public static Builder builder(WebClient web) {
    return new Builder(web);
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) throws HttpException {
    HttpResponse<Buffer> response = send(request).await();
    if (response.statusCode() < 200 || response.statusCode() > 299) {
      throw new HttpException(response.statusCode(), response.bodyAsString());
    }
    return successful(response);
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    HttpResponse<Buffer> response;
    try {
      response = send(request).await();
    } catch (RuntimeException e) {
      listener.onError(e);
      return;
    }
    if (response.statusCode() < 200 || response.statusCode() > 299) {
      listener.onError(new HttpException(response.statusCode(), response.bodyAsString()));
      return;
    }
    listener.onOpen(successful(response));
    byte[] body = response.body() == null ? new byte[0] : response.body().getBytes();
    try {
      parser.parse(new ByteArrayInputStream(body), listener);
    } catch (RuntimeException e) {
      listener.onError(e);
      return;
    }
    listener.onClose();
  }

  private Future<HttpResponse<Buffer>> send(HttpRequest request) {
    if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
      return Future.failedFuture(new UnsupportedOperationException("multipart requests are not supported"));
    }
    var call = web.requestAbs(HttpMethod.valueOf(request.method().name()), request.url());
    request.headers().forEach((name, values) -> call.headers().add(name, values));
    if (connectTimeout != null) {
      call.connectTimeout(connectTimeout.toMillis());
    }
    if (readTimeout != null) {
      // No byte for this long fails the call, as the JDK client's read timeout would.
      call.idleTimeout(readTimeout.toMillis());
    }
    return request.body() == null
        ? call.send()
        : call.sendBuffer(Buffer.buffer(request.body().getBytes(StandardCharsets.UTF_8)));
  }

  private static SuccessfulHttpResponse successful(HttpResponse<Buffer> response) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : response.headers().names()) {
      headers.put(name, new ArrayList<>(response.headers().getAll(name)));
    }
    return SuccessfulHttpResponse.builder()
        .statusCode(response.statusCode())
        .headers(headers)
        .body(response.body() == null ? new byte[0] : response.body().getBytes())
        .build();
  }

  /** LangChain4j's builder contract: the timeouts it sets from the model's own {@code timeout}. */
  public static final class Builder implements HttpClientBuilder {

    private final WebClient web;
    private Duration connectTimeout;
    private Duration readTimeout;

    private Builder(WebClient web) {
      this.web = web;
    }

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    @Override
    public VertxHttpClient build() {
      return new VertxHttpClient(web, connectTimeout, readTimeout);
    }
  }
}
